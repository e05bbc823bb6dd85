"""The readers behind video uploads: MP4 boxes (``emulator.mp4``) and HLS playlists
(``emulator.hls``), on the demo's committed files and on hand-made broken ones."""

from __future__ import annotations

import shutil
import struct
from pathlib import Path

import pytest

from datocms_app.emulator.exceptions import InvalidVideoFile
from datocms_app.emulator.hls import read_playlist
from datocms_app.emulator.mp4 import Mp4Info, read_mp4

from .conftest import DEMO_VIDEO


def box(kind: bytes, *children: bytes) -> bytes:
    payload = b"".join(children)
    return struct.pack(">I4s", 8 + len(payload), kind) + payload


def full_box(kind: bytes, body: bytes, version: int = 0) -> bytes:
    return box(kind, bytes([version, 0, 0, 0]) + body)


def track(
    handler: bytes = b"vide",
    frames: int = 48,
    timescale: int = 12288,
    units: int = 24576,
    size: tuple[int, int] = (320, 240),
    version: int = 0,
) -> bytes:
    """A ``trak`` with the boxes the reader needs (no media)."""
    width, height = (side << 16 for side in size)
    tkhd = full_box(b"tkhd", bytes(76) + struct.pack(">II", width, height))
    if version == 1:
        mdhd = full_box(b"mdhd", bytes(16) + struct.pack(">IQ", timescale, units) + bytes(4), 1)
    else:
        mdhd = full_box(b"mdhd", bytes(8) + struct.pack(">II", timescale, units) + bytes(4))
    hdlr = full_box(b"hdlr", bytes(4) + handler + bytes(12) + b"\0")
    stsd = full_box(b"stsd", struct.pack(">I", 1) + struct.pack(">I4s", 16, b"avc1") + bytes(8))
    stts = full_box(b"stts", struct.pack(">III", 1, frames, 512) if frames else bytes(4))
    stbl = box(b"stbl", stsd, stts)
    return box(b"trak", tkhd, box(b"mdia", mdhd, hdlr, box(b"minf", stbl)))


def mp4(tmp_path: Path, *top: bytes) -> Path:
    path = tmp_path / "clip.mp4"
    path.write_bytes(b"".join(top))
    return path


FTYP = box(b"ftyp", b"isom\0\0\2\0isomavc1")


def test_the_demo_video() -> None:
    assert read_mp4(DEMO_VIDEO / "ocean-dawn.mp4") == Mp4Info(
        width=640, height=360, duration=4.0, framerate=24.0, codec="avc1", frame_count=96
    )


def test_hand_made_files_in_both_header_versions(tmp_path: Path) -> None:
    for version in (0, 1):
        path = mp4(tmp_path, FTYP, box(b"moov", track(b"soun"), track(version=version)),
                   box(b"mdat", b"\0" * 10))  # fmt: skip
        assert read_mp4(path) == Mp4Info(
            width=320, height=240, duration=2.0, framerate=24.0, codec="avc1", frame_count=48
        )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "it is empty or too short to be an MP4 file."),
        (b"\x89PNG\r\n\x1a\n" + bytes(20),
         "it does not start with an 'ftyp' box: it is not an MP4 (ISO base media) file."),
        (FTYP + box(b"mdat", b"x"), "it has no 'moov' box (the index of the media); re-encode it."),
        (FTYP + struct.pack(">I4s", 500, b"moov"),
         "the box at byte 24 has an impossible size (500); the file is truncated or not an MP4."),
        (FTYP + box(b"moov", track(b"soun")),
         "it has no video track (only audio, or no tracks at all)."),
        (FTYP + box(b"moov", box(b"trak", box(b"mdia", full_box(
            b"hdlr", bytes(4) + b"vide" + bytes(13))))),
         "its video track lacks a track header, media header or sample table."),
        (FTYP + box(b"moov", track(frames=0)),
         "its video track has no samples in the 'moov' box (a fragmented MP4?); encode a "
         "progressive MP4, e.g. ffmpeg -i in.mov -c:v libx264 -movflags +faststart out.mp4."),
        (FTYP + box(b"moov", track(size=(0, 0))), "its video track has no width and height."),
        (FTYP + box(b"moov", box(b"trak", struct.pack(">I4s", 4, b"mdia"))),
         "the 'mdia' box at byte 8 has an impossible size (4); the file is truncated or not an "
         "MP4."),
    ],
)  # fmt: skip
def test_broken_files(tmp_path: Path, content: bytes, message: str) -> None:
    with pytest.raises(InvalidVideoFile) as error:
        read_mp4(mp4(tmp_path, content))
    assert str(error.value) == message


def test_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(InvalidVideoFile, match=r"^it cannot be read: Is a directory\.$"):
        read_mp4(tmp_path)


# -- HLS ---------------------------------------------------------------------------------------


def test_the_demo_playlist() -> None:
    playlist = read_playlist(DEMO_VIDEO / "hls" / "index.m3u8")
    assert playlist.files == {
        "segment0.ts": (DEMO_VIDEO / "hls" / "segment0.ts").resolve(),
        "segment1.ts": (DEMO_VIDEO / "hls" / "segment1.ts").resolve(),
    }
    assert playlist.duration == 4.0


def test_a_multivariant_playlist_reaches_every_rendition(tmp_path: Path) -> None:
    shutil.copytree(DEMO_VIDEO / "hls", tmp_path / "360p")
    (tmp_path / "360p" / "init.mp4").write_bytes(b"init")
    media = (tmp_path / "360p" / "index.m3u8").read_text()
    (tmp_path / "360p" / "index.m3u8").write_text(
        media.replace("#EXT-X-VERSION:3", '#EXT-X-VERSION:7\n#EXT-X-MAP:URI="init.mp4"')
    )
    (tmp_path / "master.m3u8").write_text(
        "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=400000,RESOLUTION=640x360\n360p/index.m3u8\n"
    )
    playlist = read_playlist(tmp_path / "master.m3u8")
    assert sorted(playlist.files) == [
        "360p/index.m3u8", "360p/init.mp4", "360p/segment0.ts", "360p/segment1.ts",
    ]  # fmt: skip
    assert playlist.duration == 4.0


def test_playlists_that_loop_are_refused(tmp_path: Path) -> None:
    for name, target in (("a.m3u8", "b.m3u8"), ("b.m3u8", "c.m3u8"), ("c.m3u8", "d.m3u8"),
                         ("d.m3u8", "e.m3u8")):  # fmt: skip
        (tmp_path / name).write_text(f"#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\n{target}\n")
    (tmp_path / "e.m3u8").write_text("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\na.m3u8\n")
    with pytest.raises(InvalidVideoFile) as error:
        read_playlist(tmp_path / "a.m3u8")
    assert str(error.value) == "the playlist 'd.m3u8': playlists nest more than 3 deep."
