"""Typed shapes of CMA payload values, for type checkers (and the generated schema module).

``TypedDict``s cost nothing at run time and describe the plain dicts the client sends and
returns; ``manage.py datocms_schema`` writes a module that uses them for each field of each
model. Nothing here validates: ``datocms_app.cma.validation`` does, against the schema.
"""

from __future__ import annotations

from typing import Any, Literal, NotRequired, TypedDict

__all__ = [
    "BlockRecord",
    "Color",
    "FileValue",
    "FocalPoint",
    "ItemTypeLinkage",
    "ItemTypeRef",
    "LatLon",
    "Record",
    "Seo",
    "StructuredTextValue",
    "Video",
]

#: A record in the simple shape: ``id``, ``type``, ``item_type``, ``meta`` and its fields.
Record = dict[str, Any]


class ItemTypeRef(TypedDict):
    """A model's linkage: ``{"type": "item_type", "id": ...}`` (``Schema.X.REF``)."""

    type: Literal["item_type"]
    id: str


class ItemTypeLinkage(TypedDict):
    data: ItemTypeRef


class BlockRelationships(TypedDict):
    item_type: ItemTypeLinkage


class BlockRecord(TypedDict):
    """A block as the CMA takes it inside a field: a JSON:API resource."""

    type: Literal["item"]
    attributes: dict[str, Any]
    id: NotRequired[str]
    relationships: NotRequired[BlockRelationships]


class Color(TypedDict):
    red: int
    green: int
    blue: int
    alpha: int


class LatLon(TypedDict):
    latitude: float
    longitude: float


class FocalPoint(TypedDict):
    x: float
    y: float


class FileValue(TypedDict):
    """A single-asset field's value (and each entry of a gallery)."""

    upload_id: str
    alt: NotRequired[str | None]
    title: NotRequired[str | None]
    focal_point: NotRequired[FocalPoint | None]
    custom_data: NotRequired[dict[str, Any]]


class Seo(TypedDict, total=False):
    title: str | None
    description: str | None
    image: str | None
    twitter_card: Literal["summary", "summary_large_image"] | None
    no_index: bool | None


class Video(TypedDict):
    provider: Literal["youtube", "vimeo", "facebook"]
    provider_uid: str
    url: str
    width: int
    height: int
    thumbnail_url: str
    title: str


class StructuredTextValue(TypedDict):
    schema: Literal["dast"]
    document: dict[str, Any]
