"""Shorthands for writing GraphQL types the way DatoCMS's schema reads (``[Tag!]!``...).

The schema modules (``shared_types``, ``upload_types``, ``filter_inputs``, ``meta_fields``,
``schema``) declare hundreds of fields; these keep each declaration on one line. Pure
constructors over graphql-core, no state.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from graphql import (
    GraphQLArgument,
    GraphQLField,
    GraphQLInputField,
    GraphQLInputObjectType,
    GraphQLList,
    GraphQLNonNull,
)

__all__ = ["input_object", "non_null", "non_null_list", "output_field"]


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
