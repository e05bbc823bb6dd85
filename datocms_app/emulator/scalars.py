"""The CDA's custom GraphQL scalars (Content Delivery API > Custom Scalar Types).

``ItemId``, ``UploadId`` (strings; integer literals accepted, as DatoCMS does), ``IntType``,
``FloatType``, ``BooleanType``, ``DateTime``, ``Date``, ``JsonField`` (any JSON),
``CustomData`` and ``MetaTagAttributes`` (string maps). Shared by every generated schema.
"""

from __future__ import annotations

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

__all__ = ["SCALARS"]


def _id_value(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise GraphQLError(f"An id must be a string, got {value!r}.")
    return str(value)


def _id_literal(node: ValueNode, variables: Any = None) -> str:
    if isinstance(node, StringValueNode | IntValueNode):
        return str(node.value)
    raise GraphQLError('An id must be a string literal such as "123".')


def _int_value(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float) or int(value) != value:
        raise GraphQLError(f"IntType cannot represent non-integer value: {value!r}.")
    return int(value)


def _int_literal(node: ValueNode, variables: Any = None) -> int:
    if isinstance(node, IntValueNode):
        return int(node.value)
    raise GraphQLError("IntType cannot represent a non-integer literal.")


def _float_value(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise GraphQLError(f"FloatType cannot represent non-numeric value: {value!r}.")
    return float(value)


def _float_literal(node: ValueNode, variables: Any = None) -> float:
    if isinstance(node, IntValueNode | FloatValueNode):
        return float(node.value)
    raise GraphQLError("FloatType cannot represent a non-numeric literal.")


def _bool_value(value: Any) -> bool:
    if not isinstance(value, bool):
        raise GraphQLError(f"BooleanType cannot represent a non-boolean value: {value!r}.")
    return value


def _bool_literal(node: ValueNode, variables: Any = None) -> bool:
    if isinstance(node, BooleanValueNode):
        return node.value
    raise GraphQLError("BooleanType cannot represent a non-boolean literal.")


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


SCALARS: dict[str, GraphQLScalarType] = {
    scalar.name: scalar
    for scalar in (
        GraphQLScalarType("ItemId", serialize=_id_value, parse_value=_id_value,
                          parse_literal=_id_literal),
        GraphQLScalarType("UploadId", serialize=_id_value, parse_value=_id_value,
                          parse_literal=_id_literal),
        GraphQLScalarType("IntType", serialize=_int_value, parse_value=_int_value,
                          parse_literal=_int_literal),
        GraphQLScalarType("FloatType", serialize=_float_value, parse_value=_float_value,
                          parse_literal=_float_literal),
        GraphQLScalarType("BooleanType", serialize=_bool_value, parse_value=_bool_value,
                          parse_literal=_bool_literal),
        GraphQLScalarType("DateTime", serialize=_passthrough, parse_value=_datetime_value,
                          parse_literal=_string_literal(_datetime_value)),
        GraphQLScalarType("Date", serialize=_passthrough, parse_value=_date_value,
                          parse_literal=_string_literal(_date_value)),
        GraphQLScalarType("JsonField", serialize=_passthrough, parse_value=_passthrough,
                          parse_literal=_json_literal),
        GraphQLScalarType("CustomData", serialize=_passthrough, parse_value=_string_map,
                          parse_literal=_map_literal),
        GraphQLScalarType("MetaTagAttributes", serialize=_passthrough,
                          parse_value=_string_map, parse_literal=_map_literal),
    )
}  # fmt: skip
