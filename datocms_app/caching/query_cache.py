"""The query cache behind ``datocms_app.cda.execute`` / ``query`` / ``paginate`` (and twins).

A successful CDA response is stored under its ``X-Cache-Tags`` in the tag-versioned store,
keyed by everything that shapes the answer: endpoint, token, the request headers the client
sends (environment, drafts, strict mode, content link) and the body (query and variables,
hence locale). Every query, hit or not, adds its tags to the open tag collector, so the page
cache knows what a page depends on.

Draft requests (``X-Include-Drafts``) are never read from or written to the cache; they mark
the collector so the page they belong to is not cached either. The ``Client`` classes stay
cache-free: this module wraps them, and ``DATOCMS["QUERY_CACHE"] = False`` turns it off.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

from datocms_app.caching.collector import current_collector
from datocms_app.caching.fill import Filled, aget_or_fill, get_or_fill
from datocms_app.caching.tags import Lookup, get_store
from datocms_app.cda.client import AsyncClient, BaseClient, Client
from datocms_app.cda.response import CDAResponse
from datocms_app.conf import get_settings

__all__ = ["aexecute", "execute", "query_key"]

#: Part of every key: bump it when the stored payload changes shape.
KEY_VERSION = b"q1"


def query_key(
    client: BaseClient, query: str, variables: Mapping[str, Any] | None, headers: Mapping[str, str]
) -> str:
    """The cache key of one CDA request (raises ``InvalidArgument`` for a bad query)."""
    digest = hashlib.blake2b(KEY_VERSION, digest_size=16)
    digest.update(client.endpoint.encode())
    for name in sorted(headers):
        digest.update(b"\0" + name.lower().encode() + b"\0" + headers[name].encode())
    digest.update(b"\0\0" + client.build_body(query, variables))
    return "datocms:q:" + digest.hexdigest()


def _from_hit(found: Lookup) -> CDAResponse:
    data, request_id = found.payload
    collector = current_collector()
    if collector is not None and found.tokens:
        # Whatever is built from this hit must not be stored as fresher than it (see tags).
        collector.pin(found.tokens)
    return CDAResponse(data=data, cache_tags=list(found.tags), request_id=request_id)


def _filled(key: str, response: CDAResponse) -> Filled[CDAResponse]:
    return Filled(
        response,
        key=key,
        payload=(response.data, response.request_id),
        tags=tuple(response.cache_tags),
        # Without tags nothing could ever invalidate the entry: don't keep it.
        storable=bool(response.cache_tags),
        remember=True,
    )


def execute(
    client: Client, query: str, variables: Mapping[str, Any] | None, options: dict[str, Any]
) -> CDAResponse:
    """``client.execute(query, variables, **options)`` through the query cache."""
    conf = get_settings()
    collector = current_collector()
    if not conf.QUERY_CACHE:
        response = client.execute(query, variables, **options)
        if collector is not None:
            collector.add(response.cache_tags)
        return response
    headers = client.build_headers(**options)
    if "X-Include-Drafts" in headers:
        if collector is not None:
            collector.mark_draft()
        response = client.execute(query, variables, **options)
        if collector is not None:
            collector.add(response.cache_tags)
        return response

    key = query_key(client, query, variables, headers)
    store = get_store(conf.CACHE_ALIAS)
    response, _status = get_or_fill(
        store,
        lookup=lambda: store.read(key),
        lock=key,
        produce=lambda: _filled(key, client.execute(query, variables, **options)),
        from_hit=_from_hit,
        timeout=conf.CACHE_TIMEOUT,
        wait=conf.TIMEOUT,
    )
    if collector is not None:
        collector.add(response.cache_tags)
    return response


async def aexecute(
    client: AsyncClient, query: str, variables: Mapping[str, Any] | None, options: dict[str, Any]
) -> CDAResponse:
    """The async twin of ``execute``."""
    conf = get_settings()
    collector = current_collector()
    if not conf.QUERY_CACHE:
        response = await client.execute(query, variables, **options)
        if collector is not None:
            collector.add(response.cache_tags)
        return response
    headers = client.build_headers(**options)
    if "X-Include-Drafts" in headers:
        if collector is not None:
            collector.mark_draft()
        response = await client.execute(query, variables, **options)
        if collector is not None:
            collector.add(response.cache_tags)
        return response

    key = query_key(client, query, variables, headers)
    store = get_store(conf.CACHE_ALIAS)

    async def produce() -> Filled[CDAResponse]:
        return _filled(key, await client.execute(query, variables, **options))

    response, _status = await aget_or_fill(
        store,
        lookup=lambda: store.read(key),
        lock=key,
        produce=produce,
        from_hit=_from_hit,
        timeout=conf.CACHE_TIMEOUT,
        wait=conf.TIMEOUT,
    )
    if collector is not None:
        collector.add(response.cache_tags)
    return response
