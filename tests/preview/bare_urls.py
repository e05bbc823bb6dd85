"""A URLconf without datocms_app's URLs (the preview routes are not mounted)."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
