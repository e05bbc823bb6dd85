"""Invalidation: the one place that changes cached state (webhook, command, your code).

``invalidate_tags`` replaces the version tokens of the tags in the cache store (epoch first),
then purges the CDN by the same tags, schedules a second CDN purge a few seconds later (a
page fetched from the origin by a CDN edge just before the purge, or still propagating
between shield and edge, is caught by it), and sends ``cache_tags_invalidated``. It raises
``CacheStoreError`` or ``CDNPurgeError`` when a step failed, so the webhook can answer 503
and DatoCMS delivers the invalidation again; repeating one is always harmless.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from datocms_app.caching.cdn import CDNBackend, get_cdn
from datocms_app.caching.tags import get_store
from datocms_app.exceptions import CDNPurgeError, InvalidArgument
from datocms_app.signals import cache_tags_invalidated

__all__ = ["InvalidationResult", "invalidate_all", "invalidate_tags"]

logger = logging.getLogger("datocms_app.caching")


@dataclass(frozen=True, slots=True)
class InvalidationResult:
    """What an invalidation did: the distinct ``tags``, the number of keys ``purged`` at the
    CDN (0 without one) and the CDN backend's class name."""

    tags: tuple[str, ...]
    purged: int
    cdn: str
    everything: bool = False


def _clean(tags: Iterable[str]) -> tuple[str, ...]:
    if isinstance(tags, str):
        raise InvalidArgument(
            "tags must be a list of cache tags, not one string: invalidate_tags([tag])."
        )
    cleaned = []
    for tag in tags:
        if not isinstance(tag, str) or not tag or tag != tag.strip() or " " in tag:
            raise InvalidArgument(
                f"A cache tag is a non-empty string without spaces (as DatoCMS sends them in "
                f"X-Cache-Tags), got {tag!r}."
            )
        cleaned.append(tag)
    return tuple(dict.fromkeys(cleaned))


def _schedule_repurge(cdn: CDNBackend, action: Callable[[], Any], what: str) -> None:
    if cdn.repurge_delay <= 0:
        return

    def repurge() -> None:
        try:
            action()
        except CDNPurgeError as exc:
            logger.warning("The second CDN purge of %s failed: %s", what, exc)

    timer = threading.Timer(cdn.repurge_delay, repurge)
    timer.daemon = True
    timer.name = "datocms-repurge"
    timer.start()


def invalidate_tags(
    tags: Iterable[str], *, purge_cdn: bool = True, sender: Any = None
) -> InvalidationResult:
    """Make every entry and page depending on any of ``tags`` a miss, here and at the CDN.

    O(number of tags) whatever the number of cached entries. Raises ``CacheStoreError``
    (nothing is durable yet) or ``CDNPurgeError`` (the origin is fresh, the CDN may not be).
    """
    cleaned = _clean(tags)
    get_store().invalidate(cleaned)
    cdn = get_cdn()
    purged = 0
    if purge_cdn and cleaned:
        purged = cdn.purge(cleaned)
        _schedule_repurge(cdn, lambda: cdn.purge(cleaned), f"{len(cleaned)} tags")
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
        _schedule_repurge(cdn, cdn.purge_all, "everything")
    logger.info("Invalidated every cached DatoCMS entry")
    cache_tags_invalidated.send(
        sender=sender if sender is not None else invalidate_all, tags=("*",), everything=True
    )
    return InvalidationResult(tags=(), purged=0, cdn=type(cdn).__name__, everything=True)
