"""A plain site (the page cache middleware, the app's own 503 template) whose CDA_URL answers
with something that is not DatoCMS's JSON: cached pages keep serving, others get the 503 page
with Retry-After, never a 500."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client, override_settings
from django.utils import translation

from tests.caching import views
from tests.caching.foreign_cda import ForeignCDA
from tests.caching.test_page_cache import UNAVAILABLE

BAD_GATEWAY_PAGE = b"<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>"


@pytest.fixture
def foreign_cda() -> Iterator[ForeignCDA]:
    with ForeignCDA().running() as fake:
        fake.content[views.ARTICLE] = lambda variables: (
            {"article": {"title": variables["slug"].title()}},
            [f"item:{variables['slug']}"],
        )
        fake.content[views.NAV] = ({"allPages": [{"title": "Home"}]}, ["model:p"])
        yield fake


@pytest.fixture
def plain_site(foreign_cda: ForeignCDA, settings: Any) -> Iterator[Client]:
    with (
        override_settings(
            DATOCMS=foreign_cda.settings(MAX_RETRIES=1),
            ROOT_URLCONF="tests.caching.urls",
            MIDDLEWARE=["datocms_app.caching.PageCacheMiddleware"],
            # Only the app's own templates: the demo project overrides ``unavailable.html``.
            TEMPLATES=[{**settings.TEMPLATES[0], "DIRS": []}],
        ),
        translation.override("en"),
    ):
        yield Client()


@pytest.mark.parametrize(
    "foreign",
    [
        (200, b'{"data": {"article": {"tit', "application/json"),
        (200, b"<html><body>Sign in to the Wi-Fi</body></html>", "text/html"),
        (502, BAD_GATEWAY_PAGE, "text/html"),
        (200, b'{"foo": 1}', "application/json"),
    ],
    ids=["cut-short-200", "html-200", "html-502", "foreign-json-200"],
)
def test_foreign_answers_serve_cached_pages_and_the_503_page(
    plain_site: Client, foreign_cda: ForeignCDA, foreign: tuple[int, bytes, str]
) -> None:
    first = plain_site.get("/plain/hello/")
    assert (first.status_code, first["X-DatoCMS-Cache"]) == (200, "MISS")

    foreign_cda.foreign = foreign
    cached = plain_site.get("/plain/hello/")
    assert (cached.status_code, cached["X-DatoCMS-Cache"], cached.content) == (
        200,
        "HIT",
        b"<h1>Hello</h1><nav>Home</nav>",
    )
    assert foreign_cda.foreign_answers == 0

    uncached = plain_site.get("/plain/world/")
    assert uncached.status_code == 503
    assert uncached["Retry-After"] == "30"
    assert uncached["Cache-Control"] == "no-store"
    assert uncached["X-DatoCMS-Cache"] == "BYPASS"
    assert uncached.content.decode() == UNAVAILABLE.format(extra="", seconds="30 seconds")
    assert foreign_cda.foreign_answers == 2  # the first try and MAX_RETRIES=1 retry

    # Nothing was stored for the outage: once DatoCMS answers again, the page renders.
    foreign_cda.foreign = None
    recovered = plain_site.get("/plain/world/")
    assert (recovered.status_code, recovered["X-DatoCMS-Cache"]) == (200, "MISS")
    assert recovered.content == b"<h1>World</h1><nav>Home</nav>"
