"""The project's models and fields, as the CMA describes them, made ``schema.json``.

``build_schema_file`` turns the ``item_type`` and ``field`` resources of ``GET
/site?include=item_types,item_types.fields`` (in the simple shape) into the content
project's ``{"models": [...]}``: ids and API keys kept, fields in their ``position`` order,
validators naming models by id, as the CMA does. It also returns the
``ModelShape`` of every model, which the records' conversion follows. A field type the
emulator does not serve (the external ``video`` field) is left out with its values, and
editor-only settings it has no place for (fieldsets, workflows, a default ordering field,
presentation fields) are noted in the report. Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from datocms_app.emulator.content_schema import KEPT_MODEL_KEYS
from datocms_app.emulator.project import FIELD_TYPES
from datocms_app.emulator.snapshot.report import SnapshotError, SnapshotReport

__all__ = ["FieldShape", "ModelShape", "build_schema_file"]

#: Validators whose ``item_types`` name models.
MODEL_VALIDATORS = frozenset(
    {"item_item_type", "items_item_type", "rich_text_blocks", "single_block_blocks",
     "structured_text_blocks", "structured_text_inline_blocks", "structured_text_links"}
)  # fmt: skip
#: Model flags copied as they are.
MODEL_FLAGS = ("singleton", "modular_block", "sortable", "tree", "draft_mode_active",
               "all_locales_required", "draft_saving_active")  # fmt: skip
#: Field attributes copied as they are (when present).
FIELD_ATTRIBUTES = ("label", "hint", "default_value", "appearance", "deep_filtering_enabled")
#: Why a field type is not served.
UNSUPPORTED_TYPES = {
    "video": "external videos (YouTube, Vimeo, Facebook) are not emulated",
}
#: Model relationships that only shape DatoCMS's editor.
EDITOR_RELATIONSHIPS = {
    "presentation_title_field": "title_field",
    "presentation_image_field": "image_preview_field",
    "excerpt_field": None,
}


@dataclass(frozen=True, slots=True)
class FieldShape:
    """What converting a field's values needs to know."""

    api_key: str
    field_type: str
    localized: bool


@dataclass(frozen=True, slots=True)
class ModelShape:
    """A model or block model as the records' conversion sees it."""

    id: str
    api_key: str
    modular_block: bool
    sortable: bool
    tree: bool
    #: The fields written to schema.json, by API key, in order.
    fields: Mapping[str, FieldShape] = field(default_factory=dict)


def _linked_id(value: Any) -> str | None:
    if isinstance(value, Mapping) and isinstance(value.get("id"), str):
        return str(value["id"])
    return None


def _text(value: Any, what: str) -> str:
    if not isinstance(value, str) or not value:
        raise SnapshotError(
            f"The CMA answered a {what} without a name or API key ({value!r}): is the URL "
            "DatoCMS's Content Management API?"
        )
    return value


def build_schema_file(
    item_types: Sequence[Mapping[str, Any]],
    fields: Sequence[Mapping[str, Any]],
    report: SnapshotReport,
) -> tuple[dict[str, Any], dict[str, ModelShape]]:
    """``schema.json``'s content and every model's shape, by model id."""
    api_keys = {str(m.get("id")): _text(m.get("api_key"), "model") for m in item_types}
    fields_of: dict[str, list[Mapping[str, Any]]] = {model_id: [] for model_id in api_keys}
    for raw in fields:
        model_id = _linked_id(raw.get("item_type"))
        if model_id in fields_of:
            fields_of[model_id].append(raw)
    models: list[dict[str, Any]] = []
    shapes: dict[str, ModelShape] = {}
    for raw_model in item_types:
        model_id = str(raw_model.get("id"))
        api_key = api_keys[model_id]
        ordered = sorted(fields_of[model_id], key=lambda f: f.get("position") or 0)
        written = [_field(raw, api_key, api_keys, report) for raw in ordered]
        kept = [entry for entry in written if entry is not None]
        field_ids = {str(raw.get("id")): raw for raw in ordered}
        model = _model(raw_model, api_key, kept, field_ids, report)
        models.append(model)
        shapes[model_id] = ModelShape(
            id=model_id,
            api_key=api_key,
            modular_block=bool(model["modular_block"]),
            sortable=bool(model["sortable"]),
            tree=bool(model["tree"]),
            fields={
                entry["api_key"]: FieldShape(
                    entry["api_key"], entry["field_type"], entry["localized"]
                )
                for entry in kept
            },
        )
        report.fields += len(kept)
        if model["modular_block"]:
            report.block_models += 1
        else:
            report.models += 1
    return {"models": models}, shapes


