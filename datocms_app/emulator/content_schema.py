"""Reading a content project's ``schema.json``: its models, block models and fields.

``build_schema`` checks the file as DatoCMS checks a schema (snake_case API keys, unique per
model, reserved field keys, the validators that say which models a link or a block field
accepts, blocks that are not singletons) and returns a ``ProjectSchema``; a mistake raises
``ContentError`` naming the model or field. ``build_model`` and ``build_field`` also check
the models and fields the CMA creates (``schema_changes``). It reads no file itself
(``content.load_project`` does).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from datocms_app.emulator.exceptions import ContentError
from datocms_app.emulator.project import FIELD_TYPES, Field, Model, ProjectSchema

__all__ = [
    "RESERVED_FIELD_KEYS",
    "build_field",
    "build_model",
    "build_schema",
    "check_field_references",
    "expect_object",
]

API_KEY = re.compile(r"^[a-z][a-z0-9_]*$")
RESERVED_FIELD_KEYS = frozenset(
    {"id", "type", "item_type", "meta", "creator", "parent_id", "position", "children",
     "parent", "attributes", "relationships"}
)  # fmt: skip
#: CMA attributes a model keeps as given without using them (``Model.extra``).
KEPT_MODEL_KEYS = frozenset(
    {"collection_appearance", "ordering_direction", "ordering_meta",
     "inverse_relationships_enabled"}
)  # fmt: skip
#: CMA attributes a schema file may carry that the emulator has no use for.
IGNORED_MODEL_KEYS = frozenset(
    {"ordering_field", "type", "workflow", "presentation_title_field",
     "presentation_image_field", "excerpt_field", "meta"}
)  # fmt: skip
IGNORED_FIELD_KEYS = frozenset({"position", "type", "fieldset"})
_LINK_VALIDATORS = {"link": "item_item_type", "links": "items_item_type"}
_BLOCK_VALIDATORS = {
    "rich_text": "rich_text_blocks",
    "single_block": "single_block_blocks",
    "structured_text": "structured_text_blocks",
}


def build_schema(raw: Any, locales: tuple[str, ...], where: str) -> ProjectSchema:
    """The ``ProjectSchema`` of ``schema.json``'s JSON (``where`` names it in messages)."""
    expect_object(raw, where, {"models"})
    models_raw = raw.get("models")
    if not isinstance(models_raw, list):
        raise ContentError(f"{where}: 'models' must be a list of models and block models.")
    ids: dict[str, str] = {}
    for index, model in enumerate(models_raw):
        model_where = f"{where}: models[{index}]"
        expect_object(model, model_where, None)
        key = model.get("api_key")
        if not isinstance(key, str) or not API_KEY.match(key):
            raise ContentError(
                f"{model_where}.api_key: expected a snake_case API key, got {key!r}."
            )
        if key in ids.values():
            raise ContentError(f"{model_where}: two models have the API key {key!r}.")
        ids[str(model.get("id") or key)] = key
    models = {}
    for model in models_raw:
        built = build_model(model, ids, f"{where}: {model['api_key']}")
        models[built.api_key] = built
    for model in models.values():
        for field in model.fields:
            check_field_references(field, models, f"{where}: {model.api_key}.{field.api_key}")
    return ProjectSchema(models=models, locales=locales)


def build_model(raw: Mapping[str, Any], ids: Mapping[str, str], where: str) -> Model:
    """A ``Model`` from its schema.json/CMA attributes (``ids``: model id or API key -> API
    key, for the validators); ``ContentError`` naming ``where`` if it is not one."""
    known = {"id", "api_key", "name", "singleton", "modular_block", "sortable", "tree",
             "draft_mode_active", "all_locales_required", "title_field",
             "image_preview_field", "fields", "draft_saving_active", "hint"}  # fmt: skip
    unknown = set(raw) - known - KEPT_MODEL_KEYS - IGNORED_MODEL_KEYS
    if unknown:
        raise ContentError(
            f"{where}: unknown model attribute(s) {', '.join(sorted(unknown))}; "
            f"known: {', '.join(sorted(known))}."
        )
    fields_raw = raw.get("fields", [])
    if not isinstance(fields_raw, list):
        raise ContentError(f"{where}.fields: expected a list of fields.")
    fields = [build_field(f, ids, f"{where}.fields[{i}]", raw["api_key"]) for i, f in
              enumerate(fields_raw)]  # fmt: skip
    keys = [f.api_key for f in fields]
    if len(set(keys)) != len(keys):
        raise ContentError(f"{where}: two fields share an API key.")
    block = bool(raw.get("modular_block", False))
    if block and (raw.get("singleton") or any(f.localized for f in fields)):
        raise ContentError(
            f"{where}: a block model cannot be a singleton nor have localized fields "
            "(localize the field that holds the blocks instead)."
        )
    for option in ("title_field", "image_preview_field"):
        value = raw.get(option)
        expected = ("string",) if option == "title_field" else ("file",)
        if value is not None and not any(
            f.api_key == value and f.field_type in expected for f in fields
        ):
            raise ContentError(
                f"{where}.{option}: {value!r} is not a {expected[0]} field of the model."
            )
    title_field = raw.get("title_field") or next(
        (f.api_key for f in fields if f.field_type == "string"), None
    )
    return Model(
        id=str(raw.get("id") or raw["api_key"]),
        api_key=raw["api_key"],
        name=str(raw.get("name") or raw["api_key"].replace("_", " ").capitalize()),
        fields=tuple(fields),
        singleton=bool(raw.get("singleton", False)),
        modular_block=block,
        sortable=bool(raw.get("sortable", False)),
        tree=bool(raw.get("tree", False)),
        draft_mode_active=bool(raw.get("draft_mode_active", True)),
        all_locales_required=bool(raw.get("all_locales_required", False)),
        title_field=title_field,
        image_preview_field=raw.get("image_preview_field"),
        draft_saving_active=bool(raw.get("draft_saving_active", False)),
        hint=raw.get("hint") if isinstance(raw.get("hint"), str) else None,
        extra={key: raw[key] for key in KEPT_MODEL_KEYS if key in raw},
    )


