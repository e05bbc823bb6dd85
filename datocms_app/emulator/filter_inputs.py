"""The per-field-type filter inputs of the CDA (``StringFilter``, ``LinksFilter``...).

``build_filter_inputs`` returns them by name, each with the operators DatoCMS's schema gives
that field type (Content Delivery API > Filtering); ``schema`` picks one per field of a
``<Model>ModelFilter``, and ``filters`` evaluates them.
"""

from __future__ import annotations

from typing import Any

from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLString,
)

from datocms_app.emulator.meta_fields import META_FIELDS
from datocms_app.emulator.scalars import (
    BooleanType,
    Date,
    DateTime,
    FloatType,
    IntType,
    ItemId,
    UploadId,
)
from datocms_app.emulator.type_builders import input_object, non_null

__all__ = ["build_filter_inputs"]


def _ordered(name: str, scalar: GraphQLInputType, exists: bool = True) -> Any:
    fields = dict.fromkeys(("eq", "neq", "gt", "gte", "lt", "lte"), scalar)
    return input_object(name, {**fields, **({"exists": BooleanType} if exists else {})})


def _equality(name: str, scalar: GraphQLInputType, exists: bool = True) -> Any:
    fields: dict[str, Any] = {"eq": scalar, "neq": scalar, "in": GraphQLList(scalar),
                              "notIn": GraphQLList(scalar)}  # fmt: skip
    return input_object(name, {**fields, **({"exists": BooleanType} if exists else {})})


def _many(name: str, scalar: GraphQLInputType) -> Any:
    ids = GraphQLList(scalar)
    return input_object(name, {"eq": ids, "allIn": ids, "anyIn": ids, "notIn": ids,
                               "exists": BooleanType})  # fmt: skip


def _exists(name: str) -> Any:
    return input_object(name, {"exists": BooleanType})


def build_filter_inputs(
    site_locale: GraphQLEnumType, item_status: GraphQLEnumType
) -> dict[str, GraphQLInputObjectType]:
    """Every filter input of one schema, by name (they use its locale and status enums)."""
    matches = input_object(
        "StringMatchesFilter",
        {"pattern": non_null(GraphQLString), "caseSensitive": BooleanType, "regexp": BooleanType},
    )
    text = {"matches": matches, "notMatches": matches, "isBlank": BooleanType,
            "isPresent": BooleanType, "exists": BooleanType}  # fmt: skip
    near = input_object(
        "LatLonNearFilter",
        {"latitude": non_null(FloatType), "longitude": non_null(FloatType),
         "radius": non_null(FloatType)},
    )  # fmt: skip
    locales = GraphQLList(non_null(site_locale))
    filters = [
        matches,
        input_object("StringFilter", {**text, "eq": GraphQLString, "neq": GraphQLString,
                                      "in": GraphQLList(GraphQLString),
                                      "notIn": GraphQLList(GraphQLString)}),
        input_object("TextFilter", text),
        input_object("StructuredTextFilter", text),
        _equality("SlugFilter", GraphQLString, exists=False),
        input_object("BooleanFilter", {"eq": BooleanType}),
        _ordered("IntegerFilter", IntType),
        _ordered("FloatFilter", FloatType),
        _ordered("DateFilter", Date),
        _ordered("DateTimeFilter", DateTime),
        _ordered("PositionFilter", IntType, exists=False),
        _exists("ColorFilter"),
        _exists("JsonFilter"),
        _exists("SeoFilter"),
        input_object("LatLonFilter", {"near": near, "exists": BooleanType}),
        _equality("LinkFilter", ItemId),
        _many("LinksFilter", ItemId),
        _equality("FileFilter", UploadId),
        _many("GalleryFilter", UploadId),
        _equality("ItemIdFilter", ItemId, exists=False),
        input_object("StatusFilter", {"eq": item_status, "neq": item_status,
                                      "in": GraphQLList(item_status),
                                      "notIn": GraphQLList(item_status)}),
        input_object("LocalesFilter", {"allIn": locales, "anyIn": locales, "notIn": locales}),
        input_object("ParentFilter", {"eq": ItemId, "exists": BooleanType}),
    ]  # fmt: skip
    filters += [_ordered(name, DateTime) for _, name in META_FIELDS.values() if name]
    return {f.name: f for f in filters}
