"""System checks for ``settings.DATOCMS`` (``manage.py check``).

Ids are stable and documented in the README's checks reference:

- ``datocms.E001``: ``settings.DATOCMS`` is not valid.
- ``datocms.E002``: ``CACHE_ALIAS`` names no entry of ``settings.CACHES``.
- ``datocms.E003``: no API token, and no app installed an offline backend (``cda.hooks``).
- ``datocms.W001``: no API token while ``DEBUG`` is False (the site would serve offline content).
- ``datocms.E040``: ``RECORD_URL_RESOLVER`` cannot be imported or is not callable.
- ``datocms.E041``: a ``STRUCTURED_TEXT_RENDERERS`` entry has a bad key or cannot be imported.
- ``datocms.E060``: webhook HTTP Basic auth has a username without a password, or the reverse.
- ``datocms.E061``: the ``CDN`` backend cannot be imported or built from its options.
- ``datocms.E062``: ``TAG_STORE`` cannot be imported or is not a ``TagStore`` subclass.
- ``datocms.W060``: the cache-tags webhook has no authentication while ``DEBUG`` is False.
- ``datocms.W061``: ``CACHE_ALIAS`` is a per-process local-memory cache while ``DEBUG`` is False.
- ``datocms.W062``: ``CACHE_ALIAS`` is a Redis cache without a socket or a connect timeout.
- ``datocms.E070``: ``DraftModeMiddleware`` comes after ``PageCacheMiddleware`` in ``MIDDLEWARE``.
- ``datocms.E071``: the preview URLs are mounted and draft mode (or live updates for everyone)
  is configured, but ``DraftModeMiddleware`` is not in ``MIDDLEWARE``.
- ``datocms.W070``: ``DraftModeMiddleware`` is installed without a ``PREVIEW_SECRET`` while
  ``DEBUG`` is False.
- ``datocms.W071``: ``PREVIEW_API_TOKEN`` is set without ``API_TOKEN`` (it is not used).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any, TypeVar
from urllib.parse import parse_qs, urlsplit

from django.apps import AppConfig
from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register
from django.urls import NoReverseMatch, reverse
from django.utils.module_loading import import_string

from datocms_app.cda import hooks
from datocms_app.conf import DatoCMSSettings, SettingsModel
from datocms_app.exceptions import ConfigurationError

M = TypeVar("M", bound=SettingsModel)


def validated_settings(model: type[M]) -> M | None:
    """``settings.DATOCMS`` validated by ``model``, or None when it is not valid: the check of
    that model's keys reports it (``datocms.E001``), the others pass over it."""
    try:
        return model.from_settings(getattr(settings, "DATOCMS", None))
    except ConfigurationError:
        return None


@register(Tags.compatibility)
def check_settings(
    app_configs: Sequence[AppConfig] | None = None, **kwargs: Any
) -> list[CheckMessage]:
    try:
        conf = DatoCMSSettings.from_settings(getattr(settings, "DATOCMS", None))
    except ConfigurationError as exc:
        return [
            Error(
                str(exc),
                hint="Fix settings.DATOCMS; the README's settings reference lists every key.",
                id="datocms.E001",
            )
        ]
    messages: list[CheckMessage] = []
    if conf.CACHE_ALIAS not in settings.CACHES:
        messages.append(
            Error(
                f"settings.DATOCMS['CACHE_ALIAS'] is {conf.CACHE_ALIAS!r}, "
                "which is not a key of settings.CACHES.",
                hint=f"Add a {conf.CACHE_ALIAS!r} cache to CACHES or set CACHE_ALIAS to one "
                f"of: {', '.join(sorted(settings.CACHES))}.",
                id="datocms.E002",
            )
        )
    if not conf.API_TOKEN and hooks.offline_backend() is None:
        messages.append(
            Error(
                "No DatoCMS API token is configured and no offline backend is installed: "
                "every DatoCMS query would fail.",
                hint="Set settings.DATOCMS['API_TOKEN'] to a read-only API token, or serve a "
                "content project offline: add 'datocms_app.emulator' to INSTALLED_APPS and "
                "pip install 'datocms-app[emulator]'.",
                id="datocms.E003",
            )
        )
    elif not conf.API_TOKEN and not settings.DEBUG:
        messages.append(
            Warning(
                "No DatoCMS API token is configured while DEBUG is False: the site serves "
                "the embedded emulator's content instead of your DatoCMS project.",
                hint="Set settings.DATOCMS['API_TOKEN'] (the demo project reads "
                "DATOCMS_API_TOKEN from the environment) to a read-only API token.",
                id="datocms.W001",
            )
        )
    return messages


