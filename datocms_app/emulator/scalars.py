"""The CDA's custom GraphQL scalars (Content Delivery API > Custom Scalar Types).

``ItemId``, ``UploadId`` (strings; integer literals accepted, as DatoCMS does), ``IntType``,
``FloatType``, ``BooleanType``, ``DateTime``, ``Date``, ``JsonField`` (any JSON),
``CustomData`` and ``MetaTagAttributes`` (string maps). Shared by every generated schema.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from graphql import (
    BooleanValueNode,
    FloatValueNode,
    GraphQLError,
    GraphQLScalarType,
    IntValueNode,
    StringValueNode,
    ValueNode,
    value_from_ast_untyped,
)

__all__ = [
    "SCALARS",
    "BooleanType",
    "CustomData",
    "Date",
    "DateTime",
    "FloatType",
    "IntType",
    "ItemId",
    "JsonField",
    "MetaTagAttributes",
    "UploadId",
]

_ValueLiteral = StringValueNode | IntValueNode | FloatValueNode | BooleanValueNode


def _is_number(value: Any) -> bool:
    return not isinstance(value, bool) and isinstance(value, int | float)


def _is_integer(value: Any) -> bool:
    return _is_number(value) and int(value) == value


def _is_boolean(value: Any) -> bool:
    return isinstance(value, bool)


def _is_id(value: Any) -> bool:
    return not isinstance(value, bool) and isinstance(value, str | int)


def _checked_scalar(
    name: str,
    accepts: Callable[[Any], bool],
    convert: Callable[[Any], Any],
    literals: tuple[type[_ValueLiteral], ...],
    errors: tuple[str, str],
) -> GraphQLScalarType:
    """A scalar that takes the values ``accepts`` approves and the literals of the
    ``literals`` node types, both ``convert``-ed. ``errors`` are the messages otherwise: for
    a bad value (formatted with ``value``) and for a bad literal."""
    bad_value, bad_literal = errors

    def coerce(value: Any) -> Any:
        if not accepts(value):
            raise GraphQLError(bad_value.format(value=value))
        return convert(value)

    def coerce_literal(node: ValueNode, variables: Any = None) -> Any:
        if isinstance(node, literals):
            return convert(node.value)
        raise GraphQLError(bad_literal)

    return GraphQLScalarType(
        name, serialize=coerce, parse_value=coerce, parse_literal=coerce_literal
    )


def _worded_like_graphql(name: str, value_problem: str, literal_problem: str) -> tuple[str, str]:
    """Errors worded as graphql-core words its built-in scalars' (``Int cannot represent...``)."""
    return (
        f"{name} cannot represent {value_problem}: {{value!r}}.",
        f"{name} cannot represent {literal_problem}.",
    )


# DatoCMS takes integers for ids too (``123`` or ``"123"``).
_ID_LITERALS = (StringValueNode, IntValueNode)
_ID_ERRORS = (
    "An id must be a string, got {value!r}.",
    'An id must be a string literal such as "123".',
)


def _datetime_value(value: Any) -> str:
    if not isinstance(value, str):
        raise GraphQLError(f"DateTime must be an ISO 8601 string, got {value!r}.")
    try:
        datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise GraphQLError(
            f"DateTime must be an ISO 8601 string such as 2024-05-01T09:30:00+00:00, got {value!r}."
        ) from None
    return value


def _date_value(value: Any) -> str:
    if not isinstance(value, str):
        raise GraphQLError(f"Date must be a string such as 2024-05-01, got {value!r}.")
    try:
        date.fromisoformat(value)
    except ValueError:
        raise GraphQLError(f"Date must be a string such as 2024-05-01, got {value!r}.") from None
    return value


def _string_literal(parse: Any) -> Any:
    def parse_literal(node: ValueNode, variables: Any = None) -> Any:
        if not isinstance(node, StringValueNode):
            raise GraphQLError("Expected a string literal.")
        return parse(node.value)

    return parse_literal


def _string_map(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise GraphQLError(f"Expected an object, got {value!r}.")
    return value


def _json_literal(node: ValueNode, variables: Any = None) -> Any:
    return value_from_ast_untyped(node, variables)


def _map_literal(node: ValueNode, variables: Any = None) -> Any:
    return _string_map(value_from_ast_untyped(node, variables))


def _passthrough(value: Any) -> Any:
    return value


ItemId = _checked_scalar("ItemId", _is_id, str, _ID_LITERALS, _ID_ERRORS)
UploadId = _checked_scalar("UploadId", _is_id, str, _ID_LITERALS, _ID_ERRORS)
IntType = _checked_scalar(
    "IntType", _is_integer, int, (IntValueNode,),
    _worded_like_graphql("IntType", "non-integer value", "a non-integer literal"),
)  # fmt: skip
FloatType = _checked_scalar(
    "FloatType", _is_number, float, (IntValueNode, FloatValueNode),
    _worded_like_graphql("FloatType", "non-numeric value", "a non-numeric literal"),
)  # fmt: skip
BooleanType = _checked_scalar(
    "BooleanType", _is_boolean, bool, (BooleanValueNode,),
    _worded_like_graphql("BooleanType", "a non-boolean value", "a non-boolean literal"),
)  # fmt: skip
DateTime = GraphQLScalarType(
    "DateTime",
    serialize=_passthrough,
    parse_value=_datetime_value,
    parse_literal=_string_literal(_datetime_value),
)
Date = GraphQLScalarType(
    "Date",
    serialize=_passthrough,
    parse_value=_date_value,
    parse_literal=_string_literal(_date_value),
)
JsonField = GraphQLScalarType(
    "JsonField", serialize=_passthrough, parse_value=_passthrough, parse_literal=_json_literal
)
CustomData = GraphQLScalarType(
    "CustomData", serialize=_passthrough, parse_value=_string_map, parse_literal=_map_literal
)
MetaTagAttributes = GraphQLScalarType(
    "MetaTagAttributes",
    serialize=_passthrough,
    parse_value=_string_map,
    parse_literal=_map_literal,
)

#: Every scalar by its GraphQL name.
SCALARS: dict[str, GraphQLScalarType] = {
    scalar.name: scalar
    for scalar in (ItemId, UploadId, IntType, FloatType, BooleanType, DateTime, Date, JsonField,
                   CustomData, MetaTagAttributes)
}  # fmt: skip
