"""System checks of the caching part: datocms.E060, E061, W060, W061."""

from __future__ import annotations

from typing import Any

from django.test import override_settings

from datocms_app.checks import check_caching

LOCMEM = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
REDIS = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache"}}


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
