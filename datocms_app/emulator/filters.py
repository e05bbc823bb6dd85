"""``filter`` and ``orderBy`` of collection queries (Content Delivery API > Filtering,
Ordering).

``compile_filter`` turns a coerced ``<Model>ModelFilter`` input into a predicate over
``(record, version)`` and reports the fields it read (their cache tags are added to the
response). Semantics follow the docs: conditions in one object are ANDed, ``AND``/``OR``
take lists, date-time arguments are truncated to the minute (``eq`` matches that minute),
localized fields are compared in the query's locale (with its fallbacks), ``neq``/``notIn``
keep records whose value is null. ``sort_records`` puts nulls last in both directions and
compares strings case-insensitively; ties keep the default order (``_createdAt``, then id).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from graphql import GraphQLError

from datocms_app.emulator import dast
from datocms_app.emulator.project import Field, Model, Record, RecordVersion, View
from datocms_app.emulator.resolvers import localized_value
from datocms_app.emulator.validation import is_blank

__all__ = ["Predicate", "ValueTest", "compile_filter", "sort_records", "value_test"]

Predicate = Callable[[Record, RecordVersion], bool]
Getter = Callable[[Record, RecordVersion], Any]
Pair = tuple[Record, RecordVersion]

DATETIME_META = ("_createdAt", "_updatedAt", "_publishedAt", "_firstPublishedAt",
                 "_publicationScheduledAt", "_unpublishingScheduledAt")  # fmt: skip


class FilterCompiler:
    """Compiles filters and orderings for one model, view and locale."""

    def __init__(self, model: Model, view: View, locale: str, fallbacks: tuple[str, ...]):
        self.model = model
        self.view = view
        self.locale = locale
        self.fallbacks = fallbacks
        self.used: set[str] = set()

    def getter(self, name: str) -> tuple[Getter, str]:
        """How to read ``name`` (a field's GraphQL name or a meta field) and its kind."""
        self.used.add(name)
        view = self.view
        meta: dict[str, tuple[Getter, str]] = {
            "id": (lambda r, v: r.id, "id"),
            "_createdAt": (lambda r, v: r.created_at, "datetime"),
            "_updatedAt": (lambda r, v: v.updated_at, "datetime"),
            "_publishedAt": (lambda r, v: r.published_at, "datetime"),
            "_firstPublishedAt": (lambda r, v: r.first_published_at, "datetime"),
            "_publicationScheduledAt": (lambda r, v: r.publication_scheduled_at, "datetime"),
            "_unpublishingScheduledAt": (lambda r, v: r.unpublishing_scheduled_at, "datetime"),
            "_status": (lambda r, v: r.status_in(view), "status"),
            "_isValid": (lambda r, v: v.is_valid, "boolean"),
            "_locales": (lambda r, v: list(v.locales), "locales"),
            "position": (lambda r, v: r.position, "integer"),
            "parent": (lambda r, v: r.parent_id, "parent"),
        }
        if name in meta:
            return meta[name]
        field = _field_by_graphql_name(self.model, name)
        key = field.api_key
        self.used.discard(name)
        self.used.add(key)
        if field.localized:
            locale, fallbacks = self.locale, self.fallbacks

            def get(record: Record, version: RecordVersion) -> Any:
                return localized_value(version.fields.get(key), field, locale, fallbacks)
        else:

            def get(record: Record, version: RecordVersion) -> Any:
                return version.fields.get(key)

        return get, field.field_type

    def compile(self, spec: Mapping[str, Any] | None) -> Predicate:
        if not spec:
            return lambda record, version: True
        checks: list[Predicate] = []
        for name, condition in spec.items():
            if condition is None:
                continue
            if name in ("AND", "OR"):
                checks.append(_combine(name, [self.compile(part) for part in condition if part]))
            else:
                get, kind = self.getter(name)
                for operator, argument in condition.items():
                    if argument is None:  # a null argument (e.g. an unset variable): no condition
                        continue
                    checks.append(_operator(get, kind, operator, argument, name))
        return lambda record, version: all(check(record, version) for check in checks)


def _combine(operator: str, parts: list[Predicate]) -> Predicate:
    if operator == "AND":
        return lambda record, version: all(part(record, version) for part in parts)
    return lambda record, version: any(part(record, version) for part in parts)


def compile_filter(
    model: Model, view: View, locale: str, fallbacks: tuple[str, ...],
    spec: Mapping[str, Any] | None,
) -> tuple[Predicate, set[str]]:  # fmt: skip
    """A predicate for ``spec`` and the names of the fields it reads (API keys, meta names)."""
    compiler = FilterCompiler(model, view, locale, fallbacks)
    return compiler.compile(spec), compiler.used


def sort_records(
    pairs: list[Pair],
    model: Model,
    view: View,
    locale: str,
    fallbacks: tuple[str, ...],
    order_by: list[str] | None,
) -> tuple[list[Pair], set[str]]:
    """Sorted records and the fields the ordering read. Default: position or ``_createdAt``."""
    if not order_by:
        order_by = ["position_ASC"] if model.sortable or model.tree else ["_createdAt_ASC"]
    compiler = FilterCompiler(model, view, locale, fallbacks)
    ordered = list(pairs)
    for spec in reversed([s for s in order_by if s]):
        name, _, direction = spec.rpartition("_")
        get, _kind = compiler.getter(name)
        descending = direction == "DESC"

        def key(pair: Pair, get: Getter = get, descending: bool = descending) -> tuple[bool, Any]:
            # Nulls sort last either way (``reverse`` flips the flag for descending sorts).
            value = get(*pair)
            if value is None:
                return (not descending, 0)
            if isinstance(value, str):
                return (descending, (value.casefold(), value))
            return (descending, value)

        ordered.sort(key=key, reverse=descending)
    return ordered, compiler.used


def _field_by_graphql_name(model: Model, name: str) -> Field:
    from datocms_app.emulator.naming import camel

    for field in model.fields:
        if camel(field.api_key) == name:
            return field
    raise GraphQLError(f"Unknown filter or order field {name!r} on model {model.api_key!r}.")


# -- operators -------------------------------------------------------------------------------

ValueTest = Callable[[Any], bool]


def _operator(get: Getter, kind: str, operator: str, argument: Any, name: str) -> Predicate:
    test = value_test(kind, operator, argument, name)
    return lambda record, version: test(get(record, version))


def value_test(kind: str, operator: str, argument: Any, name: str) -> ValueTest:
    """A test of one value of a ``kind`` of field (a field type, or ``datetime``, ``id``,
    ``status``, ``locales``, ``tags``...) for one filter operator and its argument."""
    if kind == "datetime" or kind == "date_time":
        return _datetime_test(operator, argument)
    if operator in ("matches", "notMatches"):
        pattern = _pattern(argument)
        wanted = operator == "matches"

        def matches(value: Any) -> bool:
            text = dast.plain_text(value) if kind == "structured_text" else value
            return (bool(text) and pattern.search(str(text)) is not None) == wanted

        return matches
    if operator in ("isBlank", "isPresent"):
        blank_field = Field(id="", api_key=name, field_type=kind)
        wanted = bool(argument) if operator == "isBlank" else not argument
        return lambda value: is_blank(blank_field, value) == wanted
    if operator == "exists":
        return lambda value: _exists(value) == bool(argument)
    normalize = _NORMALIZE.get(kind, _identity)
    if kind in ("links", "gallery", "locales", "tags"):
        return _set_test(normalize, operator, argument)
    if operator == "eq":
        target = normalize(argument)
        return lambda value: normalize(value) == target
    if operator == "neq":
        target = normalize(argument)
        return lambda value: normalize(value) != target
    if operator in ("in", "notIn"):
        targets = {normalize(a) for a in argument}
        inside = operator == "in"
        return lambda value: (normalize(value) in targets) == inside
    if operator in ("gt", "gte", "lt", "lte"):
        compare = _COMPARE[operator]
        return lambda value: value is not None and compare(value, argument)
    if operator == "near":
        return _near(argument)
    raise GraphQLError(f"Unsupported filter operator {operator!r} on {name!r}.")


def _identity(value: Any) -> Any:
    return value


def _upload_id(value: Any) -> Any:
    return value.get("upload_id") if isinstance(value, Mapping) else value


def _upload_ids(value: Any) -> Any:
    return [_upload_id(v) for v in value or ()]


_NORMALIZE: dict[str, Callable[[Any], Any]] = {
    "file": _upload_id,
    "gallery": _upload_ids,
    "boolean": bool,
}
_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "gt": lambda a, b: a > b,
    "gte": lambda a, b: a >= b,
    "lt": lambda a, b: a < b,
    "lte": lambda a, b: a <= b,
}


