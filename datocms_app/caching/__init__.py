"""Tag-based caching of DatoCMS content: queries, whole pages, and the CDN in front of them.

::

    from datocms_app.caching import datocms_cache_page, invalidate_tags

    @datocms_cache_page
    def article(request, slug): ...          # cached until DatoCMS invalidates its tags

    invalidate_tags(["N*r;L", "6-KZ@"])       # what the cache-tags webhook does

Read ``versions`` for the scheme (tag version tokens, epoch, generation), ``query_cache`` and
``page_cache`` for the two caches, ``collector`` for how a page learns its tags, ``cdn`` for
the purge backends and ``invalidation`` for the one function that changes anything;
``query_parameters`` for what of a query string a page key holds, and ``locale`` for a
``LocaleMiddleware`` that does not split shared caches by ``Accept-Language``.
"""

from __future__ import annotations

# Importing query_cache installs the module functions' query cache (datocms_app.cda.hooks).
from datocms_app.caching import query_cache as query_cache
from datocms_app.caching.collector import TagCollector, collect_tags, current_collector
from datocms_app.caching.invalidation import InvalidationResult, invalidate_all, invalidate_tags
from datocms_app.caching.locale import LocaleMiddleware
from datocms_app.caching.page_cache import (
    PageCacheMiddleware,
    datocms_cache_page,
    is_draft_request,
)

__all__ = [
    "InvalidationResult",
    "LocaleMiddleware",
    "PageCacheMiddleware",
    "TagCollector",
    "collect_tags",
    "current_collector",
    "datocms_cache_page",
    "invalidate_all",
    "invalidate_tags",
    "is_draft_request",
]
