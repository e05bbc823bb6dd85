"""The rules a content change must respect, apart from the field values themselves.

Locales must be the project's; a record other records link to (from their fields, their
blocks or their structured text, in the saved or the published version) cannot be deleted;
uploads' per-locale metadata has DatoCMS's keys and types. Also: how a stored value is sent
back through ``FieldValues`` unchanged. Pure functions over a ``StoreState``; ``changes``
calls them before committing anything.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from datocms_app.emulator import dast
from datocms_app.emulator.exceptions import InvalidFieldValue
from datocms_app.emulator.project import Field, Model, RecordVersion, Upload
from datocms_app.emulator.store import StoreState

__all__ = [
    "UPLOAD_METADATA_KEYS",
    "check_locale",
    "field_named",
    "linked_records",
    "merged_upload_metadata",
    "referrers",
    "resend_one",
    "resendable",
]

UPLOAD_METADATA_KEYS = frozenset({"alt", "title", "focal_point", "custom_data"})


def check_locale(state: StoreState, locale: str) -> None:
    if locale not in state.site.locales:
        raise InvalidFieldValue(
            f"Unknown locale {locale!r}; the project's locales are "
            f"{', '.join(state.site.locales)}.",
            locale=locale,
        )


def resendable(field: Field, value: Any) -> Any:
    """A stored value (all locales) in a form ``FieldValues`` accepts again unchanged."""
    if field.localized and isinstance(value, Mapping):
        return {locale: resend_one(field, one) for locale, one in value.items()}
    return resend_one(field, value)


def resend_one(field: Field, value: Any) -> Any:
    # A JSON field's stored value is parsed JSON; a string would be parsed again, so encode.
    if field.field_type == "json" and value is not None:
        return json.dumps(value)
    return value


def field_named(message: str, model: Model) -> str | None:
    for key in model.fields_by_key:
        if f".{key}" in message or f" {key!r}" in message:
            return key
    return None


def referrers(state: StoreState, record_id: str) -> list[tuple[str, str]]:
    """``(record id, field API key)`` of every record version linking to ``record_id``."""
    found: list[tuple[str, str]] = []
    for record in state.records.values():
        if record.id == record_id:
            continue
        model = state.schema.models[record.model]
        versions = [record.current]
        if record.published is not None and record.published is not record.current:
            versions.append(record.published)
        for version in versions:
            for key, target in linked_records(state, model, version):
                if target == record_id and (record.id, key) not in found:
                    found.append((record.id, key))
    return found


def linked_records(
    state: StoreState, model: Model, version: RecordVersion
) -> list[tuple[str, str]]:
    """``(field, record id)`` of every link of a version: its link fields, its structured
    text's ``itemLink``/``inlineItem`` nodes, and its blocks' (``block_model.field``)."""
    found: list[tuple[str, str]] = []
    owners: list[tuple[Model, Mapping[str, Any], str]] = [(model, version.fields, "")]
    owners.extend(
        (state.schema.models[b.model], b.fields, f"{b.model}.") for b in version.blocks.values()
    )
    for owner_model, fields, prefix in owners:
        for key, field in owner_model.fields_by_key.items():
            if field.field_type not in ("link", "links", "structured_text"):
                continue
            value = fields.get(key)
            values = list(value.values()) if field.localized and value else [value]
            for one in values:
                found.extend((prefix + key, target) for target in _linked_ids(field, one))
    return found


def _linked_ids(field: Field, value: Any) -> list[str]:
    if value is None:
        return []
    if field.field_type == "link":
        return [value]
    if field.field_type == "links":
        return list(value)
    return dast.referenced_ids(value)["record"]


def merged_upload_metadata(
    upload: Upload, changes: Mapping[str, Mapping[str, Any]], locales: tuple[str, ...]
) -> dict[str, dict[str, Any]]:
    if not isinstance(changes, Mapping) or not set(changes) <= set(locales):
        raise InvalidFieldValue(
            f"default_field_metadata is keyed by locale ({', '.join(locales)}), e.g. "
            '{"en": {"alt": "A harbour at dawn"}}; got ' + repr(changes) + ".",
            field="default_field_metadata",
        )
    merged = {locale: dict(values) for locale, values in upload.default_field_metadata.items()}
    for locale, values in changes.items():
        if not isinstance(values, Mapping) or not set(values) <= UPLOAD_METADATA_KEYS:
            raise InvalidFieldValue(
                f"default_field_metadata.{locale} takes some of "
                f"{', '.join(sorted(UPLOAD_METADATA_KEYS))}; got {values!r}.",
                field="default_field_metadata",
                locale=locale,
            )
        for key in ("alt", "title"):
            if values.get(key) is not None and not isinstance(values[key], str):
                raise InvalidFieldValue(
                    f"default_field_metadata.{locale}.{key} must be a string.",
                    field="default_field_metadata",
                    locale=locale,
                )
        focal = values.get("focal_point")
        if focal is not None and not (
            isinstance(focal, Mapping)
            and set(focal) == {"x", "y"}
            and all(isinstance(focal[k], int | float) and 0 <= focal[k] <= 1 for k in "xy")
        ):
            raise InvalidFieldValue(
                f"default_field_metadata.{locale}.focal_point must be {{'x': 0..1, 'y': 0..1}}.",
                field="default_field_metadata",
                locale=locale,
            )
        merged.setdefault(locale, {}).update(values)
    return merged
