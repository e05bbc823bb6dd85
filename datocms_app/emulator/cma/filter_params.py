"""``filter[fields]`` conditions of a query string, typed for the CDA's filter code.

A query string holds strings only (``filter[fields][views][gt]=10``); the CDA's filters
(``filters.value_test``) compare typed values. ``typed_condition`` types one field's
operators by the kind of value the field holds: numbers, ``true``/``false``, lists (from
``[]`` parameters or comma-separated), ``matches`` objects; snake_case operators
(``not_in``, ``any_in``...) become the CDA's camelCase. Mistakes are
``INVALID_FILTER_FIELDS_PARAM``. Shared by ``GET /items`` and ``GET /uploads``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from datocms_app.emulator.cma.errors import refused
from datocms_app.emulator.exceptions import CMARefused

__all__ = ["invalid_filter", "typed_condition"]

OPERATORS = {
    "not_in": "notIn", "any_in": "anyIn", "all_in": "allIn", "is_blank": "isBlank",
    "is_present": "isPresent", "not_matches": "notMatches",
}  # fmt: skip
_LIST_OPERATORS = frozenset({"in", "notIn", "anyIn", "allIn"})
_LIST_KINDS = frozenset({"links", "gallery", "locales", "tags"})
_FLAG_OPERATORS = frozenset({"exists", "isBlank", "isPresent"})


def invalid_filter(message: str) -> CMARefused:
    return refused("INVALID_FILTER_FIELDS_PARAM", message)


def typed_condition(kind: str, condition: Any, name: str) -> dict[str, Any]:
    """``{operator: value}`` of field ``name`` (holding ``kind`` values), typed."""
    if not isinstance(condition, Mapping):
        raise invalid_filter(
            f"filter[fields][{name}] must give an operator, e.g. filter[fields][{name}][eq]=..."
        )
    typed: dict[str, Any] = {}
    for given, value in condition.items():
        operator = OPERATORS.get(str(given), str(given))
        typed[operator] = _typed(kind, operator, value, name)
    return typed


def _typed(kind: str, operator: str, value: Any, name: str) -> Any:
    if operator in _FLAG_OPERATORS:
        return _flag(value, name)
    if operator in ("matches", "notMatches"):
        options = {"pattern": value} if isinstance(value, str) else dict(value)
        if "case_sensitive" in options:
            options["caseSensitive"] = options.pop("case_sensitive")
        for flag in ("caseSensitive", "regexp"):
            if flag in options:
                options[flag] = _flag(options[flag], name)
        return options
    if operator == "near":
        try:
            return {key: float(number) for key, number in dict(value).items()}
        except (TypeError, ValueError):
            raise invalid_filter(f"filter[fields][{name}][near] takes numbers.") from None
    if operator in _LIST_OPERATORS or (kind in _LIST_KINDS and operator == "eq"):
        items = value.split(",") if isinstance(value, str) else list(value)
        return [_scalar(kind, item, name) for item in items]
    return _scalar(kind, value, name)


def _scalar(kind: str, value: Any, name: str) -> Any:
    if not isinstance(value, str):
        raise invalid_filter(f"filter[fields][{name}] takes a single value here, got {value!r}.")
    try:
        if kind == "integer":
            return int(value)
        if kind == "float":
            return float(value)
    except ValueError:
        raise invalid_filter(f"filter[fields][{name}]: {value!r} is not a number.") from None
    if kind == "boolean":
        return _flag(value, name)
    return value


def _flag(value: Any, name: str) -> bool:
    if value in ("true", "1", True):
        return True
    if value in ("false", "0", False):
        return False
    raise invalid_filter(f"filter[fields][{name}] takes true or false, got {value!r}.")
