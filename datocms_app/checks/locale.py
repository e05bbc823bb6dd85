"""Checks of the page cache and the language: datocms.E063 and W064.

The page cache keys a page with the language active when the request reaches it, so the
locale middleware must come first (E063). Django's own ``LocaleMiddleware`` adds ``Vary:
Accept-Language`` even where the URL alone names the language, which splits every shared
cache in front of the site (W064; ``datocms_app.caching.LocaleMiddleware`` does not).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.conf.urls.i18n import is_language_prefix_patterns_used
from django.core.checks import CheckMessage, Error, Warning
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware

from datocms_app.checks.site import find_middleware

__all__ = ["check_page_cache_language"]

OUR_LOCALE_MIDDLEWARE = "datocms_app.caching.LocaleMiddleware"


def check_page_cache_language(
    app_configs: Sequence[AppConfig] | None = None, **kwargs: Any
) -> list[CheckMessage]:
    """E063: a locale middleware after the page cache; W064: Django's locale middleware
    with ``i18n_patterns(..., prefix_default_language=False)``."""
    from datocms_app.caching.locale import LocaleMiddleware
    from datocms_app.caching.page_cache import PageCacheMiddleware

    messages: list[CheckMessage] = []
    locales = find_middleware(DjangoLocaleMiddleware, subclasses=True)
    page_caches = find_middleware(PageCacheMiddleware)
    if page_caches and settings.USE_I18N:
        page_cache = page_caches[0]
        late = [locale for locale in locales if locale.position > page_cache.position]
        if late:
            messages.append(
                Error(
                    f"{late[0].path} comes after {page_cache.path} in MIDDLEWARE: the page "
                    "cache keys each page before the request's language is activated, so a "
                    "page rendered in one language is served to visitors of another.",
                    hint=f"Move {late[0].path!r} before {page_cache.path!r}.",
                    id="datocms.E063",
                )
            )
    djangos = [locale for locale in locales if not issubclass(locale.middleware, LocaleMiddleware)]
    if djangos and is_language_prefix_patterns_used(settings.ROOT_URLCONF) == (True, False):
        messages.append(
            Warning(
                f"{djangos[0].path} is in MIDDLEWARE and the URLconf uses i18n_patterns(..., "
                "prefix_default_language=False): the URL alone names each page's language, "
                "yet Django's middleware adds 'Vary: Accept-Language' to every unprefixed "
                "page, so a CDN or proxy keeps a copy of each for every browser language "
                "header (en-US, en-GB, ...).",
                hint=f"Replace {djangos[0].path!r} with {OUR_LOCALE_MIDDLEWARE!r} in "
                "MIDDLEWARE (the same middleware, without that Vary).",
                id="datocms.W064",
            )
        )
    return messages
