"""Field validators (the CMA's ``validators``) deciding whether a record is valid.

A record (or block) that breaks a validator is still stored and served, as DatoCMS does
after a schema change: it is just ``_isValid: false``, hidden by ``X-Exclude-Invalid: true``
and by ``filter: {_isValid: {eq: true}}``. ``version_problems`` lists what is wrong, in
words an editor understands. Structural mistakes (a string where a number belongs) are not
validation problems: ``values`` refuses them outright.

Supported validators: ``required``, ``length``, ``enum``, ``number_range``, ``format``,
``slug_format``, ``size``, ``date_range``, ``date_time_range``, ``required_alt_title``,
``required_seo_fields``. Others (``unique``, ``extension``, ``file_size``...) are accepted
and ignored.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from datocms_app.emulator import dast
from datocms_app.emulator.project import Field, Model

__all__ = ["Violation", "is_blank", "version_problems", "version_violations"]

_PREDEFINED = {
    "email": re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$"),
    "url": re.compile(r"^https?://\S+$"),
    "webpage_slug": re.compile(r"^[a-z0-9_]+(?:-[a-z0-9_]+)*$"),
}


def is_blank(field: Field, value: Any) -> bool:
    """Null-ish for DatoCMS: null, empty string, empty list, an empty structured text."""
    if value is None or value == "" or value == [] or value == {}:
        return True
    if field.field_type == "structured_text":
        return dast.is_blank_document(value)
    if field.field_type == "seo":
        return not any(value.get(k) for k in ("title", "description", "image"))
    return False


@dataclass(frozen=True, slots=True)
class Violation:
    """One broken validator: the field, the locale (localized fields), the validator's name
    (``required``, ``length``...) and what is wrong, in words."""

    field: str
    locale: str | None
    validator: str
    problem: str

    def __str__(self) -> str:
        where = f"{self.field} ({self.locale})" if self.locale else self.field
        return f"{where}: {self.problem}"


def version_violations(
    model: Model, fields: Mapping[str, Any], locales: tuple[str, ...]
) -> list[Violation]:
    """Every validator broken by these field values (empty when the version is valid)."""
    found: list[Violation] = []
    for key, field in model.fields_by_key.items():
        value = fields.get(key)
        if field.localized:
            present = value or {}
            for locale in locales:
                found.extend(
                    Violation(key, locale, name, problem)
                    for name, problem in _field_problems(field, present.get(locale))
                )
        else:
            found.extend(
                Violation(key, None, name, problem)
                for name, problem in _field_problems(field, value)
            )
    return found


def version_problems(
    model: Model, fields: Mapping[str, Any], locales: tuple[str, ...]
) -> list[str]:
    """``version_violations`` in words, e.g. ``"title (it): is required"``."""
    return [str(violation) for violation in version_violations(model, fields, locales)]


def _field_problems(field: Field, value: Any) -> list[tuple[str, str]]:
    validators = field.validators
    if is_blank(field, value):
        return [("required", "is required")] if "required" in validators else []
    problems: list[tuple[str, str]] = []
    for name, options in validators.items():
        check = _CHECKS.get(name)
        if check is not None:
            problem = check(field, value, options or {})
            if problem:
                problems.append((name, problem))
    return problems


def _length(field: Field, value: Any, options: Mapping[str, Any]) -> str | None:
    if not isinstance(value, str):
        return None
    return _range(len(value), options, "length")


def _size(field: Field, value: Any, options: Mapping[str, Any]) -> str | None:
    if not isinstance(value, list):
        return None
    problem = _range(len(value), options, "number of items")
    multiple = options.get("multiple_of")
    if problem is None and multiple and len(value) % multiple:
        return f"number of items must be a multiple of {multiple}"
    return problem


def _range(amount: float, options: Mapping[str, Any], what: str) -> str | None:
    if options.get("eq") is not None and amount != options["eq"]:
        return f"{what} must be exactly {options['eq']}"
    if options.get("min") is not None and amount < options["min"]:
        return f"{what} must be at least {options['min']}"
    if options.get("max") is not None and amount > options["max"]:
        return f"{what} must be at most {options['max']}"
    return None


def _number_range(field: Field, value: Any, options: Mapping[str, Any]) -> str | None:
    return _range(value, options, "value") if isinstance(value, int | float) else None


def _enum(field: Field, value: Any, options: Mapping[str, Any]) -> str | None:
    values = options.get("values") or []
    return None if value in values else f"must be one of {', '.join(map(str, values))}"


def _format(field: Field, value: Any, options: Mapping[str, Any]) -> str | None:
    if not isinstance(value, str):
        return None
    pattern = _PREDEFINED.get(options.get("predefined_pattern") or "")
    if pattern is None and options.get("custom_pattern"):
        pattern = re.compile(options["custom_pattern"])
    if pattern is not None and not pattern.search(value):
        return f"does not match the required format {pattern.pattern!r}"
    return None


def _date_range(field: Field, value: Any, options: Mapping[str, Any]) -> str | None:
    if options.get("min") and value < options["min"]:
        return f"must be on or after {options['min']}"
    if options.get("max") and value > options["max"]:
        return f"must be on or before {options['max']}"
    return None


def _required_alt_title(field: Field, value: Any, options: Mapping[str, Any]) -> str | None:
    files = value if isinstance(value, list) else [value]
    for key in ("alt", "title"):
        if options.get(key) and any(not f.get(key) for f in files):
            return f"every asset needs a{'n' if key == 'alt' else ''} {key}"
    return None


def _required_seo_fields(field: Field, value: Any, options: Mapping[str, Any]) -> str | None:
    missing = [k for k in ("title", "description", "image", "twitter_card") if options.get(k)
               and not value.get(k)]  # fmt: skip
    return f"SEO {', '.join(missing)} required" if missing else None


_CHECKS = {
    "length": _length,
    "size": _size,
    "number_range": _number_range,
    "enum": _enum,
    "format": _format,
    "slug_format": _format,
    "date_range": _date_range,
    "date_time_range": _date_range,
    "required_alt_title": _required_alt_title,
    "required_seo_fields": _required_seo_fields,
}
