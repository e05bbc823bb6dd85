"""Requests in draft mode: drafts through the preview token, no shared cache, framable pages.

The site (``tests.preview.site``) reads the fake CDA through the module functions; the
``counting`` cache records every call the query cache, the page cache and the tag store make.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import AsyncClient, Client, override_settings

from datocms_app.cda import draft_mode, get_client, in_draft_mode
from tests.caching.backends import CALLS
from tests.caching.fake_cda import FakeCDA
from tests.preview.conftest import SECRET

CDN = {"BACKEND": "datocms_app.caching.cdn.FastlyBackend", "SERVICE_ID": "s", "API_TOKEN": "t"}
CSP = "frame-ancestors 'self' https://plugins-cdn.datocms.com"


@pytest.fixture
def site(content: FakeCDA) -> Iterator[dict[str, Any]]:
    conf = content.settings(
        PREVIEW_SECRET=SECRET, PREVIEW_API_TOKEN="preview-token", CACHE_ALIAS="counting", CDN=CDN
    )
    with override_settings(DATOCMS=conf, ROOT_URLCONF="tests.preview.site"):
        yield conf


def editor() -> Client:
    client = Client()
    response = client.get("/datocms/draft-mode/enable/", {"token": SECRET, "redirect": "/page/"})
    assert response.status_code == 302
    CALLS.clear()
    return client


def cda_headers(content: FakeCDA) -> list[tuple[str | None, str | None]]:
    with content.lock:
        return [
            (request["headers"].get("authorization"), request["headers"].get("x-include-drafts"))
            for request in content.requests
        ]


@pytest.mark.usefixtures("site")
@pytest.mark.parametrize("path", ["/page/", "/async/"])
def test_draft_requests_read_drafts_with_the_preview_token_and_touch_no_cache(
    content: FakeCDA, path: str
) -> None:
    client = editor()
    for _ in range(2):
        response = client.get(path)
        assert response.status_code == 200
        assert response["Cache-Control"] == "private, no-store"
        assert response["X-Robots-Tag"] == "noindex"
        assert response["X-DatoCMS-Cache"] == "BYPASS"
        assert response["Content-Security-Policy"] == CSP
        assert "X-Frame-Options" not in response
        assert "Surrogate-Key" not in response
        assert "Surrogate-Control" not in response
    # No read and no write of the query cache, the page cache or the tag store.
    assert CALLS == []
    queries = 3 if path == "/page/" else 2
    assert len(content.requests) == 2 * queries  # nothing was answered from a cache
    assert set(cda_headers(content)) == {("Bearer preview-token", "true")}


@pytest.mark.usefixtures("site")
def test_visitors_read_published_content_through_the_caches(content: FakeCDA) -> None:
    client = Client()
    first = client.get("/page/")
    assert first["X-DatoCMS-Cache"] == "MISS"
    assert "Surrogate-Key" in first
    assert first["X-Frame-Options"] == "DENY"
    assert "Content-Security-Policy" not in first
    assert CALLS != []  # the counting cache does count
    assert client.get("/page/")["X-DatoCMS-Cache"] == "HIT"
    assert set(cda_headers(content)) == {("Bearer fake-token", None)}
    # An editor right after: never the visitors' cached page.
    assert editor().get("/page/")["X-DatoCMS-Cache"] == "BYPASS"


@pytest.mark.usefixtures("site")
def test_without_a_preview_token_drafts_use_the_api_token(
    content: FakeCDA, site: dict[str, Any]
) -> None:
    with override_settings(DATOCMS={**site, "PREVIEW_API_TOKEN": ""}):
        assert editor().get("/page/").status_code == 200
    assert set(cda_headers(content)) == {("Bearer fake-token", "true")}


@pytest.mark.usefixtures("site")
def test_a_draft_page_replaces_frame_ancestors_and_drops_x_frame_options() -> None:
    response = editor().get("/framed/")
    assert response["Content-Security-Policy"] == f"default-src 'self'; img-src *; {CSP}"
    assert "X-Frame-Options" not in response
    visitor = Client().get("/framed/")
    assert visitor["X-Frame-Options"] == "DENY"
    assert visitor["Content-Security-Policy"] == (
        "default-src 'self'; frame-ancestors 'none'; img-src *"
    )


@pytest.mark.usefixtures("site")
@pytest.mark.parametrize(
    "middleware",
    [
        # the draft-mode middleware outside Django's X-Frame-Options middleware, and inside
        [
            "datocms_app.preview.DraftModeMiddleware",
            "django.middleware.clickjacking.XFrameOptionsMiddleware",
            "datocms_app.caching.PageCacheMiddleware",
        ],
        [
            "django.middleware.clickjacking.XFrameOptionsMiddleware",
            "datocms_app.preview.DraftModeMiddleware",
            "datocms_app.caching.PageCacheMiddleware",
        ],
    ],
)
def test_x_frame_options_is_dropped_wherever_its_middleware_sits(middleware: list[str]) -> None:
    client = editor()
    with override_settings(MIDDLEWARE=middleware):
        draft = client.get("/page/")
        published = Client().get("/page/")
    assert "X-Frame-Options" not in draft
    assert draft["Content-Security-Policy"] == CSP
    assert published["X-Frame-Options"] == "DENY"


@pytest.mark.usefixtures("site")
def test_frame_ancestors_follow_the_setting(site: dict[str, Any]) -> None:
    ancestors = ["'self'", "https://plugins-cdn.datocms.com", "https://*.admin.datocms.com"]
    with override_settings(DATOCMS={**site, "PREVIEW_FRAME_ANCESTORS": ancestors}):
        response = editor().get("/page/")
    assert response["Content-Security-Policy"] == (
        "frame-ancestors 'self' https://plugins-cdn.datocms.com https://*.admin.datocms.com"
    )


@pytest.mark.usefixtures("site")
def test_the_banner_shows_in_draft_mode_only() -> None:
    draft = editor().get("/empty/?x=1").content.decode()
    assert draft == (
        '<div class="datocms-draft-mode" role="status" style="padding:.5rem 1rem;'
        "background:#fff3cd;color:#3d2f00;font:14px/1.4 system-ui,sans-serif;"
        'text-align:center">Draft mode: you are seeing unpublished content. '
        '<a href="/datocms/draft-mode/disable/?redirect=%2Fempty%2F%3Fx%3D1" '
        'style="color:inherit;font-weight:600">Exit draft mode</a></div>\n'
        '<main data-datocms-live="main"> </main>'
    )
    assert Client().get("/empty/").content.decode() == '<main data-datocms-live="main"> </main>'


def test_draft_mode_switches_the_module_clients(content: FakeCDA) -> None:
    conf = content.settings(PREVIEW_API_TOKEN="preview-token")
    with override_settings(DATOCMS=conf):
        published = get_client()
        assert not in_draft_mode()
        with draft_mode():
            assert in_draft_mode()
            drafts = get_client()
            assert drafts is get_client()
            with draft_mode(False):
                assert get_client() is published
        assert get_client() is published
        assert drafts is not published
        assert drafts.cache is None
        assert published.cache is not None
        headers = drafts.build_headers()
        assert headers["Authorization"] == "Bearer preview-token"
        assert headers["X-Include-Drafts"] == "true"
        assert "X-Include-Drafts" not in published.build_headers()


@pytest.mark.usefixtures("site")
@pytest.mark.anyio
@pytest.mark.parametrize("path", ["/page/", "/async/"])
async def test_under_asgi_draft_requests_read_drafts_too(content: FakeCDA, path: str) -> None:
    client = AsyncClient()
    enabled = await client.get("/datocms/draft-mode/enable/", {"token": SECRET})
    assert enabled.status_code == 302
    CALLS.clear()
    response = await client.get(path)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Security-Policy"] == CSP
    assert CALLS == []
    assert set(cda_headers(content)) == {("Bearer preview-token", "true")}
    # The queries were recorded under ASGI too.
    assert 'data-channels="2"' in response.content.decode()
    visitor = await AsyncClient().get(path)
    assert visitor["X-DatoCMS-Cache"] == "MISS"
