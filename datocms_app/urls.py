"""URLs of datocms_app. Mount them once, e.g. ``path("datocms/", include("datocms_app.urls"))``.

The optional emulator app has URLs of its own (``datocms_app.emulator.urls``).
"""

from django.urls import URLPattern, URLResolver, path

from datocms_app import webhooks

app_name = "datocms"

urlpatterns: list[URLPattern | URLResolver] = [
    # caching (datocms_app.webhooks): DatoCMS's "CDA Cache Tags > Invalidate" webhook
    path("webhooks/cache-tags/", webhooks.cache_tags_webhook, name="cache-tags-webhook"),
]
