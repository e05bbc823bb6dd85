"""Models, fields and the site: the schema endpoints, each written once as a flow.

``client.item_types``, ``client.fields`` and ``client.site`` (``datocms_app.cma.resources``
and ``async_resources``) run them. Creating a model or a field makes the client read the
schema again before it next validates a payload. Attribute and relationship names are those
of DatoCMS's JS client.
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
        answer = yield from client.call_flow("POST", path, body=body, environment=environment)
    finally:
        client.forget_schema(environment)
    found: Record = jsonapi.deserialize(answer)
    return found


class ItemTypeCalls:
    """``GET /item-types``, ``GET /item-types/:id``, ``POST /item-types``."""

    def __init__(self, client: BaseClient) -> None:
        self.client = client

    def list(self, environment: str | None) -> Flow[Effect, list[Record]]:
        answer = yield from self.client.call_flow("GET", "/item-types", environment=environment)
        found: list[Record] = jsonapi.deserialize(answer)
        return found

    def find(self, item_type: object, environment: str | None) -> Flow[Effect, Record]:
        """A model or block model by id, API key or ``Schema.X``."""
        key = jsonapi.to_id(item_type, "model")
        answer = yield from self.client.call_flow(
            "GET", f"/item-types/{key}", environment=environment
        )
        found: Record = jsonapi.deserialize(answer)
        return found

    def create(self, payload: Mapping[str, Any], environment: str | None) -> Flow[Effect, Record]:
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

    def list(self, item_type: object, environment: str | None) -> Flow[Effect, list[Record]]:
        key = jsonapi.to_id(item_type, "model")
        answer = yield from self.client.call_flow(
            "GET", f"/item-types/{key}/fields", environment=environment
        )
        found: list[Record] = jsonapi.deserialize(answer)
        return found

    def create(
        self, item_type: object, payload: Mapping[str, Any], environment: str | None
    ) -> Flow[Effect, Record]:
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

    def find(self, include: str | None, environment: str | None) -> Flow[Effect, Record]:
        """The site (``locales``, ``name``, ...); ``include`` as in the docs, such as
        ``"item_types"`` (the included resources stay out of the simple shape)."""
        answer = yield from self.client.call_flow(
            "GET", "/site", params={"include": include}, environment=environment
        )
        found: Record = jsonapi.deserialize(answer)
        return found
