"""Views and URLs for the page-key tests: which query parameters a page is keyed on, and
what a response the page cache does not store leaves behind (each view runs the NAV query).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import path
from django.views.decorators.http import require_POST

from datocms_app import cda
from datocms_app.caching import datocms_cache_page
from tests.caching.views import NAV


def _echo(request: HttpRequest, *names: str) -> str:
    """What the view saw of ``names`` (``-`` for absent, so ``?page=`` differs from none)."""
    cda.query(NAV)
    return "|".join(f"{name}={request.GET.get(name, '-')}" for name in names)


@datocms_cache_page(query_parameters=["page", "sort"])
def listing(request: HttpRequest) -> HttpResponse:
    return HttpResponse(_echo(request, "page", "sort"))


@datocms_cache_page(query_parameters=("page",))
async def alisting(request: HttpRequest) -> HttpResponse:
    nav = await cda.aquery(NAV)
    page = request.GET.get("page", "-")
    return HttpResponse(f"page={page}|{len(nav['allPages'])}")


@datocms_cache_page
def by_setting(request: HttpRequest) -> HttpResponse:
    return HttpResponse(_echo(request, "page"))


@datocms_cache_page(query_parameters=["sort"])
def own_list(request: HttpRequest) -> HttpResponse:
    return HttpResponse(_echo(request, "page", "sort"))


@datocms_cache_page(query_parameters=[])
def no_parameters(request: HttpRequest) -> HttpResponse:
    return HttpResponse(_echo(request, "page"))


def plain(request: HttpRequest) -> HttpResponse:
    """Undecorated: under the middleware it is keyed as the setting says."""
    return HttpResponse(_echo(request, "page", "sort"))


def _declared_plain(request: HttpRequest) -> HttpResponse:
    return HttpResponse(_echo(request, "page", "sort"))


@datocms_cache_page
def missing(request: HttpRequest) -> HttpResponse:
    cda.query(NAV)
    return HttpResponse("<p>Not found</p>", status=404)


@datocms_cache_page
async def amissing(request: HttpRequest) -> HttpResponse:
    await cda.aquery(NAV)
    return HttpResponse("<p>Not found</p>", status=404)


@datocms_cache_page
def moved(request: HttpRequest) -> HttpResponse:
    cda.query(NAV)
    return HttpResponseRedirect("/listing/")


@datocms_cache_page
@require_POST
def post_only(request: HttpRequest) -> HttpResponse:
    return HttpResponse(_echo(request))


@datocms_cache_page
def failing(request: HttpRequest) -> HttpResponse:
    cda.query(NAV)
    return HttpResponse("<p>Oops</p>", status=500)


urlpatterns = [
    path("listing/", listing),
    path("alisting/", alisting),
    path("by-setting/", by_setting),
    path("own-list/", own_list),
    path("no-parameters/", no_parameters),
    path("plain/", plain),
    path("declared-plain/", datocms_cache_page(_declared_plain, query_parameters=["sort"])),
    path("missing/", missing),
    path("amissing/", amissing),
    path("moved/", moved),
    path("post-only/", post_only),
    path("failing/", failing),
]


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return HttpResponse("<p>No such page</p>", status=404)


handler404 = page_not_found
