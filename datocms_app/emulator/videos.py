"""The emulator's video uploads: Mux's ``video`` object of the CDA, offline.

In DatoCMS a video upload is encoded by Mux, and ``FileField.video`` (``UploadVideoField``)
gives its playback id, the HLS ``streamingUrl``, ``mp4Url(res|exactRes: low|medium|high)``,
``thumbnailUrl(format: jpg|png|gif)``, size, ``duration`` and ``framerate`` — URLs on
``stream.mux.com`` and ``image.mux.com``. The emulator serves the same shapes from files a
content project commits beside the upload's MP4 (declared in ``uploads.json``)::

    {"id": "video-ocean-dawn", "path": "video-ocean/ocean-dawn.mp4",
     "video": {"mux_playback_id": "OceanDawn...", "hls": "video-ocean/hls/index.m3u8",
               "poster": "video-ocean/poster.jpg"}}

with URLs under its own ``video_base`` (``/datocms/emulator/video`` in Django)::

    streamingUrl    {video_base}/{playback id}.m3u8
    mp4Url          {video_base}/{playback id}/high.mp4   (also medium.mp4, low.mp4)
    thumbnailUrl    {video_base}/{playback id}/thumbnail.jpg  (also .png, .gif)

``build_video`` checks a declaration (``ContentError`` naming the value); the URL builders
are shared by the GraphQL resolvers (``files``) and the HTTP side (``video_assets``).
Width, height, duration and frame rate are read from the MP4 (``emulator.mp4``), never
declared. There is one MP4 rendition: ``low``, ``medium`` and ``high`` all serve it. Nothing
here runs ffmpeg, reaches the network or writes a file: videos are made beforehand, by the
content project's own tools.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import quote

from datocms_app.emulator.exceptions import ContentError, InvalidVideoFile
from datocms_app.emulator.hls import read_playlist
from datocms_app.emulator.mp4 import read_mp4
from datocms_app.emulator.project import UploadVideo
from datocms_app.exceptions import DatoCMSError

__all__ = [
    "MP4_RESOLUTIONS",
    "RESERVED_FILE_NAMES",
    "THUMBNAIL_FORMATS",
    "build_video",
    "mp4_url",
    "streaming_url",
    "thumbnail_url",
]

#: ``VideoMp4Res``, lowest first.
MP4_RESOLUTIONS = ("low", "medium", "high")
#: ``MuxThumbnailFormatType``.
THUMBNAIL_FORMATS = ("jpg", "png", "gif")
_MUX_ID_RULE = "1-64 ASCII letters and digits"
#: Names under ``{video_base}/{playback id}/`` that are not HLS files.
RESERVED_FILE_NAMES = frozenset(
    {f"{res}.mp4" for res in MP4_RESOLUTIONS} | {f"thumbnail.{fmt}" for fmt in THUMBNAIL_FORMATS}
)
VIDEO_KEYS = frozenset({"mux_playback_id", "mux_asset_id", "hls", "poster"})


def _is_mux_id(value: Any) -> bool:
    return isinstance(value, str) and 0 < len(value) <= 64 and value.isascii() and value.isalnum()


def _inside(directory: Path, relative: Any, where: str, what: str) -> Path:
    path = (directory / relative).resolve() if isinstance(relative, str) else None
    if path is None or not path.is_relative_to(directory.resolve()) or not path.is_file():
        raise ContentError(
            f"{where}: {relative!r} must name {what} inside {directory} (a path relative to "
            "uploads/)."
        )
    return path


def build_video(raw: Any, directory: Path, upload_path: Path, where: str) -> UploadVideo:
    """The ``video`` of an ``uploads.json`` entry whose file is ``upload_path`` (an MP4).

    ``directory`` is the project's ``uploads/`` folder; ``where`` locates the entry in
    messages (``uploads.json[3]``). Raises ``ContentError`` saying what is wrong and how
    to fix it.
    """
    if not isinstance(raw, Mapping):
        raise ContentError(
            f'{where}.video: expected an object like {{"mux_playback_id": "AbC123", '
            f'"hls": "clip/hls/index.m3u8", "poster": "clip/poster.jpg"}}, got {raw!r}.'
        )
    unknown = set(raw) - VIDEO_KEYS
    if unknown:
        raise ContentError(
            f"{where}.video: unknown key(s) {', '.join(sorted(unknown))}; known keys: "
            f"{', '.join(sorted(VIDEO_KEYS))} (width, height, duration and frame rate are read "
            "from the MP4)."
        )
    playback_id = raw.get("mux_playback_id")
    if not _is_mux_id(playback_id):
        raise ContentError(
            f"{where}.video.mux_playback_id: Mux playback ids are {_MUX_ID_RULE}; got "
            f"{playback_id!r}."
        )
    asset_id = raw.get("mux_asset_id", _derived_asset_id(playback_id))
    if not _is_mux_id(asset_id):
        raise ContentError(
            f"{where}.video.mux_asset_id: Mux asset ids are {_MUX_ID_RULE}; got {asset_id!r} "
            "(leave it out for one derived from the playback id)."
        )
    try:
        info = read_mp4(upload_path)
    except InvalidVideoFile as exc:
        raise ContentError(
            f"{where}.path: {upload_path.name!r} is not a video the emulator can read: {exc} "
            "A video upload's file is an MP4 with an H.264 video track (ffmpeg -i in.mov "
            "-c:v libx264 -pix_fmt yuv420p -movflags +faststart out.mp4)."
        ) from None
    playlist_path = _inside(directory, raw.get("hls"), f"{where}.video.hls", "an .m3u8 playlist")
    if playlist_path.suffix.lower() != ".m3u8":
        raise ContentError(f"{where}.video.hls: {raw['hls']!r} is not an .m3u8 playlist.")
    try:
        playlist = read_playlist(playlist_path)
    except InvalidVideoFile as exc:
        raise ContentError(f"{where}.video.hls: {exc}") from None
    clashes = sorted(set(playlist.files) & RESERVED_FILE_NAMES)
    if clashes:
        raise ContentError(
            f"{where}.video.hls: the playlist names {', '.join(clashes)}, which the emulator "
            "serves as the MP4 renditions and thumbnails; rename those files."
        )
    poster = _inside(directory, raw.get("poster"), f"{where}.video.poster", "an image")
    _check_poster(poster, info.width, info.height, f"{where}.video.poster")
    return UploadVideo(
        mux_playback_id=str(playback_id),
        mux_asset_id=asset_id,
        hls_playlist=playlist_path,
        hls_files=playlist.files,
        poster=poster,
        width=info.width,
        height=info.height,
        duration=info.duration,
        framerate=info.framerate,
    )


def _derived_asset_id(playback_id: Any) -> str:
    return hashlib.blake2b(str(playback_id).encode(), digest_size=16).hexdigest()


def _check_poster(poster: Path, width: int, height: int, where: str) -> None:
    from datocms_app.emulator import images

    try:
        facts = images.analyze(poster)
    except DatoCMSError:
        raise ContentError(
            f"{where}: {poster.name!r} is not an image Pillow can read; the poster is a frame "
            "of the video saved as JPEG or PNG."
        ) from None
    if (facts.width, facts.height) != (width, height):
        raise ContentError(
            f"{where}: {poster.name!r} is {facts.width}x{facts.height}, the video "
            f"{width}x{height}; the poster is a frame of the video at the video's size."
        )


# -- URLs ------------------------------------------------------------------------------------


def streaming_url(video_base: str, video: UploadVideo) -> str:
    """The HLS playlist, like ``https://stream.mux.com/{playback id}.m3u8``."""
    return f"{video_base.rstrip('/')}/{quote(video.mux_playback_id)}.m3u8"


def mp4_url(video_base: str, video: UploadVideo, resolution: str) -> str:
    """An MP4 rendition, like ``https://stream.mux.com/{playback id}/high.mp4``."""
    return f"{video_base.rstrip('/')}/{quote(video.mux_playback_id)}/{resolution}.mp4"


def thumbnail_url(video_base: str, video: UploadVideo, image_format: str) -> str:
    """A thumbnail, like ``https://image.mux.com/{playback id}/thumbnail.jpg``."""
    return f"{video_base.rstrip('/')}/{quote(video.mux_playback_id)}/thumbnail.{image_format}"
