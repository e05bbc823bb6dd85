"""URLs of datocms_app. Mount them once, e.g. ``path("datocms/", include("datocms_app.urls"))``."""

from django.urls import URLPattern, URLResolver

app_name = "datocms"

urlpatterns: list[URLPattern | URLResolver] = []
