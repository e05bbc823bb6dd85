"""The emulator's content store: immutable snapshots, changes, and the tags they invalidate.

``ContentStore`` holds the current ``StoreState`` — schema, site, uploads and records — and
replaces it atomically on every change: a request takes ``store.state`` once and reads a
consistent snapshot however many changes land meanwhile. Each change is a ``Change``
(before/after); ``store.invalidated_tags(change)`` lists the cache tags it invalidates (see
``cache_tags``), and subscribers (``store.subscribe``) hear of every change with those tags:
the emulator's webhooks (``events``, ``webhooks``) build on that.

The store never touches the disk: ``ContentStore.from_directory`` loads once, and changes
live in memory until the process ends.
"""

from __future__ import annotations

import itertools
import logging
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, TypeVar

from datocms_app.emulator import cache_tags, project
from datocms_app.emulator.content import load_project
from datocms_app.exceptions import InvalidArgument

__all__ = ["VIEWS", "Change", "ContentStore", "Listener", "StoreState", "changed_fields"]

logger = logging.getLogger("datocms_app.emulator")

VIEWS: tuple[project.View, ...] = ("published", "draft")
ChangeKind = Literal["record", "upload", "site", "schema"]


@dataclass(frozen=True, slots=True)
class Change:
    """One change to the content: ``before`` and ``after`` (None when created or deleted)."""

    kind: ChangeKind
    before: Any
    after: Any

    @property
    def id(self) -> str | None:
        """The record's or upload's id (None for site and schema changes)."""
        subject = self.after if self.after is not None else self.before
        return getattr(subject, "id", None) if self.kind in ("record", "upload") else None

    @property
    def action(self) -> Literal["create", "update", "delete"]:
        if self.before is None:
            return "create"
        return "delete" if self.after is None else "update"


Listener = Callable[[Change, list[str]], None]
_Item = TypeVar("_Item", project.Record, project.Upload)
#: The records of a model that a view sees, each with the version it sees.
VisibleRecords = list[tuple[project.Record, project.RecordVersion]]


def _replace_by_id(
    kind: Literal["record", "upload"],
    item_type: type[_Item],
    table: dict[str, _Item],
    replaced: Iterable[_Item],
    deleted: Iterable[str],
    changes: list[Change],
) -> None:
    """Put ``replaced`` into ``table`` by id, then take ``deleted`` out; note each change."""
    for item in replaced:
        if not isinstance(item, item_type):
            raise InvalidArgument(f"{kind}s must be {item_type.__name__} objects, got {item!r}.")
        before = table.get(item.id)
        table[item.id] = item
        if before != item:
            changes.append(Change(kind, before, item))
    for item_id in deleted:
        removed = table.pop(item_id, None)
        if removed is None:
            raise InvalidArgument(f"No {kind} with id {item_id!r} to delete.")
        changes.append(Change(kind, removed, None))


class SchemaSlot:
    """Per-schema-generation cache the GraphQL layer fills (compiled schemas, documents)."""

    def __init__(self, generation: int) -> None:
        self.generation = generation
        self.lock = threading.Lock()
        self.values: dict[Any, Any] = {}


@dataclass(frozen=True, eq=False)
class StoreState:
    """An immutable snapshot of the content. ``version`` grows with every change."""

    version: int
    schema: project.ProjectSchema
    site: project.Site
    uploads: Mapping[str, project.Upload]
    records: Mapping[str, project.Record]
    slot: SchemaSlot
    directory: Path | None = None
    _visible: dict[tuple[str, project.View], VisibleRecords] = field(
        default_factory=dict, repr=False
    )

    def visible(self, model: str, view: project.View) -> VisibleRecords:
        """The records of ``model`` that exist in ``view``, with the version it sees."""
        key = (model, view)
        found = self._visible.get(key)
        if found is None:
            found = []
            for record in self.records.values():
                if record.model == model:
                    version = record.version(view)
                    if version is not None:
                        found.append((record, version))
            found.sort(key=lambda pair: (pair[0].created_at, pair[0].id))
            self._visible[key] = found
        return found


