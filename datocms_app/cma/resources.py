"""``client.items``, ``item_types``, ``fields``, ``site`` and ``uploads``, for both clients.

A resource is a table of methods, each naming the flow that does its work, written once in
``items``, ``schema_endpoints`` or ``uploads``: ``create = operation(ItemCalls.create)``. A
method takes the flow's parameters and docstring; on a ``Client``'s resource it runs the flow
and answers its result, on an ``AsyncClient``'s it answers a coroutine of it (``paged``
methods: an iterator, or an async iterator). Type checkers see the same: the flow's signature
(``ParamSpec``), and ``Record`` or ``Coroutine[..., Record]`` as the client is sync or async::

    record = client.items.create({"item_type": Schema.Dog.REF, "name": "Buddy"})
    record = await async_client.items.create({"item_type": Schema.Dog.REF, "name": "Buddy"})

So a resource has no sync or async code of its own: a new endpoint is a flow and one line
here. This module must never do I/O nor decide anything: the flows decide, the clients
(``run``, ``stream``) perform.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import AsyncIterator, Callable, Coroutine, Iterable, Iterator
from typing import TYPE_CHECKING, Any, Concatenate, Generic, ParamSpec, Self, TypeVar, overload

from datocms_app.cma.items import ItemCalls, Page
from datocms_app.cma.protocol import Effect
from datocms_app.cma.schema_endpoints import FieldCalls, ItemTypeCalls, SiteCalls
from datocms_app.cma.types import Record
from datocms_app.cma.uploads import UploadCalls
from datocms_app.flows import Flow

if TYPE_CHECKING:
    from datocms_app.cma.client import AsyncClient, BaseClient, Client

__all__ = [
    "Fields",
    "ItemTypes",
    "Items",
    "Resource",
    "Site",
    "Uploads",
    "operation",
    "paged",
]

P = ParamSpec("P")
R = TypeVar("R")
T = TypeVar("T")
CallsT = TypeVar("CallsT")
ClientT = TypeVar("ClientT", bound="BaseClient")


class Resource(Generic[ClientT, CallsT]):
    """A group of endpoints of ``client``: ``calls`` holds their flows."""

    def __init__(self, client: ClientT, calls: CallsT) -> None:
        self.client = client
        self.calls = calls


class _FlowMethod:
    """What a resource method shows of itself: its name, docstring and signature (the
    flow's, without the ``calls`` it is bound to), for ``help()`` and ``inspect``."""

    def __init__(self, source: Callable[..., Any], doc: str | None) -> None:
        self.__doc__ = doc
        self._source = source
        self._name = source.__name__
        self._qualname = source.__qualname__

    def __set_name__(self, owner: type[Any], name: str) -> None:
        self._name = name
        self._qualname = f"{owner.__qualname__}.{name}"

    @functools.cached_property
    def _signature(self) -> inspect.Signature:
        signature = inspect.signature(self._source)
        return signature.replace(
            parameters=tuple(signature.parameters.values())[1:],
            return_annotation=inspect.Signature.empty,
        )

    def _present(
        self, resource: Resource[Any, Any], method: Callable[..., Any]
    ) -> Callable[..., Any]:
        """``method`` as ``resource``'s: named, documented, and kept in the resource, so that
        the next ``client.items.find`` is an attribute read (this is a non-data
        descriptor)."""
        method.__qualname__ = self._qualname
        method.__name__ = self._name
        method.__doc__ = self.__doc__
        method.__signature__ = self._signature  # type: ignore[attr-defined]
        vars(resource)[self._name] = method
        return method


class operation(_FlowMethod, Generic[CallsT, P, R]):
    """A resource method that runs one flow: ``create = operation(ItemCalls.create)``."""

    def __init__(self, flow: Callable[Concatenate[CallsT, P], Flow[Effect, R]]) -> None:
        super().__init__(flow, flow.__doc__)
        self.flow = flow

    @overload
    def __get__(self, resource: None, owner: type[Any]) -> Self: ...

    @overload
    def __get__(self, resource: Resource[Client, CallsT], owner: type[Any]) -> Callable[P, R]: ...

    @overload
    def __get__(
        self, resource: Resource[AsyncClient, CallsT], owner: type[Any]
    ) -> Callable[P, Coroutine[Any, Any, R]]: ...

    def __get__(self, resource: Resource[Any, CallsT] | None, owner: type[Any]) -> Any:
        if resource is None:
            return self
        flow, calls, run = self.flow, resource.calls, resource.client.run

        def method(*args: P.args, **kwargs: P.kwargs) -> Any:
            return run(flow(calls, *args, **kwargs))

        return self._present(resource, method)


class paged(_FlowMethod, Generic[CallsT, P, T]):
    """A resource method that reads page after page: ``pages`` gives one flow per page (the
    next once the last has run), ``items_of`` what a page hands out."""

    def __init__(
        self,
        pages: Callable[Concatenate[CallsT, P], Iterator[Flow[Effect, Page]]],
        items_of: Callable[[Page], Iterable[T]],
        doc: str,
    ) -> None:
        super().__init__(pages, doc)
        self.pages = pages
        self.items_of = items_of

    @overload
    def __get__(self, resource: None, owner: type[Any]) -> Self: ...

    @overload
    def __get__(
        self, resource: Resource[Client, CallsT], owner: type[Any]
    ) -> Callable[P, Iterator[T]]: ...

    @overload
    def __get__(
        self, resource: Resource[AsyncClient, CallsT], owner: type[Any]
    ) -> Callable[P, AsyncIterator[T]]: ...

    def __get__(self, resource: Resource[Any, CallsT] | None, owner: type[Any]) -> Any:
        if resource is None:
            return self
        pages, items_of, calls = self.pages, self.items_of, resource.calls
        stream = resource.client.stream

        def method(*args: P.args, **kwargs: P.kwargs) -> Any:
            return stream(pages(calls, *args, **kwargs), items_of)

        return self._present(resource, method)


def _the_page(page: Page) -> tuple[Page]:
    return (page,)


def _its_records(page: Page) -> list[Record]:
    return page.records


class Items(Resource[ClientT, ItemCalls]):
    """Records: ``client.items``."""

    create = operation(ItemCalls.create)
    update = operation(ItemCalls.update)
    find = operation(ItemCalls.find)
    list = operation(ItemCalls.list)
    list_pages = paged(
        ItemCalls.pages,
        _the_page,
        "Every page of records, ``per_page`` at a time, until ``meta.total_count``.",
    )
    iterate = paged(
        ItemCalls.pages,
        _its_records,
        "Every record, page after page (``listPagedIterator`` of the JS client).",
    )
    destroy = operation(ItemCalls.destroy)
    publish = operation(ItemCalls.publish)
    unpublish = operation(ItemCalls.unpublish)
    update_with_retry = operation(ItemCalls.update_with_retry)


class ItemTypes(Resource[ClientT, ItemTypeCalls]):
    """Models and block models: ``client.item_types``."""

    list = operation(ItemTypeCalls.list)
    find = operation(ItemTypeCalls.find)
    create = operation(ItemTypeCalls.create)


class Fields(Resource[ClientT, FieldCalls]):
    """Fields of a model or block model: ``client.fields``."""

    list = operation(FieldCalls.list)
    create = operation(FieldCalls.create)


class Site(Resource[ClientT, SiteCalls]):
    """The project: ``client.site``."""

    find = operation(SiteCalls.find)


class Uploads(Resource[ClientT, UploadCalls]):
    """Assets: ``client.uploads``."""

    find = operation(UploadCalls.find)
    list = operation(UploadCalls.list)
    create_from_local_file = operation(UploadCalls.create_from_local_file)
    create_from_url = operation(UploadCalls.create_from_url)
