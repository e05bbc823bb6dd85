"""Invalidation: the one place that changes cached state (webhook, command, your code).

``invalidate_tags`` replaces the version tokens of the tags in the cache store (epoch first),
then purges the CDN by the same tags, asks ``cdn.repurge`` for a second CDN purge a few
seconds later when the backend wants one (a page fetched from the origin by a CDN edge just
before the purge, or still propagating between shield and edge, is caught by it), and sends
``cache_tags_invalidated``. It raises ``CacheStoreError`` or ``CDNPurgeError`` when a step
failed, so the webhook can answer 503 and DatoCMS delivers the invalidation again; repeating
one is always harmless. An empty list of tags changes nothing.

What a cache tag is, ``is_cache_tag`` says, for this module and for the webhook's payload
alike: 1 to 1024 printable ASCII characters without spaces (DatoCMS's tags use 66 of them).

This module must never write to the cache store or the CDN for input it refuses.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Final, TypeGuard

from datocms_app.caching.cdn import get_cdn
from datocms_app.caching.cdn.repurge import schedule_repurge
from datocms_app.caching.stores import get_store
from datocms_app.exceptions import InvalidArgument
from datocms_app.signals import cache_tags_invalidated

__all__ = [
    "MAX_CACHE_TAG_LENGTH",
    "InvalidationResult",
    "check_cache_tag",
    "invalidate_all",
    "invalidate_tags",
    "is_cache_tag",
]

logger = logging.getLogger("datocms_app.caching")


@dataclass(frozen=True, slots=True)
class InvalidationResult:
    """What an invalidation did: the distinct ``tags``, the number of keys ``purged`` at the
    CDN (0 without one) and the CDN backend's class name."""

    tags: tuple[str, ...]
    purged: int
    cdn: str
    everything: bool = False


#: Longest cache tag accepted (DatoCMS's are a few characters long).
MAX_CACHE_TAG_LENGTH: Final = 1024
# Printable ASCII, no space: DatoCMS's 66-symbol alphabet and room for the encodings it may
# move to ("Encoding of cache tags"), but nothing a header, a key or ``str.strip`` would alter.
_CACHE_TAG = re.compile(rf"[!-~]{{1,{MAX_CACHE_TAG_LENGTH}}}")
_SHOWN = 60  # characters of a refused value quoted in the error


def is_cache_tag(value: object) -> TypeGuard[str]:
    """Whether ``value`` is a cache tag: 1 to 1024 printable ASCII characters (0x21-0x7E)."""
    return isinstance(value, str) and _CACHE_TAG.fullmatch(value) is not None


def check_cache_tag(value: object) -> str:
    """``value`` if it is a cache tag (``is_cache_tag``); else raise ``InvalidArgument``."""
    if is_cache_tag(value):
        return value
    shown = repr(value)
    if len(shown) > _SHOWN:
        shown = shown[:_SHOWN] + "..."
    raise InvalidArgument(
        f"A cache tag is 1 to {MAX_CACHE_TAG_LENGTH} printable ASCII characters without "
        f"spaces, as DatoCMS sends them in X-Cache-Tags; got {shown}."
    )


def _clean(tags: Iterable[str]) -> tuple[str, ...]:
    if isinstance(tags, str | bytes):
        raise InvalidArgument(
            "tags must be a list of cache tags, not one string: invalidate_tags([tag])."
        )
    return tuple(dict.fromkeys(check_cache_tag(tag) for tag in tags))


def invalidate_tags(
    tags: Iterable[str], *, purge_cdn: bool = True, sender: Any = None
) -> InvalidationResult:
    """Make every entry and page depending on any of ``tags`` a miss, here and at the CDN.

    O(number of tags) whatever the number of cached entries; no tags, nothing done. Raises
    ``InvalidArgument`` (nothing done) for anything but cache tags (``is_cache_tag``),
    ``CacheStoreError`` (nothing is durable yet) or ``CDNPurgeError`` (the origin is fresh,
    the CDN may not be).
    """
    cleaned = _clean(tags)
    cdn = get_cdn()
    if not cleaned:
        return InvalidationResult(tags=(), purged=0, cdn=type(cdn).__name__)
    get_store().invalidate(cleaned)
    purged = 0
    if purge_cdn:
        purged = cdn.purge(cleaned)
        schedule_repurge(cdn, cleaned)
    logger.info("Invalidated %d cache tags (%d CDN keys purged)", len(cleaned), purged)
    cache_tags_invalidated.send(
        sender=sender if sender is not None else invalidate_tags, tags=cleaned, everything=False
    )
    return InvalidationResult(tags=cleaned, purged=purged, cdn=type(cdn).__name__)


def invalidate_all(*, purge_cdn: bool = True, sender: Any = None) -> InvalidationResult:
    """Make every cached entry and page a miss (and purge everything at the CDN)."""
    get_store().invalidate_all()
    cdn = get_cdn()
    if purge_cdn:
        cdn.purge_all()
        schedule_repurge(cdn, None)
    logger.info("Invalidated every cached DatoCMS entry")
    cache_tags_invalidated.send(
        sender=sender if sender is not None else invalidate_all, tags=("*",), everything=True
    )
    return InvalidationResult(tags=(), purged=0, cdn=type(cdn).__name__, everything=True)
