"""Tag versions in Django's cache: the store behind the query cache and the page cache.

Every DatoCMS cache tag has a *version token* (random, under ``datocms:tv:<blake2b(tag)>``).
An entry is stored with the tokens of its tags as they were when it was filled; reading it
fetches the entry and the current tokens in one ``get_many`` and treats any missing or
different token as a miss. Invalidating a tag replaces its token: O(number of tags), never a
scan over entries, and an evicted token simply reads as "changed".

A fill that races an invalidation must not store stale data under the new tokens. Every
invalidation therefore first replaces a global *epoch* token; a fill reads the epoch before
its first CDA request (``begin``) and again after it has read the tag tokens (``commit``),
and stores nothing if it changed. Because an invalidation writes the epoch before the tag
tokens, a fill either sees the new epoch or read tokens that the invalidation then replaces.

That argument holds for data fetched from the CDA after ``begin``: DatoCMS changed the
content before it sent the webhook. It does not hold for data read from *this* cache (a page
built from cached query results): between an invalidation's epoch write and its token write,
an old entry still reads as valid. So a hit reports the tokens it was validated with
(``Lookup.tokens``), and a fill that used hits commits with those tokens *pinned*: its entry
can never look newer than the entries it was built from.

A *generation* token, part of every entry, is replaced by ``invalidate_all``.

Hot pages also have a per-process *near cache* (``read(key, near=True)``): a validated hit
is kept in memory with the epoch read before its tokens were; while the epoch has not
changed, a read costs one ``get`` of the epoch. Invalidations therefore write the epoch
twice, before and after the tag tokens: an epoch read between the two writes is never the
current one again, so a hit validated against half-written tokens cannot be reused.

This module must never swallow a cache-store error silently: every backend exception is
raised as ``CacheStoreError``; the callers decide whether to degrade (pages) or fail (webhook).
"""

from __future__ import annotations

import hashlib
import secrets
import threading
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from typing import Any, Final, TypeVar

from django.core.cache import BaseCache, caches
from django.core.signals import setting_changed
from django.dispatch import receiver

from datocms_app.caching.stores import Entry, Lookup, TagStore
from datocms_app.exceptions import CacheStoreError

__all__ = [
    "EPOCH_KEY",
    "GENERATION_KEY",
    "TagVersionStore",
    "lock_key",
    "new_token",
    "tag_key",
]

EPOCH_KEY: Final = "datocms:epoch"
GENERATION_KEY: Final = "datocms:generation"
#: Bumped when the layout of stored entries changes, so old entries read as misses.
ENTRY_FORMAT: Final = 1
_UNCACHEABLE: Final = "uncacheable"

T = TypeVar("T")

# Per process, per (alias, entry key): the token keys the entry had last time we saw it, so
# that a read can ask for entry and tokens in a single get_many. A hint is never trusted for
# correctness: the entry itself says which tokens it needs, and a wrong hint costs one more
# round trip.
_HINTS: dict[tuple[str, str], tuple[str, ...]] = {}
_MAX_HINTS = 20_000
# Per process, per (alias, entry key): a validated hit and the epoch read before it was
# validated (see ``read(near=True)``).
_NEAR: dict[tuple[str, str], tuple[str, Lookup]] = {}
_MAX_NEAR = 1_000


def tag_key(tag: str) -> str:
    """The cache key of a tag's version token (tags are opaque: hash them)."""
    return "datocms:tv:" + hashlib.blake2b(tag.encode(), digest_size=16).hexdigest()


def lock_key(key: str) -> str:
    """The key of the fill lock that coalesces concurrent fills of ``key``."""
    return "datocms:lock:" + key


def new_token() -> str:
    return secrets.token_hex(8)


