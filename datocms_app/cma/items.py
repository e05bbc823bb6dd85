"""Records (the CMA's ``items``): create, update, find, list and page, publish, destroy.

``ItemCalls`` writes each operation once as a flow, with the signature and docstring of its
public method: ``client.items`` (``datocms_app.cma.resources.Items``) runs them with the sync
or the async client's driver. Records come back in the simple shape of DatoCMS's JS client
(``id``, ``type``, fields, ``item_type``, ``meta``; blocks, with ``nested=True``, as JSON:API
resources) and payloads go in the same shape (see ``datocms_app.cma.jsonapi``).

``create`` and ``update`` check the payload against the project's schema first (``validate=
False`` skips it): the schema is read once per client and environment, the model of an
updated record comes from the payload, from the records the client has seen, or from one
``GET /items/:id``; links are checked against their fields' validators with one ``GET
/items?filter[ids]=...`` for linked records the client has not seen.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypedDict, Unpack

from datocms_app.cma import jsonapi
from datocms_app.cma.ids import is_valid_id
from datocms_app.cma.options import (
    PublishOptions,
    StatusOptions,
    WriteOptions,
    given,
    refuse_unknown,
)
from datocms_app.cma.protocol import Effect
from datocms_app.cma.types import Record
from datocms_app.cma.validation import PayloadCheck
from datocms_app.exceptions import CMAError, InvalidArgument
from datocms_app.flows import Flow

if TYPE_CHECKING:
    from datocms_app.cma.client import BaseClient

__all__ = ["ItemCalls", "ItemFilters", "Page", "Pager", "list_params"]

#: ``page[limit]`` bounds: 30 by default, 500 at most, 30 at most with ``nested``.
DEFAULT_PAGE_SIZE = 30
MAX_PAGE_SIZE = 500
MAX_NESTED_PAGE_SIZE = 30
#: Linked records whose models are asked for in one ``filter[ids]`` request.
IDS_PER_REQUEST = 100
ITEM_RELATIONSHIPS = {"item_type": "item_type", "creator": None}


class ItemFilters(TypedDict, total=False):
    """The filters of ``GET /items``: ``client.items.list(type="dog", version="current")``."""

    type: object  # a model's API key or id, Schema.X, or a list of them
    ids: str | Sequence[str]
    query: str
    fields: Mapping[str, Any]
    only_valid: bool
    locale: str
    order_by: str
    version: str
    nested: bool


def _joined(value: object, what: str) -> str:
    values = value.split(",") if isinstance(value, str) else value
    if not isinstance(values, list | tuple):
        values = [values]
    names = [getattr(entry, "API_KEY", None) or jsonapi.to_id(entry, what) for entry in values]
    if not names:
        raise InvalidArgument(f"{what} filter must name at least one, got {value!r}.")
    return ",".join(names)


def list_params(filters: Mapping[str, Any]) -> dict[str, Any]:
    """The query parameters of ``GET /items`` for these filters (seeds/004, "List all
    records"), refusing the combinations the docs forbid."""
    known = tuple(ItemFilters.__annotations__)
    refuse_unknown(filters, known, "items.list()", besides="per_page/limit/offset")
    chosen_type = _joined(filters["type"], "model") if filters.get("type") else None
    ids = _joined(filters["ids"], "record") if filters.get("ids") else None
    if ids and chosen_type:
        raise InvalidArgument(
            "filter ids= cannot be combined with type= (seeds: List all records)."
        )
    single_model = chosen_type is not None and "," not in chosen_type
    fields = filters.get("fields")
    if fields is not None and not isinstance(fields, Mapping):
        raise InvalidArgument(
            f"fields= is a dict such as {{'name': {{'eq': 'Buddy'}}}}, got {fields!r}."
        )
    if fields and not single_model and any(not str(name).startswith("_") for name in fields):
        raise InvalidArgument(
            "fields= on model fields needs type= naming one model (meta fields such as "
            "'_status' work without)."
        )
    if filters.get("order_by") and not single_model:
        raise InvalidArgument("order_by= needs type= naming one model.")
    if filters.get("version") not in (None, "current", "published"):
        raise InvalidArgument(f"version= is 'current' or 'published', got {filters['version']!r}.")
    return {
        "filter": {
            "ids": ids,
            "type": chosen_type,
            "query": filters.get("query"),
            "fields": dict(fields) if fields else None,
            "only_valid": True if filters.get("only_valid") else None,
        },
        "locale": filters.get("locale"),
        "order_by": filters.get("order_by"),
        "version": filters.get("version"),
        "nested": True if filters.get("nested") else None,
    }


@dataclass(frozen=True, slots=True)
class Page:
    """One page of records: ``page[offset]``, ``page[limit]`` and ``meta.total_count``."""

    records: list[Record]
    offset: int
    limit: int
    total_count: int


class Pager:
    """The bookkeeping of ``ItemCalls.pages``: offsets until ``meta.total_count`` is reached."""

    def __init__(self, filters: Mapping[str, Any], per_page: int | None, offset: int = 0) -> None:
        self.params = list_params(filters)
        most = MAX_NESTED_PAGE_SIZE if filters.get("nested") else MAX_PAGE_SIZE
        limit = DEFAULT_PAGE_SIZE if per_page is None else per_page
        if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= most:
            raise InvalidArgument(f"per_page (page[limit]) must be 1 to {most}, got {limit!r}.")
        if isinstance(offset, bool) or not isinstance(offset, int) or offset < 0:
            raise InvalidArgument(f"offset must be an integer >= 0, got {offset!r}.")
        self.limit = limit
        self.offset = offset
        self.done = False

    def add(self, page: Page) -> None:
        self.offset += len(page.records)
        self.done = not page.records or self.offset >= page.total_count


class ItemCalls:
    """The flows of the records endpoints: ``client.items``."""

    def __init__(self, client: BaseClient) -> None:
        self.client = client

    def create(
        self, payload: Mapping[str, Any], **options: Unpack[WriteOptions]
    ) -> Flow[Effect, Record]:
        """Create a record: ``item_type`` and field values; optionally ``id`` (see
        ``generate_id``), ``meta.created_at``/``meta.first_published_at``, ``creator``.
        ``validate=False`` skips the schema check."""
        given(options, WriteOptions, "items.create()")
        environment = options.get("environment")
        record_id = payload.get("id") if isinstance(payload, Mapping) else None
        if record_id is not None and not is_valid_id(record_id):
            raise InvalidArgument(
                f"A new record's id is an RFC 4122 v4 UUID in URL-safe base64 (22 characters, "
                f"as cma.generate_id() makes them), got {record_id!r}."
            )
        body = jsonapi.serialize(
            payload, type="item", attributes=None, relationships=ITEM_RELATIONSHIPS
        )
        if options.get("validate", True):
            yield from self._validate(payload, None, environment)
        answer = yield from self.client.call_flow(
            "POST", "/items", body=body, environment=environment
        )
        return self._record(answer)

    def update(
        self, item: object, payload: Mapping[str, Any], **options: Unpack[WriteOptions]
    ) -> Flow[Effect, Record]:
        """Change the fields in ``payload`` (others stay); ``meta.current_version`` locks.
        ``validate=False`` skips the schema check."""
        given(options, WriteOptions, "items.update()")
        environment = options.get("environment")
        item_id = jsonapi.to_id(item)
        body = jsonapi.serialize(
            payload, type="item", attributes=None, relationships=ITEM_RELATIONSHIPS, id=item_id
        )
        if options.get("validate", True):
            yield from self._validate(payload, item_id, environment)
        answer = yield from self.client.call_flow(
            "PUT", f"/items/{item_id}", body=body, environment=environment
        )
        return self._record(answer)

    def find(
        self,
        item: object,
        *,
        nested: bool = False,
        version: str | None = None,
        environment: str | None = None,
    ) -> Flow[Effect, Record]:
        """A record by id (or a record dict); ``nested`` expands blocks, ``version`` is
        ``"current"`` (default) or ``"published"``."""
        if version not in (None, "current", "published"):
            raise InvalidArgument(f"version= is 'current' or 'published', got {version!r}.")
        params = {"nested": True if nested else None, "version": version}
        answer = yield from self.client.call_flow(
            "GET",
            f"/items/{jsonapi.to_id(item)}",
            params=params if nested or version else None,  # no query string to build
            environment=environment,
        )
        return self._record(answer)

    def list(
        self,
        *,
        limit: int | None = None,
        offset: int = 0,
        environment: str | None = None,
        **filters: Unpack[ItemFilters],
    ) -> Flow[Effect, list[Record]]:
        """One page of records (``limit`` default 30, at most 500, 30 with ``nested``)."""
        pager = Pager(filters, limit, offset)
        page = yield from self.page(pager.params, pager.limit, pager.offset, environment)
        return page.records

    def pages(
        self,
        *,
        per_page: int | None = None,
        environment: str | None = None,
        **filters: Unpack[ItemFilters],
    ) -> Iterator[Flow[Effect, Page]]:
        """Every page of records, ``per_page`` at a time, until ``meta.total_count``: one flow
        per page, the next asked for once the last one has run."""
        pager = Pager(filters, per_page)
        while not pager.done:
            yield self._next_page(pager, environment)

    def page(
        self, params: Mapping[str, Any], limit: int, offset: int, environment: str | None
    ) -> Flow[Effect, Page]:
        """``GET /items`` with these parameters, ``page[limit]`` and ``page[offset]``."""
        answer = yield from self.client.call_flow(
            "GET",
            "/items",
            params={**params, "page": {"limit": limit, "offset": offset}},
            environment=environment,
        )
        records = jsonapi.deserialize(answer)
        self.client.remember(records)
        total = (answer.get("meta") or {}).get("total_count")
        return Page(records, offset, limit, total if isinstance(total, int) else len(records))

    def publish(self, item: object, **options: Unpack[PublishOptions]) -> Flow[Effect, Record]:
        """Publish a record, or only some locales and/or its non-localized content."""
        given(options, PublishOptions, "items.publish()")
        whole = options.get("non_localized_content")
        return (yield from self._change_status(item, "publish", options, whole))

    def unpublish(self, item: object, **options: Unpack[StatusOptions]) -> Flow[Effect, Record]:
        """Unpublish a record, or only some locales."""
        given(options, StatusOptions, "items.unpublish()")
        return (yield from self._change_status(item, "unpublish", options, None))

    def destroy(self, item: object, *, environment: str | None = None) -> Flow[Effect, Record]:
        """Delete a record (and its blocks); answers the deleted record."""
        answer = yield from self.client.call_flow(
            "DELETE", f"/items/{jsonapi.to_id(item)}", environment=environment
        )
        return self._record(answer)

    def update_with_retry(
        self,
        item: object,
        change: Callable[[Record], Mapping[str, Any]],
        *,
        attempts: int = 5,
        nested: bool = False,
        **options: Unpack[WriteOptions],
    ) -> Flow[Effect, Record]:
        """Optimistic locking: read the record, send ``change(record)`` with its
        ``meta.current_version``, and on ``STALE_ITEM_VERSION`` (someone else wrote in
        between) read again and retry, ``attempts`` times at most."""
        given(options, WriteOptions, "items.update_with_retry()")
        environment = options.get("environment")
        if isinstance(attempts, bool) or not isinstance(attempts, int) or attempts < 1:
            raise InvalidArgument(f"attempts must be an integer >= 1, got {attempts!r}.")
        for attempt in range(1, attempts + 1):
            record = yield from self.find(
                item, nested=nested, version=None, environment=environment
            )
            changes = change(record)
            if not isinstance(changes, Mapping):
                raise InvalidArgument(
                    f"change(record) must return a dict of changes, got {changes!r}."
                )
            meta = {
                **dict(changes.get("meta") or {}),
                "current_version": record["meta"]["current_version"],
            }
            try:
                return (yield from self.update(item, {**changes, "meta": meta}, **options))
            except CMAError as exc:
                if exc.find_error("STALE_ITEM_VERSION") is None or attempt == attempts:
                    raise
        raise AssertionError("unreachable")  # pragma: no cover

    # -- helpers ------------------------------------------------------------------------------

    def _next_page(self, pager: Pager, environment: str | None) -> Flow[Effect, Page]:
        page = yield from self.page(pager.params, pager.limit, pager.offset, environment)
        pager.add(page)
        return page

    def _change_status(
        self,
        item: object,
        action: str,
        options: StatusOptions,
        non_localized_content: bool | None,
    ) -> Flow[Effect, Record]:
        """``PUT /items/:id/publish`` or ``/unpublish``; with a body only to (un)publish some
        locales or the non-localized content ("Do not include a request body at all")."""
        body = operation_body(
            f"selective_{action}_operation",
            options.get("content_in_locales"),
            non_localized_content,
        )
        answer = yield from self.client.call_flow(
            "PUT",
            f"/items/{jsonapi.to_id(item)}/{action}",
            params={"recursive": options.get("recursive")},
            body=body,
            environment=options.get("environment"),
        )
        return self._record(answer)

    def _record(self, answer: Any) -> Record:
        record: Record = jsonapi.deserialize(answer)
        self.client.remember(record)
        return record

    def _validate(
        self, payload: Mapping[str, Any], item_id: str | None, environment: str | None
    ) -> Flow[Effect, None]:
        """Raise ``InvalidPayload`` unless ``payload`` fits the schema. A schema read before
        this call may be stale (a model or field added since): before refusing, the client
        reads it again, once, unless it was given to the client."""
        stale = self.client.schema_may_be_stale(environment)
        check = yield from self._check(payload, item_id, environment)
        if check.problems and stale:
            self.client.forget_schema(environment)
            check = yield from self._check(payload, item_id, environment)
        check.raise_if_invalid()

    def _check(
        self, payload: Mapping[str, Any], item_id: str | None, environment: str | None
    ) -> Flow[Effect, PayloadCheck]:
        schema = yield from self.client.schema_flow(environment)
        model = None
        if item_id is not None and payload.get("item_type") is None:
            model_id = self.client.model_of(item_id)
            if model_id is None:
                record = yield from self.find(
                    item_id, nested=False, version=None, environment=environment
                )
                model_id = jsonapi.to_id(record["item_type"], "model")
            model = schema.by_id(model_id)
        check = PayloadCheck(schema, payload, creating=item_id is None, model=model)
        wanted = {link.record_id for link in check.pending_links}
        models = yield from self._models_of(sorted(wanted), environment)
        check.finish(models)
        return check

    def _models_of(
        self, ids: Sequence[str], environment: str | None
    ) -> Flow[Effect, dict[str, str | None]]:
        """The model id of each record (None: not found), asking only for unknown ones."""
        unknown = [record_id for record_id in ids if self.client.model_of(record_id) is None]
        for start in range(0, len(unknown), IDS_PER_REQUEST):
            chunk = unknown[start : start + IDS_PER_REQUEST]
            params = list_params({"ids": chunk, "version": "current"})
            yield from self.page(params, MAX_PAGE_SIZE, 0, environment)
        return {record_id: self.client.model_of(record_id) for record_id in ids}


def operation_body(
    operation: str, content_in_locales: Sequence[str] | None, non_localized_content: bool | None
) -> dict[str, Any] | None:
    """The body of a selective publish/unpublish (None: the whole record, no body at all)."""
    attributes: dict[str, Any] = {}
    if content_in_locales is not None:
        if isinstance(content_in_locales, str) or not all(
            isinstance(locale, str) for locale in content_in_locales
        ):
            raise InvalidArgument(
                f"content_in_locales is a list of locales, got {content_in_locales!r}."
            )
        attributes["content_in_locales"] = list(content_in_locales)
    if non_localized_content is not None:
        attributes["non_localized_content"] = bool(non_localized_content)
    if not attributes:
        return None
    return {"data": {"type": operation, "attributes": attributes}}
