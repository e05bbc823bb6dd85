"""URLs of the demo magazine.

Pages live under ``i18n_patterns``: English (the primary locale) without a prefix, Italian
under ``/it/``, with translated path segments (``/it/articoli/...``). The app's own URLs
(webhooks, preview, emulator assets) are language-neutral and stay outside.
"""

from django.conf.urls.i18n import i18n_patterns
from django.urls import URLPattern, URLResolver, include, path
from django.utils.translation import pgettext_lazy

from project import letters, views

urlpatterns: list[URLPattern | URLResolver] = [
    path("datocms/", include("datocms_app.urls")),
    # The emulator's files and content changes, where its default ASSETS_BASE/VIDEO_BASE point.
    path("datocms/emulator/", include("datocms_app.emulator.urls")),
]

urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path(pgettext_lazy("URL", "articles/"), views.article_index, name="articles"),
    path(pgettext_lazy("URL", "articles/<slug:slug>/"), views.article, name="article"),
    path(pgettext_lazy("URL", "articles/<slug:slug>/letter/"), letters.letter, name="letter"),
    path(
        pgettext_lazy("URL", "articles/<slug:slug>/letter/sent/"),
        letters.letter_sent,
        name="letter-sent",
    ),
    path(pgettext_lazy("URL", "authors/<slug:slug>/"), views.author, name="author"),
    path(pgettext_lazy("URL", "categories/<slug:slug>/"), views.category, name="category"),
    prefix_default_language=False,
)

handler404 = "project.views.page_not_found"
