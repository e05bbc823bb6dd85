"""URLs of datocms_app. Mount them once, e.g. ``path("datocms/", include("datocms_app.urls"))``.

The optional emulator app has URLs of its own (``datocms_app.emulator.urls``).
"""

from django.urls import URLPattern, URLResolver, path

from datocms_app import webhooks
from datocms_app.preview import links, live_updates, views

app_name = "datocms"

urlpatterns: list[URLPattern | URLResolver] = [
    # caching (datocms_app.webhooks): DatoCMS's "CDA Cache Tags > Invalidate" webhook
    path("webhooks/cache-tags/", webhooks.cache_tags_webhook, name="cache-tags-webhook"),
    # draft mode and the Web Previews plugin (datocms_app.preview)
    path("draft-mode/enable/", views.enable_draft_mode, name="draft-mode-enable"),
    path("draft-mode/disable/", views.disable_draft_mode, name="draft-mode-disable"),
    path("preview-links/", links.preview_links_view, name="preview-links"),
    path("live-updates/", live_updates.live_updates_view, name="live-updates"),
]
