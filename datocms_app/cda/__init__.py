"""The Content Delivery API: clients, and module functions that use the project's settings.

::

    from datocms_app import cda

    data = cda.query("{ allArticles { title } }")                 # dict
    response = cda.execute(QUERY, {"slug": slug})                  # .data .cache_tags ...
    data = await cda.aquery(QUERY, include_drafts=True)            # async views
    records = cda.paginate(QUERY, collection="allArticles")       # past 500 records

The module functions share one ``Client`` per process (one ``AsyncClient`` per event loop),
built from ``settings.DATOCMS`` and rebuilt when it changes. With no ``API_TOKEN`` they talk
to the offline backend an optional app installed on ``datocms_app.cda.hooks`` (the emulator
app serves its content project in-process); with none, building them raises
``ConfigurationError`` saying what to do. Inside ``draft_mode()``
(``datocms_app.cda.draft_mode``: the preview middleware opens it for editors in draft mode)
they use a second pair that reads drafts with ``PREVIEW_API_TOKEN``.

Their clients are built with the query cache the caching package installs
(``datocms_app.caching.query_cache``: tag-versioned, never for drafts,
``DATOCMS["QUERY_CACHE"]``). Every query of every client, whoever built it, is seen by the
observers of ``datocms_app.cda.hooks``: that is how a page learns its cache tags and that
it read drafts. The ``Client`` classes never cache unless built with ``cache=``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel

from datocms_app import flows
from datocms_app.cda import hooks
from datocms_app.cda.client import AsyncClient, BaseClient, Client
from datocms_app.cda.draft_mode import draft_mode, in_draft_mode
from datocms_app.cda.pagination import MAX_PAGE_SIZE, PageCursor
from datocms_app.cda.response import CDAResponse, parse_cache_tags
from datocms_app.conf import DatoCMSSettings, SettingsBound
from datocms_app.exceptions import ConfigurationError

__all__ = [
    "MAX_PAGE_SIZE",
    "AsyncClient",
    "BaseClient",
    "CDAResponse",
    "Client",
    "aexecute",
    "apaginate",
    "aquery",
    "draft_mode",
    "execute",
    "get_async_client",
    "get_client",
    "in_draft_mode",
    "paginate",
    "parse_cache_tags",
    "query",
]

#: Why a client cannot be built without a token when no app installed an offline backend.
_NO_OFFLINE_BACKEND = (
    "No DatoCMS API token is configured and no offline backend is installed. Set "
    "settings.DATOCMS['API_TOKEN'] (the demo reads the environment variable "
    "DATOCMS_API_TOKEN) to a read-only token from your project's Settings > API tokens, or "
    "serve a content project offline: add 'datocms_app.emulator' to INSTALLED_APPS and "
    "pip install 'datocms-app[emulator]'."
)


def client_options(conf: DatoCMSSettings, *, asynchronous: bool) -> dict[str, Any]:
    """Keyword arguments for a client built from these settings.

    No token means the offline backend installed on ``hooks`` (``install_offline_backend``).
    """
    options: dict[str, Any] = {
        "environment": conf.ENVIRONMENT,
        "include_drafts": conf.INCLUDE_DRAFTS,
        "exclude_invalid": conf.EXCLUDE_INVALID,
        "timeout": conf.TIMEOUT,
        "max_retries": conf.MAX_RETRIES,
        "cache": hooks.build_query_cache(conf),
    }
    if conf.API_TOKEN:
        return {**options, "api_token": conf.API_TOKEN, "endpoint": conf.CDA_URL}
    backend = hooks.offline_backend()
    if backend is None:
        raise ConfigurationError(_NO_OFFLINE_BACKEND)
    return {**options, **backend(asynchronous=asynchronous)}


_client: SettingsBound[Client] = SettingsBound(
    lambda conf: Client(**client_options(conf, asynchronous=False))
)
_async_client: SettingsBound[AsyncClient] = SettingsBound(
    lambda conf: AsyncClient(**client_options(conf, asynchronous=True)), per_event_loop=True
)


def draft_client_options(conf: DatoCMSSettings, *, asynchronous: bool) -> dict[str, Any]:
    """``client_options`` for the clients of ``draft_mode()``: drafts, no query cache, and
    ``PREVIEW_API_TOKEN`` when it is set beside ``API_TOKEN`` (without ``API_TOKEN`` the
    offline emulator answers drafts to its own token)."""
    options = {**client_options(conf, asynchronous=asynchronous), "include_drafts": True}
    options["cache"] = None
    if conf.API_TOKEN and conf.PREVIEW_API_TOKEN:
        options["api_token"] = conf.PREVIEW_API_TOKEN
    return options


_draft_client: SettingsBound[Client] = SettingsBound(
    lambda conf: Client(**draft_client_options(conf, asynchronous=False))
)
_async_draft_client: SettingsBound[AsyncClient] = SettingsBound(
    lambda conf: AsyncClient(**draft_client_options(conf, asynchronous=True)),
    per_event_loop=True,
)


def get_client() -> Client:
    """The process-wide ``Client`` for ``settings.DATOCMS`` (thread-safe); the drafts one
    inside ``draft_mode()``."""
    if in_draft_mode():
        return _draft_client.get()
    return _client.get()


def get_async_client() -> AsyncClient:
    """The ``AsyncClient`` for ``settings.DATOCMS`` and the running event loop; the drafts
    one inside ``draft_mode()``."""
    if in_draft_mode():
        return _async_draft_client.get()
    return _async_client.get()


def execute(query: str, variables: Mapping[str, Any] | None = None, **options: Any) -> CDAResponse:
    """Run a query with the default client; see ``Client.execute`` for the options."""
    return get_client().execute(query, variables, **options)


async def aexecute(
    query: str, variables: Mapping[str, Any] | None = None, **options: Any
) -> CDAResponse:
    """The async twin of ``execute``."""
    return await get_async_client().execute(query, variables, **options)


def query(
    query: str,
    variables: Mapping[str, Any] | None = None,
    *,
    model: type[BaseModel] | None = None,
    **options: Any,
) -> Any:
    """Run a query and return its ``data`` (a dict, or a validated ``model`` instance)."""
    return get_client().query(query, variables, model=model, **options)


async def aquery(
    query: str,
    variables: Mapping[str, Any] | None = None,
    *,
    model: type[BaseModel] | None = None,
    **options: Any,
) -> Any:
    """The async twin of ``query``."""
    return await get_async_client().query(query, variables, model=model, **options)


def paginate(
    query: str,
    variables: Mapping[str, Any] | None = None,
    *,
    collection: str,
    page_size: int = MAX_PAGE_SIZE,
    limit: int | None = None,
    client: Client | None = None,
    **options: Any,
) -> list[Any]:
    """Every record of a collection, fetched ``page_size`` at a time (see ``pagination``).

    Pages are read with ``client`` (default: the module's, through the query cache).
    """
    cursor = PageCursor(query, variables, collection=collection, page_size=page_size, limit=limit)
    reader = client if client is not None else get_client()
    return flows.run(cursor.pages(), lambda page: reader.execute(query, page, **options))


async def apaginate(
    query: str,
    variables: Mapping[str, Any] | None = None,
    *,
    collection: str,
    page_size: int = MAX_PAGE_SIZE,
    limit: int | None = None,
    client: AsyncClient | None = None,
    **options: Any,
) -> list[Any]:
    """The async twin of ``paginate``."""
    cursor = PageCursor(query, variables, collection=collection, page_size=page_size, limit=limit)
    reader = client if client is not None else get_async_client()
    return await flows.arun(cursor.pages(), lambda page: reader.execute(query, page, **options))
