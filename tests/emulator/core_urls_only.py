"""A site that mounts datocms_app's URLs but forgot the emulator app's."""

from __future__ import annotations

from django.urls import URLResolver, include, path

urlpatterns: list[URLResolver] = [path("datocms/", include("datocms_app.urls"))]