class TagVersionStore(TagStore):
    """Tag-versioned entries in one Django cache alias. Cheap to build; holds no connection.

    Entries are tuples ``(ENTRY_FORMAT, generation, tags, token_keys, tokens, payload)``;
    ``payload`` is anything the cache backend can pickle.
    """

    @property
    def cache(self) -> BaseCache:
        """The connection ``caches[alias]`` gives this thread and context.

        Remembered per context and thread, like Django's handler does it, until ``CACHES``
        changes: asking Django's handler on every read costs as much as a local-memory get.
        """
        held = _connections.get()
        thread = threading.get_ident()
        known: dict[str, BaseCache] = {}
        if held is not None and held[0] == _generation and held[1] == thread:
            cache = held[2].get(self.alias)
            if cache is not None:
                return cache
            known = held[2]
        cache = caches[self.alias]
        # A new dict, never an update: contexts copied from this one (tasks) share ``held``.
        _connections.set((_generation, thread, {**known, self.alias: cache}))
        return cache

    def _call(self, what: str, operation: Callable[[], T]) -> T:
        try:
            return operation()
        except Exception as exc:
            raise self._error(what, exc) from exc

    def _error(self, what: str, exc: Exception) -> CacheStoreError:
        return CacheStoreError(
            f"The cache {self.alias!r} failed to {what}: {type(exc).__name__}: "
            f"{str(exc).rstrip('.')}. Check that the cache server in settings.CACHES is "
            "reachable."
        )

    # -- reading --------------------------------------------------------------------------

    def read(self, key: str, *, near: bool = False) -> Lookup:
        """Look ``key`` up; valid only if every stored token is still the current one.

        With ``near``, a hit is also kept in this process's near cache, and served from it
        while the epoch is unchanged (the payload is shared: use it for immutable values).
        """
        if not near:
            return self._read(key)
        try:  # the one cache operation of a near hit: no closure for ``_call``
            epoch = self.cache.get(EPOCH_KEY)
        except Exception as exc:
            raise self._error("read the epoch", exc) from exc
        near_hit = _NEAR.get((self.alias, key))
        if near_hit is not None and epoch is not None and near_hit[0] == epoch:
            return near_hit[1]
        # The epoch was read before the tokens: if the hit below is still valid while the
        # epoch stays the same, it can be served from memory (see the module docstring).
        found = self._read(key)
        if found.status == "hit" and epoch is not None:
            if len(_NEAR) >= _MAX_NEAR:
                for old in list(_NEAR)[: _MAX_NEAR // 4]:
                    _NEAR.pop(old, None)
            _NEAR[(self.alias, key)] = (epoch, found)
        else:
            _NEAR.pop((self.alias, key), None)
        return found

    def _read(self, key: str) -> Lookup:
        cache = self.cache
        hint = _HINTS.get((self.alias, key), ())
        asked = [key, GENERATION_KEY, *hint]
        found: dict[str, Any] = self._call("read an entry", lambda: cache.get_many(asked))
        raw = found.get(key)
        if not isinstance(raw, tuple) or not raw or raw[0] != ENTRY_FORMAT:
            return Lookup("miss")
        if raw[1] == _UNCACHEABLE:
            return Lookup("uncacheable")
        _, generation, tags, token_keys, tokens, payload = raw
        if token_keys != hint:
            if len(_HINTS) >= _MAX_HINTS:
                _HINTS.clear()
            _HINTS[(self.alias, key)] = token_keys
            unasked = [k for k in token_keys if k not in asked]
            if unasked:
                found.update(self._call("read tag versions", lambda: cache.get_many(unasked)))
        if found.get(GENERATION_KEY) != generation:
            return Lookup("stale")
        for token_key, token in zip(token_keys, tokens, strict=True):
            if found.get(token_key) != token:
                return Lookup("stale")
        validated = dict(zip(token_keys, tokens, strict=True))
        validated[GENERATION_KEY] = generation
        return Lookup("hit", payload=payload, tags=tags, tokens=validated)

    def get(self, key: str) -> Any:
        """A plain ``cache.get`` with store errors raised as ``CacheStoreError``."""
        cache = self.cache
        return self._call("read a key", lambda: cache.get(key))

    def set(self, key: str, value: Any, *, timeout: int | None) -> None:
        """A plain ``cache.set`` with store errors raised as ``CacheStoreError``."""
        cache = self.cache
        self._call("write a key", lambda: cache.set(key, value, timeout))

    # -- filling --------------------------------------------------------------------------

    def begin(self) -> str | None:
        """The current epoch, read before a fill's first CDA request (created if missing).

        None means the store keeps nothing (``DummyCache``): such fills are never stored.
        """
        cache = self.cache
        epoch: str | None = self._call("read the epoch", lambda: cache.get(EPOCH_KEY))
        if epoch is None:
            self._call("create the epoch", lambda: cache.add(EPOCH_KEY, new_token(), None))
            epoch = self._call("read the epoch", lambda: cache.get(EPOCH_KEY))
        return epoch

    def commit(self, key: str, epoch: str | None, entry: Entry) -> bool:
        """Store ``entry``'s payload under ``key`` with the current tokens of its tags.

        ``entry.pinned`` gives the tokens of version keys the payload was built from cached
        entries with (``Lookup.tokens``); they are stored instead of the current ones. Returns
        False, storing nothing, when an invalidation happened since ``begin`` returned
        ``epoch`` (the caller may fill again once).
        """
        if epoch is None:
            return False
        cache = self.cache
        tags = tuple(dict.fromkeys(entry.tags))
        token_keys = tuple(tag_key(tag) for tag in tags)
        wanted = [GENERATION_KEY, *token_keys]
        pinned = entry.pinned or {}
        unpinned = [name for name in wanted if name not in pinned]
        found: dict[str, Any] = {}
        if unpinned:
            found = self._call("read tag versions", lambda: cache.get_many(unpinned))
        missing = {name: new_token() for name in unpinned if name not in found}
        if missing:
            # A fresh random token never matches an existing entry, so writing one can only
            # cause misses. Overwriting a token an invalidation has just written is harmless
            # too: that invalidation replaced the epoch first, which the check below sees.
            self._call("create tag versions", lambda: cache.set_many(missing, None))
            found.update(missing)
        found.update((name, pinned[name]) for name in wanted if name in pinned)
        current = self._call("read the epoch", lambda: cache.get(EPOCH_KEY))
        if current != epoch:
            return False
        stored = (
            ENTRY_FORMAT,
            found[GENERATION_KEY],
            tags,
            token_keys,
            tuple(found[name] for name in token_keys),
            entry.payload,
        )
        self._call("store an entry", lambda: cache.set(key, stored, entry.timeout))
        _HINTS[(self.alias, key)] = token_keys
        return True

    def mark_uncacheable(self, key: str, *, timeout: int) -> None:
        """Remember for ``timeout`` seconds that ``key``'s fills cannot be stored, so that
        requests stop queueing behind each other's fill lock (Varnish's hit-for-miss)."""
        cache = self.cache
        marker = (ENTRY_FORMAT, _UNCACHEABLE)
        self._call("store a marker", lambda: cache.set(key, marker, timeout))

    def acquire(self, key: str, *, timeout: float) -> bool:
        """Take the fill lock of ``key`` (expires after ``timeout`` s if never released)."""
        cache = self.cache
        ttl = max(1, int(timeout + 0.999))
        added: bool = self._call("take a fill lock", lambda: cache.add(lock_key(key), 1, ttl))
        return added

    def release(self, key: str) -> None:
        cache = self.cache
        self._call("release a fill lock", lambda: cache.delete(lock_key(key)))

    # -- invalidating ---------------------------------------------------------------------

    def invalidate(self, tags: Iterable[str]) -> int:
        """Replace the tokens of ``tags`` between two epoch replacements.

        Returns how many distinct tags. Three writes whatever the number of entries.
        """
        cache = self.cache
        fresh = {tag_key(tag): new_token() for tag in dict.fromkeys(tags)}
        self._call("replace the epoch", lambda: cache.set(EPOCH_KEY, new_token(), None))
        if fresh:
            failed = self._call("replace tag versions", lambda: cache.set_many(fresh, None))
            if failed:
                raise CacheStoreError(
                    f"The cache {self.alias!r} did not store {len(failed)} of {len(fresh)} "
                    "new tag versions; the invalidation is not durable."
                )
        self._call("replace the epoch", lambda: cache.set(EPOCH_KEY, new_token(), None))
        return len(fresh)

    def invalidate_all(self) -> None:
        """Make every entry of this store a miss (the generation between two epochs)."""
        cache = self.cache
        self._call("replace the epoch", lambda: cache.set(EPOCH_KEY, new_token(), None))
        self._call("replace the generation", lambda: cache.set(GENERATION_KEY, new_token(), None))
        self._call("replace the epoch", lambda: cache.set(EPOCH_KEY, new_token(), None))


# The connections ``TagVersionStore.cache`` returned in this context, with the generation of
# settings.CACHES (Django builds new connections when the setting changes) and the thread
# they belong to (a thread that inherits a context must not share its connections).
_connections: ContextVar[tuple[int, int, dict[str, BaseCache]] | None] = ContextVar(
    "datocms_cache_connections", default=None
)
_generation = 0


@receiver(setting_changed)
def _forget_connections(*, setting: str, **kwargs: Any) -> None:
    global _generation
    if setting == "CACHES":
        _generation += 1
