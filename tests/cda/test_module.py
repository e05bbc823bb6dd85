"""The module-level functions: default clients from settings, pagination."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from django.test import override_settings

from datocms_app import cda
from datocms_app.cda import Client, get_client, hooks
from datocms_app.exceptions import ConfigurationError, InvalidArgument

TOKEN = "module-token"


def test_default_client_follows_settings() -> None:
    with override_settings(DATOCMS={"API_TOKEN": TOKEN, "ENVIRONMENT": "staging"}):
        client = get_client()
        assert client is get_client()
        assert client.endpoint == "https://graphql.datocms.com/"
        headers = client.build_headers()
        assert headers["Authorization"] == f"Bearer {TOKEN}"
        assert headers["X-Environment"] == "staging"
    with override_settings(
        DATOCMS={"API_TOKEN": TOKEN, "CDA_URL": "http://127.0.0.1:9/", "INCLUDE_DRAFTS": True}
    ):
        other = get_client()
        assert other is not client
        assert other.endpoint == "http://127.0.0.1:9/"
        assert other.build_headers()["X-Include-Drafts"] == "true"
        assert "X-Environment" not in other.build_headers()


@pytest.mark.anyio
async def test_async_default_client_follows_settings() -> None:
    with override_settings(DATOCMS={"API_TOKEN": TOKEN, "TIMEOUT": 3.5, "MAX_RETRIES": 1}):
        client = cda.get_async_client()
        assert client is cda.get_async_client()
        assert client.timeout == 3.5
        assert client.max_retries == 1


def paging_transport(total: int, seen: list[dict[str, Any]]) -> httpx.MockTransport:
    def handler(request: httpx.Request) -> httpx.Response:
        variables = json.loads(request.content)["variables"]
        seen.append(variables)
        first, skip = variables["first"], variables["skip"]
        items = [{"id": str(n)} for n in range(skip, min(skip + first, total))]
        return httpx.Response(
            200,
            json={"data": {"allArticles": items}},
            headers={"x-cache-tags": f"page-{skip} shared"},
        )

    return httpx.MockTransport(handler)


PAGED = "query($first: IntType, $skip: IntType, $x: String) { allArticles(first: $first, skip: $skip) { id } }"  # noqa: E501


NO_OFFLINE_BACKEND = (
    "No DatoCMS API token is configured and no offline backend is installed. Set "
    "settings.DATOCMS['API_TOKEN'] (the demo reads the environment variable DATOCMS_API_TOKEN) "
    "to a read-only token from your project's Settings > API tokens, or serve a content "
    "project offline: add 'datocms_app.emulator' to INSTALLED_APPS and "
    "pip install 'datocms-app[emulator]'."
)


@pytest.mark.usefixtures("no_offline_backend")
def test_no_token_and_no_offline_backend_says_what_to_do() -> None:
    with override_settings(DATOCMS={}):
        with pytest.raises(ConfigurationError) as caught:
            get_client()
        assert str(caught.value) == NO_OFFLINE_BACKEND
        with pytest.raises(ConfigurationError, match="no offline backend is installed"):
            cda.query("{ _site { locales } }")


@pytest.mark.anyio
@pytest.mark.usefixtures("no_offline_backend")
async def test_no_token_and_no_offline_backend_async() -> None:
    with override_settings(DATOCMS={}), pytest.raises(ConfigurationError) as caught:
        cda.get_async_client()
    assert str(caught.value) == NO_OFFLINE_BACKEND


def _offline_answer(request: httpx.Request) -> httpx.Response:
    body = {"data": {"_site": {"locales": ["en"]}}, "served_for": request.headers["Authorization"]}
    return httpx.Response(200, json=body, headers={"X-Cache-Tags": "offline-tag"})


@pytest.mark.anyio
@pytest.mark.usefixtures("no_offline_backend")
async def test_no_token_builds_clients_from_the_installed_offline_backend() -> None:
    calls: list[bool] = []

    def backend(*, asynchronous: bool) -> dict[str, Any]:
        calls.append(asynchronous)
        transport: httpx.BaseTransport | httpx.AsyncBaseTransport = httpx.MockTransport(
            _offline_answer
        )
        return {
            "api_token": "offline",
            "endpoint": "http://offline.invalid/",
            "transport": transport,
        }

    hooks.install_offline_backend(backend)
    with override_settings(DATOCMS={"MAX_RETRIES": 0}):
        response = cda.execute("{ _site { locales } }")
        assert response.data == {"_site": {"locales": ["en"]}}
        assert list(response.cache_tags) == ["offline-tag"]
        assert get_client().endpoint == "http://offline.invalid/"
        assert await cda.aquery("{ _site { locales } }") == {"_site": {"locales": ["en"]}}
    assert calls == [False, True]


def test_install_offline_backend_wants_a_callable() -> None:
    with pytest.raises(InvalidArgument) as caught:
        hooks.install_offline_backend(3)  # type: ignore[arg-type]
    assert str(caught.value) == (
        "install_offline_backend() takes a callable factory(*, asynchronous: bool) returning "
        "client options, got int."
    )


def test_paginate_walks_past_500() -> None:
    seen: list[dict[str, Any]] = []
    client = Client(api_token=TOKEN, transport=paging_transport(1234, seen))
    records = cda.paginate(PAGED, {"x": "y"}, collection="allArticles", client=client)
    assert [r["id"] for r in records] == [str(n) for n in range(1234)]
    assert seen == [
        {"x": "y", "first": 500, "skip": 0},
        {"x": "y", "first": 500, "skip": 500},
        {"x": "y", "first": 500, "skip": 1000},
    ]


def test_paginate_exact_multiple_needs_one_empty_page() -> None:
    seen: list[dict[str, Any]] = []
    client = Client(api_token=TOKEN, transport=paging_transport(20, seen))
    records = cda.paginate(PAGED, collection="allArticles", page_size=10, client=client)
    assert len(records) == 20
    assert [v["skip"] for v in seen] == [0, 10, 20]


def test_paginate_limit() -> None:
    seen: list[dict[str, Any]] = []
    client = Client(api_token=TOKEN, transport=paging_transport(1000, seen))
    records = cda.paginate(PAGED, collection="allArticles", limit=520, client=client)
    assert len(records) == 520
    assert [(v["first"], v["skip"]) for v in seen] == [(500, 0), (20, 500)]


@pytest.mark.anyio
async def test_apaginate() -> None:
    seen: list[dict[str, Any]] = []

    async def handler(request: httpx.Request) -> httpx.Response:
        return paging_transport(7, seen).handler(request)  # type: ignore[return-value]

    client = cda.AsyncClient(api_token=TOKEN, transport=httpx.MockTransport(handler))
    records = await cda.apaginate(PAGED, collection="allArticles", page_size=3, client=client)
    assert [r["id"] for r in records] == [str(n) for n in range(7)]
    await client.aclose()


@pytest.mark.parametrize(
    ("query", "options", "message"),
    [
        ("{ allArticles { id } }", {}, "declares \\$first: IntType and \\$skip: IntType"),
        (PAGED, {"page_size": 501}, "page_size must be between 1 and 500"),
        (PAGED, {"page_size": 0}, "page_size must be between 1 and 500"),
        (PAGED, {"limit": -1}, "limit must be >= 0"),
        (PAGED, {"collection": ""}, "collection must name the list field"),
        (PAGED, {"collection": "allPosts"}, "collection 'allPosts' is not in the query's data"),
    ],
)
def test_paginate_bad_input(query: str, options: dict[str, Any], message: str) -> None:
    client = Client(api_token=TOKEN, transport=paging_transport(3, []))
    options.setdefault("collection", "allArticles")
    with pytest.raises(InvalidArgument, match=message):
        cda.paginate(query, client=client, **options)
