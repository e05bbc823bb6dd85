"""A site that mounts the cache-tags webhook view by itself, without its URL name."""

from __future__ import annotations

from django.urls import URLPattern, path

from datocms_app.webhooks import cache_tags_webhook

urlpatterns: list[URLPattern] = [path("hooks/datocms/", cache_tags_webhook)]