def _model(
    raw: Mapping[str, Any],
    api_key: str,
    fields: list[dict[str, Any]],
    field_ids: Mapping[str, Mapping[str, Any]],
    report: SnapshotReport,
) -> dict[str, Any]:
    model: dict[str, Any] = {"id": str(raw.get("id")), "api_key": api_key,
                             "name": str(raw.get("name") or api_key)}  # fmt: skip
    for flag in MODEL_FLAGS:
        model[flag] = bool(raw.get(flag, False))
    if isinstance(raw.get("hint"), str):
        model["hint"] = raw["hint"]
    model.update({key: raw[key] for key in sorted(KEPT_MODEL_KEYS) if raw.get(key) is not None})
    written = {entry["api_key"]: entry for entry in fields}
    for option, expected in (("title_field", ("string",)), ("image_preview_field", ("file",))):
        chosen = field_ids.get(_linked_id(raw.get(option)) or "")
        if chosen is None:
            continue
        key = str(chosen.get("api_key"))
        if key in written and written[key]["field_type"] in expected:
            model[option] = key
        else:
            report.omit(
                f"model {api_key}: its {option} {key!r} is not a {expected[0]} field, which "
                "is all the emulator takes there"
            )
    # The presentation fields are DatoCMS's newer names for the title and image fields.
    editor_only = [
        name
        for name, same_as in EDITOR_RELATIONSHIPS.items()
        if _linked_id(raw.get(name)) not in (None, _linked_id(raw.get(same_as or "")))
    ]
    ordering = field_ids.get(_linked_id(raw.get("ordering_field")) or "")
    if ordering is not None:
        report.omit(
            f"model {api_key}: records are ordered by {ordering.get('api_key')!r} by default "
            "on DatoCMS, by creation on the emulator (pass orderBy)"
        )
    if _linked_id(raw.get("workflow")):
        editor_only.append("workflow")
    if raw.get("fieldsets"):
        editor_only.append("fieldsets")
    if editor_only:
        report.omit(f"model {api_key}: editor settings {', '.join(editor_only)}")
    model["fields"] = fields
    return model


def _field(
    raw: Mapping[str, Any], model_key: str, api_keys: Mapping[str, str], report: SnapshotReport
) -> dict[str, Any] | None:
    api_key = _text(raw.get("api_key"), f"field of {model_key}")
    field_type = str(raw.get("field_type"))
    if field_type not in FIELD_TYPES:
        reason = UNSUPPORTED_TYPES.get(field_type, "the emulator does not know this type")
        report.omit(
            f"field {model_key}.{api_key} ({field_type}: {reason}), and its values in records"
        )
        return None
    entry: dict[str, Any] = {"id": str(raw.get("id")), "api_key": api_key,
                             "field_type": field_type,
                             "localized": bool(raw.get("localized", False))}  # fmt: skip
    for name in FIELD_ATTRIBUTES:
        if raw.get(name) is not None:
            entry[name] = raw[name]
    validators: dict[str, Any] = {}
    for name, options in (raw.get("validators") or {}).items():
        if name in MODEL_VALIDATORS and isinstance(options, Mapping):
            ids = [str(one) for one in options.get("item_types") or []]
            missing = [one for one in ids if one not in api_keys]
            if missing:
                report.omit(
                    f"field {model_key}.{api_key}: validator {name} names models the CMA did not "
                    f"list ({', '.join(missing)})"
                )
            options = {**options, "item_types": [one for one in ids if one in api_keys]}
        validators[name] = options
    entry["validators"] = validators
    return entry
