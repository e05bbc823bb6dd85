"""The tag store API, the no-op store, and the store ``settings.DATOCMS`` configures.

A *tag store* keeps cache entries together with the versions of the DatoCMS cache tags they
were built from, and makes every entry depending on a tag stale when the tag is invalidated.
The query cache, the page cache (through ``fill``) and invalidations only talk to this API.
``DATOCMS["TAG_STORE"]`` names the implementation by dotted path, like ``DATOCMS["CDN"]``:

- ``datocms_app.caching.versions.TagVersionStore`` (the default): version tokens in the
  Django cache named by ``DATOCMS["CACHE_ALIAS"]`` (see ``versions`` for the scheme);
- ``datocms_app.caching.stores.NullTagStore``: keeps nothing, every read misses (handy in
  development to see every page rendered anew, with caching code paths still running).

A store is built as ``Store(alias=DATOCMS["CACHE_ALIAS"])``; ``get_store()`` holds one per
settings (``SettingsBound``). Every store method may raise ``CacheStoreError``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.conf import settings
from django.core.cache.backends.locmem import LocMemCache
from django.utils.module_loading import import_string

from datocms_app.conf import SettingsBound
from datocms_app.exceptions import ConfigurationError

__all__ = [
    "DEFAULT_TAG_STORE",
    "Entry",
    "Lookup",
    "NullTagStore",
    "TagStore",
    "build_store",
    "get_store",
    "is_process_local",
]

DEFAULT_TAG_STORE = "datocms_app.caching.versions.TagVersionStore"


@dataclass(frozen=True, slots=True)
class Lookup:
    """The outcome of ``TagStore.read``.

    ``status`` is ``"hit"`` (``payload`` and ``tags`` are set), ``"miss"`` (nothing stored),
    ``"stale"`` (an entry whose tags were invalidated since) or ``"uncacheable"`` (a recent
    fill could not be stored; don't wait for another one). On a hit, ``tokens`` maps the
    version keys (generation included) to the tokens the entry was validated with.
    """

    status: str
    payload: Any = None
    tags: tuple[str, ...] = ()
    tokens: dict[str, str] | None = None

    @property
    def hit(self) -> bool:
        return self.status == "hit"


class Entry(NamedTuple):
    """What a fill stores: ``payload`` under ``tags`` for at most ``timeout`` seconds (None:
    no limit), with the ``pinned`` tag versions of the cached parts it was built from (see
    ``versions``: an entry must never look fresher than its parts)."""

    tags: tuple[str, ...]
    payload: Any
    timeout: int | None
    pinned: Mapping[str, str] | None = None


class TagStore:
    """Base class of tag stores: what the caches and invalidations need from one."""

    def __init__(self, alias: str) -> None:
        #: The Django cache alias the store is configured with (part of per-process memos).
        self.alias = alias

    def __repr__(self) -> str:
        return f"<{type(self).__name__} alias={self.alias!r}>"

    # -- entries --------------------------------------------------------------------------

    def read(self, key: str, *, near: bool = False) -> Lookup:
        """Look ``key`` up; a hit only if none of its tags was invalidated since it was
        stored. ``near`` allows a per-process copy of immutable hits."""
        raise NotImplementedError(f"{type(self).__name__} must implement read()")

    def get(self, key: str) -> Any:
        """A plain read of a helper key (None when absent)."""
        raise NotImplementedError(f"{type(self).__name__} must implement get()")

    def set(self, key: str, value: Any, *, timeout: int | None) -> None:
        """A plain write of a helper key."""
        raise NotImplementedError(f"{type(self).__name__} must implement set()")

    # -- fills ----------------------------------------------------------------------------

    def begin(self) -> str | None:
        """A marker read before a fill's first CDA request; None: this store keeps nothing."""
        raise NotImplementedError(f"{type(self).__name__} must implement begin()")

    def commit(self, key: str, epoch: str | None, entry: Entry) -> bool:
        """Store ``entry`` under ``key``, unless an invalidation happened since ``begin``
        returned ``epoch`` (then return False: nothing stored)."""
        raise NotImplementedError(f"{type(self).__name__} must implement commit()")

    def mark_uncacheable(self, key: str, *, timeout: int) -> None:
        """Remember for ``timeout`` seconds that ``key``'s fills cannot be stored."""
        raise NotImplementedError(f"{type(self).__name__} must implement mark_uncacheable()")

    def acquire(self, key: str, *, timeout: float) -> bool:
        """Take the fill lock of ``key`` (expiring after ``timeout`` s); False if taken."""
        raise NotImplementedError(f"{type(self).__name__} must implement acquire()")

    def release(self, key: str) -> None:
        """Release the fill lock of ``key``."""
        raise NotImplementedError(f"{type(self).__name__} must implement release()")

    # -- invalidations --------------------------------------------------------------------

    def invalidate(self, tags: Iterable[str]) -> int:
        """Make every entry stored under any of ``tags`` stale, durably; returns how many
        distinct tags. Must raise ``CacheStoreError`` rather than half-succeed silently."""
        raise NotImplementedError(f"{type(self).__name__} must implement invalidate()")

    def invalidate_all(self) -> None:
        """Make every entry stale."""
        raise NotImplementedError(f"{type(self).__name__} must implement invalidate_all()")


class NullTagStore(TagStore):
    """Keeps nothing: every read misses, no fill is stored, invalidations succeed at once."""

    def read(self, key: str, *, near: bool = False) -> Lookup:
        return Lookup("miss")

    def get(self, key: str) -> Any:
        return None

    def set(self, key: str, value: Any, *, timeout: int | None) -> None:
        return None

    def begin(self) -> str | None:
        return None

    def commit(self, key: str, epoch: str | None, entry: Entry) -> bool:
        return False

    def mark_uncacheable(self, key: str, *, timeout: int) -> None:
        return None

    def acquire(self, key: str, *, timeout: float) -> bool:
        return True

    def release(self, key: str) -> None:
        return None

    def invalidate(self, tags: Iterable[str]) -> int:
        return len(set(tags))

    def invalidate_all(self) -> None:
        return None


def build_store(path: str, alias: str) -> TagStore:
    """The ``TagStore`` subclass named by ``path``, built for the cache ``alias``."""
    try:
        store_class = import_string(path)
    except ImportError as exc:
        raise ConfigurationError(
            f"DATOCMS['TAG_STORE'] is {path!r}, which cannot be imported ({exc}). The default "
            f"is {DEFAULT_TAG_STORE!r}; datocms_app.caching.stores.NullTagStore keeps nothing."
        ) from exc
    if not (isinstance(store_class, type) and issubclass(store_class, TagStore)):
        raise ConfigurationError(
            f"DATOCMS['TAG_STORE'] is {path!r}, which is not a subclass of "
            "datocms_app.caching.stores.TagStore."
        )
    store: TagStore = store_class(alias)
    return store


_store: SettingsBound[TagStore] = SettingsBound(
    lambda conf: build_store(conf.TAG_STORE, conf.CACHE_ALIAS)
)


def get_store() -> TagStore:
    """The tag store of the current settings (``TAG_STORE`` on ``CACHE_ALIAS``)."""
    return _store.get()


def is_process_local(alias: str) -> bool:
    """True when the Django cache ``alias`` lives in this process's memory (Django's
    ``LocMemCache`` or a subclass): every other process, each server worker and each
    management command, holds a copy of its own that this one never sees."""
    backend = settings.CACHES.get(alias, {}).get("BACKEND", "")
    try:
        cache_class = import_string(backend)
    except ImportError:
        return False  # Django reports a cache backend that cannot be imported
    return isinstance(cache_class, type) and issubclass(cache_class, LocMemCache)
