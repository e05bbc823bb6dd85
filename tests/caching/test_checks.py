"""System checks of the caching part: datocms.E060, E061, W060, W061, W062."""

from __future__ import annotations

from typing import Any

from django.test import override_settings

from datocms_app.checks import check_caching

LOCMEM = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
DJANGO_REDIS = "django.core.cache.backends.redis.RedisCache"
DJANGO_REDIS_PACKAGE = "django_redis.cache.RedisCache"
TIMEOUTS = {"socket_timeout": 0.5, "socket_connect_timeout": 0.5}
REDIS = {
    "default": {
        "BACKEND": DJANGO_REDIS,
        "LOCATION": "redis://127.0.0.1:6379/1",
        "OPTIONS": TIMEOUTS,
    }
}


def messages(datocms: dict[str, Any], *, debug: bool = False, caches: Any = REDIS) -> list[Any]:
    with override_settings(DATOCMS=datocms, DEBUG=debug, CACHES=caches):
        return [(m.id, m.msg, m.hint) for m in check_caching()]


def test_clean() -> None:
    assert messages({"WEBHOOK_SECRET": "s"}) == []
    assert messages({"WEBHOOK_USERNAME": "u", "WEBHOOK_PASSWORD": "p"}) == []
    assert messages({}, debug=True, caches=LOCMEM) == []


def test_e060_half_configured_basic_auth() -> None:
    assert messages({"WEBHOOK_USERNAME": "u", "WEBHOOK_SECRET": "s"}) == [
        (
            "datocms.E060",
            "settings.DATOCMS sets WEBHOOK_USERNAME but not WEBHOOK_PASSWORD: the cache-tags "
            "webhook would refuse every call.",
            "Set both to the HTTP Basic credentials of the DatoCMS webhook, or neither.",
        )
    ]
    assert messages({"WEBHOOK_PASSWORD": "p"})[0][1].startswith(
        "settings.DATOCMS sets WEBHOOK_PASSWORD but not WEBHOOK_USERNAME"
    )


def test_w060_unauthenticated_webhook_in_production() -> None:
    assert messages({}) == [
        (
            "datocms.W060",
            "The cache-tags webhook accepts unauthenticated calls: anyone can invalidate your "
            "cache and make every page a miss.",
            "Set DATOCMS['WEBHOOK_SECRET'] (sent by DatoCMS as the custom header "
            "X-Webhook-Secret) and/or WEBHOOK_USERNAME and WEBHOOK_PASSWORD (the webhook's "
            "HTTP Basic auth).",
        )
    ]
    assert messages({}, debug=True) == []


def test_e061_cdn_backend() -> None:
    (message,) = messages({"WEBHOOK_SECRET": "s", "CDN": {"BACKEND": "nowhere.Backend"}})
    assert message[0] == "datocms.E061"
    assert message[1].startswith("DATOCMS['CDN']['BACKEND'] is 'nowhere.Backend', which cannot ")
    assert message[2] == (
        "Fix DATOCMS['CDN']: a dict with 'BACKEND' (e.g. "
        "'datocms_app.caching.cdn.FastlyBackend') and that backend's options, or None."
    )
    secret = {"BACKEND": "datocms_app.caching.cdn.FastlyBackend", "API_TOKEN": "hunter2"}
    (message,) = messages({"WEBHOOK_SECRET": "s", "CDN": secret})
    assert message[:2] == (
        "datocms.E061",
        "FastlyBackend needs DATOCMS['CDN'] to set SERVICE_ID.",
    )


def test_w061_local_memory_cache_in_production() -> None:
    assert messages({"WEBHOOK_SECRET": "s"}, caches=LOCMEM) == [
        (
            "datocms.W061",
            "The DatoCMS cache ('default') is a local-memory cache: each process has its own, "
            "and the cache-tags webhook reaches only one of them, so the others keep serving "
            "stale pages.",
            "With more than one server process use a shared cache (Django's Redis cache: "
            "CACHE_URL=redis://..., or the file/database cache on one machine).",
        )
    ]


def test_registered() -> None:
    from django.core import checks

    assert check_caching in checks.registry.registry.get_checks()


def redis_messages(cache: dict[str, Any], alias: str = "default") -> list[Any]:
    caches = {"default": REDIS["default"], alias: cache}
    datocms = {"WEBHOOK_SECRET": "s", "CACHE_ALIAS": alias}
    return messages(datocms, caches=caches)


W062_MESSAGE = (
    "The DatoCMS cache ({alias}) is a Redis cache without {missing}: when Redis stops "
    "answering (hung, swapping, paused), every page and the cache-tags webhook wait for it "
    "(forever before redis-py 8, 5 s a command since, and a page sends several) instead of "
    "rendering uncached."
)


def test_w062_redis_without_timeouts() -> None:
    assert redis_messages({"BACKEND": DJANGO_REDIS, "LOCATION": "redis://r:6379/1"}) == [
        (
            "datocms.W062",
            W062_MESSAGE.format(
                alias="'default'", missing="socket_timeout or socket_connect_timeout"
            ),
            "Add {'socket_timeout': 0.5, 'socket_connect_timeout': 0.5} to "
            "CACHES['default']['OPTIONS'] (seconds), or to the query string of its URL "
            "(CACHE_URL=redis://127.0.0.1:6379/1?socket_timeout=0.5&socket_connect_timeout=0.5).",
        )
    ]


