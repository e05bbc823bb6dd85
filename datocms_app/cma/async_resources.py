"""The resources of an ``AsyncClient``: the async twins of ``datocms_app.cma.resources``.

``await client.items.create(...)``; ``async for record in client.items.iterate(...)``. Each
method runs the same flow as its sync twin, with the async driver.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Unpack

from datocms_app.cma.items import ItemCalls, ItemFilters, Page, Pager
from datocms_app.cma.schema_endpoints import FieldCalls, ItemTypeCalls, SiteCalls
from datocms_app.cma.types import Record
from datocms_app.cma.uploads import UploadCalls

if TYPE_CHECKING:
    from datocms_app.cma.client import AsyncClient

__all__ = ["AsyncFields", "AsyncItemTypes", "AsyncItems", "AsyncSite", "AsyncUploads"]


class AsyncItems:
    """Records: ``client.items``."""

    def __init__(self, client: AsyncClient) -> None:
        self._calls = ItemCalls(client)
        self._run = client.run

    async def create(
        self, payload: Mapping[str, Any], *, validate: bool = True, environment: str | None = None
    ) -> Record:
        """Create a record: ``item_type`` and field values; optionally ``id`` (see
        ``generate_id``), ``meta.created_at``/``meta.first_published_at``, ``creator``."""
        return await self._run(
            self._calls.create(payload, validate=validate, environment=environment)
        )

    async def update(
        self,
        item: object,
        payload: Mapping[str, Any],
        *,
        validate: bool = True,
        environment: str | None = None,
    ) -> Record:
        """Change the fields in ``payload`` (others stay); ``meta.current_version`` locks."""
        flow = self._calls.update(item, payload, validate=validate, environment=environment)
        return await self._run(flow)

    async def find(
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
        return await self._run(flow)

    async def list(
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
        return (await self._run(page)).records

    async def list_pages(
        self,
        *,
        per_page: int | None = None,
        environment: str | None = None,
        **filters: Unpack[ItemFilters],
    ) -> AsyncIterator[Page]:
        """Every page of records, ``per_page`` at a time, until ``meta.total_count``."""
        pager = Pager(filters, per_page)
        while not pager.done:
            page = await self._run(
                self._calls.page(pager.params, pager.limit, pager.offset, environment)
            )
            pager.add(page)
            yield page

    async def iterate(
        self,
        *,
        per_page: int | None = None,
        environment: str | None = None,
        **filters: Unpack[ItemFilters],
    ) -> AsyncIterator[Record]:
        """Every record, page after page (``listPagedIterator`` of the JS client)."""
        async for page in self.list_pages(per_page=per_page, environment=environment, **filters):
            for record in page.records:
                yield record

    async def destroy(self, item: object, *, environment: str | None = None) -> Record:
        """Delete a record (and its blocks); answers the deleted record."""
        return await self._run(self._calls.destroy(item, environment))

    async def publish(
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
        return await self._run(flow)

    async def unpublish(
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
        return await self._run(flow)

    async def update_with_retry(
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
        return await self._run(flow)


class AsyncItemTypes:
    """Models and block models: ``client.item_types``."""

    def __init__(self, client: AsyncClient) -> None:
        self._calls = ItemTypeCalls(client)
        self._run = client.run

    async def list(self, *, environment: str | None = None) -> list[Record]:
        return await self._run(self._calls.list(environment))

    async def find(self, item_type: object, *, environment: str | None = None) -> Record:
        """By id, API key or ``Schema.X``."""
        return await self._run(self._calls.find(item_type, environment))

    async def create(self, payload: Mapping[str, Any], *, environment: str | None = None) -> Record:
        """``name``, ``api_key``, ``modular_block``, ``all_locales_required``, ..."""
        return await self._run(self._calls.create(payload, environment))


class AsyncFields:
    """Fields of a model or block model: ``client.fields``."""

    def __init__(self, client: AsyncClient) -> None:
        self._calls = FieldCalls(client)
        self._run = client.run

    async def list(self, item_type: object, *, environment: str | None = None) -> list[Record]:
        return await self._run(self._calls.list(item_type, environment))

    async def create(
        self, item_type: object, payload: Mapping[str, Any], *, environment: str | None = None
    ) -> Record:
        """``label``, ``api_key``, ``field_type``, ``localized``, ``validators``, ..."""
        return await self._run(self._calls.create(item_type, payload, environment))


class AsyncSite:
    """The project: ``client.site``."""

    def __init__(self, client: AsyncClient) -> None:
        self._calls = SiteCalls(client)
        self._run = client.run

    async def find(self, *, include: str | None = None, environment: str | None = None) -> Record:
        return await self._run(self._calls.find(include, environment))


class AsyncUploads:
    """Assets: ``client.uploads``."""

    def __init__(self, client: AsyncClient) -> None:
        self._calls = UploadCalls(client)
        self._run = client.run

    async def find(self, upload: object, *, environment: str | None = None) -> Record:
        return await self._run(self._calls.find(upload, environment))

    async def list(
        self, params: Mapping[str, Any] | None = None, *, environment: str | None = None
    ) -> list[Record]:
        return await self._run(self._calls.list(params or {}, environment))

    async def create_from_local_file(
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
        return await self._run(flow)

    async def create_from_url(
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
        return await self._run(flow)
