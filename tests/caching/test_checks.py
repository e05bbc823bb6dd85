"""System checks of the caching part: datocms.E060-E062, W060-W063."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client, override_settings

from datocms_app.checks import check_caching, check_webhook_url
from datocms_app.checks.server_processes import several_workers

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


#: What ``several_workers`` reads; cleared for every test (a developer's shell may set them).
WORKER_VARIABLES = ("WEB_CONCURRENCY", "UVICORN_WORKERS", "GUNICORN_CMD_ARGS")


@pytest.fixture(autouse=True)
def _one_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in WORKER_VARIABLES:
        monkeypatch.delenv(name, raising=False)


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


W061_HINT = (
    "With more than one server process use a shared cache (Django's Redis cache: "
    "CACHE_URL=redis://..., or the file/database cache on one machine)."
)


@pytest.mark.parametrize(
    ("variable", "value", "shown"),
    [
        ("WEB_CONCURRENCY", "4", "WEB_CONCURRENCY=4"),
        ("UVICORN_WORKERS", "2", "UVICORN_WORKERS=2"),
        (
            "GUNICORN_CMD_ARGS",
            "--workers 3 --threads 2",
            "GUNICORN_CMD_ARGS='--workers 3 --threads 2'",
        ),
    ],
)
def test_w061_local_memory_cache_with_several_workers_even_in_debug(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, shown: str
) -> None:
    assert messages({"WEBHOOK_SECRET": "s"}, debug=True, caches=LOCMEM) == []
    monkeypatch.setenv(variable, value)
    assert messages({"WEBHOOK_SECRET": "s"}, debug=True, caches=LOCMEM) == [
        (
            "datocms.W061",
            f"The DatoCMS cache ('default') is a local-memory cache and the server runs several "
            f"processes ({shown}): each process has its own, and the cache-tags webhook reaches "
            "only one of them, so the others keep serving stale pages.",
            W061_HINT,
        )
    ]
    # A shared cache is right for any number of workers.
    assert messages({"WEBHOOK_SECRET": "s"}, debug=True) == []


def test_w061_any_local_memory_backend() -> None:
    counting = {"default": {"BACKEND": "tests.caching.backends.CountingLocMemCache"}}
    assert [m[0] for m in messages({"WEBHOOK_SECRET": "s"}, caches=counting)] == ["datocms.W061"]


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, None),
        ({"WEB_CONCURRENCY": "1"}, None),
        ({"WEB_CONCURRENCY": "two"}, None),
        ({"WEB_CONCURRENCY": " 2 "}, "WEB_CONCURRENCY= 2 "),
        ({"UVICORN_WORKERS": "0"}, None),
        ({"GUNICORN_CMD_ARGS": "-w 2"}, "GUNICORN_CMD_ARGS='-w 2'"),
        ({"GUNICORN_CMD_ARGS": "-w4"}, "GUNICORN_CMD_ARGS='-w4'"),
        (
            {"GUNICORN_CMD_ARGS": "--workers=5 --bind :80"},
            "GUNICORN_CMD_ARGS='--workers=5 --bind :80'",
        ),
        ({"GUNICORN_CMD_ARGS": "--workers 3 --workers 1"}, None),  # the last one wins
        ({"GUNICORN_CMD_ARGS": "--threads 8"}, None),
        ({"GUNICORN_CMD_ARGS": "--bind 'unclosed"}, None),
        # gunicorn's --workers wins over WEB_CONCURRENCY; uvicorn's own variable still counts.
        ({"GUNICORN_CMD_ARGS": "-w 1", "WEB_CONCURRENCY": "4"}, None),
        ({"GUNICORN_CMD_ARGS": "--threads 8", "WEB_CONCURRENCY": "4"}, "WEB_CONCURRENCY=4"),
        ({"GUNICORN_CMD_ARGS": "-w 1", "UVICORN_WORKERS": "4"}, "UVICORN_WORKERS=4"),
    ],
)
def test_several_workers(environ: dict[str, str], expected: str | None) -> None:
    assert several_workers(environ) == expected


def test_registered() -> None:
    from django.core import checks

    registered = checks.registry.registry.get_checks()
    assert check_caching in registered
    assert check_webhook_url in registered


# -- W063: the cache-tags webhook must have a URL ------------------------------------------------

W063_HINT = (
    'Add path("datocms/", include("datocms_app.urls")) to the urlpatterns of '
    "tests.preview.bare_urls (from django.urls import include, path), and point DatoCMS's "
    '"CDA Cache Tags > Invalidate" webhook at https://<your site>/datocms/webhooks/'
    "cache-tags/. Or, to cache nothing, set DATOCMS['QUERY_CACHE'] and DATOCMS['PAGE_CACHE'] "
    "to False."
)


def webhook_url_messages(urlconf: str, **datocms: Any) -> list[Any]:
    with override_settings(ROOT_URLCONF=urlconf, DATOCMS={"API_TOKEN": "t", **datocms}):
        return [(m.id, m.msg, m.hint) for m in check_webhook_url()]


def test_w063_caching_without_the_webhook_url() -> None:
    assert webhook_url_messages("tests.preview.bare_urls") == [
        (
            "datocms.W063",
            "QUERY_CACHE and PAGE_CACHE are on, but the cache-tags webhook has no URL "
            "('datocms:cache-tags-webhook' cannot be reversed: datocms_app.urls is not included "
            "in tests.preview.bare_urls): DatoCMS can never invalidate the cache, so a published "
            "change stays unseen until CACHE_TIMEOUT (86400 s) expires it.",
            W063_HINT,
        )
    ]
    (only_pages,) = webhook_url_messages(
        "tests.preview.bare_urls", QUERY_CACHE=False, CACHE_TIMEOUT=None
    )
    assert only_pages[1].startswith("PAGE_CACHE is on, but the cache-tags webhook has no URL ")
    assert only_pages[1].endswith(
        "so a published change stays unseen forever (CACHE_TIMEOUT is None)."
    )


def test_w063_the_failure_it_reports() -> None:
    """Without datocms_app.urls, DatoCMS's webhook call is a 404: nothing is invalidated."""
    body = {
        "entity_type": "cda_cache_tags",
        "event_type": "invalidate",
        "entity": {"attributes": {"tags": ["a"]}},
    }
    call = {"data": json.dumps(body), "content_type": "application/json"}
    with override_settings(ROOT_URLCONF="tests.preview.bare_urls", DATOCMS={"API_TOKEN": "t"}):
        assert Client().post("/datocms/webhooks/cache-tags/", **call).status_code == 404
        assert [m.id for m in check_webhook_url()] == ["datocms.W063"]
    with override_settings(ROOT_URLCONF="tests.urls", DATOCMS={"API_TOKEN": "t"}):
        assert Client().post("/datocms/webhooks/cache-tags/", **call).status_code == 200


def test_no_w063_when_the_webhook_is_mounted_or_nothing_is_cached() -> None:
    assert webhook_url_messages("tests.urls") == []
    assert webhook_url_messages("tests.caching.webhook_view_urls") == []
    assert (
        webhook_url_messages("tests.preview.bare_urls", QUERY_CACHE=False, PAGE_CACHE=False) == []
    )
    assert webhook_url_messages("tests.preview.bare_urls", TIMEOUT=-1) == []  # E001's business


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