def build_field(raw: Any, ids: Mapping[str, str], where: str, model_key: str) -> Field:
    """A ``Field`` of model ``model_key`` from its schema.json/CMA attributes."""
    known = {"id", "api_key", "field_type", "label", "localized", "validators", "hint",
             "default_value", "appearance", "deep_filtering_enabled"}  # fmt: skip
    expect_object(raw, where, known | IGNORED_FIELD_KEYS)
    key = raw.get("api_key")
    if not isinstance(key, str) or not API_KEY.match(key) or key in RESERVED_FIELD_KEYS:
        raise ContentError(
            f"{where}.api_key: expected a snake_case API key that is not one of "
            f"{', '.join(sorted(RESERVED_FIELD_KEYS))}; got {key!r}."
        )
    field_type = raw.get("field_type")
    if field_type not in FIELD_TYPES:
        raise ContentError(
            f"{where}.field_type: {field_type!r} is not supported; use one of "
            f"{', '.join(sorted(FIELD_TYPES))}."
        )
    validators = raw.get("validators") or {}
    if not isinstance(validators, Mapping):
        raise ContentError(f'{where}.validators: expected an object like {{"required": {{}}}}.')
    appearance = raw.get("appearance")
    if appearance is not None and not isinstance(appearance, Mapping):
        raise ContentError(
            f'{where}.appearance: expected an object like {{"editor": "single_line", '
            '"parameters": {}, "addons": []}.'
        )

    def models_of(validator: str) -> tuple[str, ...]:
        options = validators.get(validator) or {}
        item_types = options.get("item_types", []) if isinstance(options, Mapping) else None
        if not isinstance(item_types, list):
            raise ContentError(f"{where}.validators.{validator}.item_types: expected a list.")
        resolved = []
        for item_type in item_types:
            if str(item_type) not in ids:
                raise ContentError(
                    f"{where}.validators.{validator}: no model with id or API key {item_type!r}."
                )
            resolved.append(ids[str(item_type)])
        return tuple(resolved)

    link_models: tuple[str, ...] = ()
    block_models: tuple[str, ...] = ()
    inline_models: tuple[str, ...] = ()
    if field_type in _LINK_VALIDATORS:
        link_models = models_of(_LINK_VALIDATORS[field_type])
    if field_type in _BLOCK_VALIDATORS:
        block_models = models_of(_BLOCK_VALIDATORS[field_type])
    if field_type == "structured_text":
        link_models = models_of("structured_text_links")
        inline_models = models_of("structured_text_inline_blocks")
    return Field(
        id=str(raw.get("id") or f"{model_key}.{key}"),
        api_key=key,
        field_type=field_type,
        label=str(raw.get("label") or key.replace("_", " ").capitalize()),
        localized=bool(raw.get("localized", False)),
        validators=dict(validators),
        hint=raw.get("hint"),
        link_models=link_models,
        block_models=block_models,
        inline_block_models=inline_models,
        default_value=raw.get("default_value"),
        appearance=dict(appearance) if isinstance(appearance, Mapping) else None,
        deep_filtering_enabled=bool(raw.get("deep_filtering_enabled", False)),
    )


def check_field_references(field: Field, models: Mapping[str, Model], where: str) -> None:
    """Links point to models and block fields embed block models (``ContentError``)."""
    for key in field.link_models:
        if models[key].modular_block:
            raise ContentError(f"{where}: links can only point to models, {key!r} is a block.")
    for key in (*field.block_models, *field.inline_block_models):
        if not models[key].modular_block:
            raise ContentError(
                f'{where}: {key!r} is not a block model (set "modular_block": true on it).'
            )


def expect_object(raw: Any, where: str, known: set[str] | frozenset[str] | None) -> None:
    """``raw`` is a JSON object with none but the ``known`` keys (any keys when None)."""
    if not isinstance(raw, Mapping):
        raise ContentError(f"{where}: expected a JSON object, got {type(raw).__name__}.")
    if known is not None:
        unknown = set(raw) - set(known)
        if unknown:
            raise ContentError(
                f"{where}: unknown key(s) {', '.join(sorted(unknown))}; "
                f"known keys: {', '.join(sorted(known))}."
            )
