"""The HTTP side of the emulator's videos: Mux's stream and thumbnail URLs, offline.

``video_response(upload, rest, query_string, ...)`` answers ``GET {video_base}/{rest}`` for
the video upload whose playback id ``rest`` names (``Emulator.video`` finds it):

=====================================  =======================================================
``{id}.m3u8``                          the upload's HLS playlist, its URIs rewritten to
                                       ``{id}/...`` so they resolve next to it
                                       (``application/vnd.apple.mpegurl``)
``{id}/<file>``                        a file the playlist reaches: segments (``video/mp2t``,
                                       ``video/iso.segment``), nested playlists, init sections
``{id}/low.mp4``, ``medium.mp4``,      the upload's MP4 — one rendition serves all three
``high.mp4``                           (``video/mp4``)
``{id}/thumbnail.jpg|png|gif``         the poster, rendered with Mux's ``width``, ``height``,
                                       ``fit_mode``, ``flip_v``, ``flip_h`` and ``time``
                                       (accepted and ignored: there is one poster frame)
=====================================  =======================================================

Files answer HTTP range requests (``byte_ranges``: 206, 416) and ``If-None-Match`` (304),
with an ETag, a day of ``Cache-Control`` like the images and ``Access-Control-Allow-Origin:
*`` (players such as hls.js fetch with CORS). Thumbnails are rendered by the images
pipeline (``images.transform``, cached the same way). A bad thumbnail parameter is a 400
naming it; anything else unknown is a 404. Query strings of stream URLs are ignored, as a
player may add its own. It never serves a file the declared playlist does not reach (no
path is joined from the request), and never writes anything but the thumbnail cache.
"""

from __future__ import annotations

import hashlib
import mimetypes
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import parse_qsl

from datocms_app.emulator import images
from datocms_app.emulator.exceptions import InvalidImgixParams, InvalidThumbnailParams
from datocms_app.emulator.hls import prefixed, rewrite_uris
from datocms_app.emulator.http_files import apply_range, etag_matches, text_answer
from datocms_app.emulator.image_cache import TransformCache, file_digest
from datocms_app.emulator.imgix_params import MAX_OUTPUT_SIDE
from datocms_app.emulator.project import Upload, UploadVideo
from datocms_app.emulator.videos import MP4_RESOLUTIONS, THUMBNAIL_FORMATS

__all__ = ["CONTENT_TYPES", "THUMBNAIL_PARAMS", "thumbnail_imgix_params", "video_response"]

Headers = list[tuple[str, str]]
Answer = tuple[int, Headers, bytes]

#: Content types by file suffix (HLS and MP4 as Mux serves them).
CONTENT_TYPES = {
    ".m3u8": "application/vnd.apple.mpegurl",
    ".ts": "video/mp2t",
    ".m4s": "video/iso.segment",
    ".mp4": "video/mp4",
    ".m4v": "video/mp4",
    ".aac": "audio/aac",
    ".vtt": "text/vtt; charset=utf-8",
}
#: Mux's thumbnail query parameters the emulator honours.
THUMBNAIL_PARAMS = ("width", "height", "fit_mode", "time", "flip_v", "flip_h")
_MP4_NAMES = frozenset(f"{res}.mp4" for res in MP4_RESOLUTIONS)
_FIT_MODES = {
    "preserve": {"fit": "clip"},
    "stretch": {"fit": "scale"},
    "crop": {"fit": "crop"},
    # No saliency model for video frames: a centred crop, as for a frame without a subject.
    "smartcrop": {"fit": "crop"},
    "pad": {"fit": "fill", "fill": "solid", "fill-color": "000000"},
}


def video_response(
    upload: Upload | None,
    rest: str,
    query_string: str = "",
    *,
    range_header: str = "",
    if_range: str = "",
    if_none_match: str = "",
    cache: TransformCache | None = None,
) -> Answer:
    """``(status, headers, body)`` for ``GET {video_base}/{rest}``.

    ``upload`` is the video upload the playback id in ``rest`` belongs to (None: unknown).
    """
    playback_id, _, name = rest.partition("/")
    if not name and playback_id.endswith(".m3u8"):
        playback_id = playback_id.removesuffix(".m3u8")
    video = upload.video if upload is not None else None
    if upload is None or video is None or video.mux_playback_id != playback_id:
        return text_answer(404, f"Not found: no video with playback id {playback_id!r}.")
    if not name:
        if not rest.endswith(".m3u8"):
            return text_answer(404, f"Not found: {rest!r}; the playlist is {playback_id}.m3u8.")
        text = video.hls_playlist.read_text(encoding="utf-8-sig")
        body = rewrite_uris(text, prefixed(playback_id)).encode()
        etag = f'"{hashlib.sha256(body).hexdigest()[:32]}"'
        return _file(body, CONTENT_TYPES[".m3u8"], etag, range_header, if_range, if_none_match)
    if name in _MP4_NAMES:
        return _path(upload.path, range_header, if_range, if_none_match)
    stem, _, suffix = name.partition(".")
    if stem == "thumbnail" and suffix in THUMBNAIL_FORMATS:
        return _thumbnail(video, suffix, query_string, if_none_match, cache)
    target = video.hls_files.get(name)
    if target is None:
        return text_answer(404, f"Not found: the video {playback_id!r} has no file {name!r}.")
    return _path(target, range_header, if_range, if_none_match)


