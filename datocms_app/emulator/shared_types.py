"""The GraphQL types every emulated CDA schema shares, whatever its models.

``SharedTypes`` builds them once per schema generation, for the project's locales: the enums
(``SiteLocale``, ``ItemStatus``, ``FaviconType``), the value types of fields (``ColorField``,
``LatLonField``, ``SeoField``, the upload types of ``upload_types``), ``Tag`` (SEO meta
tags), ``Site`` with ``GlobalSeoField``, ``CollectionMetadata``, the ``RecordInterface``
with the record meta fields (``meta_fields``) and the filter inputs (``filter_inputs``), named
as DatoCMS names them. ``schema`` adds the types of the project's own models.
"""

from __future__ import annotations

from graphql import (
    GraphQLArgument,
    GraphQLEnumType,
    GraphQLEnumValue,
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLString,
)

from datocms_app.emulator import seo
from datocms_app.emulator.filter_inputs import build_filter_inputs
from datocms_app.emulator.meta_fields import record_meta_fields
from datocms_app.emulator.naming import locale_enum_name
from datocms_app.emulator.resolvers import resolve_item_type
from datocms_app.emulator.scalars import BooleanType, FloatType, IntType, ItemId, MetaTagAttributes
from datocms_app.emulator.type_builders import enum_type, non_null, non_null_list, output_field
from datocms_app.emulator.upload_types import build_upload_types

__all__ = ["SharedTypes"]


class SharedTypes:
    """The shared types of one schema (built once per schema generation)."""

    def __init__(self, locales: tuple[str, ...], *, strict: bool = False) -> None:
        self.site_locale = GraphQLEnumType(
            "SiteLocale",
            {locale_enum_name(locale): GraphQLEnumValue(locale) for locale in locales},
        )
        self.item_status = enum_type("ItemStatus", ("draft", "updated", "published"))
        self.locale_args = {
            "locale": GraphQLArgument(self.site_locale),
            "fallbackLocales": GraphQLArgument(GraphQLList(non_null(self.site_locale))),
        }
        self.tag = GraphQLObjectType(
            "Tag",
            {
                "attributes": output_field(MetaTagAttributes),
                "content": output_field(GraphQLString),
                "tag": output_field(non_null(GraphQLString)),
            },
        )
        self.color = GraphQLObjectType(
            "ColorField",
            {
                **{part: output_field(non_null(IntType)) for part in ("red", "green", "blue",
                                                                      "alpha")},
                "hex": output_field(non_null(GraphQLString)),
                "cssRgb": output_field(non_null(GraphQLString)),
            },
        )  # fmt: skip
        self.lat_lon = GraphQLObjectType(
            "LatLonField",
            {
                "latitude": output_field(non_null(FloatType)),
                "longitude": output_field(non_null(FloatType)),
            },
        )
        self.uploads = build_upload_types(
            locale_args=self.locale_args,
            site_locale=self.site_locale,
            color=self.color,
            strict=strict,
        )
        self.file_field = self.uploads.file_field
        self.seo_field = GraphQLObjectType(
            "SeoField",
            {
                "title": output_field(GraphQLString),
                "description": output_field(GraphQLString),
                "image": output_field(self.file_field),
                "twitterCard": output_field(GraphQLString),
                "noIndex": output_field(BooleanType),
            },
        )
        self.collection_metadata = GraphQLObjectType(
            "CollectionMetadata", {"count": output_field(non_null(IntType))}
        )
        self.site = self._site()
        self.record_interface = GraphQLInterfaceType(
            "RecordInterface", self.meta_fields, resolve_type=resolve_item_type
        )
        self.filters = build_filter_inputs(self.site_locale, self.item_status)
        self._multi_locale: dict[str, GraphQLObjectType] = {}

    @property
    def meta_fields(self) -> dict[str, GraphQLField]:
        """``id``, ``_modelApiKey``, ``_status``... (fresh objects for each type)."""
        return record_meta_fields(
            item_status=self.item_status, tag=self.tag, site_locale=self.site_locale
        )

    def multi_locale(self, name: str, value_type: GraphQLOutputType) -> GraphQLObjectType:
        """``StringMultiLocaleField {locale value}`` and friends, created once per name."""
        if name not in self._multi_locale:
            self._multi_locale[name] = GraphQLObjectType(
                name,
                {"locale": output_field(self.site_locale), "value": output_field(value_type)},
            )
        return self._multi_locale[name]

    def _site(self) -> GraphQLObjectType:
        """``_site``: locales, favicon and its meta tags, the global SEO settings."""
        favicon_type = enum_type("FaviconType", ("icon", "appleTouchIcon", "msApplication"))
        global_seo = GraphQLObjectType(
            "GlobalSeoField",
            {
                "siteName": output_field(GraphQLString),
                "titleSuffix": output_field(GraphQLString),
                "twitterAccount": output_field(GraphQLString),
                "facebookPageUrl": output_field(GraphQLString),
                "fallbackSeo": output_field(self.seo_field),
            },
        )
        return GraphQLObjectType(
            "Site",
            {
                "id": output_field(non_null(ItemId), seo.resolve_site_id),
                "locales": output_field(non_null_list(self.site_locale), seo.resolve_site_locales),
                "noIndex": output_field(BooleanType, seo.resolve_site_no_index),
                "favicon": output_field(self.file_field, seo.resolve_site_favicon),
                "globalSeo": output_field(global_seo, seo.resolve_global_seo, self.locale_args),
                "faviconMetaTags": output_field(
                    non_null_list(self.tag),
                    seo.resolve_favicon_meta_tags,
                    variants=GraphQLArgument(GraphQLList(favicon_type), default_value=["icon"]),
                ),
            },
        )