# --- structured text (datocms_app.structured_text): datocms.E040, datocms.E041 --------------


@register(Tags.compatibility)
def check_structured_text(
    app_configs: Sequence[AppConfig] | None = None, **kwargs: Any
) -> list[CheckMessage]:
    """E040: RECORD_URL_RESOLVER cannot be imported; E041: a STRUCTURED_TEXT_RENDERERS entry."""
    from datocms_app.structured_text.records import (
        RecordRenderer,
        RecordURLResolver,
        import_callable,
    )

    conf = validated_settings(DatoCMSSettings)
    if conf is None:
        return []  # datocms.E001 already says what is wrong
    messages: list[CheckMessage] = []
    if conf.RECORD_URL_RESOLVER:
        try:
            import_callable(conf.RECORD_URL_RESOLVER, "RECORD_URL_RESOLVER", RecordURLResolver)
        except ConfigurationError as exc:
            messages.append(
                Error(
                    str(exc),
                    hint="Point RECORD_URL_RESOLVER at a function f(record) -> str | None, "
                    "e.g. 'myproject.records.record_url', or remove the key.",
                    id="datocms.E040",
                )
            )
    for typename, path in sorted(conf.STRUCTURED_TEXT_RENDERERS.items()):
        if not re.fullmatch(r"[_A-Za-z][_0-9A-Za-z]*", typename):
            messages.append(
                Error(
                    f"settings.DATOCMS['STRUCTURED_TEXT_RENDERERS'] has the key {typename!r}, "
                    "which is not a GraphQL type name.",
                    hint="Use the record's __typename as the key, e.g. 'ImageBlockRecord'.",
                    id="datocms.E041",
                )
            )
            continue
        try:
            import_callable(path, f"STRUCTURED_TEXT_RENDERERS.{typename}", RecordRenderer)
        except ConfigurationError as exc:
            messages.append(
                Error(
                    str(exc),
                    hint="Map each __typename to a function f(RecordContext) -> str | None "
                    "or a RecordRenderer subclass, e.g. {'ImageBlockRecord': "
                    "'myproject.blocks.render_image'}.",
                    id="datocms.E041",
                )
            )
    return messages


# --- caching, webhook, CDN (datocms_app.caching): datocms.E060-E061, datocms.W060-W062 ------

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


def _missing_redis_timeouts(cache: Mapping[str, Any]) -> list[str]:
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


def _redis_timeouts_hint(alias: str, backend: str, missing: list[str]) -> str:
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


@register(Tags.compatibility)
def check_caching(
    app_configs: Sequence[AppConfig] | None = None, **kwargs: Any
) -> list[CheckMessage]:
    """Webhook authentication, the CDN backend, a cache shared by every process, and a Redis
    cache that gives up on a hung server."""
    from datocms_app.caching.cdn import build_cdn
    from datocms_app.caching.stores import build_store

    conf = validated_settings(DatoCMSSettings)
    if conf is None:
        return []  # datocms.E001 already says what is wrong
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
    backend = settings.CACHES.get(conf.CACHE_ALIAS, {}).get("BACKEND", "")
    if backend == "django.core.cache.backends.locmem.LocMemCache" and not settings.DEBUG:
        messages.append(
            Warning(
                f"The DatoCMS cache ({conf.CACHE_ALIAS!r}) is a local-memory cache: each "
                "process has its own, and the cache-tags webhook reaches only one of them, so "
                "the others keep serving stale pages.",
                hint="With more than one server process use a shared cache (Django's Redis "
                "cache: CACHE_URL=redis://..., or the file/database cache on one machine).",
                id="datocms.W061",
            )
        )
    timeouts = _missing_redis_timeouts(settings.CACHES.get(conf.CACHE_ALIAS, {}))
    if timeouts:
        messages.append(
            Warning(
                f"The DatoCMS cache ({conf.CACHE_ALIAS!r}) is a Redis cache without "
                f"{' or '.join(timeouts)}: when Redis stops answering (hung, swapping, "
                "paused), every page and the cache-tags webhook wait for it (forever before "
                "redis-py 8, 5 s a command since, and a page sends several) instead of "
                "rendering uncached.",
                hint=_redis_timeouts_hint(conf.CACHE_ALIAS, backend, timeouts),
                id="datocms.W062",
            )
        )
    return messages


