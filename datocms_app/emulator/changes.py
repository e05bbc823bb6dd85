"""Content changes to the emulator, in the CMA's terms: records, uploads' metadata, the site.

::

    editor = ContentEditor(store)
    result = editor.create_record("article", {"title": {"en": "Hi", "it": "Ciao"}, ...})
    editor.update_record(result.record.id, {"title": "Ciao!"}, locale="it")
    editor.publish_record(result.record.id)
    editor.unpublish_record(result.record.id)
    editor.delete_record(result.record.id)
    result.tags      # the cache tags the change invalidated

Field values take the CMA's shape (``values``): localized fields as ``{locale: value}``,
links as record ids, blocks as objects (new or changed) or ids (kept). An update sends only
the fields it changes, and a localized field's whole set of locales, as the CMA requires —
or one locale's value with ``locale=``. Models with draft/published enabled keep the saved
version apart from the published one until ``publish``; other models publish on every save.

Each method checks everything first and then commits one atomic change to the store, whose
listeners (the webhooks) hear of it with the tags it invalidates. A refused
change raises a ``ContentChangeError`` saying what to send instead, and changes nothing.
"""

from __future__ import annotations

import base64
import contextlib
import dataclasses
import functools
import threading
import uuid
import weakref
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar, cast

from datocms_app.emulator.block_limits import check_block_limits
from datocms_app.emulator.change_checks import (
    check_locale,
    field_named,
    merged_upload_metadata,
    referrers,
    resend_one,
    resendable,
)
from datocms_app.emulator.content import build_site, build_version
from datocms_app.emulator.events import record_events
from datocms_app.emulator.exceptions import (
    ContentChangeError,
    ContentError,
    InvalidFieldValue,
    InvalidStatusChange,
    RecordNotFound,
    UnknownModel,
)
from datocms_app.emulator.project import (
    Block,
    Field,
    Model,
    ProjectContent,
    ProjectSchema,
    Record,
    RecordVersion,
    Site,
    Upload,
)
from datocms_app.emulator.schema_changes import with_field, with_model
from datocms_app.emulator.store import Change, ContentStore, StoreState
from datocms_app.emulator.validation import version_problems
from datocms_app.emulator.values import ID_PATTERN, FieldValues, normalize_datetime

__all__ = ["ChangeResult", "ContentEditor", "VersionCheck", "new_record_id"]

Clock = Callable[[], datetime]
#: Called with the content, the model and a record's new version before a save commits;
#: it may refuse the save by raising (the emulated CMA validates drafts and links this way).
VersionCheck = Callable[[StoreState, Model, RecordVersion], None]
_META_KEYS = ("created_at", "first_published_at")
_SITE_KEYS = ("name", "global_seo", "favicon", "no_index", "theme_color")


F = TypeVar("F", bound=Callable[..., Any])
_locks: weakref.WeakKeyDictionary[ContentStore, threading.RLock] = weakref.WeakKeyDictionary()
_locks_guard = threading.Lock()


def _store_lock(store: ContentStore) -> threading.RLock:
    with _locks_guard:
        lock = _locks.get(store)
        if lock is None:
            lock = _locks[store] = threading.RLock()
        return lock


def _one_at_a_time(method: F) -> F:
    """Serialize the changes of one store: each reads the content, checks and commits as one
    step, so two concurrent updates of a record cannot lose one another."""

    @functools.wraps(method)
    def serialized(self: ContentEditor, *args: Any, **kwargs: Any) -> Any:
        with _store_lock(self.store):
            return method(self, *args, **kwargs)

    return cast(F, serialized)


def new_record_id() -> str:
    """A new id in DatoCMS's format: a random UUID in URL-safe base64 (22 characters)."""
    return base64.urlsafe_b64encode(uuid.uuid4().bytes).decode("ascii").rstrip("=")


def _published(record: Record, version: RecordVersion) -> Record:
    """``record`` with ``version`` as its latest and its published version, published when
    that version was saved."""
    return record.replace(
        current=version,
        published=version,
        published_at=version.updated_at,
        first_published_at=record.first_published_at or version.updated_at,
    )


