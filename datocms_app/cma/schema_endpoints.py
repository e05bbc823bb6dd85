"""Models, fields and the site: the schema endpoints, each written once as a flow.

``client.item_types``, ``client.fields`` and ``client.site`` (``datocms_app.cma.resources``)
run them; each flow has the signature and docstring of its public method. Creating a model
or a field makes the client read the schema again before it next validates a payload.
Attribute and relationship names are those of DatoCMS's JS client.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from datocms_app.cma import jsonapi
from datocms_app.cma.protocol import Effect
from datocms_app.cma.types import Record
from datocms_app.flows import Flow

if TYPE_CHECKING:
    from datocms_app.cma.client import BaseClient

__all__ = ["FieldCalls", "ItemTypeCalls", "SiteCalls"]

ITEM_TYPE_ATTRIBUTES = (
    "name",
    "api_key",
    "singleton",
    "all_locales_required",
    "sortable",
    "modular_block",
    "draft_mode_active",
    "draft_saving_active",
    "tree",
    "ordering_direction",
    "ordering_meta",
    "collection_appearance",
    "hint",
    "inverse_relationships_enabled",
)
ITEM_TYPE_RELATIONSHIPS = {
    "ordering_field": "field",
    "presentation_title_field": "field",
    "presentation_image_field": "field",
    "title_field": "field",
    "image_preview_field": "field",
    "excerpt_field": "field",
    "workflow": "workflow",
}
FIELD_ATTRIBUTES = (
    "label",
    "field_type",
    "api_key",
    "localized",
    "validators",
    "appearance",
    "position",
    "hint",
    "default_value",
    "deep_filtering_enabled",
)
FIELD_RELATIONSHIPS = {"fieldset": "fieldset"}


def change_schema(
    client: BaseClient, path: str, body: Any, environment: str | None
) -> Flow[Effect, Record]:
    """POST a new model or field; the schema the client keeps is read again on next use."""
    try:
        found: Record = yield from client.simple_flow(
            "POST", path, body=body, environment=environment
        )
    finally:
        client.forget_schema(environment)
    return found


class ItemTypeCalls:
    """``GET /item-types``, ``GET /item-types/:id``, ``POST /item-types``."""

    def __init__(self, client: BaseClient) -> None:
        self.client = client

    def list(self, *, environment: str | None = None) -> Flow[Effect, list[Record]]:
        """Every model and block model of the project."""
        found: list[Record] = yield from self.client.simple_flow(
            "GET", "/item-types", environment=environment
        )
        return found

    def find(self, item_type: object, *, environment: str | None = None) -> Flow[Effect, Record]:
        """A model or block model by id, API key or ``Schema.X``."""
        path = f"/item-types/{jsonapi.to_id(item_type, 'model')}"
        found: Record = yield from self.client.simple_flow("GET", path, environment=environment)
        return found

    def create(
        self, payload: Mapping[str, Any], *, environment: str | None = None
    ) -> Flow[Effect, Record]:
        """``name``, ``api_key``, ``modular_block``, ``all_locales_required``, ..."""
        body = jsonapi.serialize(
            payload,
            type="item_type",
            attributes=ITEM_TYPE_ATTRIBUTES,
            relationships=ITEM_TYPE_RELATIONSHIPS,
        )
        return (yield from change_schema(self.client, "/item-types", body, environment))


class FieldCalls:
    """``GET /item-types/:id/fields``, ``POST /item-types/:id/fields``."""

    def __init__(self, client: BaseClient) -> None:
        self.client = client

    def list(
        self, item_type: object, *, environment: str | None = None
    ) -> Flow[Effect, list[Record]]:
        """The fields of a model or block model (by id, API key or ``Schema.X``)."""
        path = f"/item-types/{jsonapi.to_id(item_type, 'model')}/fields"
        found: list[Record] = yield from self.client.simple_flow(
            "GET", path, environment=environment
        )
        return found

    def create(
        self, item_type: object, payload: Mapping[str, Any], *, environment: str | None = None
    ) -> Flow[Effect, Record]:
        """``label``, ``api_key``, ``field_type``, ``localized``, ``validators``, ..."""
        key = jsonapi.to_id(item_type, "model")
        body = jsonapi.serialize(
            payload, type="field", attributes=FIELD_ATTRIBUTES, relationships=FIELD_RELATIONSHIPS
        )
        return (
            yield from change_schema(self.client, f"/item-types/{key}/fields", body, environment)
        )


class SiteCalls:
    """``GET /site``."""

    def __init__(self, client: BaseClient) -> None:
        self.client = client

    def find(
        self, *, include: str | None = None, environment: str | None = None
    ) -> Flow[Effect, Record]:
        """The site (``locales``, ``name``, ...); ``include`` as in the docs, such as
        ``"item_types"`` (the included resources stay out of the simple shape)."""
        found: Record = yield from self.client.simple_flow(
            "GET", "/site", params={"include": include}, environment=environment
        )
        return found
