"""Changing a project's schema: a new model (or block model), a new field on a model.

Pure functions from a ``ProjectSchema`` and the CMA's attributes to the new schema, checked
with the rules that load a content project (``content_schema.build_model``, ``build_field``):
validators name existing models by id or API key, links point to models and block fields
to block models, block models have no localized field. ``ContentEditor.create_model`` and
``create_field`` commit the result; the store then starts a new schema generation (the
GraphQL schema is rebuilt) and invalidates the ``schema`` cache tag. Records are not
rewritten: a new field reads as null (or its default) until a record is saved.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from datocms_app.emulator.content_schema import build_field, build_model, check_field_references
from datocms_app.emulator.exceptions import ContentError, InvalidFieldValue, UnknownModel
from datocms_app.emulator.project import Field, Model, ProjectSchema

__all__ = ["model_ids", "with_field", "with_model"]


def model_ids(schema: ProjectSchema) -> dict[str, str]:
    """Every model's id and API key, mapped to its API key (how validators name models)."""
    ids = {model.api_key: model.api_key for model in schema.models.values()}
    ids.update({model.id: model.api_key for model in schema.models.values()})
    return ids


def with_model(schema: ProjectSchema, attributes: Mapping[str, Any]) -> tuple[ProjectSchema, Model]:
    """``schema`` plus a model built from ``attributes`` (``id``, ``api_key``, ``name``...),
    without fields; ``InvalidFieldValue`` if the API key or id is taken or invalid."""
    api_key = attributes.get("api_key")
    if api_key in schema.models:
        raise InvalidFieldValue(
            f"The API key {api_key!r} is already used by a model.", field="api_key"
        )
    if any(model.id == attributes.get("id") for model in schema.models.values()):
        raise InvalidFieldValue(f"The id {attributes.get('id')!r} is already used.", field="id")
    try:
        model = build_model({**attributes, "fields": []}, model_ids(schema), "item type")
    except ContentError as exc:
        raise InvalidFieldValue(str(exc)) from exc
    models = {**schema.models, model.api_key: model}
    return dataclasses.replace(schema, models=models), model


def with_field(
    schema: ProjectSchema, model_key: str, attributes: Mapping[str, Any], *, position: int | None
) -> tuple[ProjectSchema, Field]:
    """``schema`` with a field built from ``attributes`` added to model ``model_key`` at
    ``position`` (1-based; None: last)."""
    model = schema.models.get(model_key)
    if model is None:
        raise UnknownModel(f"No model {model_key!r}.")
    api_key = attributes.get("api_key")
    if api_key in model.fields_by_key:
        raise InvalidFieldValue(
            f"Model {model.api_key!r} already has a field {api_key!r}.", field="api_key"
        )
    if any(f.id == attributes.get("id") for m in schema.models.values() for f in m.fields):
        raise InvalidFieldValue(f"The id {attributes.get('id')!r} is already used.", field="id")
    where = f"field {api_key!r} of {model.api_key!r}"
    try:
        field = build_field(attributes, model_ids(schema), where, model.api_key)
        check_field_references(field, schema.models, where)
    except ContentError as exc:
        raise InvalidFieldValue(str(exc), field=_offending(str(exc))) from exc
    if model.modular_block and field.localized:
        raise InvalidFieldValue(
            f"{where}: block models cannot have localized fields in the emulator; localize "
            "the field that holds the blocks instead.",
            field="localized",
        )
    fields = list(model.fields)
    index = len(fields) if position is None else max(0, min(position - 1, len(fields)))
    fields.insert(index, field)
    title_field = model.title_field
    if title_field is None and field.field_type == "string":
        title_field = field.api_key
    changed = dataclasses.replace(
        model, fields=tuple(fields), fields_by_key={}, title_field=title_field
    )
    return dataclasses.replace(schema, models={**schema.models, model.api_key: changed}), field


def _offending(message: str) -> str | None:
    for attribute in ("api_key", "field_type", "validators", "appearance"):
        if f".{attribute}" in message:
            return attribute
    return None
