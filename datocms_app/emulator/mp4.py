"""What the emulator reads from an MP4 file: size, duration and frame rate of its video track.

``read_mp4(path) -> Mp4Info`` walks the ISO base media file format boxes (``ftyp``, then
``moov`` > ``mvhd``, ``trak`` > ``tkhd``, ``mdia`` > ``hdlr``/``mdhd``, ``minf`` > ``stbl`` >
``stsd``/``stts``) in pure Python, reading only the box headers and the ``moov`` box, so a
video upload is described the way Mux describes it without ffmpeg. It never decodes a frame
and never writes anything. A file it cannot read raises ``InvalidVideoFile`` saying what is
missing.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from datocms_app.emulator.exceptions import InvalidVideoFile

__all__ = ["Mp4Info", "read_mp4"]

#: Boxes holding other boxes, on the way to the ones read here.
_CONTAINERS = frozenset({b"moov", b"trak", b"mdia", b"minf", b"stbl"})
#: A ``moov`` box larger than this is not a plausible header (the media is in ``mdat``).
_MAX_MOOV = 64 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Mp4Info:
    """The video track of an MP4 file."""

    width: int
    height: int
    #: Seconds, from the video track's media header (``mdhd``).
    duration: float
    #: Frames per second: samples of the video track divided by its duration.
    framerate: float
    #: The sample entry's four-character code, e.g. ``avc1`` (H.264) or ``hvc1`` (HEVC).
    codec: str
    frame_count: int


def _boxes(data: bytes, start: int = 0, end: int | None = None) -> Iterator[tuple[bytes, int, int]]:
    """``(type, payload start, payload end)`` of each box in ``data[start:end]``."""
    end = len(data) if end is None else end
    offset = start
    while offset + 8 <= end:
        size, kind = struct.unpack_from(">I4s", data, offset)
        header = 8
        if size == 1:
            if offset + 16 > end:
                raise InvalidVideoFile(f"the {kind.decode('latin-1')!r} box is cut short.")
            (size,) = struct.unpack_from(">Q", data, offset + 8)
            header = 16
        elif size == 0:
            size = end - offset
        if size < header or offset + size > end:
            raise InvalidVideoFile(
                f"the {kind.decode('latin-1')!r} box at byte {offset} has an impossible size "
                f"({size}); the file is truncated or not an MP4."
            )
        yield kind, offset + header, offset + size
        offset += size


def _top_level(path: Path) -> bytes:
    """The ``moov`` box's payload, after checking that the file starts like an MP4."""
    with path.open("rb") as stream:
        stream.seek(0, 2)
        length = stream.tell()
        offset, seen_ftyp = 0, False
        while offset + 8 <= length:
            stream.seek(offset)
            size, kind = struct.unpack(">I4s", stream.read(8))
            header = 8
            if size == 1:
                (size,) = struct.unpack(">Q", stream.read(8))
                header = 16
            elif size == 0:
                size = length - offset
            if offset == 0 and kind != b"ftyp":
                raise InvalidVideoFile(
                    "it does not start with an 'ftyp' box: it is not an MP4 (ISO base media) file."
                )
            if size < header or offset + size > length:
                raise InvalidVideoFile(
                    f"the box at byte {offset} has an impossible size ({size}); the file is "
                    "truncated or not an MP4."
                )
            seen_ftyp = True
            if kind == b"moov":
                if size - header > _MAX_MOOV:
                    raise InvalidVideoFile(f"its 'moov' box is implausibly large ({size} bytes).")
                return stream.read(size - header)
            offset += size
    if not seen_ftyp:
        raise InvalidVideoFile("it is empty or too short to be an MP4 file.")
    raise InvalidVideoFile("it has no 'moov' box (the index of the media); re-encode it.")


def _find(data: bytes, start: int, end: int, kind: bytes) -> tuple[int, int] | None:
    return next(((s, e) for k, s, e in _boxes(data, start, end) if k == kind), None)


def _full_box_times(data: bytes, start: int) -> tuple[int, int]:
    """``(timescale, duration)`` of an ``mvhd``/``mdhd`` payload (versions 0 and 1)."""
    version = data[start]
    if version == 1:
        return struct.unpack_from(">IQ", data, start + 4 + 16)
    return struct.unpack_from(">II", data, start + 4 + 8)


def _video_track(moov: bytes) -> tuple[int, int] | None:
    """The payload bounds of the first ``trak`` whose handler is ``vide``."""
    for kind, start, end in _boxes(moov):
        if kind != b"trak":
            continue
        mdia = _find(moov, start, end, b"mdia")
        hdlr = _find(moov, *mdia, b"hdlr") if mdia else None
        if hdlr and moov[hdlr[0] + 8 : hdlr[0] + 12] == b"vide":
            return start, end
    return None


def read_mp4(path: Path) -> Mp4Info:
    """Describe the video track of the MP4 at ``path``; raises ``InvalidVideoFile``."""
    path = Path(path)
    try:
        moov = _top_level(path)
    except OSError as exc:
        raise InvalidVideoFile(f"it cannot be read: {exc.strerror or exc}.") from exc
    except struct.error as exc:
        raise InvalidVideoFile("it is truncated in the middle of a box header.") from exc
    try:
        return _describe(moov)
    except struct.error as exc:
        raise InvalidVideoFile("its 'moov' box is truncated or malformed.") from exc


def _describe(moov: bytes) -> Mp4Info:
    track = _video_track(moov)
    if track is None:
        raise InvalidVideoFile("it has no video track (only audio, or no tracks at all).")
    tkhd = _find(moov, *track, b"tkhd")
    mdia = _find(moov, *track, b"mdia")
    mdhd = _find(moov, *mdia, b"mdhd") if mdia else None
    minf = _find(moov, *mdia, b"minf") if mdia else None
    stbl = _find(moov, *minf, b"stbl") if minf else None
    stts = _find(moov, *stbl, b"stts") if stbl else None
    stsd = _find(moov, *stbl, b"stsd") if stbl else None
    if tkhd is None or mdhd is None or stts is None or stsd is None:
        raise InvalidVideoFile(
            "its video track lacks a track header, media header or sample table."
        )
    # tkhd: the display size is the last two 16.16 fixed-point numbers of the payload.
    width, height = (value >> 16 for value in struct.unpack_from(">II", moov, tkhd[1] - 8))
    timescale, units = _full_box_times(moov, mdhd[0])
    (entries,) = struct.unpack_from(">I", moov, stts[0] + 4)
    frames = sum(
        struct.unpack_from(">I", moov, stts[0] + 8 + index * 8)[0] for index in range(entries)
    )
    codec = moov[stsd[0] + 12 : stsd[0] + 16].decode("latin-1")
    if not width or not height:
        raise InvalidVideoFile("its video track has no width and height.")
    if not timescale or not units or not frames:
        raise InvalidVideoFile(
            "its video track has no samples in the 'moov' box (a fragmented MP4?); encode a "
            "progressive MP4, e.g. ffmpeg -i in.mov -c:v libx264 -movflags +faststart out.mp4."
        )
    duration = units / timescale
    return Mp4Info(
        width=width,
        height=height,
        duration=duration,
        framerate=frames / duration,
        codec=codec,
        frame_count=frames,
    )
