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

from collections.abc import Callable
from typing import Any

from datocms_app.emulator.entities import (
    current_version,
    item_entity,
    item_type_entity,
    upload_entity,
)
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
