"""A project's schema as the CMA describes it: locales, models and block models, fields.

``ProjectSchema`` is what payload validation (``datocms_app.cma.validation``) and the typed
module of ``manage.py datocms_schema`` (``datocms_app.cma.codegen``) are made from. A client
reads it once per environment with one request, ``GET /site?include=item_types,
item_types.fields``, and keeps it; build one by hand with ``ProjectSchema.build`` from the
simple-shaped dicts ``client.item_types.list()`` and ``client.fields.list()`` return.

Immutable values; no I/O here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from datocms_app.cma import jsonapi
from datocms_app.exceptions import InvalidArgument

__all__ = ["SCHEMA_INCLUDE", "FieldSchema", "ItemTypeSchema", "ProjectSchema"]

#: The ``include`` of ``GET /site`` that brings the whole schema in one answer.
SCHEMA_INCLUDE = "item_types,item_types.fields"

#: Validators that list the block models a field accepts, by field type.
BLOCK_VALIDATORS = {
    "rich_text": ("rich_text_blocks",),
    "single_block": ("single_block_blocks",),
    "structured_text": ("structured_text_blocks", "structured_text_inline_blocks"),
}
#: Validators that list the models whose records a field may link to, by field type.
LINK_VALIDATORS = {
    "link": "item_item_type",
    "links": "items_item_type",
    "structured_text": "structured_text_links",
}


@dataclass(frozen=True, slots=True)
class FieldSchema:
    """One field of a model or block model."""

    id: str
    api_key: str
    field_type: str
    localized: bool = False
    validators: Mapping[str, Any] = field(default_factory=dict)
    label: str = ""
    position: int = 0

    def allowed_item_types(self, validator: str) -> frozenset[str] | None:
        """The model ids ``validator`` (e.g. ``rich_text_blocks``) lists; None without it."""
        settings = self.validators.get(validator)
        if not isinstance(settings, Mapping):
            return None
        return frozenset(str(item_type) for item_type in settings.get("item_types") or ())


@dataclass(frozen=True, slots=True)
class ItemTypeSchema:
    """A model (``modular_block`` False) or block model, with its fields by position."""

    id: str
    api_key: str
    name: str = ""
    modular_block: bool = False
    all_locales_required: bool = False
    sortable: bool = False
    tree: bool = False
    singleton: bool = False
    fields: tuple[FieldSchema, ...] = ()

    @property
    def kind(self) -> str:
        return "block model" if self.modular_block else "model"

    def field(self, api_key: str) -> FieldSchema | None:
        for candidate in self.fields:
            if candidate.api_key == api_key:
                return candidate
        return None


@dataclass(frozen=True, slots=True)
class ProjectSchema:
    """The locales and item types of one environment of a project."""

    locales: tuple[str, ...]
    item_types: tuple[ItemTypeSchema, ...]
    name: str = ""

    def by_id(self, item_type_id: str) -> ItemTypeSchema | None:
        for item_type in self.item_types:
            if item_type.id == item_type_id:
                return item_type
        return None

    def by_api_key(self, api_key: str) -> ItemTypeSchema | None:
        for item_type in self.item_types:
            if item_type.api_key == api_key:
                return item_type
        return None

    @classmethod
    def build(
        cls,
        *,
        locales: Iterable[str],
        item_types: Iterable[Mapping[str, Any]],
        fields: Iterable[Mapping[str, Any]],
        name: str = "",
    ) -> ProjectSchema:
        """A schema from simple-shaped item types and fields (each field with its
        ``item_type`` linkage), as ``client.item_types.list()``/``fields.list()`` return."""
        by_item_type: dict[str, list[FieldSchema]] = {}
        for raw in fields:
            owner = _required(raw, "item_type", "field")
            by_item_type.setdefault(jsonapi.to_id(owner, "model"), []).append(_field(raw))
        models = []
        for raw in item_types:
            item_type_id = str(_required(raw, "id", "item type"))
            own_fields = sorted(by_item_type.get(item_type_id, ()), key=lambda f: f.position)
            models.append(
                ItemTypeSchema(
                    id=item_type_id,
                    api_key=str(_required(raw, "api_key", "item type")),
                    name=str(raw.get("name") or ""),
                    modular_block=bool(raw.get("modular_block")),
                    all_locales_required=bool(raw.get("all_locales_required")),
                    sortable=bool(raw.get("sortable")),
                    tree=bool(raw.get("tree")),
                    singleton=bool(raw.get("singleton")),
                    fields=tuple(own_fields),
                )
            )
        locale_list = tuple(locales)
        if not locale_list or not all(isinstance(locale, str) for locale in locale_list):
            raise InvalidArgument(
                f"locales must be the project's locale codes, such as ['en', 'it'], got "
                f"{locale_list!r}."
            )
        return cls(locales=locale_list, item_types=tuple(models), name=name)

    @classmethod
    def from_site_document(cls, document: Any) -> ProjectSchema:
        """The schema in the answer to ``GET /site?include=item_types,item_types.fields``."""
        site = jsonapi.deserialize(document)
        included = document.get("included") if isinstance(document, Mapping) else None
        if not isinstance(site, dict) or not isinstance(included, list):
            raise InvalidArgument(
                "The answer to GET /site?include=item_types,item_types.fields has no "
                "'included' list: is CMA_URL DatoCMS's Content Management API?"
            )
        entities = [jsonapi.deserialize_entity(e) for e in included if isinstance(e, Mapping)]
        return cls.build(
            locales=site.get("locales") or (),
            item_types=[e for e in entities if e.get("type") == "item_type"],
            fields=[e for e in entities if e.get("type") == "field"],
            name=str(site.get("name") or ""),
        )


def _required(raw: Mapping[str, Any], key: str, what: str) -> Any:
    if not isinstance(raw, Mapping) or raw.get(key) in (None, ""):
        raise InvalidArgument(f"A {what} needs {key!r}, got {raw!r}.")
    return raw[key]


def _field(raw: Mapping[str, Any]) -> FieldSchema:
    validators = raw.get("validators")
    position = raw.get("position")
    return FieldSchema(
        id=str(_required(raw, "id", "field")),
        api_key=str(_required(raw, "api_key", "field")),
        field_type=str(_required(raw, "field_type", "field")),
        localized=bool(raw.get("localized")),
        validators=dict(validators) if isinstance(validators, Mapping) else {},
        label=str(raw.get("label") or ""),
        position=position if isinstance(position, int) else 0,
    )