# --- draft mode and live updates (datocms_app.preview): datocms.E070-E071, W070-W071 -------


def _middleware_position(cls: type) -> int | None:
    """Where ``cls`` is in ``MIDDLEWARE`` (under any import path), or None."""
    for position, path in enumerate(getattr(settings, "MIDDLEWARE", None) or ()):
        try:
            if import_string(path) is cls:
                return position
        except ImportError:
            continue  # Django reports middleware that cannot be imported
    return None


def _preview_urls_mounted() -> bool:
    try:
        reverse("datocms:draft-mode-enable")
    except NoReverseMatch:
        return False
    return True


@register(Tags.compatibility)
def check_preview(
    app_configs: Sequence[AppConfig] | None = None, **kwargs: Any
) -> list[CheckMessage]:
    """The draft-mode middleware's place and the settings draft mode needs."""
    from datocms_app.caching.page_cache import PageCacheMiddleware
    from datocms_app.preview.middleware import DraftModeMiddleware

    conf = validated_settings(DatoCMSSettings)
    if conf is None:
        return []  # datocms.E001 already says what is wrong
    messages: list[CheckMessage] = []
    draft_at = _middleware_position(DraftModeMiddleware)
    cache_at = _middleware_position(PageCacheMiddleware)
    if draft_at is not None and cache_at is not None and draft_at > cache_at:
        messages.append(
            Error(
                "DraftModeMiddleware comes after PageCacheMiddleware in MIDDLEWARE: the page "
                "cache answers before it knows a request is in draft mode, so editors get "
                "the cached published page.",
                hint="Move 'datocms_app.preview.DraftModeMiddleware' before "
                "'datocms_app.caching.PageCacheMiddleware'.",
                id="datocms.E070",
            )
        )
    wanted = conf.PREVIEW_SECRET or conf.LIVE_UPDATES == "always"
    if draft_at is None and wanted and _preview_urls_mounted():
        messages.append(
            Error(
                "Draft mode or live updates are configured (PREVIEW_SECRET, LIVE_UPDATES) and "
                "the preview URLs are mounted, but DraftModeMiddleware is not in MIDDLEWARE: "
                "the draft-mode cookie would change nothing, and no page would get live "
                "updates.",
                hint="Add 'datocms_app.preview.DraftModeMiddleware' to MIDDLEWARE, before "
                "'datocms_app.caching.PageCacheMiddleware'.",
                id="datocms.E071",
            )
        )
    if draft_at is not None and not conf.PREVIEW_SECRET and not settings.DEBUG:
        messages.append(
            Warning(
                "DraftModeMiddleware is installed but DATOCMS['PREVIEW_SECRET'] is not set: "
                "draft mode is off, and the draft-mode and preview-links routes answer 403.",
                hint="Set DATOCMS['PREVIEW_SECRET'] to a long random string (the demo reads "
                "DATOCMS_PREVIEW_SECRET) and use it as ?token= in the Web Previews plugin.",
                id="datocms.W070",
            )
        )
    if conf.PREVIEW_API_TOKEN and not conf.API_TOKEN:
        messages.append(
            Warning(
                "DATOCMS['PREVIEW_API_TOKEN'] is set without API_TOKEN: it is not used, the "
                "offline emulator answers drafts with its own token.",
                hint="Set API_TOKEN as well to read your DatoCMS project, or remove "
                "PREVIEW_API_TOKEN.",
                id="datocms.W071",
            )
        )
    return messages
