"""The query cache the module functions' clients use (``cda.query``, ``execute``, ``paginate``).

A successful CDA response is stored under its ``X-Cache-Tags`` in the tag-versioned store,
keyed by everything that shapes the answer: endpoint, the exact request headers (token,
environment, strict mode...) and the body (query and variables, hence locale). A hit pins the
tag versions it was validated with on the open collector (see ``versions``); the collector gets
its tags, hit or miss, from the client's observer (``collector.PageObserver``).

Clients never ask this cache about draft queries (``datocms_app.cda.hooks.is_draft``); the
client stays cache-free unless built with ``cache=``. Importing this module installs
``build`` as the factory of the module functions' query cache
(``DATOCMS["QUERY_CACHE"] = False`` turns it off).
"""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable

from datocms_app import flows
from datocms_app.caching.collector import current_collector
from datocms_app.caching.fill import PRODUCE, Effect, Filled, aget_or_fill, get_or_fill
from datocms_app.caching.stores import Lookup, TagStore, get_store
from datocms_app.cda import hooks
from datocms_app.cda.hooks import CDAQuery
from datocms_app.cda.response import CDAResponse
from datocms_app.conf import DatoCMSSettings

__all__ = ["TagVersionedQueryCache", "build", "query_key"]

#: Part of every key: bump it when the stored payload changes shape.
KEY_VERSION = b"q1"


def query_key(query: CDAQuery) -> str:
    """The cache key of one CDA request."""
    digest = hashlib.blake2b(KEY_VERSION, digest_size=16)
    digest.update(query.endpoint.encode())
    headers = query.headers
    for name in sorted(headers):
        digest.update(b"\0" + name.lower().encode() + b"\0" + headers[name].encode())
    digest.update(b"\0\0" + query.body)
    return "datocms:q:" + digest.hexdigest()


def _from_hit(found: Lookup) -> CDAResponse:
    data, request_id = found.payload
    collector = current_collector()
    if collector is not None and found.tokens:
        # Whatever is built from this hit must not be stored as fresher than it (see versions).
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


class TagVersionedQueryCache:
    """A ``QueryCache`` over the configured tag store (``stores.get_store``)."""

    def __init__(self, conf: DatoCMSSettings) -> None:
        self.timeout = conf.CACHE_TIMEOUT
        self.wait = conf.TIMEOUT

    def __repr__(self) -> str:
        return f"<TagVersionedQueryCache timeout={self.timeout!r}>"

    def fetch(self, query: CDAQuery, send: Callable[[], CDAResponse]) -> CDAResponse:
        return get_or_fill(self._plan(query), send)[0]

    async def afetch(
        self, query: CDAQuery, send: Callable[[], Awaitable[CDAResponse]]
    ) -> CDAResponse:
        return (await aget_or_fill(self._plan(query), send))[0]

    def _plan(self, query: CDAQuery) -> _QueryFill:
        assert not query.draft, "clients never ask a query cache about drafts"
        return _QueryFill(query_key(query), get_store(), self.timeout, self.wait)


class _QueryFill:
    """One query's trip through the query cache (a ``fill.FillPlan``)."""

    __slots__ = ("key", "store", "timeout", "wait")

    def __init__(self, key: str, store: TagStore, timeout: int | None, wait: float) -> None:
        self.key = key
        self.store = store
        self.timeout = timeout
        self.wait = wait

    @property
    def lock(self) -> str:
        return self.key

    def lookup(self) -> Lookup:
        return self.store.read(self.key)

    def fill(self) -> flows.Flow[Effect, Filled[CDAResponse]]:
        response: CDAResponse = yield PRODUCE
        return _filled(self.key, response)

    def from_hit(self, found: Lookup) -> CDAResponse:
        return _from_hit(found)


def build(conf: DatoCMSSettings) -> TagVersionedQueryCache | None:
    """The module functions' query cache for these settings (None when turned off)."""
    return TagVersionedQueryCache(conf) if conf.QUERY_CACHE else None


hooks.install_query_cache_factory(build)