def test_w062_names_only_the_missing_timeout_of_the_datocms_alias() -> None:
    cache = {
        "BACKEND": DJANGO_REDIS,
        "LOCATION": "redis://r:6379/1",
        "OPTIONS": {"socket_timeout": 1, "socket_connect_timeout": None},
    }
    assert redis_messages(cache, alias="datocms") == [
        (
            "datocms.W062",
            W062_MESSAGE.format(alias="'datocms'", missing="socket_connect_timeout"),
            "Add {'socket_connect_timeout': 0.5} to CACHES['datocms']['OPTIONS'] (seconds), "
            "or to the query string of its URL "
            "(CACHE_URL=redis://127.0.0.1:6379/1?socket_connect_timeout=0.5).",
        )
    ]
    # Another alias without timeouts is not the app's business.
    other = {"default": REDIS["default"], "sessions": {"BACKEND": DJANGO_REDIS}}
    assert messages({"WEBHOOK_SECRET": "s"}, caches=other) == []


def test_w062_timeouts_in_the_url_count() -> None:
    """redis-py reads them from every server URL's query string (django-environ moves a
    CACHE_URL's query into OPTIONS, a LOCATION written by hand keeps it)."""
    query = "socket_timeout=0.5&socket_connect_timeout=0.5"
    assert redis_messages({"BACKEND": DJANGO_REDIS, "LOCATION": f"redis://r:6379/1?{query}"}) == []
    both = f"redis://a:6379/1?{query},redis://b:6379/1?{query}"
    assert redis_messages({"BACKEND": DJANGO_REDIS, "LOCATION": both}) == []
    # One server without them is enough to hang a page.
    one = [f"redis://a:6379/1?{query}", "redis://b:6379/1?socket_timeout=0.5"]
    (message,) = redis_messages({"BACKEND": DJANGO_REDIS, "LOCATION": one})
    assert message[:2] == (
        "datocms.W062",
        W062_MESSAGE.format(alias="'default'", missing="socket_connect_timeout"),
    )


def test_w062_django_environ_cache_url() -> None:
    import environ

    with_query = environ.Env.cache_url_config(
        "redis://r:6379/1?socket_timeout=0.5&socket_connect_timeout=0.5"
    )
    assert redis_messages(with_query) == []
    (message,) = redis_messages(environ.Env.cache_url_config("redis://r:6379/1"))
    assert message[0] == "datocms.W062"


def test_w062_django_redis_options() -> None:
    """django-redis (not a dependency: the check reads settings only) spells them
    SOCKET_TIMEOUT/SOCKET_CONNECT_TIMEOUT, or passes CONNECTION_POOL_KWARGS to redis-py."""
    location = "redis://r:6379/1"
    options = {"SOCKET_TIMEOUT": 0.5, "SOCKET_CONNECT_TIMEOUT": 0.5}
    cache = {"BACKEND": DJANGO_REDIS_PACKAGE, "LOCATION": location, "OPTIONS": options}
    assert redis_messages(cache) == []
    pooled = {"CONNECTION_POOL_KWARGS": TIMEOUTS}
    assert redis_messages({**cache, "OPTIONS": pooled}) == []
    # django-redis drops a zero SOCKET_TIMEOUT.
    zero = {"SOCKET_TIMEOUT": 0, "SOCKET_CONNECT_TIMEOUT": 0.5}
    assert redis_messages({**cache, "OPTIONS": zero}) == [
        (
            "datocms.W062",
            W062_MESSAGE.format(alias="'default'", missing="socket_timeout"),
            "Add {'SOCKET_TIMEOUT': 0.5} to CACHES['default']['OPTIONS'] (seconds).",
        )
    ]
    (message,) = redis_messages({"BACKEND": DJANGO_REDIS_PACKAGE, "LOCATION": location})
    assert message[2] == (
        "Add {'SOCKET_TIMEOUT': 0.5, 'SOCKET_CONNECT_TIMEOUT': 0.5} to "
        "CACHES['default']['OPTIONS'] (seconds)."
    )


def test_w062_not_for_other_stores() -> None:
    for backend in (
        "django.core.cache.backends.db.DatabaseCache",
        "django.core.cache.backends.filebased.FileBasedCache",
    ):
        assert redis_messages({"BACKEND": backend, "LOCATION": "/tmp/x"}) == []


def demo_cache(cache_url: str) -> dict[str, Any]:
    """``CACHES["default"]`` of the demo project for this ``CACHE_URL`` (a fresh process)."""
    import json
    import os
    import subprocess
    import sys

    from tests.caching.servers import ROOT

    script = "import json, project.settings as s; print(json.dumps(s.CACHES['default']))"
    env = {**os.environ, "CACHE_URL": cache_url, "PYTHONPATH": str(ROOT)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    output = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, check=True
    ).stdout
    cache: dict[str, Any] = json.loads(output)
    return cache


def test_demo_gives_redis_timeouts_unless_the_url_does() -> None:
    default = demo_cache("redis://127.0.0.1:6379/1")
    assert default["OPTIONS"] == {"socket_timeout": 0.5, "socket_connect_timeout": 0.5}
    assert redis_messages(default) == []
    chosen = demo_cache("redis://127.0.0.1:6379/1?socket_timeout=2")
    assert chosen["OPTIONS"] == {"socket_timeout": 2, "socket_connect_timeout": 0.5}
    assert "OPTIONS" not in demo_cache("locmemcache://x")
