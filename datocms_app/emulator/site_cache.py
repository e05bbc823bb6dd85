"""Zero-configuration freshness: the embedded emulator clears the caches of the site it serves.

The embedded emulator (``embedded.get_emulator``) lives in the Django process whose pages it
feeds. ``connect_site_caches(store)`` subscribes to its content store: every change — from
``manage.py datocms_emulator_change``, the changes endpoint or ``emulator.changes`` —
invalidates the cache tags it affects in this process's caches at once, with
``datocms_app.caching.invalidate_tags``, as DatoCMS's cache-tags webhook would. No webhook to
configure, no URL to get right, and the next request is fresh. ``get_emulator`` connects it
unless ``DATOCMS["EMULATOR"]["INVALIDATE_SITE"]`` is False. A webhook configured as well
(``EMULATOR["WEBHOOKS"]`` pointing at the site itself) invalidates the same tags a second
time: harmless.

The CDN, if any, is not purged here: that is the cache-tags webhook's job, as in production,
and a network call does not belong inside the store's commit.

``capture_site_invalidations()`` collects, for the changes made inside it by the current
thread, what was invalidated and what failed, so that the change command and endpoint can
say so.

This module must never raise into the store's commit: a cache store that fails is logged on
``datocms_app.emulator`` and reported to the capture.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from datocms_app.caching import invalidate_tags
from datocms_app.emulator.store import Change, ContentStore
from datocms_app.exceptions import DatoCMSError

__all__ = ["SiteInvalidations", "capture_site_invalidations", "connect_site_caches"]

logger = logging.getLogger("datocms_app.emulator")


@dataclass
class SiteInvalidations:
    """What the changes made inside ``capture_site_invalidations()`` did to the site's caches:
    the distinct ``tags`` invalidated, and the ``errors`` of invalidations that failed."""

    tags: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def add(self, tags: tuple[str, ...]) -> None:
        self.tags.extend(tag for tag in tags if tag not in self.tags)


_captured: ContextVar[SiteInvalidations | None] = ContextVar(
    "datocms_emulator_site_invalidations", default=None
)


@contextmanager
def capture_site_invalidations() -> Iterator[SiteInvalidations]:
    """Collect the site-cache invalidations of the changes this thread makes inside."""
    found = SiteInvalidations()
    token = _captured.set(found)
    try:
        yield found
    finally:
        _captured.reset(token)


def connect_site_caches(store: ContentStore) -> Callable[[], None]:
    """Invalidate this process's caches on every change of ``store``; returns unsubscribe."""

    def invalidate(change: Change, tags: list[str]) -> None:
        captured = _captured.get()
        try:
            result = invalidate_tags(tags, purge_cdn=False, sender=connect_site_caches)
        except DatoCMSError as exc:
            logger.warning(
                "The embedded emulator could not invalidate this site's caches after a %s "
                "change: %s",
                change.kind,
                exc,
            )
            if captured is not None:
                captured.errors.append(str(exc))
            return
        if captured is not None:
            captured.add(result.tags)

    return store.subscribe(invalidate)
