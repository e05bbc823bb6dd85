"""Records (``item``) of the emulated CMA: list, find, create, update, delete, publish.

==========================  ==========================================================
``GET /items``              ``item_queries``: filters, ordering, pages, versions
``GET /items/:id``          ``?nested=true`` expands blocks, ``?version=published``
``POST /items``             201; ``id`` and ``meta.created_at``/``first_published_at`` may
                            be given; ``included``: the model and the record's blocks
``PUT /items/:id``          partial update; ``meta.current_version`` is checked
                            (``STALE_ITEM_VERSION``)
``DELETE /items/:id``       an asynchronous job (202), as on DatoCMS
``PUT /items/:id/publish``  and ``/unpublish``: the whole record (no selective body)
==========================  ==========================================================

Every change goes through the emulator's ``ContentEditor`` (so it reaches the CDA and the
webhooks) inside its lock, so the version check and the save are one step.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from typing import Any, Literal

from datocms_app.emulator.change_checks import referrers
from datocms_app.emulator.changes import ChangeResult
from datocms_app.emulator.cma.errors import refused
from datocms_app.emulator.cma.exchange import Answer, CMARequest
from datocms_app.emulator.cma.item_payloads import (
    ItemChanges,
    model_named,
    read_create,
    read_update,
    refuse_unpublished_links,
    saving_check,
)
from datocms_app.emulator.cma.item_queries import list_items
from datocms_app.emulator.cma.params import client_id, resource
from datocms_app.emulator.cma.routing import Router
from datocms_app.emulator.entities import (
    block_entity,
    current_version,
    item_entity,
    item_type_entity,
)
from datocms_app.emulator.exceptions import (
    CMARefused,
    ContentChangeError,
    InvalidFieldValue,
    RecordNotFound,
    TechnicalLimitReached,
    UnknownModel,
)
from datocms_app.emulator.project import Model, Record
from datocms_app.emulator.store import StoreState
from datocms_app.emulator.validation import version_problems

__all__ = ["refusal_of", "register"]


def register(router: Router) -> None:
    router.add("/items", GET=list_items, POST=create_item)
    router.add("/items/:id", GET=find_item, PUT=update_item, DELETE=destroy_item)
    router.add("/items/:id/publish", PUT=publish_item)
    router.add("/items/:id/unpublish", PUT=unpublish_item)


def refusal_of(exc: ContentChangeError) -> CMARefused:
    """A ``ContentEditor`` refusal as the CMA's error."""
    if isinstance(exc, RecordNotFound):
        return refused("NOT_FOUND", str(exc))
    if isinstance(exc, TechnicalLimitReached):
        return refused(exc.code, str(exc), limit=exc.limit, maximum=exc.maximum)
    if isinstance(exc, InvalidFieldValue):
        details: dict[str, Any] = {"code": "VALIDATION_INVALID"}
        if exc.field:
            details["field"] = exc.field
        if exc.locale:
            details["locale"] = exc.locale
        return refused("INVALID_FIELD", str(exc), **details)
    if isinstance(exc, UnknownModel):
        return refused("INVALID_TYPE", str(exc))
    return refused("INVALID_REQUEST", str(exc))


def _record(state: StoreState, record_id: str) -> tuple[Record, Model]:
    record = state.records.get(record_id)
    if record is None:
        raise refused("NOT_FOUND", f"No record with id {record_id!r}.", id=record_id)
    return record, state.schema.models[record.model]


def _unlocked(request: CMARequest, record_id: str) -> None:
    if request.cma.is_locked(record_id):
        raise refused(
            "ITEM_LOCKED",
            f"Record {record_id!r} is being edited by someone else; try again when they are done.",
            id=record_id,
        )


def _included(state: StoreState, record: Record, model: Model) -> list[dict[str, Any]]:
    blocks = record.current.blocks
    return [
        item_type_entity(model),
        *(block_entity(block, blocks, state.schema, expand=False) for block in blocks.values()),
    ]


