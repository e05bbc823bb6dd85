"""Read-through with coalesced fills, shared by the query cache and the page cache.

``get_or_fill`` looks an entry up; on a miss one caller per key takes a lock (``cache.add``)
and fills, while the others poll for the entry for a short while instead of all asking the
CDA at once (after a mass invalidation every page misses at the same moment; DatoCMS allows
40 requests/s per token). A fill that an invalidation overtook is retried once, then served
without being stored. ``aget_or_fill`` is the async twin.

When the cache store fails, both serve the fill uncached and log a warning: a broken cache
must never turn into a broken page. This module must never swallow the fill's own errors.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from asgiref.sync import sync_to_async

from datocms_app.caching.tags import Lookup, TagVersionStore
from datocms_app.exceptions import CacheStoreError

__all__ = ["BYPASS", "HIT", "MISS", "Filled", "aget_or_fill", "get_or_fill"]

logger = logging.getLogger("datocms_app.caching")

T = TypeVar("T")

HIT = "HIT"
MISS = "MISS"
BYPASS = "BYPASS"
#: How long a key whose fill could not be stored skips the lock (Varnish's hit-for-miss).
UNCACHEABLE_TTL = 30
_FIRST_POLL = 0.002
_MAX_POLL = 0.05
_last_warning = 0.0


@dataclass(slots=True)
class Filled(Generic[T]):
    """What a fill produced: ``value`` for the caller; ``payload`` and ``tags`` to store
    under ``key`` when ``storable`` (with the ``pinned`` tokens of the cached parts it was
    built from); ``remember`` stores a short "uncacheable" marker."""

    value: T
    key: str | None = None
    payload: Any = None
    tags: tuple[str, ...] = ()
    storable: bool = False
    remember: bool = False
    pinned: dict[str, str] | None = None


def warn_store_failure(exc: CacheStoreError) -> None:
    """Log a cache-store failure at most every 10 s per process (outages are loud enough)."""
    global _last_warning
    now = time.monotonic()
    if now - _last_warning >= 10.0:
        _last_warning = now
        logger.warning("Serving uncached: %s", exc)


def get_or_fill(
    store: TagVersionStore,
    *,
    lookup: Callable[[], Lookup],
    lock: str,
    produce: Callable[[], Filled[T]],
    from_hit: Callable[[Lookup], T],
    timeout: int | None,
    wait: float,
) -> tuple[T, str]:
    """Return ``(value, status)``: a valid entry (``HIT``), or a fill (``MISS``/``BYPASS``)."""
    try:
        found = lookup()
    except CacheStoreError as exc:
        warn_store_failure(exc)
        return produce().value, BYPASS
    if found.hit:
        return from_hit(found), HIT
    if found.status == "uncacheable":
        return produce().value, BYPASS

    locked = False
    filled: Filled[T] | None = None
    try:
        locked = store.acquire(lock, timeout=wait * 2 + 5)
        if not locked:
            deadline = time.monotonic() + wait
            delay = _FIRST_POLL
            while time.monotonic() < deadline:
                time.sleep(delay)
                delay = min(delay * 2, _MAX_POLL)
                found = lookup()
                if found.hit:
                    return from_hit(found), HIT
                if found.status == "uncacheable":
                    return produce().value, BYPASS
                locked = store.acquire(lock, timeout=wait * 2 + 5)
                if locked:
                    break
        for _attempt in range(2):
            epoch = store.begin()
            filled = produce()
            if not filled.storable or filled.key is None:
                if filled.remember and filled.key is not None:
                    store.mark_uncacheable(filled.key, timeout=UNCACHEABLE_TTL)
                return filled.value, BYPASS
            committed = store.commit(
                filled.key,
                epoch,
                filled.tags,
                filled.payload,
                timeout=timeout,
                pinned=filled.pinned,
            )
            if committed:
                return filled.value, MISS
            logger.info("An invalidation overtook a fill of %s; not stored", filled.key)
        assert filled is not None
        return filled.value, MISS
    except CacheStoreError as exc:
        warn_store_failure(exc)
        return (filled if filled is not None else produce()).value, BYPASS
    finally:
        if locked:
            try:
                store.release(lock)
            except CacheStoreError as exc:
                warn_store_failure(exc)


async def aget_or_fill(
    store: TagVersionStore,
    *,
    lookup: Callable[[], Lookup],
    lock: str,
    produce: Callable[[], Awaitable[Filled[T]]],
    from_hit: Callable[[Lookup], T],
    timeout: int | None,  # noqa: ASYNC109  (the entries' lifetime, not a deadline)
    wait: float,
) -> tuple[T, str]:
    """The async twin of ``get_or_fill``: store calls run in a worker thread, one hop each."""
    alookup = sync_to_async(lookup, thread_sensitive=False)
    aacquire = sync_to_async(store.acquire, thread_sensitive=False)
    try:
        found = await alookup()
    except CacheStoreError as exc:
        warn_store_failure(exc)
        return (await produce()).value, BYPASS
    if found.hit:
        return from_hit(found), HIT
    if found.status == "uncacheable":
        return (await produce()).value, BYPASS

    locked = False
    filled: Filled[T] | None = None
    try:
        locked = await aacquire(lock, timeout=wait * 2 + 5)
        if not locked:
            deadline = time.monotonic() + wait
            delay = _FIRST_POLL
            while time.monotonic() < deadline:
                await asyncio.sleep(delay)
                delay = min(delay * 2, _MAX_POLL)
                found = await alookup()
                if found.hit:
                    return from_hit(found), HIT
                if found.status == "uncacheable":
                    return (await produce()).value, BYPASS
                locked = await aacquire(lock, timeout=wait * 2 + 5)
                if locked:
                    break
        for _attempt in range(2):
            epoch = await sync_to_async(store.begin, thread_sensitive=False)()
            filled = await produce()
            if not filled.storable or filled.key is None:
                if filled.remember and filled.key is not None:
                    await sync_to_async(store.mark_uncacheable, thread_sensitive=False)(
                        filled.key, timeout=UNCACHEABLE_TTL
                    )
                return filled.value, BYPASS
            committed = await sync_to_async(store.commit, thread_sensitive=False)(
                filled.key,
                epoch,
                filled.tags,
                filled.payload,
                timeout=timeout,
                pinned=filled.pinned,
            )
            if committed:
                return filled.value, MISS
            logger.info("An invalidation overtook a fill of %s; not stored", filled.key)
        assert filled is not None
        return filled.value, MISS
    except CacheStoreError as exc:
        warn_store_failure(exc)
        return (filled if filled is not None else await produce()).value, BYPASS
    finally:
        if locked:
            try:
                await sync_to_async(store.release, thread_sensitive=False)(lock)
            except CacheStoreError as exc:
                warn_store_failure(exc)
