"""A site without i18n_patterns: LocaleMiddleware picks the language from the request."""

from __future__ import annotations

from django.urls import path

from tests.caching.locale_urls import handler404, page

__all__ = ["handler404", "urlpatterns"]

urlpatterns = [path("", page)]
