"""Shorthands for writing GraphQL types the way DatoCMS's schema reads (``[Tag!]!``...).

The schema modules (``shared_types``, ``upload_types``, ``filter_inputs``, ``meta_fields``,
``schema``) declare hundreds of fields; these keep each declaration on one line. Pure
constructors over graphql-core, no state.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from graphql import (
    GraphQLArgument,
    GraphQLEnumType,
    GraphQLEnumValue,
    GraphQLField,
    GraphQLInputField,
    GraphQLInputObjectType,
    GraphQLList,
    GraphQLNonNull,
)

__all__ = [
    "enum_type",
    "input_object",
    "non_null",
    "non_null_list",
    "order_by_enum",
    "output_field",
]


def non_null(type_: Any) -> Any:
    """``T!``."""
    return GraphQLNonNull(type_)


def non_null_list(type_: Any) -> Any:
    """``[T!]!``: how the CDA types every list it returns."""
    return non_null(GraphQLList(non_null(type_)))


def output_field(
    type_: Any,
    resolve: Callable[..., Any] | None = None,
    args: Mapping[str, GraphQLArgument] | None = None,
    **more_args: GraphQLArgument,
) -> GraphQLField:
    """A field of an object type, with its arguments given as a mapping and/or keywords."""
    arguments = {**(args or {}), **more_args}
    return GraphQLField(type_, args=arguments or None, resolve=resolve)


def input_object(name: str, fields: Mapping[str, Any]) -> GraphQLInputObjectType:
    """An input object type whose fields are ``{name: input type}``."""
    return GraphQLInputObjectType(
        name, {key: GraphQLInputField(type_) for key, type_ in fields.items()}
    )


def enum_type(name: str, values: Iterable[str]) -> GraphQLEnumType:
    """An enum type whose values are their own names (``ItemStatus``: ``draft``...)."""
    return GraphQLEnumType(name, {value: GraphQLEnumValue(value) for value in values})


def order_by_enum(name: str, fields: Iterable[str]) -> GraphQLEnumType:
    """An ``orderBy`` enum: ``<field>_ASC`` and ``<field>_DESC`` for each of ``fields``."""
    return enum_type(name, (f"{field}_{way}" for field in fields for way in ("ASC", "DESC")))
