"""The hooks through which the rest of datocms_app follows the clients' queries.

The CDA client knows nothing of caches, pages or requests; other parts plug in here:

- **Observers** see every query any ``Client`` or ``AsyncClient`` runs, whoever built the
  client: ``started`` before it is sent (or looked up in a cache), ``answered`` with its
  response. The caching package registers the one that marks the page as draft and collects
  its cache tags, so draft isolation holds at every entry point by construction.
- **A query cache** is any object with ``fetch`` / ``afetch`` (``QueryCache``). A client built
  with ``cache=`` asks it instead of the network for every query that is not a draft; the
  module functions' clients get the one ``query_cache_factory`` builds from the settings
  (the caching package installs it).
- **An offline backend** answers the module functions' queries when no API token is set:
  a factory ``factory(asynchronous=...)`` returning the client options (``api_token``,
  ``endpoint``, ``transport``) of a CDA that runs without DatoCMS. An optional app installs
  one in its ``AppConfig.ready()`` (the emulator app serves a content project in-process);
  with none installed, a client without a token cannot be built (``datocms.E003``).
- **A listen endpoint** (``ListenEndpoint``) is where live updates (``datocms_app.preview``)
  register their Real-time Updates channels instead of ``DATOCMS["LISTEN_URL"]``: an optional
  app that answers queries without DatoCMS (the emulator) installs a factory with
  ``install_listen_endpoint_factory`` that returns its endpoint (transport, token, the base
  URL browsers reach its channels at) for the settings it serves, and None for the others.

``is_draft`` is the one rule for "this query may see unpublished content": drafts
(``X-Include-Drafts``) or visual editing (``X-Visual-Editing``, whose answers carry editing
metadata). Whatever sees such a query must keep its answer out of every shared cache.

This module must stay cheap and import nothing but the client's own value types: the
observers run on every query.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

from datocms_app.cda.response import CDAResponse
from datocms_app.slots import Slot

if TYPE_CHECKING:
    from datocms_app.conf import DatoCMSSettings

__all__ = [
    "DRAFT_HEADERS",
    "CDAQuery",
    "ListenEndpoint",
    "ListenEndpointFactory",
    "OfflineBackend",
    "QueryCache",
    "QueryObserver",
    "add_observer",
    "build_listen_endpoint",
    "build_query_cache",
    "install_listen_endpoint_factory",
    "install_offline_backend",
    "install_query_cache_factory",
    "is_draft",
    "observers",
    "offline_backend",
    "remove_observer",
    "uninstall_offline_backend",
]

#: Request headers that make an answer unpublished or editor-only.
DRAFT_HEADERS = ("X-Include-Drafts", "X-Visual-Editing")


def is_draft(headers: Mapping[str, str]) -> bool:
    """True when a CDA request with these headers may answer with content for editors only."""
    return "X-Include-Drafts" in headers or "X-Visual-Editing" in headers


class CDAQuery(NamedTuple):
    """One GraphQL query as a client sends it: everything that shapes its answer.

    ``body`` is the exact JSON body and ``headers`` the exact request headers (the API token
    among them: never log or display a ``CDAQuery``'s headers). A named tuple: one is built
    for every query, and a tuple is the cheapest value object to build.
    """

    endpoint: str
    query: str
    variables: Mapping[str, Any] | None
    body: bytes
    headers: Mapping[str, str]
    draft: bool

    def __repr__(self) -> str:
        return f"<CDAQuery {self.endpoint} draft={self.draft} {len(self.body)} bytes>"


class QueryObserver:
    """Base class of observers; override what you need. Observers must not raise."""

    def started(self, query: CDAQuery) -> None:
        """Called before ``query`` is sent or looked up in a cache."""

    def answered(self, query: CDAQuery, response: CDAResponse) -> None:
        """Called with the response a client is about to return (from the CDA or a cache)."""


class QueryCache(Protocol):
    """What a client asks instead of the network for queries that are not drafts."""

    def fetch(self, query: CDAQuery, send: Callable[[], CDAResponse]) -> CDAResponse:
        """The response to ``query``: from the cache, or ``send()`` and keep it."""
        ...

    async def afetch(
        self, query: CDAQuery, send: Callable[[], Awaitable[CDAResponse]]
    ) -> CDAResponse:
        """The async twin of ``fetch``."""
        ...


class OfflineBackend(Protocol):
    """Builds the options of a client that needs no API token (see ``install_offline_backend``).

    Called with ``asynchronous=True`` for an ``AsyncClient``; returns at least ``api_token``,
    ``endpoint`` and ``transport`` (an ``httpx.BaseTransport``, or an
    ``httpx.AsyncBaseTransport`` when asynchronous). Raises ``ConfigurationError`` when it
    cannot serve (e.g. its content is not configured).
    """

    def __call__(self, *, asynchronous: bool) -> Mapping[str, Any]: ...


#: The registered observers, called in order. Replaced (never mutated) on change, so a
#: client iterating it while another thread registers one is never disturbed.
observers: tuple[QueryObserver, ...] = ()
_query_cache_factory: Slot[Callable[[DatoCMSSettings], QueryCache | None]] = Slot(
    "install_query_cache_factory", "a callable factory(conf) returning a QueryCache or None"
)
_offline_backend: Slot[OfflineBackend] = Slot(
    "install_offline_backend",
    "a callable factory(*, asynchronous: bool) returning client options",
)


def add_observer(observer: QueryObserver) -> None:
    """Register ``observer`` for every query of every client (once; idempotent)."""
    global observers
    if observer not in observers:
        observers = (*observers, observer)


def remove_observer(observer: QueryObserver) -> None:
    global observers
    observers = tuple(known for known in observers if known is not observer)


def install_query_cache_factory(
    factory: Callable[[DatoCMSSettings], QueryCache | None] | None,
) -> Callable[[DatoCMSSettings], QueryCache | None] | None:
    """Set what builds the module functions' query cache from the settings (None: none);
    returns the factory it replaces."""
    return _query_cache_factory.install(factory)


def build_query_cache(conf: DatoCMSSettings) -> QueryCache | None:
    """The query cache for clients built from ``conf``, if a factory is installed."""
    factory = _query_cache_factory.installed
    return factory(conf) if factory is not None else None


def install_offline_backend(factory: OfflineBackend | None) -> OfflineBackend | None:
    """Set what serves the module functions' queries when no API token is configured (None
    uninstalls it); returns the backend it replaces."""
    return _offline_backend.install(factory)


def uninstall_offline_backend() -> None:
    """Forget the offline backend: a client without a token can no longer be built."""
    _offline_backend.install(None)


def offline_backend() -> OfflineBackend | None:
    """The installed offline backend, or None when no app installed one."""
    return _offline_backend.installed


# -- the listen endpoint (live updates: datocms_app.preview.listen) --------------------------


@dataclass(frozen=True, slots=True)
class ListenEndpoint:
    """A Real-time Updates API that is not DatoCMS's: where channels are registered.

    ``url`` takes the registration ``POST`` (the CDA's headers and body, answered
    ``{"url": ".../channels/<id>"}``) with ``api_token`` as the bearer token, for drafts too.
    ``transport`` is the ``httpx.BaseTransport`` to send it through (None: the network).
    ``channel_base_url``, when not None, replaces the scheme and host of the channel URLs it
    answers, so that browsers reach them: ``""`` makes them paths on the page's own origin
    (e.g. an in-process emulator whose channels the site serves under its own URLs).
    """

    url: str
    api_token: str
    transport: Any = None
    channel_base_url: str | None = None

    def __repr__(self) -> str:
        return f"<ListenEndpoint {self.url} token=***>"


#: Gives the listen endpoint for the settings it serves, None for the others.
ListenEndpointFactory = Callable[["DatoCMSSettings"], ListenEndpoint | None]

_listen_endpoint_factory: Slot[ListenEndpointFactory] = Slot(
    "install_listen_endpoint_factory",
    "a callable factory(conf) returning a ListenEndpoint or None",
)


def install_listen_endpoint_factory(
    factory: ListenEndpointFactory | None,
) -> ListenEndpointFactory | None:
    """Set what gives the listen endpoint for the settings (it returns None to leave them to
    DatoCMS's ``LISTEN_URL``); None uninstalls it. Returns the factory it replaces."""
    return _listen_endpoint_factory.install(factory)


def build_listen_endpoint(conf: DatoCMSSettings) -> ListenEndpoint | None:
    """The installed factory's listen endpoint for ``conf``, or None for DatoCMS's own."""
    factory = _listen_endpoint_factory.installed
    return factory(conf) if factory is not None else None
