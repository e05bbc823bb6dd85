"""The resources of a synchronous ``Client``: ``client.items``, ``item_types``, ``fields``,
``site`` and ``uploads``.

Each method runs a flow written once in ``items``, ``schema_endpoints`` or ``uploads``;
``datocms_app.cma.async_resources`` holds the async twins. Records are plain dicts in the
simple shape of DatoCMS's JS client.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Unpack

from datocms_app.cma.items import ItemCalls, ItemFilters, Page, Pager
from datocms_app.cma.schema_endpoints import FieldCalls, ItemTypeCalls, SiteCalls
from datocms_app.cma.types import Record
from datocms_app.cma.uploads import UploadCalls

if TYPE_CHECKING:
    from datocms_app.cma.client import Client

__all__ = ["Fields", "ItemTypes", "Items", "Site", "Uploads"]


class Items:
    """Records: ``client.items``."""

    def __init__(self, client: Client) -> None:
        self._calls = ItemCalls(client)
        self._run = client.run

    def create(
        self, payload: Mapping[str, Any], *, validate: bool = True, environment: str | None = None
    ) -> Record:
        """Create a record: ``item_type`` and field values; optionally ``id`` (see
        ``generate_id``), ``meta.created_at``/``meta.first_published_at``, ``creator``."""
        return self._run(self._calls.create(payload, validate=validate, environment=environment))

    def update(
        self,
        item: object,
        payload: Mapping[str, Any],
        *,
        validate: bool = True,
        environment: str | None = None,
    ) -> Record:
        """Change the fields in ``payload`` (others stay); ``meta.current_version`` locks."""
        flow = self._calls.update(item, payload, validate=validate, environment=environment)
        return self._run(flow)

    def find(
        self,
        item: object,
        *,
        nested: bool = False,
        version: str | None = None,
        environment: str | None = None,
    ) -> Record:
        """A record by id (or a record dict); ``nested`` expands blocks, ``version`` is
        ``"current"`` (default) or ``"published"``."""
        flow = self._calls.find(item, nested=nested, version=version, environment=environment)
        return self._run(flow)

    def list(
        self,
        *,
        limit: int | None = None,
        offset: int = 0,
        environment: str | None = None,
        **filters: Unpack[ItemFilters],
    ) -> list[Record]:
        """One page of records (``limit`` default 30, at most 500, 30 with ``nested``)."""
        pager = Pager(filters, limit, offset)
        page = self._calls.page(pager.params, pager.limit, pager.offset, environment)
        return self._run(page).records

    def list_pages(
        self,
        *,
        per_page: int | None = None,
        environment: str | None = None,
        **filters: Unpack[ItemFilters],
    ) -> Iterator[Page]:
        """Every page of records, ``per_page`` at a time, until ``meta.total_count``."""
        pager = Pager(filters, per_page)
        while not pager.done:
            page = self._run(self._calls.page(pager.params, pager.limit, pager.offset, environment))
            pager.add(page)
            yield page

    def iterate(
        self,
        *,
        per_page: int | None = None,
        environment: str | None = None,
        **filters: Unpack[ItemFilters],
    ) -> Iterator[Record]:
        """Every record, page after page (``listPagedIterator`` of the JS client)."""
        for page in self.list_pages(per_page=per_page, environment=environment, **filters):
            yield from page.records

    def destroy(self, item: object, *, environment: str | None = None) -> Record:
        """Delete a record (and its blocks); answers the deleted record."""
        return self._run(self._calls.destroy(item, environment))

    def publish(
        self,
        item: object,
        *,
        recursive: bool | None = None,
        content_in_locales: Sequence[str] | None = None,
        non_localized_content: bool | None = None,
        environment: str | None = None,
    ) -> Record:
        """Publish a record, or only some locales and/or its non-localized content."""
        flow = self._calls.change_status(
            item,
            "publish",
            recursive=recursive,
            content_in_locales=content_in_locales,
            non_localized_content=non_localized_content,
            environment=environment,
        )
        return self._run(flow)

    def unpublish(
        self,
        item: object,
        *,
        recursive: bool | None = None,
        content_in_locales: Sequence[str] | None = None,
        environment: str | None = None,
    ) -> Record:
        """Unpublish a record, or only some locales."""
        flow = self._calls.change_status(
            item,
            "unpublish",
            recursive=recursive,
            content_in_locales=content_in_locales,
            non_localized_content=None,
            environment=environment,
        )
        return self._run(flow)

    def update_with_retry(
        self,
        item: object,
        change: Callable[[Record], Mapping[str, Any]],
        *,
        attempts: int = 5,
        nested: bool = False,
        validate: bool = True,
        environment: str | None = None,
    ) -> Record:
        """Optimistic locking: read the record, send ``change(record)`` with its
        ``meta.current_version``, and on ``STALE_ITEM_VERSION`` read again and retry."""
        flow = self._calls.update_with_retry(
            item,
            change,
            attempts=attempts,
            nested=nested,
            validate=validate,
            environment=environment,
        )
        return self._run(flow)


class ItemTypes:
    """Models and block models: ``client.item_types``."""

    def __init__(self, client: Client) -> None:
        self._calls = ItemTypeCalls(client)
        self._run = client.run

    def list(self, *, environment: str | None = None) -> list[Record]:
        return self._run(self._calls.list(environment))

    def find(self, item_type: object, *, environment: str | None = None) -> Record:
        """By id, API key or ``Schema.X``."""
        return self._run(self._calls.find(item_type, environment))

    def create(self, payload: Mapping[str, Any], *, environment: str | None = None) -> Record:
        """``name``, ``api_key``, ``modular_block``, ``all_locales_required``, ..."""
        return self._run(self._calls.create(payload, environment))


class Fields:
    """Fields of a model or block model: ``client.fields``."""

    def __init__(self, client: Client) -> None:
        self._calls = FieldCalls(client)
        self._run = client.run

    def list(self, item_type: object, *, environment: str | None = None) -> list[Record]:
        return self._run(self._calls.list(item_type, environment))

    def create(
        self, item_type: object, payload: Mapping[str, Any], *, environment: str | None = None
    ) -> Record:
        """``label``, ``api_key``, ``field_type``, ``localized``, ``validators``, ..."""
        return self._run(self._calls.create(item_type, payload, environment))


class Site:
    """The project: ``client.site``."""

    def __init__(self, client: Client) -> None:
        self._calls = SiteCalls(client)
        self._run = client.run

    def find(self, *, include: str | None = None, environment: str | None = None) -> Record:
        return self._run(self._calls.find(include, environment))


class Uploads:
    """Assets: ``client.uploads``."""

    def __init__(self, client: Client) -> None:
        self._calls = UploadCalls(client)
        self._run = client.run

    def find(self, upload: object, *, environment: str | None = None) -> Record:
        return self._run(self._calls.find(upload, environment))

    def list(
        self, params: Mapping[str, Any] | None = None, *, environment: str | None = None
    ) -> list[Record]:
        return self._run(self._calls.list(params or {}, environment))

    def create_from_local_file(
        self,
        local_path: str | Path,
        *,
        filename: str | None = None,
        skip_creation_if_already_exists: bool = False,
        environment: str | None = None,
        **metadata: Any,
    ) -> Record:
        """Upload a local file; ``metadata``: ``author``, ``copyright``, ``notes``, ``tags``,
        ``default_field_metadata`` (per locale), ``upload_collection``."""
        flow = self._calls.create_from_local_file(
            local_path,
            filename=filename,
            skip_creation_if_already_exists=skip_creation_if_already_exists,
            metadata=metadata,
            environment=environment,
        )
        return self._run(flow)

    def create_from_url(
        self,
        url: str,
        *,
        filename: str | None = None,
        skip_creation_if_already_exists: bool = False,
        environment: str | None = None,
        **metadata: Any,
    ) -> Record:
        """Download ``url``, then upload it as ``create_from_local_file`` does."""
        flow = self._calls.create_from_url(
            url,
            filename=filename,
            skip_creation_if_already_exists=skip_creation_if_already_exists,
            metadata=metadata,
            environment=environment,
        )
        return self._run(flow)
