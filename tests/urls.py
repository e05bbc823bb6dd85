"""The library tests' URLs: the app's (the webhook) and the emulator app's, as a site has them."""

from django.urls import URLPattern, URLResolver, include, path

urlpatterns: list[URLPattern | URLResolver] = [
    path("datocms/", include("datocms_app.urls")),
    path("datocms/emulator/", include("datocms_app.emulator.urls")),
]
