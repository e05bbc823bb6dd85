"""A site whose one page reads DatoCMS and says which language it was rendered in; the
language comes from the request (``Accept-Language``), not from the URL."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, path
from django.utils.translation import get_language

from datocms_app import cda
from tests.caching.views import NAV


def page(request: HttpRequest) -> HttpResponse:
    cda.query(NAV)  # so that the page cache stores the page
    return HttpResponse(f"<p>{get_language()}</p>")


urlpatterns: list[URLPattern] = [path("", page)]
