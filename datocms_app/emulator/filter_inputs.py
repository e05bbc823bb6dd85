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

#: ``exists`` (the field has a value), which most filters have.
_EXISTS = {"exists": BooleanType}


def _equality(scalar: GraphQLInputType) -> dict[str, Any]:
    """``eq``, ``neq``, ``in`` and ``notIn``."""
    return {"eq": scalar, "neq": scalar, "in": GraphQLList(scalar), "notIn": GraphQLList(scalar)}


def _ordered(scalar: GraphQLInputType) -> dict[str, Any]:
    """``eq``, ``neq``, ``gt``, ``gte``, ``lt`` and ``lte``."""
    return dict.fromkeys(("eq", "neq", "gt", "gte", "lt", "lte"), scalar)


def _many(scalar: GraphQLInputType) -> dict[str, Any]:
    """The operators of a list of ids (links, galleries)."""
    ids = GraphQLList(scalar)
    return {"eq": ids, "allIn": ids, "anyIn": ids, "notIn": ids, **_EXISTS}


def build_filter_inputs(
    site_locale: GraphQLEnumType, item_status: GraphQLEnumType
) -> dict[str, GraphQLInputObjectType]:
    """Every filter input of one schema, by name (they use its locale and status enums)."""
    matches = input_object(
        "StringMatchesFilter",
        {"pattern": non_null(GraphQLString), "caseSensitive": BooleanType, "regexp": BooleanType},
    )
    text = {"matches": matches, "notMatches": matches, "isBlank": BooleanType,
            "isPresent": BooleanType, **_EXISTS}  # fmt: skip
    near = input_object(
        "LatLonNearFilter",
        {"latitude": non_null(FloatType), "longitude": non_null(FloatType),
         "radius": non_null(FloatType)},
    )  # fmt: skip
    locales = GraphQLList(non_null(site_locale))
    filters = [
        matches,
        input_object("StringFilter", {**text, **_equality(GraphQLString)}),
        input_object("TextFilter", text),
        input_object("StructuredTextFilter", text),
        input_object("SlugFilter", _equality(GraphQLString)),
        input_object("BooleanFilter", {"eq": BooleanType}),
        input_object("IntegerFilter", {**_ordered(IntType), **_EXISTS}),
        input_object("FloatFilter", {**_ordered(FloatType), **_EXISTS}),
        input_object("DateFilter", {**_ordered(Date), **_EXISTS}),
        input_object("DateTimeFilter", {**_ordered(DateTime), **_EXISTS}),
        input_object("PositionFilter", _ordered(IntType)),
        input_object("ColorFilter", _EXISTS),
        input_object("JsonFilter", _EXISTS),
        input_object("SeoFilter", _EXISTS),
        input_object("LatLonFilter", {"near": near, **_EXISTS}),
        input_object("LinkFilter", {**_equality(ItemId), **_EXISTS}),
        input_object("LinksFilter", _many(ItemId)),
        input_object("FileFilter", {**_equality(UploadId), **_EXISTS}),
        input_object("GalleryFilter", _many(UploadId)),
        input_object("ItemIdFilter", _equality(ItemId)),
        input_object("StatusFilter", _equality(item_status)),
        input_object("LocalesFilter", {"allIn": locales, "anyIn": locales, "notIn": locales}),
        input_object("ParentFilter", {"eq": ItemId, **_EXISTS}),
    ]
    filters += [
        input_object(name, {**_ordered(DateTime), **_EXISTS})
        for _, name in META_FIELDS.values()
        if name
    ]
    return {f.name: f for f in filters}
