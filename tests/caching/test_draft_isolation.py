"""Draft isolation: a page that read drafts is never stored or served to anyone else.

Every way a view can reach the CDA (``query``, ``execute``, ``paginate`` and their async
twins, through the default client or a client of its own) and every way a request can ask
for drafts (the ``include_drafts`` option, ``content_link`` visual editing, a client or
settings default) must mark the page as draft: ``Cache-Control: private, no-store``, never
a HIT, nothing written to the query cache, the page cache or the CDN's tag header, whether
the query cache is on or off.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.test import Client as DjangoClient
from django.test import override_settings
from django.urls import path

from datocms_app import cda
from datocms_app.caching import datocms_cache_page
from tests.caching.fake_cda import FakeCDA

NAV = "{ allPages { title } }"
PAGED = "query All($first: IntType, $skip: IntType) { allItems(first: $first, skip: $skip) { id } }"
VISUAL_EDITING = {"content_link": "v1", "base_editing_url": "https://demo.admin.datocms.com"}

#: How many times each view ran (a page-cache hit does not run it).
RENDERS: dict[str, int] = {}
#: The test's choices, read by the views: draft source, entry point, fake CDA.
SCENARIO: dict[str, Any] = {}


def _options() -> dict[str, Any]:
    source = SCENARIO["source"]
    if source == "option":
        return {"include_drafts": True}
    if source == "visual_editing":
        return dict(VISUAL_EDITING)
    return {}  # "default": the client's (or the settings') default asks for drafts; "none"


def _own_client_options() -> dict[str, Any]:
    fake: FakeCDA = SCENARIO["fake"]
    return {
        "api_token": "fake-token",
        "endpoint": fake.url,
        "max_retries": 0,
        "include_drafts": SCENARIO["source"] == "default",
    }


def _run_sync(entry: str) -> str:
    options = _options()
    if entry == "query":
        return str(cda.query(NAV, **options))
    if entry == "execute":
        return str(cda.execute(NAV, **options).data)
    if entry == "paginate":
        return str(cda.paginate(PAGED, collection="allItems", **options))
    with cda.Client(**_own_client_options()) as client:
        if entry == "paginate_client":
            return str(cda.paginate(PAGED, collection="allItems", client=client, **options))
        assert entry == "client_execute"
        return str(client.execute(NAV, **options).data)


async def _run_async(entry: str) -> str:
    options = _options()
    if entry == "aquery":
        return str(await cda.aquery(NAV, **options))
    if entry == "aexecute":
        return str((await cda.aexecute(NAV, **options)).data)
    if entry == "apaginate":
        return str(await cda.apaginate(PAGED, collection="allItems", **options))
    async with cda.AsyncClient(**_own_client_options()) as client:
        if entry == "apaginate_client":
            return str(await cda.apaginate(PAGED, collection="allItems", client=client, **options))
        assert entry == "aclient_execute"
        return str((await client.execute(NAV, **options)).data)


SYNC_ENTRIES = ["query", "execute", "paginate", "paginate_client", "client_execute"]
ASYNC_ENTRIES = ["aquery", "aexecute", "apaginate", "apaginate_client", "aclient_execute"]


@datocms_cache_page
def sync_view(request: HttpRequest, entry: str) -> HttpResponse:
    RENDERS[entry] = RENDERS.get(entry, 0) + 1
    return HttpResponse(f"<p>{_run_sync(entry)}</p>")


@datocms_cache_page
async def async_view(request: HttpRequest, entry: str) -> HttpResponse:
    RENDERS[entry] = RENDERS.get(entry, 0) + 1
    return HttpResponse(f"<p>{await _run_async(entry)}</p>")


def plain_view(request: HttpRequest, entry: str) -> HttpResponse:
    """Undecorated: for the middleware."""
    RENDERS[entry] = RENDERS.get(entry, 0) + 1
    return HttpResponse(f"<p>{_run_sync(entry)}</p>")


urlpatterns = [
    path("sync/<str:entry>/", sync_view),
    path("async/<str:entry>/", async_view),
    path("plain/<str:entry>/", plain_view),
]


@pytest.fixture
def content(fake_cda: FakeCDA) -> FakeCDA:
    fake_cda.content[NAV] = ({"allPages": [{"title": "Home"}]}, ["model:p"])
    fake_cda.content[PAGED] = ({"allItems": [{"id": "1"}, {"id": "2"}]}, ["model:i"])
    SCENARIO.clear()
    SCENARIO["fake"] = fake_cda
    RENDERS.clear()
    return fake_cda


def _datocms_keys() -> list[str]:
    """Every entry the app wrote to the default cache (LocMem keys carry a ``:1:`` prefix).

    The epoch is left out: a fill reads (and creates) it before the view runs, when nobody
    can know yet that the page will read drafts; it holds no content.
    """
    store = caches["default"]._cache  # type: ignore[attr-defined]
    return sorted(key for key in store if "datocms:" in key and not key.endswith("datocms:epoch"))


@pytest.fixture
def site(content: FakeCDA) -> Iterator[Callable[..., DjangoClient]]:
    def configure(*, source: str, query_cache: bool, **extra: Any) -> DjangoClient:
        SCENARIO["source"] = source
        settings = content.settings(
            QUERY_CACHE=query_cache, INCLUDE_DRAFTS=source == "default", **extra
        )
        stack.enter_context(override_settings(DATOCMS=settings, ROOT_URLCONF=__name__))
        return DjangoClient()

    from contextlib import ExitStack

    with ExitStack() as stack:
        yield configure


def _assert_draft_page(response: Any) -> None:
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Robots-Tag"] == "noindex"
    assert response["X-DatoCMS-Cache"] == "BYPASS"


SOURCES = ["option", "visual_editing", "default"]


@pytest.mark.parametrize("query_cache", [True, False], ids=["query-cache", "no-query-cache"])
@pytest.mark.parametrize("source", SOURCES)
@pytest.mark.parametrize(
    ("kind", "entry"),
    [("sync", entry) for entry in SYNC_ENTRIES] + [("async", entry) for entry in ASYNC_ENTRIES],
)
def test_a_page_that_read_drafts_is_private_and_never_stored(
    site: Callable[..., DjangoClient],
    content: FakeCDA,
    kind: str,
    entry: str,
    source: str,
    query_cache: bool,
) -> None:
    client = site(source=source, query_cache=query_cache)
    first = client.get(f"/{kind}/{entry}/")
    _assert_draft_page(first)
    second = client.get(f"/{kind}/{entry}/")
    _assert_draft_page(second)
    assert second.content == first.content
    # Neither a page hit nor a query-cache hit: the view ran twice, the CDA was asked twice.
    assert RENDERS[entry] == 2
    assert len(content.requests) == 2
    assert all(
        request["headers"].get("x-include-drafts") == "true"
        or request["headers"].get("x-visual-editing") == "v1"
        for request in content.requests
    )
    assert _datocms_keys() == []


@pytest.mark.parametrize("entry", ["query", "paginate_client", "client_execute"])
def test_the_middleware_marks_draft_pages_even_with_the_page_cache_off(
    site: Callable[..., DjangoClient], content: FakeCDA, entry: str
) -> None:
    client = site(source="option", query_cache=True, PAGE_CACHE=False)
    middleware = ["datocms_app.caching.PageCacheMiddleware"]
    with override_settings(MIDDLEWARE=middleware):
        response = client.get(f"/plain/{entry}/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Robots-Tag"] == "noindex"
    assert _datocms_keys() == []


@pytest.mark.parametrize("entry", ["query", "paginate_client", "client_execute"])
def test_a_draft_page_never_carries_the_cdn_tag_header(
    site: Callable[..., DjangoClient], content: FakeCDA, entry: str
) -> None:
    cdn = {"BACKEND": "datocms_app.caching.cdn.FastlyBackend", "SERVICE_ID": "s", "API_TOKEN": "t"}
    client = site(source="option", query_cache=False, CDN=cdn)
    response = client.get(f"/sync/{entry}/")
    _assert_draft_page(response)
    assert "Surrogate-Key" not in response
    assert "Surrogate-Control" not in response


def test_a_published_page_next_to_drafts_is_still_cached(
    site: Callable[..., DjangoClient], content: FakeCDA
) -> None:
    # The control case: the same entry point without drafts is stored and served as a HIT.
    client = site(source="none", query_cache=True)
    assert client.get("/sync/paginate_client/")["X-DatoCMS-Cache"] == "MISS"
    hit = client.get("/sync/paginate_client/")
    assert hit["X-DatoCMS-Cache"] == "HIT"
    assert hit["Cache-Control"] == "no-cache"
    assert RENDERS["paginate_client"] == 1
