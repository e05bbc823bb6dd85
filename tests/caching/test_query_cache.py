"""The query cache behind cda.query/execute/paginate and their async twins."""

from __future__ import annotations

import threading
import time
from typing import Any

import httpx
import pytest
from django.test import override_settings
from pydantic import BaseModel

from datocms_app import cda
from datocms_app.caching import collect_tags, invalidate_tags
from datocms_app.caching.versions import GENERATION_KEY, tag_key
from datocms_app.cda import Client
from tests.caching.backends import CALLS
from tests.caching.fake_cda import FakeCDA

ARTICLE = "query Article($slug: String) { article(filter: {slug: {eq: $slug}}) { title } }"
NAV = "{ allPages { title } }"


@pytest.fixture
def content(fake_cda: FakeCDA) -> dict[str, int]:
    versions = {"hello": 1, "world": 1}

    def article(variables: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
        slug = variables["slug"]
        return {"article": {"title": f"{slug} v{versions[slug]}"}}, [f"item:{slug}", "model:a"]

    fake_cda.content[ARTICLE] = article
    fake_cda.content[NAV] = ({"allPages": [{"title": "Home"}]}, ["model:p"])
    return versions


def test_a_repeated_query_is_served_from_the_cache(
    cda_settings: dict[str, Any], fake_cda: FakeCDA, content: dict[str, int]
) -> None:
    assert cda.query(ARTICLE, {"slug": "hello"}) == {"article": {"title": "hello v1"}}
    response = cda.execute(ARTICLE, {"slug": "hello"})
    assert response.data == {"article": {"title": "hello v1"}}
    assert response.cache_tags == ["item:hello", "model:a"]
    assert response.request_id == "req-1"
    assert fake_cda.queries() == [ARTICLE]


def test_the_key_covers_variables_and_options(
    cda_settings: dict[str, Any], fake_cda: FakeCDA, content: dict[str, int]
) -> None:
    cda.query(ARTICLE, {"slug": "hello"})
    cda.query(ARTICLE, {"slug": "world"})
    cda.query(ARTICLE, {"slug": "hello"}, environment="sandbox")
    cda.query(ARTICLE, {"slug": "hello"}, exclude_invalid=True)
    cda.query(ARTICLE, {"slug": "hello"}, environment="sandbox")
    cda.query(ARTICLE, {"slug": "world"})
    assert [r["variables"]["slug"] for r in fake_cda.requests] == [
        "hello",
        "world",
        "hello",
        "hello",
    ]
    assert fake_cda.requests[2]["headers"]["x-environment"] == "sandbox"
    assert fake_cda.requests[3]["headers"]["x-exclude-invalid"] == "true"


def test_invalidating_a_tag_refetches_only_what_depends_on_it(
    cda_settings: dict[str, Any], fake_cda: FakeCDA, content: dict[str, int]
) -> None:
    cda.query(ARTICLE, {"slug": "hello"})
    cda.query(ARTICLE, {"slug": "world"})
    cda.query(NAV)
    content["hello"] = 2
    invalidate_tags(["item:hello"])
    assert cda.query(ARTICLE, {"slug": "hello"}) == {"article": {"title": "hello v2"}}
    assert cda.query(ARTICLE, {"slug": "world"}) == {"article": {"title": "world v1"}}
    cda.query(NAV)
    assert len(fake_cda.requests) == 4


def test_drafts_are_never_cached_and_mark_the_collector(
    cda_settings: dict[str, Any], fake_cda: FakeCDA, content: dict[str, int]
) -> None:
    with collect_tags() as collected:
        cda.query(ARTICLE, {"slug": "hello"}, include_drafts=True)
        cda.query(ARTICLE, {"slug": "hello"}, include_drafts=True)
    assert collected.draft is True
    assert collected.tags == ("item:hello", "model:a")
    assert len(fake_cda.requests) == 2
    assert fake_cda.requests[0]["headers"]["x-include-drafts"] == "true"
    # ... and a published read does not see a draft entry either.
    with collect_tags() as published:
        cda.query(ARTICLE, {"slug": "hello"})
    assert published.draft is False
    assert len(fake_cda.requests) == 3


def test_drafts_by_default_are_not_cached(fake_cda: FakeCDA, content: dict[str, int]) -> None:
    with override_settings(DATOCMS=fake_cda.settings(INCLUDE_DRAFTS=True)):
        cda.query(NAV)
        cda.query(NAV)
    assert len(fake_cda.requests) == 2


def test_collector_gets_tags_on_hits_and_misses_and_nests(
    cda_settings: dict[str, Any], fake_cda: FakeCDA, content: dict[str, int]
) -> None:
    cda.query(NAV)
    with collect_tags() as outer:
        cda.query(NAV)  # hit
        with collect_tags() as inner:
            cda.query(ARTICLE, {"slug": "hello"})  # miss
    assert inner.tags == ("item:hello", "model:a")
    assert outer.tags == ("model:p", "item:hello", "model:a")


def test_query_cache_can_be_turned_off(fake_cda: FakeCDA, content: dict[str, int]) -> None:
    with override_settings(DATOCMS=fake_cda.settings(QUERY_CACHE=False)):
        with collect_tags() as collected:
            cda.query(NAV)
            cda.query(NAV)
    assert len(fake_cda.requests) == 2
    assert collected.tags == ("model:p",)


def test_a_response_without_tags_is_not_stored(
    cda_settings: dict[str, Any], fake_cda: FakeCDA
) -> None:
    fake_cda.content[NAV] = ({"allPages": []}, [])
    cda.query(NAV)
    cda.query(NAV)
    assert len(fake_cda.requests) == 2


def test_model_validation_applies_to_cached_data(
    cda_settings: dict[str, Any], fake_cda: FakeCDA, content: dict[str, int]
) -> None:
    class Article(BaseModel):
        title: str

    class Data(BaseModel):
        article: Article

    first = cda.query(ARTICLE, {"slug": "hello"}, model=Data)
    second = cda.query(ARTICLE, {"slug": "hello"}, model=Data)
    assert first == second == Data(article=Article(title="hello v1"))
    assert len(fake_cda.requests) == 1


def test_a_warm_hit_costs_one_get_many(fake_cda: FakeCDA, content: dict[str, int]) -> None:
    with override_settings(DATOCMS=fake_cda.settings(CACHE_ALIAS="counting")):
        cda.query(ARTICLE, {"slug": "hello"})
        CALLS.clear()
        cda.query(ARTICLE, {"slug": "hello"})
    assert len(CALLS) == 1
    method, keys = CALLS[0]
    assert method == "get_many"
    assert keys[0].startswith("datocms:q:")
    assert keys[1:] == (GENERATION_KEY, tag_key("item:hello"), tag_key("model:a"))


def test_concurrent_misses_of_one_key_make_one_cda_request(
    cda_settings: dict[str, Any], fake_cda: FakeCDA, content: dict[str, int]
) -> None:
    fake_cda.before_answer = lambda body: time.sleep(0.3)
    results: list[Any] = []
    threads = [threading.Thread(target=lambda: results.append(cda.query(NAV))) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert results == [{"allPages": [{"title": "Home"}]}] * 8
    assert len(fake_cda.requests) == 1


def test_an_invalidation_during_the_fetch_is_not_lost(
    cda_settings: dict[str, Any], fake_cda: FakeCDA, content: dict[str, int]
) -> None:
    # The webhook arrives while the CDA is answering with the old content: the old answer
    # must not be stored; the fill is retried once and the fresh answer is.
    def webhook_during_first_fetch(body: dict[str, Any]) -> None:
        if len(fake_cda.requests) == 1:
            content["hello"] = 2
            invalidate_tags(["item:hello"])

    fake_cda.content[ARTICLE] = lambda v: (
        {"article": {"title": f"v{content['hello']}"}},
        ["item:hello"],
    )
    fake_cda.before_answer = webhook_during_first_fetch
    assert cda.query(ARTICLE, {"slug": "hello"}) == {"article": {"title": "v2"}}
    assert cda.query(ARTICLE, {"slug": "hello"}) == {"article": {"title": "v2"}}
    assert len(fake_cda.requests) == 2


def test_two_overtaken_fills_are_served_but_not_stored(
    cda_settings: dict[str, Any], fake_cda: FakeCDA, content: dict[str, int]
) -> None:
    fake_cda.before_answer = lambda body: invalidate_tags(["unrelated"])
    assert cda.query(NAV) == {"allPages": [{"title": "Home"}]}
    assert len(fake_cda.requests) == 2
    fake_cda.before_answer = None
    cda.query(NAV)
    assert len(fake_cda.requests) == 3
    cda.query(NAV)
    assert len(fake_cda.requests) == 3


def test_a_broken_cache_store_means_uncached_not_broken(
    fake_cda: FakeCDA, content: dict[str, int], caplog: pytest.LogCaptureFixture
) -> None:
    with override_settings(DATOCMS=fake_cda.settings(CACHE_ALIAS="broken")):
        with collect_tags() as collected:
            assert cda.query(NAV) == {"allPages": [{"title": "Home"}]}
            assert cda.query(NAV) == {"allPages": [{"title": "Home"}]}
    assert len(fake_cda.requests) == 2
    assert collected.tags == ("model:p",)


PAGED = (
    "query Paged($first: IntType, $skip: IntType) { allPages(first: $first, skip: $skip) { id } }"
)


def test_paginate_caches_pages_unless_given_a_client(
    cda_settings: dict[str, Any], fake_cda: FakeCDA
) -> None:
    def pages(variables: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
        first, skip = variables["first"], variables["skip"]
        items = [{"id": str(n)} for n in range(skip, min(skip + first, 5))]
        return {"allPages": items}, [f"page-{skip}", "model:p"]

    fake_cda.content[PAGED] = pages
    with collect_tags() as collected:
        assert len(cda.paginate(PAGED, collection="allPages", page_size=2)) == 5
        assert len(cda.paginate(PAGED, collection="allPages", page_size=2)) == 5
    assert len(fake_cda.requests) == 3
    assert collected.tags == ("page-0", "model:p", "page-2", "page-4")

    seen: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(1)
        return httpx.Response(
            200, json={"data": {"allPages": [{"id": "x"}]}}, headers={"x-cache-tags": "mine"}
        )

    with Client(api_token="t", transport=httpx.MockTransport(handler)) as client:
        with collect_tags() as own:
            cda.paginate(PAGED, collection="allPages", client=client)
            cda.paginate(PAGED, collection="allPages", client=client)
    assert len(seen) == 2
    assert own.tags == ("mine",)


@pytest.mark.anyio
async def test_async_twins_share_the_cache(
    cda_settings: dict[str, Any], fake_cda: FakeCDA, content: dict[str, int]
) -> None:
    with collect_tags() as collected:
        assert await cda.aquery(ARTICLE, {"slug": "hello"}) == {"article": {"title": "hello v1"}}
        response = await cda.aexecute(ARTICLE, {"slug": "hello"})
    assert response.cache_tags == ["item:hello", "model:a"]
    assert collected.tags == ("item:hello", "model:a")
    assert cda.query(ARTICLE, {"slug": "hello"}) == {"article": {"title": "hello v1"}}
    assert len(fake_cda.requests) == 1
    content["hello"] = 3
    invalidate_tags(["model:a"])
    assert await cda.aquery(ARTICLE, {"slug": "hello"}) == {"article": {"title": "hello v3"}}
    assert len(fake_cda.requests) == 2


@pytest.mark.anyio
async def test_apaginate_caches_pages(cda_settings: dict[str, Any], fake_cda: FakeCDA) -> None:
    fake_cda.content[PAGED] = lambda v: ({"allPages": [{"id": "1"}]}, ["model:p"])
    with collect_tags() as collected:
        assert await cda.apaginate(PAGED, collection="allPages") == [{"id": "1"}]
        assert await cda.apaginate(PAGED, collection="allPages") == [{"id": "1"}]
    assert len(fake_cda.requests) == 1
    assert collected.tags == ("model:p",)


@pytest.mark.anyio
async def test_async_drafts_are_not_cached(
    cda_settings: dict[str, Any], fake_cda: FakeCDA, content: dict[str, int]
) -> None:
    with collect_tags() as collected:
        await cda.aquery(NAV, include_drafts=True)
        await cda.aquery(NAV, include_drafts=True)
    assert collected.draft is True
    assert len(fake_cda.requests) == 2
