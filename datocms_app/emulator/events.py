"""What DatoCMS would send for a change to the emulator's content.

``connect(store, dispatcher)`` subscribes a ``WebhookDispatcher`` to a ``ContentStore``: for
every change it emits the record (``item``) or ``upload`` lifecycle events DatoCMS documents
(General concepts > Webhooks > "Webhook events for record lifecycle changes"), then one
``cda_cache_tags``/``invalidate`` event with the tags the change invalidates
(``store.invalidated_tags``). Entities are serialized as the CMA does (JSON:API objects with
``attributes``, ``relationships`` and ``meta``); a record's ``related_entities`` hold its model.

Nothing here does I/O: the dispatcher's thread delivers. It must never raise into the store's
commit (listener errors are logged by the store).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from typing import Any

from datocms_app.emulator.project import Model, ProjectSchema, Record, Upload
from datocms_app.emulator.store import Change, ContentStore
from datocms_app.emulator.webhooks import WebhookDispatcher

__all__ = [
    "connect",
    "current_version",
    "emit_change",
    "item_entity",
    "item_type_entity",
    "record_events",
    "upload_entity",
]

#: The emulator's stand-in for the CMA token that made every change.
CREATOR = {"id": "emulator", "type": "access_token"}


def connect(store: ContentStore, dispatcher: WebhookDispatcher) -> Callable[[], None]:
    """Emit webhooks for every future change of ``store``; returns the unsubscribe function."""

    def on_change(change: Change, tags: list[str]) -> None:
        emit_change(dispatcher, change, tags, store.state.schema)

    return store.subscribe(on_change)


def emit_change(
    dispatcher: WebhookDispatcher, change: Change, tags: list[str], schema: ProjectSchema
) -> None:
    """Queue the webhook calls DatoCMS makes for ``change`` (which invalidated ``tags``)."""
    if change.kind == "record":
        subject: Record = change.after if change.after is not None else change.before
        model = schema.models.get(subject.model)
        if model is not None and not model.modular_block:
            filter_ids = {"item": [subject.id], "item_type": [model.id, model.api_key]}
            related = [item_type_entity(model)]
            for event, entity, previous in _record_payloads(change, model):
                dispatcher.emit(
                    "item",
                    event,
                    entity,
                    previous_entity=previous,
                    related_entities=related,
                    filter_ids=filter_ids,
                )
    elif change.kind == "upload":
        upload: Upload = change.after if change.after is not None else change.before
        dispatcher.emit(
            "upload",
            change.action,
            upload_entity(upload),
            filter_ids={"upload": [upload.id]},
        )
    dispatcher.invalidate_cache_tags(tags)


def record_events(change: Change) -> list[str]:
    """The ``item`` events of a record change, in the order DatoCMS sends them."""
    before: Record | None = change.before
    after: Record | None = change.after
    if before is None:
        assert after is not None
        return ["create", "publish"] if after.published is not None else ["create"]
    if after is None:
        return ["unpublish", "delete"] if before.published is not None else ["delete"]
    events = []
    if _content_changed(before, after):
        events.append("update")
    if after.published is not None and not _same_version(before.published, after.published):
        events.append("publish")
    if before.published is not None and after.published is None:
        events.append("unpublish")
    return events or ["update"]


def _record_payloads(
    change: Change, model: Model
) -> list[tuple[str, dict[str, Any], dict[str, Any] | None]]:
    before: Record | None = change.before
    after: Record | None = change.after
    payloads = []
    for event in record_events(change):
        # A deleted record is described as it was (DatoCMS: "even though record is gone").
        subject = after if after is not None else before
        assert subject is not None
        previous = item_entity(before, model) if event == "update" and before is not None else None
        payloads.append((event, item_entity(subject, model), previous))
    return payloads


def _content_changed(before: Record, after: Record) -> bool:
    old, new = before.current, after.current
    scheduling = (
        before.publication_scheduled_at != after.publication_scheduled_at
        or before.unpublishing_scheduled_at != after.unpublishing_scheduled_at
        or before.position != after.position
        or before.parent_id != after.parent_id
    )
    return scheduling or (
        old is not new
        and (old.fields != new.fields or old.blocks != new.blocks or old.locales != new.locales)
    )


def _same_version(old: Any, new: Any) -> bool:
    return old is new or (old is not None and new is not None and old == new)


# -- CMA serialization ----------------------------------------------------------------------


def current_version(record: Record) -> str:
    """A stable id for the record's latest version (the CMA's ``meta.current_version``)."""
    digest = hashlib.blake2b(
        f"{record.id}\x1f{record.current.updated_at}".encode(), digest_size=6
    ).digest()
    return str(int.from_bytes(digest, "big"))


def item_entity(record: Record, model: Model) -> dict[str, Any]:
    """A record as the CMA serializes it (blocks as ids, JSON fields as JSON strings)."""
    attributes = {
        field.api_key: _cma_value(
            field.field_type, field.localized, record.current.fields.get(field.api_key)
        )
        for field in model.fields
    }
    published = record.published
    return {
        "id": record.id,
        "type": "item",
        "attributes": attributes,
        "relationships": {
            "item_type": {"data": {"id": model.id, "type": "item_type"}},
            "creator": {"data": dict(CREATOR)},
        },
        "meta": {
            "created_at": record.created_at,
            "updated_at": record.current.updated_at,
            "published_at": record.published_at,
            "first_published_at": record.first_published_at,
            "publication_scheduled_at": record.publication_scheduled_at,
            "unpublishing_scheduled_at": record.unpublishing_scheduled_at,
            "status": record.status,
            "is_current_version_valid": record.current.is_valid,
            "is_published_version_valid": published.is_valid if published is not None else None,
            "is_valid": record.current.is_valid,
            "current_version": current_version(record),
            "stage": None,
            "has_children": None,
        },
    }


def _cma_value(field_type: str, localized: bool, value: Any) -> Any:
    if field_type != "json" or value is None:
        return value
    if localized and isinstance(value, Mapping):
        return {locale: _json_string(one) for locale, one in value.items()}
    return _json_string(value)


def _json_string(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False)


def item_type_entity(model: Model) -> dict[str, Any]:
    """A model as the CMA serializes it (the ``related_entities`` of record events)."""
    title = next((f for f in model.fields if f.api_key == model.title_field), None)
    image = next((f for f in model.fields if f.api_key == model.image_preview_field), None)
    return {
        "id": model.id,
        "type": "item_type",
        "attributes": {
            "name": model.name,
            "api_key": model.api_key,
            "singleton": model.singleton,
            "sortable": model.sortable,
            "modular_block": model.modular_block,
            "tree": model.tree,
            "draft_mode_active": model.draft_mode_active,
            "all_locales_required": model.all_locales_required,
        },
        "relationships": {
            "fields": {"data": [{"id": f.id, "type": "field"} for f in model.fields]},
            "title_field": {"data": {"id": title.id, "type": "field"} if title else None},
            "image_preview_field": {"data": {"id": image.id, "type": "field"} if image else None},
        },
    }


def upload_entity(upload: Upload) -> dict[str, Any]:
    """An upload as the CMA serializes it (the attributes the emulator knows)."""
    try:
        size: int | None = upload.path.stat().st_size
    except OSError:
        size = None
    video = upload.video
    # A video upload's Mux attributes (the CMA has them for every upload, null for images).
    mux = {} if video is None else {
        "width": video.width,
        "height": video.height,
        "duration": round(video.duration),
        "frame_rate": round(video.framerate),
        "mux_playback_id": video.mux_playback_id,
        "mux_mp4_highest_res": "high",
        "is_image": False,
        "mime_type": "video/mp4",
    }  # fmt: skip
    return {
        "id": upload.id,
        "type": "upload",
        "attributes": {
            **mux,
            "size": size,
            "path": f"/{upload.id}/{upload.filename}",
            "filename": upload.filename,
            "basename": upload.basename,
            "format": upload.path.suffix.lstrip(".").lower() or None,
            "author": upload.author,
            "copyright": upload.copyright,
            "notes": upload.notes,
            "tags": list(upload.tags),
            "default_field_metadata": {
                locale: dict(values) for locale, values in upload.default_field_metadata.items()
            },
            "created_at": upload.created_at,
            "updated_at": upload.updated_at,
        },
    }
