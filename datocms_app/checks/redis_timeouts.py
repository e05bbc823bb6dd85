"""Whether a Redis cache gives up on a hung server (for W062), and the hint that makes it.

Reads ``CACHES`` entries of Django's own Redis backend and of django-redis (not a dependency:
only the settings are read), with the timeouts in ``OPTIONS`` or in every server URL.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import parse_qs, urlsplit

__all__ = [
    "DJANGO_REDIS_CACHE",
    "DJANGO_REDIS_PACKAGE_CACHE",
    "SUGGESTED_REDIS_TIMEOUT",
    "missing_redis_timeouts",
    "redis_timeouts_hint",
]

DJANGO_REDIS_CACHE = "django.core.cache.backends.redis.RedisCache"
DJANGO_REDIS_PACKAGE_CACHE = "django_redis.cache.RedisCache"
#: What the W062 hint proposes: long enough for a loaded Redis, short enough for a page.
SUGGESTED_REDIS_TIMEOUT = 0.5
_REDIS_TIMEOUTS = ("socket_timeout", "socket_connect_timeout")


def _servers(location: Any) -> list[str]:
    """The server URLs of a Redis ``LOCATION``, split as Django's ``RedisCache`` does."""
    if isinstance(location, str):
        return re.split("[;,]", location)
    if isinstance(location, Sequence):
        return [str(server) for server in location]
    return []


def missing_redis_timeouts(cache: Mapping[str, Any]) -> list[str]:
    """The redis-py timeouts a Django's or django-redis's Redis cache leaves unset (else [])."""
    backend = cache.get("BACKEND")
    options = cache.get("OPTIONS") or {}
    if backend == DJANGO_REDIS_CACHE:
        # OPTIONS go to redis-py's connection pool as they are.
        given = {name for name in _REDIS_TIMEOUTS if options.get(name) is not None}
    elif backend == DJANGO_REDIS_PACKAGE_CACHE:
        # django-redis ignores a falsy SOCKET_TIMEOUT; CONNECTION_POOL_KWARGS reach redis-py.
        pool_kwargs = options.get("CONNECTION_POOL_KWARGS") or {}
        given = {
            name
            for name in _REDIS_TIMEOUTS
            if options.get(name.upper()) or pool_kwargs.get(name) is not None
        }
    else:
        return []
    servers = _servers(cache.get("LOCATION", ""))
    # redis-py also reads them from the query string of each server's URL.
    for name in _REDIS_TIMEOUTS:
        if servers and all(parse_qs(urlsplit(url).query).get(name) for url in servers):
            given.add(name)
    return [name for name in _REDIS_TIMEOUTS if name not in given]


def redis_timeouts_hint(alias: str, backend: str, missing: list[str]) -> str:
    value = SUGGESTED_REDIS_TIMEOUT
    if backend == DJANGO_REDIS_PACKAGE_CACHE:
        options = ", ".join(f"{name.upper()!r}: {value}" for name in missing)
        return f"Add {{{options}}} to CACHES[{alias!r}]['OPTIONS'] (seconds)."
    options = ", ".join(f"{name!r}: {value}" for name in missing)
    query = "&".join(f"{name}={value}" for name in missing)
    return (
        f"Add {{{options}}} to CACHES[{alias!r}]['OPTIONS'] (seconds), or to the "
        f"query string of its URL (CACHE_URL=redis://127.0.0.1:6379/1?{query})."
    )