def _exists(value: Any) -> bool:
    return value not in (None, "", [], {})


def _set_test(normalize: Callable[[Any], Any], operator: str, argument: Any) -> ValueTest:
    if operator == "contains":
        return lambda value: argument in set(normalize(value) or ())
    wanted = set(argument or ())
    if operator == "eq":
        return lambda value: set(normalize(value) or ()) == wanted
    if operator == "allIn":
        return lambda value: wanted <= set(normalize(value) or ())
    if operator == "anyIn":
        return lambda value: bool(wanted & set(normalize(value) or ()))
    if operator == "notIn":
        return lambda value: not wanted & set(normalize(value) or ())
    raise GraphQLError(f"Unsupported filter operator {operator!r} on a multiple-value field.")


def _pattern(argument: Mapping[str, Any]) -> re.Pattern[str]:
    text = argument["pattern"]
    if argument.get("regexp") is False:
        text = re.escape(text)
    flags = 0 if argument.get("caseSensitive") else re.IGNORECASE
    try:
        return re.compile(text, flags)
    except re.error as exc:
        raise GraphQLError(f"Invalid regular expression {argument['pattern']!r}: {exc}.") from exc


def _parse_time(value: str) -> datetime:
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _datetime_test(operator: str, argument: Any) -> ValueTest:
    if operator == "exists":
        return lambda value: (value is not None) == bool(argument)
    if operator in ("in", "notIn"):
        raise GraphQLError("Date-time fields do not support in/notIn filters.")
    start = _parse_time(argument).replace(second=0, microsecond=0)
    end = start + timedelta(minutes=1)

    def moment(value: Any) -> datetime | None:
        return _parse_time(value) if value else None

    if operator == "eq":
        return lambda value: (t := moment(value)) is not None and start <= t < end
    if operator == "neq":
        return lambda value: (t := moment(value)) is None or not start <= t < end
    compare = _COMPARE[operator]
    return lambda value: (t := moment(value)) is not None and compare(t, start)


def _near(argument: Mapping[str, Any]) -> ValueTest:
    lat, lon, radius = argument["latitude"], argument["longitude"], argument["radius"]

    def within(value: Any) -> bool:
        if not value:
            return False
        return bool(_haversine(lat, lon, value["latitude"], value["longitude"]) <= radius)

    return within


def _haversine(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Distance in meters between two points on Earth."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = math.radians(lat2 - lat1), math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 6_371_000 * 2 * math.asin(math.sqrt(a))
