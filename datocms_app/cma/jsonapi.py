"""JSON:API documents to and from the "simple" shape of DatoCMS's JS client.

The CMA speaks JSON:API: ``{"data": {"id", "type", "attributes", "relationships", "meta"}}``.
Callers work with the simple shape instead, as ``@datocms/cma-client`` does: ``id``,
``type``, every attribute and every relationship's linkage at the top level, and ``meta``::

    {"id": "hWl-mnkWRYmMCSTq4z_piQ", "type": "item", "title": "My first blog post!",
     "item_type": {"type": "item_type", "id": "DxMaW10UQiCmZcuuA-IkkA"}, "meta": {...}}

``serialize`` is ``serializeRequestBody`` of ``@datocms/rest-client-utils`` and
``deserialize`` its ``deserializeResponseBody``. Field values — blocks included, which the
CMA reads and writes as whole JSON:API resources — pass through untouched. ``query_params``
is its ``buildNormalizedParams``: ``{"filter": {"type": "dog"}}`` is ``filter[type]=dog``.

Pure functions: no I/O, no settings.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Collection, Mapping
from typing import Any

from datocms_app.cma.types import ItemTypeRef
from datocms_app.exceptions import InvalidArgument

__all__ = [
    "deserialize",
    "dumps",
    "item_type_ref",
    "query_params",
    "serialize",
    "to_id",
]


#: What an id (or an API key standing for one) is made of: URL-safe without escaping.
ID = re.compile(r"[A-Za-z0-9_-]+")


def to_id(value: object, what: str = "record") -> str:
    """The id in ``value``: an id string, a resource (``{"id": ...}``) or a schema marker
    (a class with ``ID``, as ``manage.py datocms_schema`` writes them)."""
    found = value
    if isinstance(value, Mapping):
        found = value.get("id")
    elif isinstance(value, type):
        found = getattr(value, "ID", None)
    if isinstance(found, str) and ID.fullmatch(found):
        return found
    raise InvalidArgument(
        f"Expected a {what} id (a string such as 'hWl-mnkWRYmMCSTq4z_piQ', or a {what} with "
        f"an 'id'), got {_short(value)}."
    )


def item_type_ref(value: object) -> ItemTypeRef:
    """``{"type": "item_type", "id": ...}`` for an id, a linkage or a schema marker."""
    return {"type": "item_type", "id": to_id(value, "model (item type)")}


def _linkage(name: str, value: object, default_type: str | None) -> Any:
    if value is None:
        return None
    if isinstance(value, list):
        return [_linkage(name, entry, default_type) for entry in value]
    if isinstance(value, Mapping) and isinstance(value.get("type"), str):
        return {"type": value["type"], "id": to_id(value, name)}
    if default_type is None:
        raise InvalidArgument(
            f"{name} must be a {{'type': ..., 'id': ...}} linkage, got {_short(value)}."
        )
    return {"type": default_type, "id": to_id(value, name)}


def serialize(
    payload: Mapping[str, Any],
    *,
    type: str,
    attributes: Collection[str] | None,
    relationships: Mapping[str, str | None],
    id: str | None = None,
) -> dict[str, Any]:
    """The JSON:API document for a simple-shaped ``payload``.

    ``attributes`` lists the attribute names the resource takes (None: every key that is not
    a relationship, as for records whose attributes are their fields); ``relationships`` maps
    each relationship name to the type of its linkage (None when the caller must give it,
    such as a record's polymorphic ``creator``). ``type`` in the payload is ignored.
    """
    if not isinstance(payload, Mapping):
        raise InvalidArgument(f"The {type} payload must be a dict, got {_short(payload)}.")
    resource: dict[str, Any] = {}
    own_id = payload.get("id", id)
    if own_id is not None:
        resource["id"] = to_id(own_id, type)
    resource["type"] = type
    found_attributes: dict[str, Any] = {}
    found_relationships: dict[str, Any] = {}
    for key, value in payload.items():
        if key in ("id", "type", "meta"):
            continue
        if key in relationships:
            found_relationships[key] = {"data": _linkage(key, value, relationships[key])}
        elif attributes is None or key in attributes:
            found_attributes[key] = value
        else:
            known = sorted({*attributes, *relationships})
            raise InvalidArgument(
                f"The {type} resource has no attribute {key!r}; it takes: {', '.join(known)}."
            )
    if found_attributes:
        resource["attributes"] = found_attributes
    if found_relationships:
        resource["relationships"] = found_relationships
    meta = payload.get("meta")
    if meta:
        if not isinstance(meta, Mapping):
            raise InvalidArgument(f"meta must be a dict, got {_short(meta)}.")
        resource["meta"] = dict(meta)
    return {"data": resource}


def deserialize_entity(entity: Mapping[str, Any]) -> dict[str, Any]:
    """One JSON:API resource in the simple shape: id, type, attributes, linkages, meta."""
    # On every answer: one pass, no copy but the result. ``(dict, Mapping)``: ``json.loads``
    # makes dicts, recognised at once; the ``Mapping`` check alone is much slower.
    get = entity.get
    simple: dict[str, Any] = {}
    if value := get("id"):
        simple["id"] = value
    if value := get("type"):
        simple["type"] = value
    attributes = get("attributes")
    if isinstance(attributes, (dict, Mapping)):
        simple.update(attributes)
    relationships = get("relationships")
    if isinstance(relationships, (dict, Mapping)):
        for name, relationship in relationships.items():
            simple[name] = (
                relationship.get("data") if isinstance(relationship, (dict, Mapping)) else None
            )
    if value := get("meta"):
        simple["meta"] = value
    return simple


def deserialize(document: Any) -> Any:
    """The simple shape of a JSON:API document's ``data`` (a dict, or a list of dicts)."""
    data = document.get("data") if isinstance(document, (dict, Mapping)) else None
    if isinstance(data, (dict, Mapping)):
        return deserialize_entity(data)
    if isinstance(data, list):
        return [
            deserialize_entity(entity) for entity in data if isinstance(entity, (dict, Mapping))
        ]
    raise InvalidArgument(
        f"Expected a JSON:API document with 'data', got {_short(document)}: is CMA_URL the "
        "Content Management API?"
    )


def _json_default(value: object) -> str:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} {_short(value)} is not JSON-serialisable")


def dumps(document: Any) -> bytes:
    """A request body: compact UTF-8 JSON; ``date``/``datetime`` values as ISO 8601."""
    try:
        return json.dumps(
            document, ensure_ascii=False, separators=(",", ":"), default=_json_default
        ).encode()
    except (TypeError, ValueError) as exc:
        raise InvalidArgument(f"The payload must be JSON-serialisable: {exc}.") from exc


def query_params(params: Mapping[str, Any]) -> tuple[tuple[str, str], ...]:
    """Query parameters in the CMA's bracket notation; None values are left out."""
    pairs: list[tuple[str, str]] = []

    def add(key: str, value: Any) -> None:
        if value is None:
            return
        if isinstance(value, bool):
            pairs.append((key, "true" if value else "false"))
        elif isinstance(value, str | int | float):
            pairs.append((key, str(value)))
        elif isinstance(value, Mapping):
            for name, inner in value.items():
                add(f"{key}[{name}]", inner)
        elif isinstance(value, list | tuple):
            for inner in value:
                add(f"{key}[]", inner)
        else:
            raise InvalidArgument(f"Query parameter {key!r} cannot be {_short(value)}.")

    for name, value in params.items():
        add(name, value)
    return tuple(pairs)


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."
