"""The GraphQL types every emulated CDA schema shares.

``CommonTypes`` builds, for one project (its locales), the enums (``SiteLocale``,
``ItemStatus``, ``FaviconType``, the ``ImgixParams*`` enums, ``VideoMp4Res``,
``MuxThumbnailFormatType``), the object types that do not depend on models (``FileField``
and its ``UploadVideoField``, ``ResponsiveImage``, ``Tag``, ``ColorField``, ``LatLonField``,
``SeoField``, ``Site``, ``GlobalSeoField``, ``CollectionMetadata``...), the
``RecordInterface`` and the per-field-type filter inputs, named as DatoCMS names them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from graphql import (
    GraphQLArgument,
    GraphQLBoolean,
    GraphQLEnumType,
    GraphQLEnumValue,
    GraphQLField,
    GraphQLFloat,
    GraphQLInputField,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLInt,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLString,
)

from datocms_app.emulator import seo
from datocms_app.emulator.files import FILE_RESOLVERS, VIDEO_RESOLVERS
from datocms_app.emulator.naming import locale_enum_name
from datocms_app.emulator.resolvers import (
    meta_resolver,
    resolve_id,
    resolve_item_type,
    resolve_model_api_key,
)
from datocms_app.emulator.scalars import SCALARS
from datocms_app.emulator.videos import MP4_RESOLUTIONS, THUMBNAIL_FORMATS

__all__ = ["META_FIELDS", "CommonTypes", "nn"]

ItemId = SCALARS["ItemId"]
UploadId = SCALARS["UploadId"]
IntType = SCALARS["IntType"]
FloatType = SCALARS["FloatType"]
BooleanType = SCALARS["BooleanType"]
DateTime = SCALARS["DateTime"]
Date = SCALARS["Date"]
JsonField = SCALARS["JsonField"]
CustomData = SCALARS["CustomData"]
MetaTagAttributes = SCALARS["MetaTagAttributes"]

#: Record meta fields: GraphQL name -> (nullable?, filter input name or None).
META_FIELDS: dict[str, tuple[bool, str | None]] = {
    "_createdAt": (False, "CreatedAtFilter"),
    "_updatedAt": (False, "UpdatedAtFilter"),
    "_publishedAt": (True, "PublishedAtFilter"),
    "_firstPublishedAt": (True, "FirstPublishedAtFilter"),
    "_publicationScheduledAt": (True, "PublicationScheduledAtFilter"),
    "_unpublishingScheduledAt": (True, "UnpublishingScheduledAtFilter"),
}


def nn(type_: Any) -> Any:
    return GraphQLNonNull(type_)


def lst(type_: Any) -> Any:
    return nn(GraphQLList(nn(type_)))


def _field(
    type_: Any,
    resolve: Callable[..., Any] | None = None,
    args: Mapping[str, GraphQLArgument] | None = None,
    **more_args: GraphQLArgument,
) -> GraphQLField:
    arguments = {**(args or {}), **more_args}
    return GraphQLField(type_, args=arguments or None, resolve=resolve)


def _input(name: str, fields: Mapping[str, Any]) -> GraphQLInputObjectType:
    return GraphQLInputObjectType(
        name, {key: GraphQLInputField(type_) for key, type_ in fields.items()}
    )


class CommonTypes:
    """The shared types of one schema (built once per schema generation)."""

    def __init__(self, locales: tuple[str, ...], *, strict: bool = False) -> None:
        self.site_locale = GraphQLEnumType(
            "SiteLocale",
            {locale_enum_name(loc): GraphQLEnumValue(loc) for loc in locales},
        )
        self.item_status = GraphQLEnumType(
            "ItemStatus", {s: GraphQLEnumValue(s) for s in ("draft", "updated", "published")}
        )
        self.favicon_type = GraphQLEnumType(
            "FaviconType",
            {v: GraphQLEnumValue(v) for v in ("icon", "appleTouchIcon", "msApplication")},
        )
        self.locale_args = {
            "locale": GraphQLArgument(self.site_locale),
            "fallbackLocales": GraphQLArgument(GraphQLList(nn(self.site_locale))),
        }
        self.imgix_params = _imgix_params_input()
        self.tag = GraphQLObjectType(
            "Tag",
            {
                "attributes": _field(MetaTagAttributes),
                "content": _field(GraphQLString),
                "tag": _field(nn(GraphQLString)),
            },
        )
        self.color = GraphQLObjectType(
            "ColorField",
            {
                **{k: _field(nn(IntType)) for k in ("red", "green", "blue", "alpha")},
                "hex": _field(nn(GraphQLString)),
                "cssRgb": _field(nn(GraphQLString)),
            },
        )
        self.lat_lon = GraphQLObjectType(
            "LatLonField",
            {"latitude": _field(nn(FloatType)), "longitude": _field(nn(FloatType))},
        )
        self.focal_point = GraphQLObjectType(
            "focalPoint", {"x": _field(nn(FloatType)), "y": _field(nn(FloatType))}
        )
        self.responsive_image = GraphQLObjectType(
            "ResponsiveImage",
            {
                "src": _field(nn(GraphQLString)),
                "srcSet": _field(nn(GraphQLString)),
                "webpSrcSet": _field(nn(GraphQLString)),
                "width": _field(nn(IntType)),
                "height": _field(nn(IntType)),
                "aspectRatio": _field(nn(FloatType)),
                "alt": _field(GraphQLString),
                "title": _field(GraphQLString),
                "base64": _field(GraphQLString),
                "bgColor": _field(GraphQLString),
                "sizes": _field(nn(GraphQLString)),
            },
        )
        self.upload_video = self._upload_video_field()
        self.file_field = self._file_field(strict=strict)
        self.seo_field = GraphQLObjectType(
            "SeoField",
            {
                "title": _field(GraphQLString),
                "description": _field(GraphQLString),
                "image": _field(self.file_field),
                "twitterCard": _field(GraphQLString),
                "noIndex": _field(BooleanType),
            },
        )
        self.collection_metadata = GraphQLObjectType(
            "CollectionMetadata", {"count": _field(nn(IntType))}
        )
        self.global_seo = GraphQLObjectType(
            "GlobalSeoField",
            {
                "siteName": _field(GraphQLString),
                "titleSuffix": _field(GraphQLString),
                "twitterAccount": _field(GraphQLString),
                "facebookPageUrl": _field(GraphQLString),
                "fallbackSeo": _field(self.seo_field),
            },
        )
        self.site = GraphQLObjectType(
            "Site",
            {
                "id": _field(nn(ItemId), seo.resolve_site_id),
                "locales": _field(lst(self.site_locale), seo.resolve_site_locales),
                "noIndex": _field(BooleanType, seo.resolve_site_no_index),
                "favicon": _field(self.file_field, seo.resolve_site_favicon),
                "globalSeo": _field(self.global_seo, seo.resolve_global_seo, self.locale_args),
                "faviconMetaTags": _field(
                    lst(self.tag),
                    seo.resolve_favicon_meta_tags,
                    variants=GraphQLArgument(
                        GraphQLList(self.favicon_type), default_value=["icon"]
                    ),
                ),
            },
        )
        self.record_interface = GraphQLInterfaceType(
            "RecordInterface", self.meta_fields, resolve_type=resolve_item_type
        )
        self.filters = self._filters()
        self._multi_locale: dict[str, GraphQLObjectType] = {}

    # -- record meta fields -----------------------------------------------------------------

    @property
    def meta_fields(self) -> dict[str, GraphQLField]:
        """``id``, ``_modelApiKey``, ``_status``... (fresh objects for each type)."""
        fields = {
            "id": _field(nn(ItemId), resolve_id),
            "_modelApiKey": _field(nn(GraphQLString), resolve_model_api_key),
            "_status": _field(nn(self.item_status), meta_resolver("_status")),
            "_isValid": _field(nn(BooleanType), meta_resolver("_isValid")),
            "_seoMetaTags": _field(
                lst(self.tag), seo.resolve_seo_meta_tags, locale=GraphQLArgument(self.site_locale)
            ),
        }
        for name, (nullable, _) in META_FIELDS.items():
            type_ = DateTime if nullable else nn(DateTime)
            fields[name] = _field(type_, meta_resolver(name))
        return fields

    def multi_locale(self, name: str, value_type: GraphQLOutputType) -> GraphQLObjectType:
        """``StringMultiLocaleField {locale value}`` and friends, created once per name."""
        if name not in self._multi_locale:
            self._multi_locale[name] = GraphQLObjectType(
                name, {"locale": _field(self.site_locale), "value": _field(value_type)}
            )
        return self._multi_locale[name]

    # -- FileField ----------------------------------------------------------------------------

    def _file_field(self, *, strict: bool) -> GraphQLObjectType:
        imgix = {"imgixParams": GraphQLArgument(self.imgix_params)}
        image: Callable[[Any], Any] = nn if strict else (lambda t: t)
        fields = {
            "id": _field(nn(UploadId)),
            "alt": _field(GraphQLString, args=self.locale_args),
            "title": _field(GraphQLString, args=self.locale_args),
            "author": _field(GraphQLString),
            "copyright": _field(GraphQLString),
            "notes": _field(GraphQLString),
            "basename": _field(nn(GraphQLString)),
            "filename": _field(nn(GraphQLString)),
            "format": _field(nn(GraphQLString)),
            "mimeType": _field(nn(GraphQLString)),
            "md5": _field(nn(GraphQLString)),
            "size": _field(nn(IntType)),
            "width": _field(image(IntType)),
            "height": _field(image(IntType)),
            "url": _field(nn(GraphQLString), args=imgix),
            "responsiveImage": _field(
                image(self.responsive_image),
                imgixParams=GraphQLArgument(self.imgix_params),
                sizes=GraphQLArgument(GraphQLString),
                locale=GraphQLArgument(self.site_locale),
            ),
            "blurhash": _field(GraphQLString),
            "thumbhash": _field(GraphQLString),
            "blurUpThumb": _field(
                GraphQLString,
                imgixParams=GraphQLArgument(self.imgix_params),
                punch=GraphQLArgument(nn(SCALARS["FloatType"]), default_value=0.2),
                quality=GraphQLArgument(nn(GraphQLInt), default_value=10),
                size=GraphQLArgument(nn(GraphQLInt), default_value=20),
            ),
            "colors": _field(lst(self.color)),
            "focalPoint": _field(image(self.focal_point)),
            "customData": _field(nn(CustomData), args=self.locale_args),
            "exifInfo": _field(nn(CustomData)),
            "tags": _field(lst(GraphQLString)),
            "smartTags": _field(lst(GraphQLString)),
            "_createdAt": _field(nn(DateTime)),
            "_updatedAt": _field(nn(DateTime)),
            "video": _field(self.upload_video),
        }
        for name, field in fields.items():
            field.resolve = FILE_RESOLVERS[name]
        return GraphQLObjectType("FileField", fields)

    def _upload_video_field(self) -> GraphQLObjectType:
        """Mux's video object (``FileField.video``), resolved by ``emulator.videos``."""
        resolution = GraphQLEnumType(
            "VideoMp4Res", {value: GraphQLEnumValue(value) for value in MP4_RESOLUTIONS}
        )
        thumbnail_format = GraphQLEnumType(
            "MuxThumbnailFormatType",
            {value: GraphQLEnumValue(value) for value in THUMBNAIL_FORMATS},
        )
        fields = {
            "muxPlaybackId": _field(nn(GraphQLString)),
            "muxAssetId": _field(nn(GraphQLString)),
            "streamingUrl": _field(nn(GraphQLString)),
            "mp4Url": _field(
                GraphQLString,
                res=GraphQLArgument(resolution),
                exactRes=GraphQLArgument(resolution),
            ),
            "thumbnailUrl": _field(
                nn(GraphQLString),
                format=GraphQLArgument(thumbnail_format, default_value="jpg"),
            ),
            "width": _field(nn(IntType)),
            "height": _field(nn(IntType)),
            "duration": _field(GraphQLInt),
            "framerate": _field(GraphQLInt),
            "alt": _field(GraphQLString, args=self.locale_args),
            "title": _field(GraphQLString, args=self.locale_args),
            "blurhash": _field(GraphQLString),
            "thumbhash": _field(GraphQLString),
            "blurUpThumb": _field(
                GraphQLString,
                imgixParams=GraphQLArgument(self.imgix_params),
                # DatoCMS types this one Float (FileField.blurUpThumb says FloatType).
                punch=GraphQLArgument(nn(GraphQLFloat), default_value=0.2),
                quality=GraphQLArgument(nn(GraphQLInt), default_value=10),
                size=GraphQLArgument(nn(GraphQLInt), default_value=20),
            ),
        }
        for name, field in fields.items():
            field.resolve = VIDEO_RESOLVERS[name]
        return GraphQLObjectType("UploadVideoField", fields)

    # -- filters ------------------------------------------------------------------------------

    def _filters(self) -> dict[str, GraphQLInputObjectType]:
        matches = _input(
            "StringMatchesFilter",
            {"pattern": nn(GraphQLString), "caseSensitive": BooleanType, "regexp": BooleanType},
        )
        text = {"matches": matches, "notMatches": matches, "isBlank": BooleanType,
                "isPresent": BooleanType, "exists": BooleanType}  # fmt: skip

        def ordered(name: str, scalar: GraphQLInputType, exists: bool = True) -> Any:
            fields = dict.fromkeys(("eq", "neq", "gt", "gte", "lt", "lte"), scalar)
            return _input(name, {**fields, **({"exists": BooleanType} if exists else {})})

        def equality(name: str, scalar: GraphQLInputType, exists: bool = True) -> Any:
            fields: dict[str, Any] = {"eq": scalar, "neq": scalar, "in": GraphQLList(scalar),
                                      "notIn": GraphQLList(scalar)}  # fmt: skip
            return _input(name, {**fields, **({"exists": BooleanType} if exists else {})})

        def many(name: str, scalar: GraphQLInputType) -> Any:
            ids = GraphQLList(scalar)
            return _input(name, {"eq": ids, "allIn": ids, "anyIn": ids, "notIn": ids,
                                 "exists": BooleanType})  # fmt: skip

        def exists(name: str) -> Any:
            return _input(name, {"exists": BooleanType})

        near = _input(
            "LatLonNearFilter",
            {"latitude": nn(FloatType), "longitude": nn(FloatType), "radius": nn(FloatType)},
        )
        locales = GraphQLList(nn(self.site_locale))
        filters = [
            _input("StringFilter", {**text, "eq": GraphQLString, "neq": GraphQLString,
                                    "in": GraphQLList(GraphQLString),
                                    "notIn": GraphQLList(GraphQLString)}),
            _input("TextFilter", text),
            _input("StructuredTextFilter", text),
            equality("SlugFilter", GraphQLString, exists=False),
            _input("BooleanFilter", {"eq": BooleanType}),
            ordered("IntegerFilter", IntType),
            ordered("FloatFilter", FloatType),
            ordered("DateFilter", Date),
            ordered("DateTimeFilter", DateTime),
            ordered("PositionFilter", IntType, exists=False),
            exists("ColorFilter"),
            exists("JsonFilter"),
            exists("SeoFilter"),
            _input("LatLonFilter", {"near": near, "exists": BooleanType}),
            equality("LinkFilter", ItemId),
            many("LinksFilter", ItemId),
            equality("FileFilter", UploadId),
            many("GalleryFilter", UploadId),
            equality("ItemIdFilter", ItemId, exists=False),
            _input("StatusFilter", {"eq": self.item_status, "neq": self.item_status,
                                    "in": GraphQLList(self.item_status),
                                    "notIn": GraphQLList(self.item_status)}),
            _input("LocalesFilter", {"allIn": locales, "anyIn": locales, "notIn": locales}),
            _input("ParentFilter", {"eq": ItemId, "exists": BooleanType}),
        ]  # fmt: skip
        filters += [ordered(name, DateTime) for _, name in META_FIELDS.values() if name]
        return {f.name: f for f in filters}


def _imgix_params_input() -> GraphQLInputObjectType:
    from datocms_app.emulator.imgix import IMGIX_ENUMS, IMGIX_PARAMS, UNSUPPORTED_IMGIX_PARAMS

    enums = {
        name: GraphQLEnumType(name, {v: GraphQLEnumValue(v) for v in values})
        for name, values in IMGIX_ENUMS.items()
    }
    scalars: dict[str, Any] = {**SCALARS, "String": GraphQLString, "Boolean": GraphQLBoolean}

    def type_of(spec: str) -> Any:
        if spec.startswith("["):
            return GraphQLList(nn(type_of(spec.strip("[]!"))))
        return scalars.get(spec) or enums[spec]

    params = {**IMGIX_PARAMS, **UNSUPPORTED_IMGIX_PARAMS}
    return GraphQLInputObjectType(
        "ImgixParams",
        {
            name: GraphQLInputField(type_of(param.graphql_type), description=param.description)
            for name, param in sorted(params.items())
        },
    )
