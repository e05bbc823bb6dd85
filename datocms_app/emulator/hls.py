"""HLS playlists of the emulator's video uploads: checked at load, rewritten when served.

A video upload declares one playlist (``.m3u8``): a media playlist (segments) or a
multivariant one (renditions, each a media playlist). ``read_playlist`` checks it the way a
player would need it — ``#EXTM3U`` first, every URI relative and inside the playlist's
folder, every file present, media playlists complete (``#EXT-X-ENDLIST``: Mux's are VOD) —
and lists every file it reaches. ``rewrite_uris`` prefixes the URIs of the top playlist,
which is served one folder up (``<base>/<playback id>.m3u8``, as Mux does) while the files
it names are served under ``<base>/<playback id>/``. Nothing here does HTTP or writes files.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import quote, unquote, urlsplit

from datocms_app.emulator.exceptions import InvalidVideoFile

__all__ = ["HlsPlaylist", "prefixed", "read_playlist", "rewrite_uris"]

#: Nested playlists deeper than this are refused (a loop, or not a VOD rendition).
_MAX_DEPTH = 3
#: ``URI="..."`` attributes of tags such as EXT-X-MAP, EXT-X-MEDIA and EXT-X-KEY.
_URI_ATTRIBUTE = re.compile(r'URI="([^"]*)"')


@dataclass(frozen=True, slots=True)
class HlsPlaylist:
    """A checked playlist: every file it reaches, by path relative to its folder."""

    path: Path
    #: Relative POSIX path (as written in the playlist, decoded) -> the file on disk.
    files: dict[str, Path]
    #: Sum of the ``#EXTINF`` durations of the (first) media playlist, in seconds.
    duration: float


def _uris(text: str) -> list[str]:
    """Every URI a playlist names: lines that are not tags, and ``URI="..."`` attributes."""
    found: list[str] = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        if line.startswith("#"):
            found.extend(_URI_ATTRIBUTE.findall(line))
        else:
            found.append(line)
    return found


def _resolve(uri: str, folder: Path, root: Path, where: str) -> tuple[str, Path]:
    """``uri`` as a path relative to ``root`` (the top playlist's folder) and the file."""
    parts = urlsplit(uri)
    if parts.scheme or parts.netloc or uri.startswith("/") or parts.query or parts.fragment:
        raise InvalidVideoFile(
            f"{where} names {uri!r}: playlist URIs must be plain relative paths to files "
            "beside the playlist (the emulator serves them itself, offline)."
        )
    target = (folder / unquote(parts.path)).resolve()
    if not target.is_relative_to(root.resolve()):
        raise InvalidVideoFile(f"{where} names {uri!r}, which is outside the playlist's folder.")
    if not target.is_file():
        raise InvalidVideoFile(f"{where} names {uri!r}, which does not exist.")
    return target.relative_to(root.resolve()).as_posix(), target


def _read_text(path: Path, where: str) -> str:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidVideoFile(f"{where} cannot be read as UTF-8 text: {exc}.") from exc
    if not text.lstrip().startswith("#EXTM3U"):
        raise InvalidVideoFile(f"{where} does not start with #EXTM3U: it is not an HLS playlist.")
    return text


def read_playlist(path: Path) -> HlsPlaylist:
    """Check the playlist at ``path`` and everything it reaches; raises ``InvalidVideoFile``."""
    path = Path(path)
    root = path.parent
    files: dict[str, Path] = {}
    durations: list[float] = []

    def visit(playlist: Path, depth: int) -> None:
        where = f"the playlist {playlist.relative_to(root.resolve()).as_posix()!r}"
        text = _read_text(playlist, where)
        segments: list[str] = []
        for uri in _uris(text):
            relative, target = _resolve(uri, playlist.parent, root, where)
            if target.suffix.lower() == ".m3u8":
                if depth >= _MAX_DEPTH:
                    raise InvalidVideoFile(f"{where}: playlists nest more than {_MAX_DEPTH} deep.")
                if relative not in files:
                    files[relative] = target
                    visit(target, depth + 1)
            else:
                files[relative] = target
                segments.append(relative)
        media = "#EXTINF:" in text
        if media and "#EXT-X-ENDLIST" not in text:
            raise InvalidVideoFile(
                f"{where} has no #EXT-X-ENDLIST: a video upload's playlist is complete (VOD); "
                "write it with ffmpeg -hls_playlist_type vod."
            )
        if media and not durations:
            durations.append(
                sum(float(value) for value in re.findall(r"#EXTINF:\s*([0-9.]+)", text))
            )
        if not segments and "#EXT-X-STREAM-INF" not in text:
            raise InvalidVideoFile(f"{where} names no segments and no renditions.")

    visit(path.resolve(), 0)
    return HlsPlaylist(path=path, files=files, duration=durations[0] if durations else 0.0)


def rewrite_uris(text: str, rewrite: Callable[[str], str]) -> str:
    """``text`` with every URI (lines and ``URI="..."`` attributes) passed through ``rewrite``."""
    lines = []
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            lines.append(line)
        elif stripped.startswith("#"):
            lines.append(_URI_ATTRIBUTE.sub(lambda match: f'URI="{rewrite(match.group(1))}"', line))
        else:
            lines.append(rewrite(stripped))
    return "\n".join(lines) + "\n"


def prefixed(prefix: str) -> Callable[[str], str]:
    """A ``rewrite`` for ``rewrite_uris`` that puts ``prefix/`` before each relative URI."""

    def rewrite(uri: str) -> str:
        return f"{quote(prefix, safe='')}/{PurePosixPath(uri).as_posix()}"

    return rewrite
