"""Records (the CMA's ``items``): create, update, find, list and page, publish, destroy.

``ItemCalls`` writes each operation once as a flow; ``client.items`` (``Items`` and
``AsyncItems``, in ``resources`` and ``async_resources``) runs them. Records come back in
the simple shape of DatoCMS's JS client (``id``, ``type``, fields, ``item_type``, ``meta``;
blocks, with ``nested=True``, as JSON:API resources) and payloads go in the same shape (see
``datocms_app.cma.jsonapi``).

``create`` and ``update`` check the payload against the project's schema first (``validate=
False`` skips it): the schema is read once per client and environment, the model of an
updated record comes from the payload, from the records the client has seen, or from one
``GET /items/:id``; links are checked against their fields' validators with one ``GET
/items?filter[ids]=...`` for linked records the client has not seen.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypedDict

from datocms_app.cma import jsonapi
from datocms_app.cma.ids import is_valid_id
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
    unknown = sorted(set(filters) - set(ItemFilters.__annotations__))
    if unknown:
        raise InvalidArgument(
            f"items.list() takes no {', '.join(unknown)}; it takes "
            f"{', '.join(ItemFilters.__annotations__)}, and per_page/limit/offset."
        )
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
    """The bookkeeping of ``list_pages``: offsets until ``meta.total_count`` is reached."""

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
    """The flows of the records endpoints, for ``Items`` and ``AsyncItems``."""

    def __init__(self, client: BaseClient) -> None:
        self.client = client

    def create(
        self, payload: Mapping[str, Any], *, validate: bool, environment: str | None
    ) -> Flow[Effect, Record]:
        record_id = payload.get("id") if isinstance(payload, Mapping) else None
        if record_id is not None and not is_valid_id(record_id):
            raise InvalidArgument(
                f"A new record's id is an RFC 4122 v4 UUID in URL-safe base64 (22 characters, "
                f"as cma.generate_id() makes them), got {record_id!r}."
            )
        body = jsonapi.serialize(
            payload, type="item", attributes=None, relationships=ITEM_RELATIONSHIPS
        )
        if validate:
            yield from self._validate(payload, None, environment)
        answer = yield from self.client.call_flow(
            "POST", "/items", body=body, environment=environment
        )
        return self._record(answer)

    def update(
        self, item: object, payload: Mapping[str, Any], *, validate: bool, environment: str | None
    ) -> Flow[Effect, Record]:
        item_id = jsonapi.to_id(item)
        body = jsonapi.serialize(
            payload, type="item", attributes=None, relationships=ITEM_RELATIONSHIPS, id=item_id
        )
        if validate:
            yield from self._validate(payload, item_id, environment)
        answer = yield from self.client.call_flow(
            "PUT", f"/items/{item_id}", body=body, environment=environment
        )
        return self._record(answer)

    def find(
        self, item: object, *, nested: bool, version: str | None, environment: str | None
    ) -> Flow[Effect, Record]:
        if version not in (None, "current", "published"):
            raise InvalidArgument(f"version= is 'current' or 'published', got {version!r}.")
        params = {"nested": True if nested else None, "version": version}
        answer = yield from self.client.call_flow(
            "GET", f"/items/{jsonapi.to_id(item)}", params=params, environment=environment
        )
        return self._record(answer)

    def page(
        self, params: Mapping[str, Any], limit: int, offset: int, environment: str | None
    ) -> Flow[Effect, Page]:
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

    def change_status(
        self,
        item: object,
        action: str,
        *,
        recursive: bool | None,
        content_in_locales: Sequence[str] | None,
        non_localized_content: bool | None,
        environment: str | None,
    ) -> Flow[Effect, Record]:
        """``PUT /items/:id/publish`` or ``/unpublish``; with a body only to (un)publish some
        locales or the non-localized content ("Do not include a request body at all")."""
        body = operation_body(
            f"selective_{action}_operation", content_in_locales, non_localized_content
        )
        answer = yield from self.client.call_flow(
            "PUT",
            f"/items/{jsonapi.to_id(item)}/{action}",
            params={"recursive": recursive},
            body=body,
            environment=environment,
        )
        return self._record(answer)

    def destroy(self, item: object, environment: str | None) -> Flow[Effect, Record]:
        answer = yield from self.client.call_flow(
            "DELETE", f"/items/{jsonapi.to_id(item)}", environment=environment
        )
        return self._record(answer)

    def update_with_retry(
        self,
        item: object,
        change: Callable[[Record], Mapping[str, Any]],
        *,
        attempts: int,
        nested: bool,
        validate: bool,
        environment: str | None,
    ) -> Flow[Effect, Record]:
        """Read, ``change(record)``, update with ``meta.current_version``; on
        ``STALE_ITEM_VERSION`` (someone else wrote in between) read again and retry."""
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
                return (
                    yield from self.update(
                        item, {**changes, "meta": meta}, validate=validate, environment=environment
                    )
                )
            except CMAError as exc:
                if exc.find_error("STALE_ITEM_VERSION") is None or attempt == attempts:
                    raise
        raise AssertionError("unreachable")  # pragma: no cover

    # -- helpers ------------------------------------------------------------------------------

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
