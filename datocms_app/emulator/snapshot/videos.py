"""A video upload's Mux rendition, fetched for the emulator: HLS playlist, segments, poster.

DatoCMS's CMA names a video upload's ``mux_playback_id``; Mux serves its HLS stream at
``https://stream.mux.com/<id>.m3u8`` and its frames at ``https://image.mux.com/<id>/
thumbnail.jpg`` (an emulator serves both below its ``/video``: ``video_urls`` says where).
``fetch_video`` downloads the playlist — of a multivariant one, the rendition with the most
bandwidth only — and every file it names, renamed to plain relative names
(``index.m3u8``, ``segment-0.ts``...) as the content project wants them, then one frame as
the poster, at the video's size (asked for with ``width``/``height`` when Mux's first answer
is another size). The ``video`` entry of ``uploads.json`` is returned.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urljoin, urlsplit

from datocms_app.emulator.hls import rewrite_uris
from datocms_app.emulator.snapshot.downloads import Downloader

__all__ = ["MUX_URLS", "VideoURLs", "fetch_video"]

_BANDWIDTH = re.compile(r"BANDWIDTH=(\d+)")
_SUFFIX = re.compile(r"\.[a-z0-9]{1,8}")


@dataclass(frozen=True, slots=True)
class VideoURLs:
    """Where a video's stream and frames are: ``<stream>/<id>.m3u8``,
    ``<image>/<id>/thumbnail.jpg``."""

    stream: str
    image: str

    @classmethod
    def below(cls, base: str) -> VideoURLs:
        """Both below one base URL (an emulator's ``/video``)."""
        return cls(base.rstrip("/"), base.rstrip("/"))


MUX_URLS = VideoURLs("https://stream.mux.com", "https://image.mux.com")


def fetch_video(
    downloader: Downloader,
    urls: VideoURLs,
    playback_id: str,
    folder: Path,
    relative: PurePosixPath,
    size: tuple[int, int] | None,
) -> dict[str, Any]:
    """Download the video's HLS rendition and poster into ``folder`` (which is ``relative``
    to ``uploads/``); its ``uploads.json`` ``video`` entry."""
    hls = folder / "hls"
    _HlsCopy(downloader, hls).copy(f"{urls.stream}/{playback_id}.m3u8", "index.m3u8")
    poster = downloader.fetch(f"{urls.image}/{playback_id}/thumbnail.jpg", folder / "poster.jpg")
    if size is not None and _size_of(poster) != size:
        width, height = size
        downloader.fetch(
            f"{urls.image}/{playback_id}/thumbnail.jpg?width={width}&height={height}"
            "&fit_mode=stretch",
            poster,
        )
    return {
        "mux_playback_id": playback_id,
        "hls": (relative / "hls" / "index.m3u8").as_posix(),
        "poster": (relative / "poster.jpg").as_posix(),
    }


def _size_of(image: Path) -> tuple[int, int] | None:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(image) as opened:
            return opened.size
    except (OSError, UnidentifiedImageError):
        return None


class _HlsCopy:
    """Copies a playlist and what it names into one folder, with local names."""

    def __init__(self, downloader: Downloader, folder: Path) -> None:
        self.downloader = downloader
        self.folder = folder
        self.names: dict[str, str] = {}

    def copy(self, url: str, name: str) -> None:
        path = self.downloader.fetch(url, self.folder / name)
        text = path.read_text(encoding="utf-8-sig")
        if "#EXT-X-STREAM-INF" in text:
            variant = _richest_variant(text)
            if variant is not None:
                # One rendition is enough offline: it becomes the playlist itself.
                self.copy(urljoin(url, variant), name)
                return
        path.write_text(rewrite_uris(text, lambda uri: self._local(url, uri)), encoding="utf-8")

    def _local(self, playlist_url: str, uri: str) -> str:
        absolute = urljoin(playlist_url, uri)
        if absolute not in self.names:
            suffix = PurePosixPath(urlsplit(absolute).path).suffix.lower()
            suffix = suffix if _SUFFIX.fullmatch(suffix) else ".bin"
            kind = "rendition" if suffix == ".m3u8" else "segment"
            local = f"{kind}-{len(self.names)}{suffix}"
            self.names[absolute] = local
            if suffix == ".m3u8":
                self.copy(absolute, local)
            else:
                self.downloader.fetch(absolute, self.folder / local)
        return self.names[absolute]


def _richest_variant(text: str) -> str | None:
    """The URI of the ``#EXT-X-STREAM-INF`` rendition with the highest ``BANDWIDTH``."""
    best: tuple[int, str] | None = None
    lines = [line.strip() for line in text.splitlines()]
    for index, line in enumerate(lines):
        if not line.startswith("#EXT-X-STREAM-INF"):
            continue
        uri = next((n for n in lines[index + 1 :] if n and not n.startswith("#")), None)
        found = _BANDWIDTH.search(line)
        bandwidth = int(found.group(1)) if found else 0
        if uri is not None and (best is None or bandwidth > best[0]):
            best = (bandwidth, uri)
    return best[1] if best else None
