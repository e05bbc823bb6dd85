"""A small site for the preview tests: the app's URLs and pages that read the fake CDA.

``NAV`` and ``ITEMS`` are answered by ``tests.caching.fake_cda``; each page renders the draft
banner first and the live-updates tag last, like a site's base template.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseNotFound
from django.template import engines
from django.urls import include, path
from django.utils import translation
from django.views.decorators.clickjacking import xframe_options_deny

from datocms_app import cda

NAV = "{ allPages { title } }"
ITEMS = (
    "query Items($first: IntType, $skip: IntType) { allItems(first: $first, skip: $skip) { id } }"
)

PAGE = engines["django"].from_string(
    "{% load datocms %}{% datocms_draft_mode_banner %}"
    '<main data-datocms-live="main">{{ nav }} {{ items }}</main>'
    "{% datocms_live_updates mode=mode %}"
)


def render_page(request: HttpRequest, context: dict[str, object]) -> HttpResponse:
    mode = request.GET.get("mode", "reload")
    return HttpResponse(PAGE.render({**context, "mode": mode}, request))


def sync_page(request: HttpRequest) -> HttpResponse:
    nav = cda.query(NAV)
    items = cda.query(ITEMS, {"first": 2})
    cda.query(NAV)  # the same query twice: one channel
    return render_page(request, {"nav": nav, "items": items})


async def async_page(request: HttpRequest) -> HttpResponse:
    nav = await cda.aquery(NAV)
    items = cda.apaginate(ITEMS, collection="allItems", page_size=2, limit=2)
    return render_page(request, {"nav": nav, "items": await items})


def no_query_page(request: HttpRequest) -> HttpResponse:
    return render_page(request, {})


@xframe_options_deny
def framed_page(request: HttpRequest) -> HttpResponse:
    response = render_page(request, {"nav": cda.query(NAV)})
    response.headers["Content-Security-Policy"] = (
        "default-src 'self'; frame-ancestors 'none'; img-src *"
    )
    return response


urlpatterns = [
    path("datocms/", include("datocms_app.urls")),
    path("page/", sync_page),
    path("async/", async_page),
    path("empty/", no_query_page),
    path("framed/", framed_page),
]


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """A plain 404 page."""
    return HttpResponseNotFound("not found")


handler404 = "tests.preview.site.not_found"


def record_url(record: Any, *, locale: str | None = None) -> str | None:
    """The site's ``RECORD_URL_RESOLVER``: articles under the active language's prefix."""
    if record.get("__typename") == "HomeRecord":
        return "/"
    slug = record.get("slug")
    if record.get("__typename") != "ArticleRecord" or not isinstance(slug, str) or not slug:
        return None
    language = translation.get_language()
    prefix = "" if language == "en" else f"/{language}"
    return f"{prefix}/articles/{slug}/"