def _saved(request: CMARequest, status: int, record: Record) -> Answer:
    state = request.state
    model = state.schema.models[record.model]
    return Answer(
        status, {"data": item_entity(record, model), "included": _included(state, record, model)}
    )


def _save(
    request: CMARequest,
    status: int,
    save: Callable[..., ChangeResult],
    model: Model,
    record_id: str | None,
    changes: ItemChanges,
    **options: Any,
) -> Answer:
    """Save ``changes`` with ``save`` (the editor's create or update), checked as the CMA
    checks a save; the answer with the saved record."""
    check = saving_check(publishing=not model.draft_mode_active, record_id=record_id)
    try:
        result = save(
            changes.fields, position=changes.position, parent_id=changes.parent_id, check=check,
            **options,
        )  # fmt: skip
    except ContentChangeError as exc:
        raise refusal_of(exc) from exc
    assert result.record is not None
    return _saved(request, status, result.record)


# -- handlers ---------------------------------------------------------------------------------


def find_item(request: CMARequest) -> Answer:
    request.params.unknown({"nested", "version"})
    state = request.state
    record, model = _record(state, request.value("id"))
    nested = request.params.flag("nested")
    version_name = request.params.choice("version", choices=("current", "published"),
                                         default="current")  # fmt: skip
    version = record.current if version_name == "current" else record.published
    if version is None:
        raise refused(
            "NOT_FOUND",
            f"Record {record.id!r} has no published version (ask for version=current).",
            id=record.id,
        )
    entity = item_entity(record, model, version=version, schema=state.schema if nested else None)
    return Answer(200, {"data": entity})


def create_item(request: CMARequest) -> Answer:
    data = resource(request.body, "item")
    assert data is not None
    relationships = data.get("relationships") or {}
    reference = ((relationships.get("item_type") or {}).get("data") or {}).get("id")
    attributes = data.get("attributes") or {}
    meta = data.get("meta") or {}
    unknown_meta = sorted(set(meta) - {"created_at", "first_published_at"})
    if unknown_meta:
        raise refused(
            "INVALID_FORMAT",
            f"A new record's meta takes created_at and first_published_at, not "
            f"{', '.join(unknown_meta)}.",
            messages=[f"#/data/meta: {key} is not a permitted key" for key in unknown_meta],
        )
    record_id = client_id(data, "record")
    with request.editor.locked() as state:
        model = model_named(state.schema, reference)
        if model is None or model.modular_block:
            raise refused(
                "INVALID_TYPE",
                f"relationships.item_type must name a model (not a block model) by id; got "
                f"{reference!r}.",
                item_type=reference,
            )
        if record_id is not None and record_id in state.records:
            raise refused(
                "INVALID_FIELD",
                f"The id {record_id!r} is already taken.",
                field="id",
                code="VALIDATION_UNIQUENESS",
            )
        if model.singleton and any(r.model == model.api_key for r in state.records.values()):
            raise refused(
                "DUPLICATE_SINGLETON",
                f"Model {model.api_key!r} is a single-instance model and already has its "
                "record: update that one.",
            )
        changes = read_create(request, model, attributes)
        create = functools.partial(request.editor.create_record, model.api_key, id=record_id)
        return _save(request, 201, create, model, record_id, changes, meta=meta)