def thumbnail_imgix_params(query_string: str, image_format: str) -> dict[str, str]:
    """The imgix parameters that render Mux's thumbnail query on the poster (``images``).

    Raises ``InvalidThumbnailParams`` naming a parameter that is unknown, repeated or out of
    range.
    """
    pairs = parse_qsl(query_string, keep_blank_values=True)
    names = [name for name, _ in pairs]
    for name in names:
        if name not in THUMBNAIL_PARAMS:
            raise InvalidThumbnailParams(
                f"{name!r} is not a thumbnail parameter the emulator renders; it renders "
                f"{', '.join(THUMBNAIL_PARAMS)}.",
                param=name,
            )
        if names.count(name) > 1:
            raise InvalidThumbnailParams(f"{name!r} is given more than once.", param=name)
    values = dict(pairs)
    params = {"fm": image_format}
    for side, imgix in (("width", "w"), ("height", "h")):
        if side in values:
            params[imgix] = str(_whole(values[side], side, 1, MAX_OUTPUT_SIDE))
    fit_mode = values.get("fit_mode", "preserve")
    if fit_mode not in _FIT_MODES:
        raise InvalidThumbnailParams(
            f"fit_mode must be one of {', '.join(_FIT_MODES)}, got {fit_mode!r}.", param="fit_mode"
        )
    if "w" in params or "h" in params:
        params.update(_FIT_MODES[fit_mode])
    if "time" in values:
        _seconds(values["time"])
    flips = "".join(
        axis for axis, name in (("h", "flip_h"), ("v", "flip_v")) if _flag(values, name)
    )
    if flips:
        params["flip"] = flips
    return params


def _whole(value: str, name: str, low: int, high: int) -> int:
    if not value.isdigit() or not low <= int(value) <= high:
        raise InvalidThumbnailParams(
            f"{name} must be a whole number of pixels from {low} to {high}, got {value!r}.",
            param=name,
        )
    return int(value)


def _seconds(value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds < float("inf"):
        raise InvalidThumbnailParams(
            f"time must be a number of seconds, 0 or more, got {value!r}.", param="time"
        )
    return seconds


def _flag(values: Mapping[str, str], name: str) -> bool:
    value = values.get(name, "false")
    if value not in ("true", "false"):
        raise InvalidThumbnailParams(f"{name} must be true or false, got {value!r}.", param=name)
    return value == "true"


def _thumbnail(
    video: UploadVideo,
    image_format: str,
    query_string: str,
    if_none_match: str,
    cache: TransformCache | None,
) -> Answer:
    try:
        # The poster has the video's size (checked when the content loads).
        params = thumbnail_imgix_params(query_string, image_format)
        if params["fm"] == images.source_format_of(images.analyze(video.poster)):
            del params["fm"]  # the poster's own format: its bytes when nothing else changes
        rendition = images.transform(video.poster, params, cache=cache)
    except (InvalidThumbnailParams, InvalidImgixParams) as exc:
        return text_answer(400, f"Bad thumbnail parameters: {exc}")
    etag = f'"{hashlib.sha256(rendition.content).hexdigest()[:32]}"'
    return _file(rendition.content, rendition.content_type, etag, "", "", if_none_match)


def _path(path: Path, range_header: str, if_range: str, if_none_match: str) -> Answer:
    if not path.is_file():
        return text_answer(404, f"Not found: the file {path.name!r} is gone.")
    content_type = CONTENT_TYPES.get(path.suffix.lower()) or (
        mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    )
    etag = f'"{file_digest(path)[:32]}"'
    return _file(path.read_bytes(), content_type, etag, range_header, if_range, if_none_match)


def _file(
    body: bytes,
    content_type: str,
    etag: str,
    range_header: str,
    if_range: str,
    if_none_match: str,
) -> Answer:
    headers: Headers = [
        ("Cache-Control", images.CACHE_CONTROL),
        ("ETag", etag),
        ("Access-Control-Allow-Origin", "*"),
    ]
    if etag_matches(if_none_match, etag):
        return 304, headers, b""
    return apply_range(
        200,
        [("Content-Type", content_type), *headers],
        body,
        range_header=range_header,
        if_range=if_range,
        etag=etag,
    )
