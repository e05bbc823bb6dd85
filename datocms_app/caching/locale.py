"""Django's ``LocaleMiddleware`` without ``Vary: Accept-Language`` where the URL decides.

With ``i18n_patterns(..., prefix_default_language=False)`` Django's middleware takes every
request's language from its path alone: the prefix (``/it/...``) or, without one,
``LANGUAGE_CODE`` — ``Accept-Language`` and the language cookie are never read (see
``LocaleMiddleware.process_request``). Yet ``process_response`` adds ``Vary:
Accept-Language`` to every unprefixed URL, so a CDN or browser cache splits the primary
language's pages by each visitor's header (``en-US,en;q=0.9``, ``en-GB``, ...) and purges
reach only some of the copies.

The fix lives here rather than in the page cache: the page cache sits after the locale
middleware (its key needs the activated language), so the header is added after the page
cache has answered, on hits too. This subclass keeps Django's behaviour everywhere else:
sites without ``i18n_patterns`` and sites that prefix the default language (whose
unprefixed URLs redirect by ``Accept-Language``) keep the header.

It must never drop a ``Vary`` that the view or another middleware set.
"""

from __future__ import annotations

from django.conf import settings
from django.conf.urls.i18n import is_language_prefix_patterns_used
from django.http import HttpRequest, HttpResponseBase
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware

__all__ = ["LocaleMiddleware", "language_from_path_only"]


def language_from_path_only(request: HttpRequest) -> bool:
    """True when Django's ``LocaleMiddleware`` chooses ``request``'s language by its path
    alone: the URLconf uses ``i18n_patterns`` without a prefix for the default language."""
    urlconf = getattr(request, "urlconf", settings.ROOT_URLCONF)
    prefix_patterns_used, default_language_prefixed = is_language_prefix_patterns_used(urlconf)
    return prefix_patterns_used and not default_language_prefixed


class LocaleMiddleware(DjangoLocaleMiddleware):
    """``django.middleware.locale.LocaleMiddleware`` for sites whose URLs name the language:
    put it in ``MIDDLEWARE`` in the place of Django's."""

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        if not language_from_path_only(request):
            return super().process_response(request, response)
        vary = response.headers.get("Vary")
        # Django's method also sets Content-Language; in this configuration it never
        # answers with another response (its redirect needs a prefixed default language).
        response = super().process_response(request, response)
        if vary is not None:
            response.headers["Vary"] = vary
        elif "Vary" in response.headers:
            del response.headers["Vary"]
        return response
