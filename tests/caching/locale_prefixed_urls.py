"""A site that prefixes every language, the default one too (``/en/``, ``/it/``)."""

from __future__ import annotations

from django.conf.urls.i18n import i18n_patterns
from django.urls import path

from tests.caching.locale_urls import handler404, page

__all__ = ["handler404", "urlpatterns"]

urlpatterns = i18n_patterns(path("", page))
