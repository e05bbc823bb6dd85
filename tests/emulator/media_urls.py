"""A site that mounts the emulator app's URLs under ``media/``, not where the defaults of
``ASSETS_BASE`` and ``VIDEO_BASE`` point."""

from __future__ import annotations

from django.urls import URLResolver, include, path

urlpatterns: list[URLResolver] = [
    path("datocms/", include("datocms_app.urls")),
    path("media/", include("datocms_app.emulator.urls")),
]
