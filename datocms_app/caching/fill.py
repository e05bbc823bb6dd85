"""Read-through with coalesced fills: the protocol, written once (see ``datocms_app.flows``).

``fill_flow`` looks an entry up; on a miss one caller per key takes a lock (``cache.add``)
and fills, while the others poll for the entry for a short while instead of all asking the
CDA at once (after a mass invalidation every page misses at the same moment; DatoCMS allows
40 requests/s per token). A fill that an invalidation overtook is retried once, then served
without being stored. The query cache and the page cache drive it with ``perform`` (sync)
or ``aperform`` (async), so a race fix is made once for both.

The flow yields three kinds of effects:

- ``StoreCall``: a synchronous call that touches the cache store (the async driver runs it
  in a worker thread); it may raise ``CacheStoreError``.
- ``Sleep``: wait between two polls for another caller's fill.
- ``PRODUCE``: the caller's own work (a CDA request, the view), performed by the function
  given to ``perform``/``aperform``; the caller's ``fill`` sub-flow turns its result into a
  ``Filled``.

When the cache store fails, the flow serves the fill uncached and logs a warning: a broken
cache must never turn into a broken page. It must never swallow the fill's own errors.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Final, Generic, NamedTuple, Protocol, TypeVar

from asgiref.sync import sync_to_async

from datocms_app import flows
from datocms_app.caching.stores import Entry, Lookup, TagStore
from datocms_app.exceptions import CacheStoreError
from datocms_app.flows import Flow

__all__ = [
    "BYPASS",
    "HIT",
    "MISS",
    "PRODUCE",
    "Effect",
    "FillPlan",
    "Filled",
    "Sleep",
    "StoreCall",
    "aget_or_fill",
    "aperform",
    "fill_flow",
    "get_or_fill",
    "perform",
    "warn_store_failure",
]

logger = logging.getLogger("datocms_app.caching")

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)

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


# Effects are named tuples: they are built on every cache hit, and a tuple is the cheapest
# value object to build.
class StoreCall(NamedTuple):
    """Effect: ``function(*args, **kwargs)``, a synchronous call that touches the store."""

    function: Callable[..., Any]
    args: tuple[Any, ...] = ()
    kwargs: Mapping[str, Any] = MappingProxyType({})


class Sleep(NamedTuple):
    """Effect: wait ``seconds``."""

    seconds: float


class _Produce:
    def __repr__(self) -> str:
        return "PRODUCE"


#: Effect: the caller's own work (its result goes back to the caller's ``fill`` sub-flow).
PRODUCE: Final = _Produce()

Effect = StoreCall | Sleep | _Produce


class FillPlan(Protocol[T_co]):
    """What ``fill_flow`` fills: one entry of the query cache or the page cache.

    ``lookup()`` reads the entry (a store call); ``fill()`` is the caller's sub-flow that
    yields ``PRODUCE`` (and store calls of its own) and returns a ``Filled``; ``from_hit``
    turns a hit into the caller's value without I/O. ``lock`` names the fill lock, ``timeout``
    is the entry's lifetime, ``wait`` how long to wait for another caller's fill.
    """

    @property
    def store(self) -> TagStore: ...
    @property
    def lock(self) -> str: ...
    @property
    def timeout(self) -> int | None: ...
    @property
    def wait(self) -> float: ...
    def lookup(self) -> Lookup: ...
    def fill(self) -> Flow[Effect, Filled[Any]]: ...
    def from_hit(self, found: Lookup) -> T_co: ...


def warn_store_failure(exc: CacheStoreError) -> None:
    """Log a cache-store failure at most every 10 s per process (outages are loud enough)."""
    global _last_warning
    now = time.monotonic()
    if now - _last_warning >= 10.0:
        _last_warning = now
        logger.warning("Serving uncached: %s", exc)


def fill_flow(
    plan: FillPlan[T], first: Lookup | CacheStoreError | None = None
) -> Flow[Effect, tuple[T, str]]:
    """Return ``(value, status)``: a valid entry (``HIT``), or a fill (``MISS``/``BYPASS``).

    ``first`` is the outcome of a first lookup the driver already made (``get_or_fill``).
    """
    store, lookup, fill, from_hit = plan.store, plan.lookup, plan.fill, plan.from_hit
    lock, timeout, wait = plan.lock, plan.timeout, plan.wait
    if first is None:
        try:
            first = yield StoreCall(lookup)
        except CacheStoreError as exc:
            first = exc
    if isinstance(first, CacheStoreError):
        warn_store_failure(first)
        return (yield from fill()).value, BYPASS
    found = first
    if found.status == "hit":
        return from_hit(found), HIT
    if found.status == "uncacheable":
        return (yield from fill()).value, BYPASS

    lock_options = {"timeout": wait * 2 + 5}
    locked = False
    filled: Filled[T] | None = None
    try:
        locked = yield StoreCall(store.acquire, (lock,), lock_options)
        if not locked:
            deadline = time.monotonic() + wait
            delay = _FIRST_POLL
            while time.monotonic() < deadline:
                yield Sleep(delay)
                delay = min(delay * 2, _MAX_POLL)
                found = yield StoreCall(lookup)
                if found.status == "hit":
                    return from_hit(found), HIT
                if found.status == "uncacheable":
                    return (yield from fill()).value, BYPASS
                locked = yield StoreCall(store.acquire, (lock,), lock_options)
                if locked:
                    break
        for _attempt in range(2):
            epoch = yield StoreCall(store.begin)
            filled = yield from fill()
            if epoch is None:
                return filled.value, BYPASS  # a store that keeps nothing (DummyCache)
            if not filled.storable or filled.key is None:
                if filled.remember and filled.key is not None:
                    yield StoreCall(
                        store.mark_uncacheable, (filled.key,), {"timeout": UNCACHEABLE_TTL}
                    )
                return filled.value, BYPASS
            entry = Entry(filled.tags, filled.payload, timeout, filled.pinned)
            committed = yield StoreCall(store.commit, (filled.key, epoch, entry))
            if committed:
                return filled.value, MISS
            logger.info("An invalidation overtook a fill of %s; not stored", filled.key)
        assert filled is not None
        return filled.value, MISS
    except CacheStoreError as exc:
        warn_store_failure(exc)
        if filled is None:
            filled = yield from fill()
        return filled.value, BYPASS
    finally:
        if locked:
            try:
                yield StoreCall(store.release, (lock,))
            except CacheStoreError as exc:
                warn_store_failure(exc)


def get_or_fill(plan: FillPlan[T], produce: Callable[[], Any]) -> tuple[T, str]:
    """Run ``fill_flow`` synchronously; ``produce`` does its ``PRODUCE``.

    The first lookup is made here, and a hit (the common case, on every cached page's path)
    is answered without starting the flow; anything else is the flow's to decide.
    """
    try:
        first: Lookup | CacheStoreError = plan.lookup()
    except CacheStoreError as exc:
        first = exc
    if type(first) is Lookup and first.status == "hit":
        return plan.from_hit(first), HIT
    return flows.run(fill_flow(plan, first), perform(produce))


async def aget_or_fill(plan: FillPlan[T], produce: Callable[[], Awaitable[Any]]) -> tuple[T, str]:
    """The async twin of ``get_or_fill``: the first lookup runs in a worker thread."""
    try:
        first: Lookup | CacheStoreError = await sync_to_async(plan.lookup, thread_sensitive=False)()
    except CacheStoreError as exc:
        first = exc
    if type(first) is Lookup and first.status == "hit":
        return plan.from_hit(first), HIT
    return await flows.arun(fill_flow(plan, first), aperform(produce))


def perform(produce: Callable[[], Any]) -> Callable[[Effect], Any]:
    """The sync performer of ``fill_flow``'s effects; ``produce`` does ``PRODUCE``."""

    def perform_effect(effect: Effect) -> Any:
        if type(effect) is StoreCall:
            return effect.function(*effect.args, **effect.kwargs)
        if effect is PRODUCE:
            return produce()
        assert isinstance(effect, Sleep)
        time.sleep(effect.seconds)
        return None

    return perform_effect


def aperform(produce: Callable[[], Awaitable[Any]]) -> Callable[[Effect], Awaitable[Any]]:
    """The async performer: store calls in a worker thread (one hop each), ``produce``
    awaited, sleeps on the event loop."""

    async def perform_effect(effect: Effect) -> Any:
        if type(effect) is StoreCall:
            call = sync_to_async(effect.function, thread_sensitive=False)
            return await call(*effect.args, **effect.kwargs)
        if effect is PRODUCE:
            return await produce()
        assert isinstance(effect, Sleep)
        await asyncio.sleep(effect.seconds)
        return None

    return perform_effect
