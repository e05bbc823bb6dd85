"""The GraphQL types of uploads: ``FileField``, its ``responsiveImage`` and Mux ``video``.

``build_upload_types`` declares, for one schema, the ``ImgixParams`` input (every imgix
parameter DatoCMS's input has, from ``imgix_params``), ``ResponsiveImage``, ``focalPoint``,
Mux's ``UploadVideoField`` (with the ``VideoMp4Res`` and ``MuxThumbnailFormatType`` enums)
and ``FileField``, named and typed as DatoCMS's schema types them. Their resolvers are in
``files``; ``strict`` (``X-Exclude-Invalid``) makes an image's size non-null.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from graphql import (
    GraphQLArgument,
    GraphQLBoolean,
    GraphQLEnumType,
    GraphQLField,
    GraphQLFloat,
    GraphQLInputField,
    GraphQLInputObjectType,
    GraphQLInt,
    GraphQLList,
    GraphQLObjectType,
    GraphQLString,
)

from datocms_app.emulator.files import FILE_RESOLVERS, VIDEO_RESOLVERS
from datocms_app.emulator.imgix import IMGIX_ENUMS, IMGIX_PARAMS, UNSUPPORTED_IMGIX_PARAMS
from datocms_app.emulator.scalars import SCALARS, CustomData, DateTime, FloatType, IntType, UploadId
from datocms_app.emulator.type_builders import enum_type, non_null, non_null_list, output_field
from datocms_app.emulator.videos import MP4_RESOLUTIONS, THUMBNAIL_FORMATS

__all__ = ["UploadTypes", "build_upload_types"]


@dataclass(frozen=True, slots=True)
class UploadTypes:
    """The upload types of one schema."""

    imgix_params: GraphQLInputObjectType
    responsive_image: GraphQLObjectType
    focal_point: GraphQLObjectType
    upload_video: GraphQLObjectType
    file_field: GraphQLObjectType


def build_upload_types(
    *,
    locale_args: Mapping[str, GraphQLArgument],
    site_locale: GraphQLEnumType,
    color: GraphQLObjectType,
    strict: bool,
) -> UploadTypes:
    """The upload types, with the schema's locale arguments and ``ColorField``."""
    imgix_params = _imgix_params_input()
    responsive_image = _responsive_image()
    focal_point = GraphQLObjectType(
        "focalPoint",
        {"x": output_field(non_null(FloatType)), "y": output_field(non_null(FloatType))},
    )
    upload_video = _upload_video_field(imgix_params, locale_args)
    imgix = {"imgixParams": GraphQLArgument(imgix_params)}
    image: Callable[[Any], Any] = non_null if strict else (lambda type_: type_)
    fields = {
        "id": output_field(non_null(UploadId)),
        "alt": output_field(GraphQLString, args=locale_args),
        "title": output_field(GraphQLString, args=locale_args),
        "author": output_field(GraphQLString),
        "copyright": output_field(GraphQLString),
        "notes": output_field(GraphQLString),
        "basename": output_field(non_null(GraphQLString)),
        "filename": output_field(non_null(GraphQLString)),
        "format": output_field(non_null(GraphQLString)),
        "mimeType": output_field(non_null(GraphQLString)),
        "md5": output_field(non_null(GraphQLString)),
        "size": output_field(non_null(IntType)),
        "width": output_field(image(IntType)),
        "height": output_field(image(IntType)),
        "url": output_field(non_null(GraphQLString), args=imgix),
        "responsiveImage": output_field(
            image(responsive_image),
            imgixParams=GraphQLArgument(imgix_params),
            sizes=GraphQLArgument(GraphQLString),
            locale=GraphQLArgument(site_locale),
        ),
        "blurhash": output_field(GraphQLString),
        "thumbhash": output_field(GraphQLString),
        "blurUpThumb": _blur_up_thumb(imgix_params, punch_type=FloatType),
        "colors": output_field(non_null_list(color)),
        "focalPoint": output_field(image(focal_point)),
        "customData": output_field(non_null(CustomData), args=locale_args),
        "exifInfo": output_field(non_null(CustomData)),
        "tags": output_field(non_null_list(GraphQLString)),
        "smartTags": output_field(non_null_list(GraphQLString)),
        "_createdAt": output_field(non_null(DateTime)),
        "_updatedAt": output_field(non_null(DateTime)),
        "video": output_field(upload_video),
    }
    for name, field in fields.items():
        field.resolve = FILE_RESOLVERS[name]
    return UploadTypes(
        imgix_params=imgix_params,
        responsive_image=responsive_image,
        focal_point=focal_point,
        upload_video=upload_video,
        file_field=GraphQLObjectType("FileField", fields),
    )


