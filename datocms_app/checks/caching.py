"""Checks of caching, the cache-tags webhook and the CDN: datocms.E060-E062, W060-W063.

The cache must be one every server process shares (W061), give up on a hung Redis (W062) and
be reachable by DatoCMS's invalidations (E060, W060, W063); the CDN backend and the tag
store must be importable (E061, E062). The page cache's place among the middleware is
checked in ``checks.locale``.
"""

from __future__ import annotations

import os

from django.conf import settings
from django.core.checks import CheckMessage, Error, Warning

from datocms_app.checks.redis_timeouts import missing_redis_timeouts, redis_timeouts_hint
from datocms_app.checks.server_processes import several_workers
from datocms_app.checks.settings import on_valid_settings
from datocms_app.checks.site import include_hint, is_reversible, root_urlconf
from datocms_app.conf import DatoCMSSettings
from datocms_app.exceptions import ConfigurationError

__all__ = ["WEBHOOK_URL_NAME", "check_caching", "check_webhook_url"]

#: The name of the cache-tags webhook's URL (``datocms_app.urls``).
WEBHOOK_URL_NAME = "datocms:cache-tags-webhook"


@on_valid_settings
def check_caching(conf: DatoCMSSettings) -> list[CheckMessage]:
    """Webhook authentication, the CDN backend, a cache shared by every process, and a Redis
    cache that gives up on a hung server."""
    from datocms_app.caching.cdn import build_cdn
    from datocms_app.caching.stores import build_store, is_process_local

    messages: list[CheckMessage] = []
    if bool(conf.WEBHOOK_USERNAME) != bool(conf.WEBHOOK_PASSWORD):
        given, missing = (
            ("WEBHOOK_USERNAME", "WEBHOOK_PASSWORD")
            if conf.WEBHOOK_USERNAME
            else ("WEBHOOK_PASSWORD", "WEBHOOK_USERNAME")
        )
        messages.append(
            Error(
                f"settings.DATOCMS sets {given} but not {missing}: the cache-tags webhook "
                "would refuse every call.",
                hint="Set both to the HTTP Basic credentials of the DatoCMS webhook, or neither.",
                id="datocms.E060",
            )
        )
    elif not (conf.WEBHOOK_USERNAME or conf.WEBHOOK_SECRET) and not settings.DEBUG:
        messages.append(
            Warning(
                "The cache-tags webhook accepts unauthenticated calls: anyone can invalidate "
                "your cache and make every page a miss.",
                hint="Set DATOCMS['WEBHOOK_SECRET'] (sent by DatoCMS as the custom header "
                f"{conf.WEBHOOK_SECRET_HEADER}) and/or WEBHOOK_USERNAME and WEBHOOK_PASSWORD "
                "(the webhook's HTTP Basic auth).",
                id="datocms.W060",
            )
        )
    try:
        build_cdn(conf.CDN)
    except ConfigurationError as exc:
        messages.append(
            Error(
                str(exc),
                hint="Fix DATOCMS['CDN']: a dict with 'BACKEND' (e.g. "
                "'datocms_app.caching.cdn.FastlyBackend') and that backend's options, or None.",
                id="datocms.E061",
            )
        )
    try:
        build_store(conf.TAG_STORE, conf.CACHE_ALIAS)
    except ConfigurationError as exc:
        messages.append(
            Error(
                str(exc),
                hint="Set DATOCMS['TAG_STORE'] to the dotted path of a TagStore subclass, "
                "e.g. 'datocms_app.caching.versions.TagVersionStore' (the default), or remove "
                "the key.",
                id="datocms.E062",
            )
        )
    if is_process_local(conf.CACHE_ALIAS):
        workers = several_workers(os.environ)
        if workers is not None or not settings.DEBUG:
            messages.append(_local_memory_cache_warning(conf.CACHE_ALIAS, workers))
    cache = settings.CACHES.get(conf.CACHE_ALIAS, {})
    timeouts = missing_redis_timeouts(cache)
    if timeouts:
        messages.append(
            Warning(
                f"The DatoCMS cache ({conf.CACHE_ALIAS!r}) is a Redis cache without "
                f"{' or '.join(timeouts)}: when Redis stops answering (hung, swapping, "
                "paused), every page and the cache-tags webhook wait for it (forever before "
                "redis-py 8, 5 s a command since, and a page sends several) instead of "
                "rendering uncached.",
                hint=redis_timeouts_hint(conf.CACHE_ALIAS, cache.get("BACKEND", ""), timeouts),
                id="datocms.W062",
            )
        )
    return messages


def _local_memory_cache_warning(alias: str, workers: str | None) -> Warning:
    """W061: with ``workers`` (what asks for several), whatever ``DEBUG`` says."""
    several = "" if workers is None else f" and the server runs several processes ({workers})"
    return Warning(
        f"The DatoCMS cache ({alias!r}) is a local-memory cache{several}: each process has its "
        "own, and the cache-tags webhook reaches only one of them, so the others keep serving "
        "stale pages.",
        hint="With more than one server process use a shared cache (Django's Redis "
        "cache: CACHE_URL=redis://..., or the file/database cache on one machine).",
        id="datocms.W061",
    )


@on_valid_settings
def check_webhook_url(conf: DatoCMSSettings) -> list[CheckMessage]:
    """W063: DatoCMS must be able to reach the cache-tags webhook while anything is cached."""
    from datocms_app.webhooks import cache_tags_webhook

    caches = [name for name in ("QUERY_CACHE", "PAGE_CACHE") if getattr(conf, name)]
    if not caches or is_reversible(WEBHOOK_URL_NAME, cache_tags_webhook):
        return []
    lifetime = (
        "forever (CACHE_TIMEOUT is None)"
        if conf.CACHE_TIMEOUT is None
        else f"until CACHE_TIMEOUT ({conf.CACHE_TIMEOUT} s) expires it"
    )
    return [
        Warning(
            f"{' and '.join(caches)} {'are' if len(caches) > 1 else 'is'} on, but the "
            f"cache-tags webhook has no URL ({WEBHOOK_URL_NAME!r} cannot be reversed: "
            f"datocms_app.urls is not included in {root_urlconf()}): DatoCMS can never "
            f"invalidate the cache, so a published change stays unseen {lifetime}.",
            hint=f"{include_hint('datocms/', 'datocms_app.urls')}, and point DatoCMS's "
            '"CDA Cache Tags > Invalidate" webhook at https://<your site>/datocms/webhooks/'
            "cache-tags/. Or, to cache nothing, set DATOCMS['QUERY_CACHE'] and "
            "DATOCMS['PAGE_CACHE'] to False.",
            id="datocms.W063",
        )
    ]