class ContentStore:
    """The live content of an emulator. Thread-safe; every read goes through ``state``."""

    def __init__(self, content: project.ProjectContent) -> None:
        self._lock = threading.RLock()
        self._generations = itertools.count(1)
        self._listeners: list[Listener] = []
        self._state = StoreState(
            version=1,
            schema=content.schema,
            site=content.site,
            uploads=dict(content.uploads),
            records=dict(content.records),
            slot=SchemaSlot(next(self._generations)),
            directory=content.directory,
        )

    @classmethod
    def from_directory(cls, directory: str | Path) -> ContentStore:
        return cls(load_project(directory))

    @property
    def state(self) -> StoreState:
        """The current snapshot (take it once per request)."""
        return self._state

    # -- changing content -----------------------------------------------------------------

    def commit(
        self,
        *,
        records: Iterable[project.Record] = (),
        deleted_records: Iterable[str] = (),
        uploads: Iterable[project.Upload] = (),
        deleted_uploads: Iterable[str] = (),
        site: project.Site | None = None,
        schema: project.ProjectSchema | None = None,
    ) -> list[Change]:
        """Apply several changes atomically; returns them (listeners hear each one).

        Records and uploads are created or replaced by id. The caller (the CMA emulation)
        is responsible for the values being valid for the schema.
        """
        with self._lock:
            old = self._state
            new_records = dict(old.records)
            new_uploads = dict(old.uploads)
            changes: list[Change] = []
            if schema is not None and schema != old.schema:
                changes.append(Change("schema", old.schema, schema))
            if site is not None and site != old.site:
                changes.append(Change("site", old.site, site))
            _replace_by_id("record", project.Record, new_records, records, deleted_records, changes)
            _replace_by_id("upload", project.Upload, new_uploads, uploads, deleted_uploads, changes)
            if not changes:
                return []
            new_schema = schema if schema is not None else old.schema
            new_site = site if site is not None else old.site
            reshaped = new_schema != old.schema or new_site.locales != old.site.locales
            self._state = StoreState(
                version=old.version + 1,
                schema=new_schema,
                site=new_site,
                uploads=new_uploads,
                records=new_records,
                slot=SchemaSlot(next(self._generations)) if reshaped else old.slot,
                directory=old.directory,
            )
            for change in changes:
                self._notify(change)
            return changes

    def put_record(self, record: project.Record) -> Change | None:
        """Create or replace a record; the change, or None when nothing changed."""
        changes = self.commit(records=[record])
        return changes[0] if changes else None

    def delete_record(self, record_id: str) -> Change:
        return self.commit(deleted_records=[record_id])[0]

    def put_upload(self, upload: project.Upload) -> Change | None:
        changes = self.commit(uploads=[upload])
        return changes[0] if changes else None

    def delete_upload(self, upload_id: str) -> Change:
        return self.commit(deleted_uploads=[upload_id])[0]

    def put_site(self, site: project.Site) -> Change | None:
        changes = self.commit(site=site)
        return changes[0] if changes else None

    def reload(self, content: project.ProjectContent) -> list[Change]:
        """Replace everything with ``content`` (e.g. re-read from disk), as fine changes."""
        with self._lock:
            old = self._state
            return self.commit(
                schema=content.schema,
                site=content.site,
                records=content.records.values(),
                deleted_records=[r for r in old.records if r not in content.records],
                uploads=content.uploads.values(),
                deleted_uploads=[u for u in old.uploads if u not in content.uploads],
            )

    # -- listening ------------------------------------------------------------------------

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call ``listener(change, invalidated_tags)`` after every change; returns unsubscribe."""
        with self._lock:
            self._listeners.append(listener)

        def unsubscribe() -> None:
            with self._lock:
                if listener in self._listeners:
                    self._listeners.remove(listener)

        return unsubscribe

    def _notify(self, change: Change) -> None:
        invalidated = self.invalidated_tags(change)
        for listener in list(self._listeners):
            try:
                listener(change, invalidated)
            except Exception:
                logger.exception("An emulator content listener failed on %s", change.kind)

    # -- invalidation ---------------------------------------------------------------------

    def invalidated_tags(self, change: Change | Iterable[Change]) -> list[str]:
        """The cache tags a change (or several) invalidates, sorted, without duplicates."""
        changes = [change] if isinstance(change, Change) else list(change)
        found: set[str] = set()
        for one in changes:
            found |= _invalidated(one)
        return sorted(found)


def _invalidated(change: Change) -> set[str]:
    if change.kind == "schema":
        return {cache_tags.schema_tag()}
    if change.kind == "site":
        found = {cache_tags.site_tag()}
        if change.before is None or change.before.locales != change.after.locales:
            found.add(cache_tags.schema_tag())
        return found
    if change.kind == "upload":
        return {cache_tags.upload_tag(change.id or ""), cache_tags.uploads_tag()}
    before: project.Record | None = change.before
    after: project.Record | None = change.after
    subject = after if after is not None else before
    assert subject is not None
    found = set()
    for view in VIEWS:
        old = before.version(view) if before is not None else None
        new = after.version(view) if after is not None else None
        if old is None and new is None:
            continue
        if (old is None) != (new is None):
            found.add(cache_tags.record_tag(view, subject.id))
            found.add(cache_tags.collection_tag(view, subject.model))
            continue
        assert before is not None
        assert after is not None
        fields = changed_fields(before, after, view)
        if fields:
            found.add(cache_tags.record_tag(view, subject.id))
            found.update(cache_tags.field_tag(view, subject.model, name) for name in fields)
    return found


def changed_fields(before: project.Record, after: project.Record, view: project.View) -> set[str]:
    """API keys of the fields and meta fields that differ between two records in ``view``."""
    old, new = before.version(view), after.version(view)
    assert old is not None
    assert new is not None
    found: set[str] = set()
    if old is not new:
        keys = set(old.fields) | set(new.fields)
        found.update(key for key in keys if old.fields.get(key) != new.fields.get(key))
        if old.blocks != new.blocks:
            # Block contents are not filterable, but the record's answer changed.
            found.add("_blocks")
        if old.updated_at != new.updated_at:
            found.add("_updatedAt")
        if old.is_valid != new.is_valid:
            found.add("_isValid")
        if old.locales != new.locales:
            found.add("_locales")
    meta = {
        "_status": (before.status_in(view), after.status_in(view)),
        "_publishedAt": (before.published_at, after.published_at),
        "_firstPublishedAt": (before.first_published_at, after.first_published_at),
        "_createdAt": (before.created_at, after.created_at),
        "_publicationScheduledAt": (
            before.publication_scheduled_at,
            after.publication_scheduled_at,
        ),
        "_unpublishingScheduledAt": (
            before.unpublishing_scheduled_at,
            after.unpublishing_scheduled_at,
        ),
        "position": (before.position, after.position),
        "parent": (before.parent_id, after.parent_id),
    }
    found.update(name for name, (a, b) in meta.items() if a != b)
    return found