def _blur_up_thumb(imgix_params: GraphQLInputObjectType, *, punch_type: Any) -> GraphQLField:
    """``blurUpThumb``: a tiny blurred data URI, with DatoCMS's arguments and defaults."""
    return output_field(
        GraphQLString,
        imgixParams=GraphQLArgument(imgix_params),
        punch=GraphQLArgument(non_null(punch_type), default_value=0.2),
        quality=GraphQLArgument(non_null(GraphQLInt), default_value=10),
        size=GraphQLArgument(non_null(GraphQLInt), default_value=20),
    )


def _responsive_image() -> GraphQLObjectType:
    return GraphQLObjectType(
        "ResponsiveImage",
        {
            "src": output_field(non_null(GraphQLString)),
            "srcSet": output_field(non_null(GraphQLString)),
            "webpSrcSet": output_field(non_null(GraphQLString)),
            "width": output_field(non_null(IntType)),
            "height": output_field(non_null(IntType)),
            "aspectRatio": output_field(non_null(FloatType)),
            "alt": output_field(GraphQLString),
            "title": output_field(GraphQLString),
            "base64": output_field(GraphQLString),
            "bgColor": output_field(GraphQLString),
            "sizes": output_field(non_null(GraphQLString)),
        },
    )


def _upload_video_field(
    imgix_params: GraphQLInputObjectType, locale_args: Mapping[str, GraphQLArgument]
) -> GraphQLObjectType:
    """Mux's video object (``FileField.video``), resolved by ``emulator.videos``."""
    resolution = enum_type("VideoMp4Res", MP4_RESOLUTIONS)
    thumbnail_format = enum_type("MuxThumbnailFormatType", THUMBNAIL_FORMATS)
    fields = {
        "muxPlaybackId": output_field(non_null(GraphQLString)),
        "muxAssetId": output_field(non_null(GraphQLString)),
        "streamingUrl": output_field(non_null(GraphQLString)),
        "mp4Url": output_field(
            GraphQLString,
            res=GraphQLArgument(resolution),
            exactRes=GraphQLArgument(resolution),
        ),
        "thumbnailUrl": output_field(
            non_null(GraphQLString),
            format=GraphQLArgument(thumbnail_format, default_value="jpg"),
        ),
        "width": output_field(non_null(IntType)),
        "height": output_field(non_null(IntType)),
        "duration": output_field(GraphQLInt),
        "framerate": output_field(GraphQLInt),
        "alt": output_field(GraphQLString, args=locale_args),
        "title": output_field(GraphQLString, args=locale_args),
        "blurhash": output_field(GraphQLString),
        "thumbhash": output_field(GraphQLString),
        # DatoCMS types this one's punch Float (FileField.blurUpThumb says FloatType).
        "blurUpThumb": _blur_up_thumb(imgix_params, punch_type=GraphQLFloat),
    }
    for name, field in fields.items():
        field.resolve = VIDEO_RESOLVERS[name]
    return GraphQLObjectType("UploadVideoField", fields)


def _imgix_params_input() -> GraphQLInputObjectType:
    """DatoCMS's ``ImgixParams`` input: every parameter, rendered or refused (``imgix``)."""
    enums = {name: enum_type(name, values) for name, values in IMGIX_ENUMS.items()}
    scalars: dict[str, Any] = {**SCALARS, "String": GraphQLString, "Boolean": GraphQLBoolean}

    def type_of(spec: str) -> Any:
        if spec.startswith("["):
            return GraphQLList(non_null(type_of(spec.strip("[]!"))))
        return scalars.get(spec) or enums[spec]

    params = {**IMGIX_PARAMS, **UNSUPPORTED_IMGIX_PARAMS}
    return GraphQLInputObjectType(
        "ImgixParams",
        {
            name: GraphQLInputField(type_of(param.graphql_type), description=param.description)
            for name, param in sorted(params.items())
        },
    )
