"""The site, models (``item_type``) and fields of the emulated CMA.

=======================================  ===================================================
``GET /site``                            ``?include=item_types,item_types.fields``: the
                                         whole schema in one answer
``GET /item-types``, ``/item-types/:id`` models and block models (id or API key)
``POST /item-types``                     201; a new model or block model
``GET /item-types/:id/fields``           its fields, in order
``POST /item-types/:id/fields``          an asynchronous job (202), as on DatoCMS
``GET /fields/:id``                      one field
=======================================  ===================================================

A new model or field changes the schema: the CDA's GraphQL schema is rebuilt and the
``schema`` cache tag invalidated (its webhook sent). Attributes are checked as DatoCMS checks
them (API keys' format and uniqueness, ``VALIDATION_UNIQUENESS`` with the seeds' details;
block models without draft/published, sorting or tree; the validators each field type
requires) before the change is tried.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from datocms_app.emulator.changes import ContentEditor, new_record_id
from datocms_app.emulator.cma.errors import refused
from datocms_app.emulator.cma.exchange import Answer, CMARequest
from datocms_app.emulator.cma.item_payloads import model_named
from datocms_app.emulator.cma.items import refusal_of
from datocms_app.emulator.cma.params import client_id, known_attributes, resource
from datocms_app.emulator.cma.routing import Router
from datocms_app.emulator.content_schema import RESERVED_FIELD_KEYS
from datocms_app.emulator.entities import field_entity, item_type_entity, site_entity
from datocms_app.emulator.exceptions import ContentChangeError
from datocms_app.emulator.project import FIELD_TYPES, Model
from datocms_app.emulator.store import StoreState

__all__ = ["register"]

API_KEY = re.compile(r"^[a-z](?:[a-z0-9_]*[a-z0-9])?$")
MODEL_ATTRIBUTES = frozenset(
    {"name", "api_key", "singleton", "all_locales_required", "sortable", "modular_block",
     "draft_mode_active", "draft_saving_active", "tree", "ordering_direction", "ordering_meta",
     "collection_appearance", "collection_appeareance", "hint",
     "inverse_relationships_enabled"}
)  # fmt: skip
FIELD_ATTRIBUTES = frozenset(
    {"label", "field_type", "api_key", "localized", "validators", "appearance", "appeareance",
     "position", "hint", "default_value", "deep_filtering_enabled"}
)  # fmt: skip
#: Validators each field type must have (Content Management API > Field).
REQUIRED_VALIDATORS = {
    "link": ("item_item_type",),
    "links": ("items_item_type",),
    "rich_text": ("rich_text_blocks",),
    "single_block": ("single_block_blocks",),
    "structured_text": ("structured_text_blocks", "structured_text_links"),
}
_NOT_FOR_BLOCKS = ("singleton", "sortable", "tree", "draft_mode_active")
SITE_INCLUDES = frozenset({"item_types", "item_types.fields", "item_types.fieldsets",
                           "item_types.singleton_item", "account"})  # fmt: skip


def register(router: Router) -> None:
    router.add("/site", GET=find_site)
    router.add("/item-types", GET=list_item_types, POST=create_item_type)
    router.add("/item-types/:id", GET=find_item_type)
    router.add("/item-types/:id/fields", GET=list_fields, POST=create_field)
    router.add("/fields/:id", GET=find_field)


def _model(state: StoreState, reference: str) -> Model:
    model = model_named(state.schema, reference)
    if model is None:
        raise refused("NOT_FOUND", f"No model or block model {reference!r}.", id=reference)
    return model


def _item_type(state: StoreState, model: Model) -> dict[str, Any]:
    singleton_item = None
    if model.singleton:
        singleton_item = next(
            (r.id for r in state.records.values() if r.model == model.api_key), None
        )
    return item_type_entity(
        model, singleton_item=singleton_item, has_singleton_item=singleton_item is not None
    )


# -- site -------------------------------------------------------------------------------------


def find_site(request: CMARequest) -> Answer:
    request.params.unknown({"include"})
    include = {path.strip() for path in (request.params.text("include") or "").split(",")}
    include.discard("")
    unknown = sorted(include - SITE_INCLUDES)
    if unknown:
        raise refused(
            "INVALID_PARAMS",
            f"include: {', '.join(unknown)} cannot be included; allowed: "
            f"{', '.join(sorted(SITE_INCLUDES))}.",
        )
    state = request.state
    document: dict[str, Any] = {"data": site_entity(state.site, state.schema)}
    included: list[dict[str, Any]] = []
    if include & {"item_types", "item_types.fields"}:
        included.extend(_item_type(state, model) for model in state.schema.models.values())
    if "item_types.fields" in include:
        included.extend(
            field_entity(field, model, state.schema)
            for model in state.schema.models.values()
            for field in model.fields
        )
    if include:
        document["included"] = included
    return Answer(200, document)


# -- models -----------------------------------------------------------------------------------


def list_item_types(request: CMARequest) -> Answer:
    state = request.state
    return Answer(200, {"data": [_item_type(state, m) for m in state.schema.models.values()]})


def find_item_type(request: CMARequest) -> Answer:
    state = request.state
    return Answer(200, {"data": _item_type(state, _model(state, request.value("id")))})


def create_item_type(request: CMARequest) -> Answer:
    request.params.unknown({"skip_menu_item_creation", "menu_item_id", "schema_menu_item_id"})
    data = resource(request.body, "item_type")
    assert data is not None
    attributes = known_attributes(data, MODEL_ATTRIBUTES, "item type")
    _relationships_are_empty(data)
    model_id = _new_id(data, "item type")
    for name in ("name", "api_key"):
        if not isinstance(attributes.get(name), str) or not attributes[name].strip():
            raise _missing(name, "ItemType")
    with request.editor.locked() as state:
        _api_key(attributes["api_key"], taken=set(state.schema.models), record_type="ItemType")
        if attributes.get("modular_block"):
            for name in _NOT_FOR_BLOCKS:
                if attributes.get(name):
                    raise refused(
                        "INVALID_FIELD",
                        f"{name} must be false for block models.",
                        field=name,
                        code="VALIDATION_INVALID",
                    )
        raw = {key: value for key, value in attributes.items() if key != "collection_appeareance"}
        if "collection_appeareance" in attributes:
            raw.setdefault("collection_appearance", attributes["collection_appeareance"])
        raw.setdefault("draft_mode_active", False)
        try:
            result = request.editor.create_model({**raw, "id": model_id})
        except ContentChangeError as exc:
            raise refusal_of(exc) from exc
        assert result.model is not None
        return Answer(201, {"data": _item_type(request.state, result.model)})


# -- fields -----------------------------------------------------------------------------------


def list_fields(request: CMARequest) -> Answer:
    state = request.state
    model = _model(state, request.value("id"))
    return Answer(200, {"data": [field_entity(f, model, state.schema) for f in model.fields]})


def find_field(request: CMARequest) -> Answer:
    state = request.state
    field_id = request.value("id")
    for model in state.schema.models.values():
        for field in model.fields:
            if field.id == field_id:
                return Answer(200, {"data": field_entity(field, model, state.schema)})
    raise refused("NOT_FOUND", f"No field with id {field_id!r}.", id=field_id)


def create_field(request: CMARequest) -> Answer:
    """Checked now (so a mistake answers at once), created by a job (as on DatoCMS)."""
    data = resource(request.body, "field")
    assert data is not None
    attributes = known_attributes(data, FIELD_ATTRIBUTES, "field")
    _relationships_are_empty(data)
    field_id = _new_id(data, "field")
    model = _model(request.state, request.value("id"))
    for name in ("label", "field_type", "api_key"):
        if not isinstance(attributes.get(name), str) or not attributes[name].strip():
            raise _missing(name, "Field")
    raw = _field_attributes(attributes, model, field_id)
    position = attributes.get("position")
    if position is not None and (isinstance(position, bool) or not isinstance(position, int)):
        raise refused(
            "INVALID_FIELD", "position must be an integer.", field="position",
            code="VALIDATION_INVALID",
        )  # fmt: skip
    _create_field(request.editor.dry_run(), model.api_key, raw, position)

    def create() -> Answer:
        with request.editor.locked():
            result = _create_field(request.editor, model.api_key, raw, position)
            assert result.field is not None
            assert result.model is not None
            state = request.state
            return Answer(
                201,
                {
                    "data": field_entity(result.field, result.model, state.schema),
                    "included": [_item_type(state, result.model)],
                },
            )

    return Answer(202, {"data": {"type": "job", "id": request.cma.jobs.submit(create)}})


def _create_field(
    editor: ContentEditor, model_key: str, raw: Mapping[str, Any], position: int | None
) -> Any:
    state = editor.store.state
    model = state.schema.models.get(model_key)
    if model is None:
        raise refused("NOT_FOUND", f"The model {model_key!r} was deleted.")
    _api_key(raw["api_key"], taken=set(model.fields_by_key), record_type="Field")
    try:
        return editor.create_field(model_key, raw, position=position)
    except ContentChangeError as exc:
        raise refusal_of(exc) from exc


def _field_attributes(attributes: Mapping[str, Any], model: Model, field_id: str) -> dict[str, Any]:
    field_type = attributes["field_type"]
    if field_type not in FIELD_TYPES:
        raise refused(
            "INVALID_FIELD",
            f"field_type {field_type!r} is not one the emulator supports: "
            f"{', '.join(sorted(FIELD_TYPES))}.",
            field="field_type",
            code="VALIDATION_INCLUSION",
        )
    if attributes["api_key"] in RESERVED_FIELD_KEYS:
        raise refused(
            "INVALID_FIELD",
            f"{attributes['api_key']!r} is reserved; choose another API key.",
            field="api_key",
            code="VALIDATION_EXCLUSION",
        )
    validators = attributes.get("validators") or {}
    if not isinstance(validators, Mapping):
        raise refused(
            "INVALID_FIELD", 'validators must be an object such as {"required": {}}.',
            field="validators", code="VALIDATION_INVALID",
        )  # fmt: skip
    missing = [name for name in REQUIRED_VALIDATORS.get(field_type, ()) if name not in validators]
    if missing:
        raise refused(
            "INVALID_FIELD",
            f"A {field_type} field needs the validator(s) {', '.join(missing)} (which models "
            f"it accepts), e.g. {{{missing[0]!r}: {{'item_types': ['<model id>']}}}}.",
            field="validators",
            code="VALIDATION_REQUIRED",
            validators=missing,
        )
    raw = {
        key: value for key, value in attributes.items() if key not in ("position", "appeareance")
    }
    if "appeareance" in attributes:
        raw.setdefault("appearance", attributes["appeareance"])
    return {**raw, "validators": dict(validators), "id": field_id}


# -- shared checks ----------------------------------------------------------------------------


def _relationships_are_empty(data: Mapping[str, Any]) -> None:
    for name, link in (data.get("relationships") or {}).items():
        if isinstance(link, Mapping) and link.get("data") is not None:
            raise refused(
                "INVALID_FIELD",
                f"The emulator cannot set {name} when creating (it has no such setting to "
                "point at yet); leave it null.",
                field=name,
                code="VALIDATION_INVALID",
            )


def _new_id(data: Mapping[str, Any], what: str) -> str:
    return client_id(data, what) or new_record_id()


def _missing(name: str, record_type: str) -> Exception:
    return refused(
        "INVALID_FIELD",
        f"{name} is required.",
        field=name,
        code="VALIDATION_REQUIRED",
        record_type=record_type,
    )


def _api_key(api_key: str, *, taken: set[str], record_type: str) -> None:
    if not API_KEY.match(api_key):
        raise refused(
            "INVALID_FIELD",
            f"api_key {api_key!r} must be lowercase letters, digits and underscores, starting "
            "with a letter (e.g. 'blog_post').",
            field="api_key",
            code="VALIDATION_FORMAT",
            record_type=record_type,
        )
    if api_key in taken:
        raise refused(
            "INVALID_FIELD",
            f"api_key {api_key!r} is already taken.",
            field="api_key",
            code="VALIDATION_UNIQUENESS",
            record_type=record_type,
        )
