"""The Content Management API: write content to DatoCMS from Django.

::

    from datocms_app import cma
    from myproject import datocms_schema as Schema      # manage.py datocms_schema

    client = cma.get_client()                           # settings.DATOCMS["CMA_API_TOKEN"]
    record = client.items.create({
        "item_type": Schema.Article.REF,
        "title": "The Future of Web Development",
        "sections": [cma.build_block_record(Schema.HeroBlock, headline="Hello")],
    })
    client.items.update_with_retry(record["id"], lambda r: {"views": r["views"] + 1})

Payloads are checked against the project's schema before they are sent (``InvalidPayload``
lists every problem); the CMA's own refusals are ``CMAError`` with every ``api_error``.
``get_client()`` shares one ``Client`` per process and ``get_async_client()`` one
``AsyncClient`` per event loop, built from ``settings.DATOCMS`` and rebuilt when it changes;
without ``CMA_API_TOKEN`` they talk to the offline CMA an app installed on ``hooks`` (the
emulator app's, when it serves the content: no ``API_TOKEN`` either).

The modules: ``client`` (the clients), ``protocol`` (retries, rate limits and jobs, as one
flow), ``answers`` (errors), ``jsonapi`` (the simple shape), ``items``, ``schema_endpoints``
and ``uploads`` (each endpoint's flow), ``hooks`` (the offline CMA), ``resources`` (what
``client.items`` & co. are), ``schema`` and ``validation`` (checking payloads), ``payloads``
and ``dast`` (building values), ``codegen`` (the typed schema module), ``ids``, ``types``.
"""

from __future__ import annotations

from typing import Any

from datocms_app.cma import dast, hooks, payloads
from datocms_app.cma.client import AsyncClient, BaseClient, Client
from datocms_app.cma.ids import generate_id, is_valid_id
from datocms_app.cma.items import Page

# The payload helpers are this package's API as ``payloads.__all__`` lists them: one list to
# keep, not two (``django.db.models`` re-exports its fields the same way).
from datocms_app.cma.payloads import *  # noqa: F403
from datocms_app.cma.schema import FieldSchema, ItemTypeSchema, ProjectSchema
from datocms_app.conf import DatoCMSSettings, SettingsBound
from datocms_app.exceptions import (
    CMAError,
    CMATimeout,
    CMATransportError,
    ConfigurationError,
    InvalidPayload,
)

__all__ = [
    "AsyncClient",
    "BaseClient",
    "CMAError",
    "CMATimeout",
    "CMATransportError",
    "Client",
    "FieldSchema",
    "InvalidPayload",
    "ItemTypeSchema",
    "Page",
    "ProjectSchema",
    "client_options",
    "dast",
    "generate_id",
    "get_async_client",
    "get_client",
    "hooks",
    "is_valid_id",
]
__all__ += payloads.__all__


def client_options(conf: DatoCMSSettings, *, asynchronous: bool = False) -> dict[str, Any]:
    """Keyword arguments for a client built from these settings. Without ``CMA_API_TOKEN``,
    the offline CMA an app installed on ``hooks`` (the emulator's), if it serves them."""
    common = {
        "environment": conf.ENVIRONMENT,
        "timeout": conf.CMA_TIMEOUT,
        "max_retries": conf.MAX_RETRIES,
    }
    if not conf.CMA_API_TOKEN:
        offline = hooks.offline_client_options(conf, asynchronous=asynchronous)
        if offline is not None:
            return {**common, **offline}
        raise ConfigurationError(
            "No Content Management API token: set settings.DATOCMS['CMA_API_TOKEN'] to a "
            "full-access API token, or one whose role may do what you ask (your DatoCMS "
            "project's Settings > API tokens). DATOCMS['API_TOKEN'] is the read-only token of "
            "the Content Delivery API and is never used to write."
        )
    return {**common, "api_token": conf.CMA_API_TOKEN, "base_url": conf.CMA_URL}


_client: SettingsBound[Client] = SettingsBound(lambda conf: Client(**client_options(conf)))
_async_client: SettingsBound[AsyncClient] = SettingsBound(
    lambda conf: AsyncClient(**client_options(conf, asynchronous=True)),
    per_event_loop=True,
)


def get_client() -> Client:
    """The process-wide CMA ``Client`` for ``settings.DATOCMS`` (thread-safe)."""
    return _client.get()


def get_async_client() -> AsyncClient:
    """The CMA ``AsyncClient`` for ``settings.DATOCMS`` and the running event loop."""
    return _async_client.get()
