"""A record's CMA payload turned into field values, with the CMA's rules applied.

``read_create`` and ``read_update`` take the ``attributes`` of a ``POST /items`` or ``PUT
/items/:id`` and answer the field values for ``ContentEditor``, after:

* **blocks**: new blocks are full objects with ``relationships.item_type``; an existing
  block is kept by its id, or changed by an object with its ``id`` and only the attributes
  that change (the others are kept) — at any depth, in modular content, single blocks and
  structured text (*Creating and updating blocks*);
* **localization** (*Update a record*, "Updating Localized Fields"): every localized field
  of a record has the same locales; an update sends a localized field's whole set of
  locales (a locale left out is removed), so adding or removing a locale means sending every
  localized field; a token limited to some locales (``TOKEN_LOCALES``) sends only those, and
  the others are kept as they are. Creating a record needs at least one locale
  (``MISSING_LOCALES``); ``all_locales_required`` needs every locale's key;
* **defaults**: a field left out of a new record gets its ``default_value``; an explicit
  ``null`` in a string or text field is stored as ``""``, as DatoCMS does.

``saving_check`` is the ``VersionCheck`` of CMA saves: validators (unless the model allows
invalid drafts) and links to unpublished records when the save publishes.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from datocms_app.emulator import dast
from datocms_app.emulator.change_checks import linked_records, resend_one, resendable
from datocms_app.emulator.changes import VersionCheck
from datocms_app.emulator.cma.errors import refused
from datocms_app.emulator.cma.exchange import CMARequest
from datocms_app.emulator.exceptions import CMARefused
from datocms_app.emulator.project import Block, Field, Model, ProjectSchema, Record, RecordVersion
from datocms_app.emulator.store import StoreState
from datocms_app.emulator.validation import version_violations

__all__ = ["ItemChanges", "model_named", "read_create", "read_update", "saving_check"]

_PLACEMENT = ("position", "parent_id")
_EMPTY_STRING_TYPES = frozenset({"string", "text"})
_BLOCK_KEYS = frozenset({"id", "type", "item_type", "attributes", "relationships", "meta",
                         "__itemTypeId"})  # fmt: skip


@dataclass(frozen=True, slots=True)
class ItemChanges:
    """What a payload asks for: field values, and where the record goes in a tree."""

    fields: dict[str, Any]
    position: int | None = None
    parent_id: str | None = None


def model_named(schema: ProjectSchema, reference: Any) -> Model | None:
    """The model whose id (or API key) is ``reference``."""
    if not isinstance(reference, str):
        return None
    return next(
        (m for m in schema.models.values() if m.id == reference), schema.models.get(reference)
    )


# -- attributes -------------------------------------------------------------------------------


def _split(model: Model, attributes: Mapping[str, Any]) -> tuple[dict[str, Any], ItemChanges]:
    placement = {"position"} if model.sortable or model.tree else set()
    if model.tree:
        placement.add("parent_id")
    unknown = sorted(set(attributes) - set(model.fields_by_key) - placement)
    if unknown:
        hints = []
        for name in unknown:
            close = difflib.get_close_matches(name, model.fields_by_key, n=1)
            if close:
                hints.append(f"{name!r} (did you mean {close[0]!r}?)")
        raise refused(
            "INVALID_ATTRIBUTES",
            f"Model {model.api_key!r} has no field(s) {', '.join(unknown)}"
            + (f": {', '.join(hints)}" if hints else "")
            + f"; its fields are {', '.join(model.fields_by_key) or '(none)'}.",
            attributes=unknown,
            item_type=model.id,
        )
    fields = {k: v for k, v in attributes.items() if k in model.fields_by_key}
    return fields, ItemChanges(
        fields={}, position=attributes.get("position"), parent_id=attributes.get("parent_id")
    )


def read_create(request: CMARequest, model: Model, attributes: Mapping[str, Any]) -> ItemChanges:
    """The field values of a new record of ``model``."""
    state = request.state
    given, placement = _split(model, attributes)
    fields = {
        key: _incoming(state, field, given[key], {}, writable=request.writable_locales)
        for key, field in model.fields_by_key.items()
        if key in given
    }
    localized = [f for f in model.fields if f.localized]
    if localized:
        target = _target_locales(model, fields, given)
        if not any(fields.get(field.api_key) for field in localized):
            raise refused(
                "MISSING_LOCALES",
                f"A {model.api_key!r} record needs a value in at least one locale: give its "
                f"localized fields ({', '.join(f.api_key for f in localized)}) as objects "
                f"keyed by locale, e.g. {{{state.site.locales[0]!r}: ...}}.",
            )
        for field in localized:
            if field.api_key not in fields:
                default = field.default_value if isinstance(field.default_value, Mapping) else {}
                fields[field.api_key] = {locale: default.get(locale) for locale in target}
        _check_locales(state, model, fields, given)
    for field in model.fields:
        if field.api_key not in fields and not field.localized and field.default_value is not None:
            fields[field.api_key] = field.default_value
    return ItemChanges(fields, placement.position, placement.parent_id)


def read_update(
    request: CMARequest, record: Record, model: Model, attributes: Mapping[str, Any]
) -> ItemChanges:
    """The fields a ``PUT /items/:id`` changes, each with its final value."""
    state = request.state
    given, placement = _split(model, attributes)
    known = record.current.blocks
    current = record.current.fields
    writable = request.writable_locales
    fields = {}
    for key, value in given.items():
        field = model.fields_by_key[key]
        incoming = _incoming(state, field, value, known, writable=writable)
        if field.localized and writable is not None:
            kept = {
                locale: resend_one(field, one)
                for locale, one in (current.get(key) or {}).items()
                if locale not in writable
            }
            incoming = {**kept, **incoming}
        fields[key] = incoming
    if model.localized:
        final = {
            key: fields[key] if key in fields else resendable(field, current.get(key))
            for key, field in model.fields_by_key.items()
            if field.localized
        }
        _check_locales(state, model, final, given)
    return ItemChanges(fields, placement.position, placement.parent_id)


# -- one value --------------------------------------------------------------------------------


def _incoming(
    state: StoreState,
    field: Field,
    value: Any,
    known: Mapping[str, Block],
    *,
    writable: frozenset[str] | None,
) -> Any:
    if not field.localized:
        return _one(state, field, value, known)
    if value is None:
        value = {}
    if not isinstance(value, Mapping):
        raise refused(
            "INVALID_FIELD",
            f"Field {field.api_key!r} is localized: give an object keyed by locale "
            f"({', '.join(state.site.locales)}), e.g. {{{state.site.locales[0]!r}: ...}}.",
            field=field.api_key,
            code="VALIDATION_INVALID",
        )
    unknown = sorted(set(value) - set(state.site.locales))
    if unknown:
        raise refused(
            "INVALID_FIELD",
            f"Field {field.api_key!r} has values for unknown locale(s) {', '.join(unknown)}; "
            f"the project's locales are {', '.join(state.site.locales)}.",
            field=field.api_key,
            code="VALIDATION_INVALID_LOCALE",
            locales=unknown,
        )
    if writable is not None and not set(value) <= writable:
        forbidden = sorted(set(value) - writable)
        raise refused(
            "INSUFFICIENT_PERMISSIONS",
            f"This API token may only write the locales {', '.join(sorted(writable))}; "
            f"field {field.api_key!r} sends {', '.join(forbidden)}. Send only the locales "
            "the token manages: the others are kept as they are.",
            field=field.api_key,
            locales=forbidden,
        )
    return {locale: _one(state, field, one, known) for locale, one in value.items()}


def _one(state: StoreState, field: Field, value: Any, known: Mapping[str, Block]) -> Any:
    if value is None:
        return "" if field.field_type in _EMPTY_STRING_TYPES else None
    if field.field_type == "rich_text" and isinstance(value, list):
        return [_block(state, field, item, known) for item in value]
    if field.field_type == "single_block":
        return _block(state, field, value, known)
    if field.field_type == "structured_text":
        return dast.with_block_items(value, lambda kind, item: _block(state, field, item, known))
    return value


def _block(state: StoreState, field: Field, value: Any, known: Mapping[str, Block]) -> Any:
    """A block of the payload in the form ``FieldValues`` stores: an id (kept as it is) or
    ``{"id"?, "item_type": <block model API key>, ...fields}`` with every field given."""
    if not isinstance(value, Mapping):
        return value
    jsonapi = "attributes" in value or "relationships" in value
    attributes = value.get("attributes") or {} if jsonapi else {
        k: v for k, v in value.items() if k not in _BLOCK_KEYS
    }  # fmt: skip
    if not isinstance(attributes, Mapping):
        return value
    reference = _item_type_of(value)
    block_id = value.get("id")
    existing = known.get(block_id) if isinstance(block_id, str) else None
    if existing is not None:
        model = state.schema.models[existing.model]
        named = model_named(state.schema, reference) if reference is not None else model
        if named is not model:
            raise refused(
                "INVALID_FIELD",
                f"Block {block_id!r} of field {field.api_key!r} is a {model.api_key!r}: a "
                f"block's model cannot change (send a new block instead).",
                field=field.api_key,
                code="VALIDATION_INVALID",
            )
        kept = {
            key: resendable(inner, existing.fields.get(key))
            for key, inner in model.fields_by_key.items()
            if key not in attributes
        }
    else:
        model = model_named(state.schema, reference)  # type: ignore[assignment]
        if model is None:
            raise refused(
                "INVALID_FIELD",
                f"A new block in field {field.api_key!r} needs its block model: "
                "relationships.item_type.data.id (buildBlockRecord({item_type: ...})); got "
                f"{reference!r}. To keep or change an existing block, give its id.",
                field=field.api_key,
                code="VALIDATION_INVALID",
            )
        kept = {}
    converted = {
        key: _one(state, model.fields_by_key[key], inner, known)
        if key in model.fields_by_key
        else inner
        for key, inner in attributes.items()
    }
    block: dict[str, Any] = {"item_type": model.api_key, **kept, **converted}
    if isinstance(block_id, str):
        block["id"] = block_id
    return block


def _item_type_of(value: Mapping[str, Any]) -> Any:
    relationships = value.get("relationships")
    if isinstance(relationships, Mapping):
        data = (relationships.get("item_type") or {}).get("data")
        if isinstance(data, Mapping):
            return data.get("id")
    item_type = value.get("item_type") or value.get("__itemTypeId")
    if isinstance(item_type, Mapping):
        return item_type.get("id")
    return item_type


# -- locales ----------------------------------------------------------------------------------


def _target_locales(model: Model, fields: Mapping[str, Any], given: Mapping[str, Any]) -> set[str]:
    """The locales the record's localized fields should all have: those of the first one
    the payload gives (when they disagree, ``_check_locales`` names the others), else those
    of the first one it has."""
    localized = [
        field.api_key
        for field in model.fields
        if field.localized and isinstance(fields.get(field.api_key), Mapping)
    ]
    ordered = sorted(localized, key=lambda key: key not in given)
    return set(fields[ordered[0]]) if ordered else set()


def _check_locales(
    state: StoreState, model: Model, final: Mapping[str, Any], given: Mapping[str, Any]
) -> None:
    """Every localized field has the same locales, all of them under
    ``all_locales_required``; one ``INVALID_FIELD`` per field that does not."""
    target = _target_locales(model, final, given)
    problems: list[CMARefused] = []
    for field in model.fields:
        value = final.get(field.api_key)
        if not field.localized or not isinstance(value, Mapping):
            continue
        locales = set(value)
        if locales != target:
            problems.append(
                refused(
                    "INVALID_FIELD",
                    f"Every localized field of a record must have the same locales: "
                    f"{field.api_key!r} would have {_listed(locales)} but the payload gives "
                    f"{_listed(target)}. To add or remove a locale, send every localized "
                    "field with the new set of locales.",
                    field=field.api_key,
                    code="VALIDATION_LOCALES_MISMATCH",
                    locales=sorted(locales),
                    expected_locales=sorted(target),
                )
            )
        elif model.all_locales_required and locales != set(state.site.locales):
            missing = sorted(set(state.site.locales) - locales)
            problems.append(
                refused(
                    "INVALID_FIELD",
                    f"Model {model.api_key!r} requires every locale: {field.api_key!r} lacks "
                    f"{', '.join(missing)} (a null value is fine, the key is required).",
                    field=field.api_key,
                    code="VALIDATION_REQUIRED_LOCALES",
                    locales=missing,
                )
            )
    if problems:
        raise problems[0].also(problems[1:])


def _listed(locales: set[str]) -> str:
    return ", ".join(sorted(locales)) or "no locale"


# -- checks before a save ---------------------------------------------------------------------


def saving_check(*, publishing: bool, record_id: str | None = None) -> VersionCheck:
    """Refuse an invalid version (``INVALID_FIELD`` per broken validator, unless the model
    has ``draft_saving_active``) and, when the save publishes, links to unpublished records
    (``UNPUBLISHED_LINK``)."""

    def check(state: StoreState, model: Model, version: RecordVersion) -> None:
        if not model.draft_saving_active or publishing:
            refuse_invalid(state, model, version)
        if publishing:
            refuse_unpublished_links(state, model, version, record_id)

    return check


def refuse_invalid(state: StoreState, model: Model, version: RecordVersion) -> None:
    problems: list[CMARefused] = []
    owners: list[tuple[Model, Mapping[str, Any], tuple[str, ...], Block | None]] = [
        (model, version.fields, version.locales, None)
    ]
    owners.extend(
        (state.schema.models[b.model], b.fields, state.schema.locales, b)
        for b in version.blocks.values()
    )
    for owner, fields, locales, block in owners:
        for violation in version_violations(owner, fields, locales):
            details: dict[str, Any] = {
                "field": violation.field,
                "code": f"VALIDATION_{violation.validator.upper()}",
            }
            if violation.locale:
                details["locale"] = violation.locale
            if block is not None:
                details.update(block_id=block.id, item_type=owner.id)
            where = f"block {block.id!r}: " if block is not None else ""
            problems.append(refused("INVALID_FIELD", f"{where}{violation}.", **details))
    if problems:
        raise problems[0].also(problems[1:])


def refuse_unpublished_links(
    state: StoreState, model: Model, version: RecordVersion, record_id: str | None
) -> None:
    unpublished = sorted(
        {
            target
            for _, target in linked_records(state, model, version)
            if target != record_id
            and (linked := state.records.get(target)) is not None
            and linked.published is None
        }
    )
    if unpublished:
        raise refused(
            "UNPUBLISHED_LINK",
            f"This record links to unpublished records ({', '.join(unpublished)}): publish "
            "them first, or remove the links.",
            unpublished_items=unpublished,
        )
