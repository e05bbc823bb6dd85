"""Resolvers of the ``FileField`` type: URLs, dimensions, placeholders, responsive images.

``video`` is Mux's ``UploadVideoField`` (``VIDEO_RESOLVERS``, null for anything but a video
upload): its URLs come from ``datocms_app.emulator.videos``, its placeholders from the poster.

Image facts (size, dimensions, blurhash, dominant colours, the LQIP) come from
``datocms_app.emulator.images`` (cached per file); URLs are
``{assets_base}/{upload id}/{filename}?{imgix query}``, served by that module's
``asset_response``. Bad ``imgixParams`` become GraphQL errors naming the parameter.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from graphql import GraphQLError

from datocms_app.emulator import videos
from datocms_app.emulator.project import UploadVideo
from datocms_app.emulator.resolvers import FileNode, Info, color_object, context
from datocms_app.emulator.upload_facts import image_facts, upload_facts
from datocms_app.exceptions import DatoCMSError

__all__ = ["FILE_RESOLVERS", "VIDEO_RESOLVERS", "VideoNode", "asset_url", "image_facts"]


def asset_url(assets_base: str, node: FileNode, params: Mapping[str, Any] | None) -> str:
    """The URL of an upload, with the imgix query DatoCMS would build for ``params``."""
    base = f"{assets_base.rstrip('/')}/{node.upload.id}/{node.upload.filename}"
    if not params:
        return base
    from datocms_app.emulator.imgix import imgix_query

    try:
        query = imgix_query(params, focal_point=node.metadata("focal_point"))
    except DatoCMSError as exc:
        raise GraphQLError(f"Invalid imgixParams: {exc}") from exc
    return f"{base}?{query}" if query else base


def _url(node: FileNode, info: Info, imgixParams: Any = None) -> str:
    return asset_url(context(info).assets_base, node, imgixParams)


def _responsive_image(
    node: FileNode,
    info: Info,
    imgixParams: Any = None,
    sizes: str | None = None,
    locale: str | None = None,
) -> Any:
    facts = image_facts(node.upload.path)
    if facts is None:
        return None
    from datocms_app.emulator import images

    if locale:
        node = FileNode(node.upload, node.value, locale)
    base = asset_url(context(info).assets_base, node, None)
    params = dict(imgixParams or {})
    focal = node.metadata("focal_point")
    try:
        result: dict[str, Any] = images.responsive_image(
            base_url=base,
            analysis=facts,
            imgix_params=params,
            sizes=sizes,
            alt=node.metadata("alt"),
            title=node.metadata("title"),
            focal_point=focal,
        )
    except DatoCMSError as exc:
        raise GraphQLError(f"Invalid imgixParams: {exc}") from exc
    return result


def _dimension(name: str) -> Any:
    def resolve(node: FileNode, info: Info) -> Any:
        facts = image_facts(node.upload.path)
        if facts is not None:
            return getattr(facts, name)
        video = node.upload.video
        # A video's size is read from its MP4 (DatoCMS reports it for videos too).
        if video is not None and name in ("width", "height"):
            return getattr(video, name)
        return None

    return resolve


@dataclass(slots=True)
class VideoNode:
    """``FileField.video``: the upload as a file field value, and its video."""

    file: FileNode
    video: UploadVideo


def _video(node: FileNode, info: Info) -> VideoNode | None:
    """Null for images and every other file that is not a video."""
    video = node.upload.video
    return VideoNode(node, video) if video is not None else None


def _format(node: FileNode, info: Info) -> str:
    return upload_facts(node.upload).format


def _mime_type(node: FileNode, info: Info) -> str:
    return upload_facts(node.upload).mime_type


def _size(node: FileNode, info: Info) -> int:
    return upload_facts(node.upload).size


def _colors(node: FileNode, info: Info) -> list[dict[str, Any]]:
    facts = image_facts(node.upload.path)
    if facts is None:
        return []
    found = []
    for hex_color in facts.colors:
        value = hex_color.lstrip("#")
        red, green, blue = (int(value[i : i + 2], 16) for i in (0, 2, 4))
        found.append(color_object({"red": red, "green": green, "blue": blue, "alpha": 255}))
    return found


def _focal_point(node: FileNode, info: Info) -> Any:
    point = node.metadata("focal_point")
    if point:
        return point
    if context(info).strict and image_facts(node.upload.path) is not None:
        return {"x": 0.5, "y": 0.5}
    return None


def _custom_data(node: FileNode, info: Info, **args: Any) -> dict[str, str]:
    if args.get("locale"):
        node = FileNode(node.upload, node.value, args["locale"])
    defaults = node.upload.metadata(node.locale, "custom_data") or {}
    return {**defaults, **(node.value.get("custom_data") or {})}


def _blur_up_thumb(node: FileNode, info: Info, **args: Any) -> Any:
    facts = image_facts(node.upload.path)
    return facts.base64 if facts is not None else None


def _attribute(getter: Any) -> Any:
    def resolve(node: FileNode, info: Info, **args: Any) -> Any:
        if args.get("locale"):
            node = FileNode(node.upload, node.value, args["locale"])
        return getter(node)

    return resolve


FILE_RESOLVERS: dict[str, Any] = {
    "id": _attribute(lambda n: n.upload.id),
    "alt": _attribute(lambda n: n.metadata("alt")),
    "title": _attribute(lambda n: n.metadata("title")),
    "author": _attribute(lambda n: n.upload.author),
    "copyright": _attribute(lambda n: n.upload.copyright),
    "notes": _attribute(lambda n: n.upload.notes),
    "basename": _attribute(lambda n: n.upload.basename),
    "filename": _attribute(lambda n: n.upload.filename),
    "tags": _attribute(lambda n: list(n.upload.tags)),
    "smartTags": _attribute(lambda n: []),
    "exifInfo": _attribute(lambda n: {}),
    "md5": _attribute(lambda n: upload_facts(n.upload).md5),
    "_createdAt": _attribute(lambda n: n.upload.created_at),
    "_updatedAt": _attribute(lambda n: n.upload.updated_at),
    "url": _url,
    "responsiveImage": _responsive_image,
    "width": _dimension("width"),
    "height": _dimension("height"),
    "blurhash": _dimension("blurhash"),
    "thumbhash": _attribute(lambda n: None),
    "blurUpThumb": _blur_up_thumb,
    "format": _format,
    "mimeType": _mime_type,
    "size": _size,
    "colors": _colors,
    "focalPoint": _focal_point,
    "customData": _custom_data,
    "video": _video,
}


# -- UploadVideoField (Mux's video object: emulator.videos) ------------------------------------


def _mp4_url(
    node: VideoNode, info: Info, res: str | None = None, exactRes: str | None = None
) -> str:
    # The one MP4 is every rendition, so the exact one is always there; without an
    # argument DatoCMS answers the highest.
    return videos.mp4_url(context(info).video_base, node.video, exactRes or res or "high")


def _thumbnail_url(node: VideoNode, info: Info, format: str = "jpg") -> str:
    return videos.thumbnail_url(context(info).video_base, node.video, format)


def _poster_fact(name: str) -> Any:
    def resolve(node: VideoNode, info: Info, **args: Any) -> Any:
        return getattr(image_facts(node.video.poster), name, None)

    return resolve


def _file_attribute(name: str) -> Any:
    resolver = FILE_RESOLVERS[name]

    def resolve(node: VideoNode, info: Info, **args: Any) -> Any:
        return resolver(node.file, info, **args)

    return resolve


VIDEO_RESOLVERS: dict[str, Any] = {
    "muxPlaybackId": lambda node, info: node.video.mux_playback_id,
    "muxAssetId": lambda node, info: node.video.mux_asset_id,
    "streamingUrl": lambda node, info: videos.streaming_url(context(info).video_base, node.video),
    "mp4Url": _mp4_url,
    "thumbnailUrl": _thumbnail_url,
    "width": lambda node, info: node.video.width,
    "height": lambda node, info: node.video.height,
    # The CDA's Int: whole seconds and frames per second.
    "duration": lambda node, info: round(node.video.duration),
    "framerate": lambda node, info: round(node.video.framerate),
    "alt": _file_attribute("alt"),
    "title": _file_attribute("title"),
    "blurhash": _poster_fact("blurhash"),
    "blurUpThumb": _poster_fact("base64"),
    "thumbhash": lambda node, info: None,
}