def update_item(request: CMARequest) -> Answer:
    record_id = request.value("id")
    data = resource(request.body, "item")
    assert data is not None
    if data.get("id") not in (None, record_id):
        raise refused(
            "INVALID_FORMAT",
            f"#/data/id: {data['id']!r} is not the id of the record updated ({record_id!r}).",
            messages=[f"#/data/id: must be {record_id!r}"],
        )
    attributes: Mapping[str, Any] = data.get("attributes") or {}
    meta = dict(data.get("meta") or {})
    expected = meta.pop("current_version", None)
    meta.pop("stage", None)
    relationships = data.get("relationships") or {}
    reference = ((relationships.get("item_type") or {}).get("data") or {}).get("id")
    _unlocked(request, record_id)
    with request.editor.locked() as state:
        record, model = _record(state, record_id)
        if reference is not None and model_named(state.schema, reference) is not model:
            raise refused(
                "ITEM_TYPE_CANNOT_BE_CHANGED",
                f"Record {record_id!r} is a {model.api_key!r}: its model cannot change.",
            )
        if expected is not None and str(expected) != current_version(record):
            raise refused(
                "STALE_ITEM_VERSION",
                f"Record {record_id!r} changed since version {expected!r} was read (it is at "
                f"{current_version(record)!r} now): read it again and retry.",
            )
        changes = read_update(request, record, model, attributes)
        if not (changes.fields or meta or changes.position is not None or changes.parent_id):
            return _saved(request, 200, record)
        update = functools.partial(request.editor.update_record, record_id)
        return _save(request, 200, update, model, record_id, changes, meta=meta or None)


def destroy_item(request: CMARequest) -> Answer:
    record_id = request.value("id")
    _record(request.state, record_id)
    _unlocked(request, record_id)

    def destroy() -> Answer:
        with request.editor.locked() as state:
            record, model = _record(state, record_id)
            linked_from = referrers(state, record_id)
            if linked_from:
                listed = ", ".join(f"{rid} ({field})" for rid, field in linked_from[:10])
                raise refused(
                    "REQUIRED_BY_ASSOCIATION",
                    f"Record {record_id!r} is linked from {listed}: remove those links first "
                    "(the emulator has no on_reference_delete_strategy).",
                    id=record_id,
                    references=sorted({rid for rid, _ in linked_from}),
                )
            try:
                request.editor.delete_record(record_id)
            except ContentChangeError as exc:
                raise refusal_of(exc) from exc
        return Answer(200, {"data": item_entity(record, model)})

    return Answer(202, {"data": {"type": "job", "id": request.cma.jobs.submit(destroy)}})


def publish_item(request: CMARequest) -> Answer:
    return _change_status(request, "publish", _check_publishable)


def unpublish_item(request: CMARequest) -> Answer:
    return _change_status(request, "unpublish", _check_unpublishable)


def _check_publishable(state: StoreState, record: Record, model: Model) -> None:
    refuse_unpublished_links(state, model, record.current, record.id)
    problems = version_problems(model, record.current.fields, record.current.locales)
    if problems or not record.current.is_valid:
        reasons = "; ".join(problems) or "one of its blocks is invalid"
        raise refused(
            "INVALID_DRAFT",
            f"Record {record.id!r} is invalid and cannot be published: {reasons}. Fix it first.",
            id=record.id,
        )


def _check_unpublishable(state: StoreState, record: Record, model: Model) -> None:
    if not model.draft_mode_active:
        raise refused(
            "INVALID_REQUEST",
            f"Model {model.api_key!r} has draft/published disabled: its records are always "
            "published and cannot be unpublished.",
            id=record.id,
        )


def _change_status(
    request: CMARequest,
    action: Literal["publish", "unpublish"],
    check: Callable[[StoreState, Record, Model], None],
) -> Answer:
    """``PUT /items/:id/<action>``: the whole record, after ``check`` (inside the lock)."""
    record_id = request.value("id")
    if request.body is not None:
        raise refused(
            "INVALID_FORMAT",
            f"The emulator {action}es whole records: send no body (selective {action}ing of "
            "locales is not implemented).",
            messages=[f"#: selective {action}ing is not supported by the emulator"],
        )
    request.params.unknown({"recursive"})
    _unlocked(request, record_id)
    editor = request.editor
    change = editor.publish_record if action == "publish" else editor.unpublish_record
    with editor.locked() as state:
        record, model = _record(state, record_id)
        check(state, record, model)
        try:
            result = change(record_id)
        except ContentChangeError as exc:
            raise refusal_of(exc) from exc
        assert result.record is not None
        return Answer(200, {"data": item_entity(result.record, model)})