@dataclass(frozen=True)
class ChangeResult:
    """What one change did: the store's ``changes``, the ``tags`` they invalidated, and the
    record, upload or site as it is now (a deleted record as it was)."""

    action: str
    changes: tuple[Change, ...]
    tags: tuple[str, ...]
    record: Record | None = None
    upload: Upload | None = None
    site: Site | None = None
    model: Model | None = None
    field: Field | None = None

    @property
    def events(self) -> list[str]:
        """The ``item`` webhook events DatoCMS sends for this change (``[]`` if none)."""
        return [e for c in self.changes if c.kind == "record" for e in record_events(c)]


class ContentEditor:
    """Create, update, publish, unpublish and delete the records of a ``ContentStore``.

    ``clock`` returns the current time (tests may pass a fixed one). Timestamps have second
    precision, like the CDA's; a save in the same second as the record's previous one is
    stamped one second later, so ``_updatedAt`` changes with every save.
    """

    def __init__(self, store: ContentStore, *, clock: Clock | None = None) -> None:
        if not isinstance(store, ContentStore):
            raise ContentChangeError(f"ContentEditor needs a ContentStore, got {store!r}.")
        self.store = store
        self._clock = clock or (lambda: datetime.now(UTC))

    @contextlib.contextmanager
    def locked(self) -> Iterator[StoreState]:
        """Hold this store's change lock: what is read in the block (the state it yields)
        is what the changes made in it build on (the lock is re-entrant)."""
        with _store_lock(self.store):
            yield self.store.state

    def dry_run(self) -> ContentEditor:
        """An editor of a private copy of the current content: try changes, see their tags,
        and nothing is committed to this store (no listener hears of them)."""
        state = self.store.state
        copy = ContentStore(
            ProjectContent(
                schema=state.schema,
                site=state.site,
                uploads=state.uploads,
                records=state.records,
                directory=state.directory,
            )
        )
        return ContentEditor(copy, clock=self._clock)

    # -- records --------------------------------------------------------------------------

    @_one_at_a_time
    def create_record(
        self,
        item_type: str,
        fields: Mapping[str, Any],
        *,
        publish: bool = False,
        id: str | None = None,
        locale: str | None = None,
        meta: Mapping[str, Any] | None = None,
        position: int | None = None,
        parent_id: str | None = None,
        check: VersionCheck | None = None,
    ) -> ChangeResult:
        """Create a record of model ``item_type`` (API key or id); publish it if asked (or
        if the model has draft/published disabled). With ``locale``, the values given for
        localized fields are that locale's. ``meta`` may set ``created_at`` and
        ``first_published_at``; ``position`` and ``parent_id`` place it in a sortable or
        tree model (by default, last); ``check`` may refuse the new version."""
        state = self.store.state
        model = self._model(state, item_type)
        record_id = self._new_id(state, id)
        stamps = _meta(meta)
        if not isinstance(fields, Mapping):
            raise InvalidFieldValue(f"fields must be a dict of field values, got {fields!r}.")
        if locale is not None:
            check_locale(state, locale)
            fields = {
                key: {locale: value}
                if key in model.fields_by_key and model.fields_by_key[key].localized
                else value
                for key, value in fields.items()
            }
        if model.singleton:
            existing = next(
                (r.id for r in state.records.values() if r.model == model.api_key), None
            )
            if existing is not None:
                raise ContentChangeError(
                    f"Model {model.api_key!r} is a singleton and already has record "
                    f"{existing!r}; update that record instead."
                )
        now = self._stamp(None)
        version = self._version(state, model, record_id, fields, now, known_blocks={})
        if check is not None:
            check(state, model, version)
        publish = publish or not model.draft_mode_active
        if publish:
            self._check_publishable(model, record_id, version)
        if position is None and (model.sortable or model.tree):
            taken = [r.position or 0 for r in state.records.values() if r.model == model.api_key]
            position = max(taken, default=0) + 1
        record = Record(
            id=record_id,
            model=model.api_key,
            created_at=stamps.get("created_at", now),
            current=version,
            published=version if publish else None,
            published_at=now if publish else None,
            first_published_at=stamps.get("first_published_at", now if publish else None),
            position=self._position(model, position),
            parent_id=self._parent(state, model, record_id, parent_id),
        )
        return self._commit("create", record=record)

    @_one_at_a_time
    def update_record(
        self,
        record_id: str,
        fields: Mapping[str, Any],
        *,
        locale: str | None = None,
        publish: bool = False,
        meta: Mapping[str, Any] | None = None,
        position: int | None = None,
        parent_id: str | None = None,
        check: VersionCheck | None = None,
    ) -> ChangeResult:
        """Change some fields of a record (the others stay as they are).

        With ``locale``, the values given for localized fields are that locale's and the
        other locales keep theirs (non-localized fields are set as given). The record's
        published version is untouched unless ``publish`` is True or the model has
        draft/published disabled. ``meta``, ``position``, ``parent_id`` and ``check`` are
        as for ``create_record``; with them, ``fields`` may be empty.
        """
        state = self.store.state
        record, model = self._record_and_model(state, record_id)
        placed = meta or position is not None or parent_id is not None
        if not isinstance(fields, Mapping) or not (fields or placed):
            raise InvalidFieldValue(
                f"update_record({record_id!r}) needs a non-empty dict of field values, e.g. "
                '{"title": "New title"}; got ' + repr(fields) + "."
            )
        stamps = _meta(meta)
        raw = self._merged(state, model, record, fields, locale)
        now = self._stamp(record)
        version = self._version(
            state, model, record.id, raw, now, known_blocks=record.current.blocks
        )
        if check is not None:
            check(state, model, version)
        publish = publish or not model.draft_mode_active
        if publish:
            self._check_publishable(model, record.id, version)
            updated = _published(record, version)
        else:
            updated = record.replace(current=version)
        updated = updated.replace(
            created_at=stamps.get("created_at", updated.created_at),
            first_published_at=stamps.get("first_published_at", updated.first_published_at),
            position=self._position(model, position) if position is not None else updated.position,
            parent_id=(
                self._parent(state, model, record.id, parent_id)
                if parent_id is not None
                else updated.parent_id
            ),
        )
        return self._commit("update", record=updated)

    @_one_at_a_time
    def publish_record(self, record_id: str) -> ChangeResult:
        """Publish the record's latest version (nothing happens if it is already published)."""
        record, model = self._record_and_model(self.store.state, record_id)
        if record.status == "published":
            return ChangeResult("publish", (), (), record=record)
        self._check_publishable(model, record.id, record.current)
        return self._commit("publish", record=_published(record, self._restamped(record)))

    @_one_at_a_time
    def unpublish_record(self, record_id: str) -> ChangeResult:
        """Withdraw the record from the published content (its latest version stays)."""
        record, model = self._record_and_model(self.store.state, record_id)
        if not model.draft_mode_active:
            raise InvalidStatusChange(
                f"Model {model.api_key!r} has draft/published disabled: its records are always "
                f"published. Delete record {record.id!r} instead, or enable draft mode."
            )
        if record.published is None:
            return ChangeResult("unpublish", (), (), record=record)
        draft = record.replace(current=self._restamped(record), published=None, published_at=None)
        return self._commit("unpublish", record=draft)

    @_one_at_a_time
    def delete_record(self, record_id: str) -> ChangeResult:
        """Delete a record. Refused while other records link to it (remove the links first)."""
        state = self.store.state
        record = self._record(state, record_id)
        linked_from = referrers(state, record.id)
        if linked_from:
            listed = ", ".join(f"{rid} ({field})" for rid, field in linked_from[:10])
            raise InvalidStatusChange(
                f"Record {record.id!r} is linked from other records: {listed}. Remove those "
                "links with update_record first, then delete it."
            )
        changes = self.store.commit(deleted_records=[record.id])
        return ChangeResult(
            "delete", tuple(changes), tuple(self.store.invalidated_tags(changes)), record=record
        )

    # -- schema ---------------------------------------------------------------------------

    @_one_at_a_time
    def create_model(self, attributes: Mapping[str, Any]) -> ChangeResult:
        """Add a model or block model (the CMA's item type attributes: ``name``,
        ``api_key``, ``modular_block``, ``draft_mode_active``...; ``id`` optional)."""
        schema, model = with_model(self.store.state.schema, attributes)
        return self._commit("create", schema=schema, model=model)

    @_one_at_a_time
    def create_field(
        self, item_type: str, attributes: Mapping[str, Any], *, position: int | None = None
    ) -> ChangeResult:
        """Add a field (the CMA's field attributes) to a model or block model (API key or
        id), at ``position`` (1-based; default: last)."""
        state = self.store.state
        model = state.schema.models.get(item_type) or next(
            (m for m in state.schema.models.values() if m.id == item_type), None
        )
        if model is None:
            raise UnknownModel(f"No model or block model {item_type!r}.")
        schema, field = with_field(state.schema, model.api_key, attributes, position=position)
        return self._commit("create", schema=schema, model=schema.models[model.api_key],
                            field=field)  # fmt: skip

    # -- uploads and site -----------------------------------------------------------------

    @_one_at_a_time
    def create_upload(
        self,
        path: Path,
        *,
        id: str | None = None,
        default_field_metadata: Mapping[str, Mapping[str, Any]] | None = None,
        author: str | None = None,
        copyright: str | None = None,
        notes: str | None = None,
        tags: Sequence[str] = (),
    ) -> ChangeResult:
        """Add the file at ``path`` to the media area (it must stay there: the upload
        serves it), with its metadata."""
        state = self.store.state
        if not isinstance(path, Path) or not path.is_file():
            raise InvalidFieldValue(f"{path!r} is not a file.", field="path")
        upload_id = self._new_id(state, id, uploads=True)
        blank = Upload(id=upload_id, path=path)
        metadata = merged_upload_metadata(blank, default_field_metadata or {}, state.site.locales)
        for key, value in (("author", author), ("copyright", copyright), ("notes", notes)):
            if value is not None and not isinstance(value, str):
                raise InvalidFieldValue(f"{key} must be a string, got {value!r}.", field=key)
        if isinstance(tags, str) or not all(isinstance(tag, str) for tag in tags):
            raise InvalidFieldValue(f"tags must be a list of strings, got {tags!r}.", field="tags")
        now = self._clock().astimezone(UTC).replace(microsecond=0).isoformat()
        upload = dataclasses.replace(
            blank, default_field_metadata=metadata, author=author or None,
            copyright=copyright or None, notes=notes or None, tags=tuple(tags),
            created_at=now, updated_at=now,
        )  # fmt: skip
        return self._commit("create", upload=upload)

    @_one_at_a_time
    def update_upload(
        self,
        upload_id: str,
        *,
        default_field_metadata: Mapping[str, Mapping[str, Any]] | None = None,
        author: str | None = None,
        copyright: str | None = None,
        notes: str | None = None,
        tags: Sequence[str] | None = None,
    ) -> ChangeResult:
        """Change an upload's metadata; arguments left as None keep their value.

        ``default_field_metadata`` is merged per locale: ``{"it": {"alt": "..."}}`` changes
        the Italian alt text and keeps everything else.
        """
        state = self.store.state
        upload = state.uploads.get(upload_id) if isinstance(upload_id, str) else None
        if upload is None:
            raise RecordNotFound(
                f"No upload with id {upload_id!r}; uploads are: "
                f"{', '.join(sorted(state.uploads)) or '(none)'}."
            )
        changes: dict[str, Any] = {}
        if default_field_metadata is not None:
            changes["default_field_metadata"] = merged_upload_metadata(
                upload, default_field_metadata, state.site.locales
            )
        for key, value in (("author", author), ("copyright", copyright), ("notes", notes)):
            if value is not None:
                if not isinstance(value, str):
                    raise InvalidFieldValue(f"{key} must be a string, got {value!r}.", field=key)
                changes[key] = value or None
        if tags is not None:
            if isinstance(tags, str) or not all(isinstance(t, str) for t in tags):
                raise InvalidFieldValue(
                    f"tags must be a list of strings, got {tags!r}.", field="tags"
                )
            changes["tags"] = tuple(tags)
        if not changes:
            raise InvalidFieldValue(
                "update_upload needs at least one of default_field_metadata, author, "
                "copyright, notes, tags."
            )
        now = self._clock().astimezone(UTC).replace(microsecond=0).isoformat()
        updated = dataclasses.replace(upload, updated_at=now, **changes)
        return self._commit("update", upload=updated)

    @_one_at_a_time
    def update_site(self, **settings: Any) -> ChangeResult:
        """Change site settings: ``name``, ``global_seo`` (``{locale: {...}}``), ``favicon``
        (an upload id), ``no_index``, ``theme_color``. Locales cannot change here."""
        unknown = set(settings) - set(_SITE_KEYS)
        if unknown or not settings:
            raise InvalidFieldValue(
                f"update_site takes some of {', '.join(_SITE_KEYS)}; got "
                f"{', '.join(sorted(settings)) or 'nothing'}."
            )
        if "no_index" in settings and not isinstance(settings["no_index"], bool):
            raise InvalidFieldValue(
                f"no_index must be true or false, got {settings['no_index']!r}.", field="no_index"
            )
        state = self.store.state
        site = state.site
        raw: dict[str, Any] = {
            "name": site.name,
            "locales": list(site.locales),
            "environments": list(site.environments),
            "global_seo": {
                locale: dataclasses.asdict(seo) for locale, seo in site.global_seo.items()
            },
            "favicon": site.favicon,
            "no_index": site.no_index,
            "theme_color": site.theme_color,
        }
        raw.update(settings)
        try:
            updated = build_site(raw, "site")
        except ContentError as exc:
            raise InvalidFieldValue(str(exc)) from exc
        if updated.favicon is not None and updated.favicon not in state.uploads:
            raise InvalidFieldValue(
                f"favicon {updated.favicon!r} is not an upload id.", field="favicon"
            )
        return self._commit("update", site=updated)

    # -- helpers --------------------------------------------------------------------------

    def _commit(
        self,
        action: str,
        *,
        schema: ProjectSchema | None = None,
        record: Record | None = None,
        upload: Upload | None = None,
        site: Site | None = None,
        model: Model | None = None,
        field: Field | None = None,
    ) -> ChangeResult:
        """Commit one change (of the schema, a record, an upload or the site); what it did.
        ``model`` and ``field`` are the schema's new ones, for the result."""
        changes = self.store.commit(
            records=[record] if record is not None else (),
            uploads=[upload] if upload is not None else (),
            site=site,
            schema=schema,
        )
        return ChangeResult(
            action,
            tuple(changes),
            tuple(self.store.invalidated_tags(changes)),
            record=record,
            upload=upload,
            site=self.store.state.site if site is not None else None,
            model=model,
            field=field,
        )

    def _stamp(self, record: Record | None) -> str:
        now = self._clock().astimezone(UTC).replace(microsecond=0)
        if record is not None:
            latest = max(
                datetime.fromisoformat(stamp)
                for stamp in (record.current.updated_at, record.created_at, record.published_at)
                if stamp
            )
            if now <= latest:
                now = latest + timedelta(seconds=1)
        return now.isoformat()

    @staticmethod
    def _model(state: StoreState, item_type: str) -> Model:
        if isinstance(item_type, str):
            model = state.schema.models.get(item_type) or next(
                (m for m in state.schema.models.values() if m.id == item_type), None
            )
            if model is not None and not model.modular_block:
                return model
            if model is not None:
                raise UnknownModel(
                    f"{item_type!r} is a block model: blocks live inside the fields of records. "
                    "Update the record that holds the block instead."
                )
        names = sorted(m.api_key for m in state.schema.models.values() if not m.modular_block)
        raise UnknownModel(f"No model {item_type!r}; models are: {', '.join(names)}.")

    def _restamped(self, record: Record) -> RecordVersion:
        """``record``'s latest version, updated now (after every stamp of ``record``)."""
        return dataclasses.replace(record.current, updated_at=self._stamp(record))

    @classmethod
    def _record_and_model(cls, state: StoreState, record_id: str) -> tuple[Record, Model]:
        record = cls._record(state, record_id)
        return record, state.schema.models[record.model]

    @staticmethod
    def _record(state: StoreState, record_id: str) -> Record:
        record = state.records.get(record_id) if isinstance(record_id, str) else None
        if record is None:
            raise RecordNotFound(
                f"No record with id {record_id!r}. Find ids with a query such as "
                "'{ allArticles { id title } }' (or the records/ files of the content project)."
            )
        return record

    @staticmethod
    def _new_id(state: StoreState, new_id: str | None, *, uploads: bool = False) -> str:
        """``new_id`` checked for a new record (or upload), or a fresh id."""
        if new_id is None:
            return new_record_id()
        what = "Upload" if uploads else "Record"
        if not isinstance(new_id, str) or not ID_PATTERN.match(new_id):
            raise InvalidFieldValue(
                f"{what} ids are 1-64 letters, digits, '-' or '_'; got {new_id!r}.", field="id"
            )
        if new_id in (state.uploads if uploads else state.records):
            raise ContentChangeError(f"A{'n' if uploads else ''} {what.lower()} with id "
                                     f"{new_id!r} already exists.")  # fmt: skip
        return new_id

    @staticmethod
    def _position(model: Model, position: int | None) -> int | None:
        if position is None:
            return None
        if not (model.sortable or model.tree):
            raise InvalidFieldValue(
                f"Model {model.api_key!r} is neither sortable nor a tree: its records have no "
                "position.",
                field="position",
            )
        if isinstance(position, bool) or not isinstance(position, int) or position < 0:
            raise InvalidFieldValue(
                f"position must be an integer >= 0, got {position!r}.", field="position"
            )
        return position

    @staticmethod
    def _parent(
        state: StoreState, model: Model, record_id: str, parent_id: str | None
    ) -> str | None:
        if parent_id is None:
            return None
        parent = state.records.get(parent_id) if isinstance(parent_id, str) else None
        if (
            not model.tree
            or parent is None
            or parent.model != model.api_key
            or parent_id == record_id
        ):
            raise InvalidFieldValue(
                f"parent_id {parent_id!r} must be another record of the tree model "
                f"{model.api_key!r}.",
                field="parent_id",
            )
        return parent_id

    @staticmethod
    def _version(
        state: StoreState,
        model: Model,
        record_id: str,
        raw: Mapping[str, Any],
        timestamp: str,
        *,
        known_blocks: Mapping[str, Block],
    ) -> RecordVersion:
        record_models = {r.id: r.model for r in state.records.values()}
        record_models[record_id] = model.api_key
        values = FieldValues(
            state.schema,
            # New embedded blocks get ids that are unique to this save.
            owner_id=f"{record_id}@{timestamp}",
            timestamp=timestamp,
            record_models=record_models,
            upload_ids=state.uploads.keys(),
            known_blocks=known_blocks,
        )
        where = f"{model.api_key} record {record_id!r}"
        if not isinstance(raw, Mapping):
            raise InvalidFieldValue(f"{where}: field values must be a dict, got {raw!r}.")
        try:
            version = build_version(values, model, raw, where, timestamp)
        except ContentError as exc:
            raise InvalidFieldValue(str(exc), field=field_named(str(exc), model)) from exc
        check_block_limits(state.schema, model, version)
        return version

    @staticmethod
    def _merged(
        state: StoreState,
        model: Model,
        record: Record,
        fields: Mapping[str, Any],
        locale: str | None,
    ) -> dict[str, Any]:
        unknown = set(fields) - set(model.fields_by_key)
        if unknown:
            raise InvalidFieldValue(
                f"Model {model.api_key!r} has no field(s) {', '.join(sorted(unknown))}; its "
                f"fields are: {', '.join(model.fields_by_key)}.",
                field=sorted(unknown)[0],
            )
        if locale is not None:
            check_locale(state, locale)
        current = record.current.fields
        raw = {
            key: resendable(field, current.get(key))
            for key, field in model.fields_by_key.items()
            if key not in fields
        }
        for key, value in fields.items():
            field = model.fields_by_key[key]
            if locale is None or not field.localized:
                raw[key] = value
            else:
                existing = current.get(key) or {}
                raw[key] = {
                    **{loc: resend_one(field, v) for loc, v in existing.items()},
                    locale: value,
                }
        return raw

    @staticmethod
    def _check_publishable(model: Model, record_id: str, version: RecordVersion) -> None:
        problems = version_problems(model, version.fields, version.locales)
        if problems or not version.is_valid:
            detail = "; ".join(problems) or "one of its blocks is invalid"
            raise InvalidStatusChange(
                f"Record {record_id!r} cannot be published because it is invalid: {detail}. "
                "Fix the fields (update_record) and publish again."
            )


def _meta(meta: Mapping[str, Any] | None) -> dict[str, Any]:
    """``created_at``/``first_published_at`` overrides, normalized (None stays None)."""
    if meta is None:
        return {}
    if not isinstance(meta, Mapping) or not set(meta) <= set(_META_KEYS):
        raise InvalidFieldValue(
            f"meta takes {' and '.join(_META_KEYS)}; got {meta!r}.", field="meta"
        )
    stamps: dict[str, Any] = {}
    for key, value in meta.items():
        try:
            stamps[key] = None if value is None else normalize_datetime(value, f"meta.{key}")
        except ContentError as exc:
            raise InvalidFieldValue(str(exc), field=f"meta.{key}") from exc
    if stamps.get("created_at", "") is None:
        raise InvalidFieldValue("meta.created_at cannot be null.", field="meta.created_at")
    return stamps
