"""A site whose URLs name the language: i18n_patterns without a prefix for the default one."""

from __future__ import annotations

from django.conf.urls.i18n import i18n_patterns
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language


def page(request: HttpRequest) -> HttpResponse:
    return HttpResponse(f"<p>{get_language()}</p>")


def negotiated(request: HttpRequest) -> HttpResponse:
    """A view that reads Accept-Language itself, and says so."""
    response = HttpResponse(request.headers.get("Accept-Language", ""))
    patch_vary_headers(response, ["Accept-Language"])
    return response


def themed(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(request.headers.get("X-Theme", ""))
    patch_vary_headers(response, ["X-Theme"])
    return response


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return HttpResponse(f"<p>{get_language()}: no such page</p>", status=404)


handler404 = page_not_found

urlpatterns = [
    path("negotiated/", negotiated),
    *i18n_patterns(
        path("", page),
        path("themed/", themed),
        prefix_default_language=False,
    ),
]
