"""The page cache: the decorator, the middleware, keys, what is never cached, 304s, 503s."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client, override_settings
from django.utils import timezone, translation

from datocms_app.caching import invalidate_tags
from datocms_app.exceptions import InvalidArgument
from tests.caching import views
from tests.caching.fake_cda import FakeCDA

ARTICLE_TAGS = ["item:hello", "model:a"]
NAV_TAGS = ["model:p"]
MIDDLEWARE = ["django.middleware.common.CommonMiddleware"]


@pytest.fixture
def content(fake_cda: FakeCDA) -> dict[str, int]:
    versions = {"hello": 1, "world": 1}

    def article(variables: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
        slug = variables["slug"]
        title = f"{slug.title()} v{versions[slug]}"
        return {"article": {"title": title}}, [f"item:{slug}", "model:a"]

    fake_cda.content[views.ARTICLE] = article
    fake_cda.content[views.NAV] = ({"allPages": [{"title": "Home"}, {"title": "About"}]}, NAV_TAGS)
    views.RENDERS.clear()
    return versions


@pytest.fixture
def site(fake_cda: FakeCDA, content: dict[str, int]) -> Iterator[Client]:
    # Other tests may leave another language active in this thread (no LocaleMiddleware
    # here resets it): start from the default one.
    with (
        override_settings(
            DATOCMS=fake_cda.settings(), ROOT_URLCONF="tests.caching.urls", MIDDLEWARE=MIDDLEWARE
        ),
        translation.override("en"),
    ):
        yield Client()


def etag_of(body: bytes) -> str:
    import hashlib

    return '"' + hashlib.md5(body, usedforsecurity=False).hexdigest() + '"'


HELLO = b"<h1>Hello v1</h1><nav>Home, About</nav>"


def test_miss_then_hit_with_exact_headers(site: Client, fake_cda: FakeCDA) -> None:
    first = site.get("/article/hello/")
    assert first.status_code == 200
    assert first.content == HELLO
    assert dict(first.headers) == {
        "Content-Type": "text/html; charset=utf-8",
        "ETag": etag_of(HELLO),
        "Cache-Control": "no-cache",
        "X-DatoCMS-Cache": "MISS",
        "Content-Length": str(len(HELLO)),
    }
    second = site.get("/article/hello/")
    assert second.content == HELLO
    assert dict(second.headers) == {**dict(first.headers), "X-DatoCMS-Cache": "HIT"}
    assert views.RENDERS == {"hello": 1}
    assert len(fake_cda.requests) == 2


def test_an_invalidated_tag_makes_the_next_request_fresh(
    site: Client, content: dict[str, int]
) -> None:
    site.get("/article/hello/")
    site.get("/article/world/")
    content["hello"] = 2
    invalidate_tags(["item:hello"])
    fresh = site.get("/article/hello/")
    assert fresh["X-DatoCMS-Cache"] == "MISS"
    assert fresh.content == b"<h1>Hello v2</h1><nav>Home, About</nav>"
    assert site.get("/article/world/")["X-DatoCMS-Cache"] == "HIT"
    # A tag shared by every page (the navigation's) invalidates them all.
    invalidate_tags(["model:p"])
    assert site.get("/article/world/")["X-DatoCMS-Cache"] == "MISS"
    assert site.get("/article/hello/")["X-DatoCMS-Cache"] == "MISS"


def test_if_none_match_gets_304_on_hits_and_misses(site: Client) -> None:
    miss = site.get("/article/hello/", HTTP_IF_NONE_MATCH=etag_of(HELLO))
    assert miss.status_code == 304
    assert miss.content == b""
    assert dict(miss.headers) == {
        "ETag": etag_of(HELLO),
        "Cache-Control": "no-cache",
        "X-DatoCMS-Cache": "MISS",
        "Content-Length": "0",
    }
    hit = site.get("/article/hello/", HTTP_IF_NONE_MATCH=etag_of(HELLO))
    assert hit.status_code == 304
    assert hit["X-DatoCMS-Cache"] == "HIT"
    other = site.get("/article/hello/", HTTP_IF_NONE_MATCH='"something-else"')
    assert other.status_code == 200
    assert other.content == HELLO


def test_head_is_served_from_the_get_entry(site: Client) -> None:
    site.get("/article/hello/")
    head = site.head("/article/hello/")
    assert head.status_code == 200
    assert head["X-DatoCMS-Cache"] == "HIT"
    assert head["Content-Length"] == str(len(HELLO))
    assert head.content == b""


def test_post_is_never_cached(site: Client) -> None:
    site.get("/article/hello/")
    posted = site.post("/article/hello/")
    assert posted.status_code == 200
    assert "X-DatoCMS-Cache" not in posted
    assert views.RENDERS == {"hello": 2}


def test_query_string_and_language_are_part_of_the_key(site: Client, fake_cda: FakeCDA) -> None:
    site.get("/article/hello/")
    # Only declared parameters make a key (tests/caching/test_page_keys.py has the rest).
    with override_settings(DATOCMS=fake_cda.settings(PAGE_CACHE_QUERY_PARAMETERS=["page"])):
        assert site.get("/article/hello/?page=2")["X-DatoCMS-Cache"] == "MISS"
        assert site.get("/article/hello/?page=2")["X-DatoCMS-Cache"] == "HIT"
    with translation.override("it"):
        assert site.get("/article/hello/")["X-DatoCMS-Cache"] == "MISS"
        assert site.get("/article/hello/")["X-DatoCMS-Cache"] == "HIT"
    assert site.get("/article/hello/")["X-DatoCMS-Cache"] == "HIT"


def test_the_time_zone_is_part_of_the_key(site: Client) -> None:
    site.get("/article/hello/")
    with timezone.override("Europe/Rome"):
        assert site.get("/article/hello/")["X-DatoCMS-Cache"] == "MISS"
        assert site.get("/article/hello/")["X-DatoCMS-Cache"] == "HIT"
    assert site.get("/article/hello/")["X-DatoCMS-Cache"] == "HIT"
    # Without USE_TZ the active time zone no longer matters (the settings the key reads are
    # cached, and re-read when they change).
    with override_settings(USE_TZ=False):
        assert site.get("/article/hello/")["X-DatoCMS-Cache"] == "MISS"
        with timezone.override("Asia/Tokyo"):
            assert site.get("/article/hello/")["X-DatoCMS-Cache"] == "HIT"
    assert site.get("/article/hello/")["X-DatoCMS-Cache"] == "HIT"


def test_the_forwarded_host_is_part_of_the_key_only_when_trusted(site: Client) -> None:
    site.get("/article/hello/", HTTP_X_FORWARDED_HOST="a.example")
    assert site.get("/article/hello/", HTTP_X_FORWARDED_HOST="b.example")["X-DatoCMS-Cache"] == (
        "HIT"
    )
    with override_settings(USE_X_FORWARDED_HOST=True, ALLOWED_HOSTS=["*"]):
        miss = site.get("/article/hello/", HTTP_X_FORWARDED_HOST="b.example")
        assert miss["X-DatoCMS-Cache"] == "MISS"
        hit = site.get("/article/hello/", HTTP_X_FORWARDED_HOST="b.example")
        assert hit["X-DatoCMS-Cache"] == "HIT"


def test_vary_headers_split_the_entry(site: Client) -> None:
    dark = site.get("/themed/", HTTP_X_THEME="dark")
    assert dark.content.startswith(b"dark:")
    assert dark["Vary"] == "X-Theme"
    assert site.get("/themed/", HTTP_X_THEME="light")["X-DatoCMS-Cache"] == "MISS"
    assert site.get("/themed/")["X-DatoCMS-Cache"] == "MISS"
    again = site.get("/themed/", HTTP_X_THEME="dark")
    assert (again["X-DatoCMS-Cache"], again.content[:5]) == ("HIT", b"dark:")
    light = site.get("/themed/", HTTP_X_THEME="light")
    assert (light["X-DatoCMS-Cache"], light.content[:6]) == ("HIT", b"light:")
    none = site.get("/themed/")
    assert (none["X-DatoCMS-Cache"], none.content[:5]) == ("HIT", b"none:")
    assert site.get("/themed/", HTTP_X_THEME="")["X-DatoCMS-Cache"] == "MISS"


def test_a_template_response_collects_the_tags_of_its_rendering(site: Client) -> None:
    first = site.get("/lazy/")
    assert (first.content, first["X-DatoCMS-Cache"]) == (b"<p>Home, About</p>", "MISS")
    assert site.get("/lazy/")["X-DatoCMS-Cache"] == "HIT"
    invalidate_tags(["model:p"])
    assert site.get("/lazy/")["X-DatoCMS-Cache"] == "MISS"


@pytest.mark.parametrize(
    "url",
    [
        "/cookie/",
        "/csrf/",
        "/private/",
        "/vary-star/",
        "/static/",
        "/missing/",
        "/streaming/",
    ],
)
def test_never_cached(site: Client, url: str) -> None:
    first = site.get(url)
    second = site.get(url)
    assert first["X-DatoCMS-Cache"] == second["X-DatoCMS-Cache"] == "BYPASS"
    assert "ETag" not in second


def test_a_view_cache_control_is_kept(site: Client) -> None:
    response = site.get("/own-max-age/")
    assert response["Cache-Control"] == "max-age=60"
    assert site.get("/own-max-age/")["X-DatoCMS-Cache"] == "HIT"


def test_draft_requests_neither_read_nor_write(site: Client, fake_cda: FakeCDA) -> None:
    site.get("/article/hello/")
    draft = site.get("/draft/hello/")
    assert draft.content == HELLO
    assert draft["X-DatoCMS-Cache"] == "BYPASS"
    assert draft["Cache-Control"] == "private, no-store"
    assert draft["X-Robots-Tag"] == "noindex"
    assert views.RENDERS == {"hello": 2}
    site.get("/draft/hello/")
    assert views.RENDERS == {"hello": 3}


def test_a_page_that_ran_a_draft_query_is_not_cached(site: Client, fake_cda: FakeCDA) -> None:
    for _ in range(2):
        response = site.get("/draft-query/")
        assert response["X-DatoCMS-Cache"] == "BYPASS"
        assert response["Cache-Control"] == "private, no-store"
        assert response["X-Robots-Tag"] == "noindex"
    assert [r["headers"].get("x-include-drafts") for r in fake_cda.requests] == ["true", "true"]


def test_async_views(site: Client, content: dict[str, int]) -> None:
    first = site.get("/async/hello/")
    assert (first.content, first["X-DatoCMS-Cache"]) == (HELLO, "MISS")
    assert site.get("/async/hello/")["X-DatoCMS-Cache"] == "HIT"
    content["hello"] = 2
    invalidate_tags(["item:hello"])
    fresh = site.get("/async/hello/")
    assert (fresh.content, fresh["X-DatoCMS-Cache"]) == (
        b"<h1>Hello v2</h1><nav>Home, About</nav>",
        "MISS",
    )


@pytest.mark.anyio
async def test_async_client(fake_cda: FakeCDA, content: dict[str, int]) -> None:
    from django.test import AsyncClient

    with override_settings(
        DATOCMS=fake_cda.settings(), ROOT_URLCONF="tests.caching.urls", MIDDLEWARE=MIDDLEWARE
    ):
        client = AsyncClient()
        assert (await client.get("/async/hello/"))["X-DatoCMS-Cache"] == "MISS"
        assert (await client.get("/async/hello/"))["X-DatoCMS-Cache"] == "HIT"
        assert (await client.get("/article/hello/"))["X-DatoCMS-Cache"] == "MISS"
        assert (await client.get("/article/hello/"))["X-DatoCMS-Cache"] == "HIT"


def test_concurrent_misses_render_the_page_once(site: Client, fake_cda: FakeCDA) -> None:
    fake_cda.before_answer = lambda body: time.sleep(0.3)
    statuses: list[str] = []

    def get() -> None:
        statuses.append(Client().get("/article/hello/")["X-DatoCMS-Cache"])

    threads = [threading.Thread(target=get) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(statuses) == ["HIT"] * 5 + ["MISS"]
    assert views.RENDERS == {"hello": 1}


def test_page_cache_can_be_turned_off(fake_cda: FakeCDA, content: dict[str, int]) -> None:
    with override_settings(
        DATOCMS=fake_cda.settings(PAGE_CACHE=False),
        ROOT_URLCONF="tests.caching.urls",
        MIDDLEWARE=MIDDLEWARE,
    ):
        client = Client()
        assert "X-DatoCMS-Cache" not in client.get("/article/hello/")
        client.get("/article/hello/")
    assert views.RENDERS == {"hello": 2}


def test_decorator_arguments_are_checked() -> None:
    from datocms_app.caching import datocms_cache_page

    with pytest.raises(InvalidArgument) as caught:
        datocms_cache_page(timeout=0)
    assert str(caught.value) == "timeout must be a positive number of seconds, got 0."


# -- the middleware ---------------------------------------------------------------------------

WITH_MIDDLEWARE = [*MIDDLEWARE, "datocms_app.caching.PageCacheMiddleware"]


@pytest.fixture
def cached_site(fake_cda: FakeCDA, content: dict[str, int]) -> Iterator[Client]:
    with override_settings(
        DATOCMS=fake_cda.settings(), ROOT_URLCONF="tests.caching.urls", MIDDLEWARE=WITH_MIDDLEWARE
    ):
        yield Client()


def test_middleware_caches_every_datocms_page(cached_site: Client, content: dict[str, int]) -> None:
    assert cached_site.get("/plain/hello/")["X-DatoCMS-Cache"] == "MISS"
    assert cached_site.get("/plain/hello/")["X-DatoCMS-Cache"] == "HIT"
    # Decorated views under the middleware are cached once, not twice.
    assert cached_site.get("/article/hello/")["X-DatoCMS-Cache"] == "MISS"
    assert cached_site.get("/article/hello/")["X-DatoCMS-Cache"] == "HIT"
    assert cached_site.get("/static/")["X-DatoCMS-Cache"] == "BYPASS"
    content["hello"] = 5
    invalidate_tags(["item:hello"])
    fresh = cached_site.get("/plain/hello/")
    assert (fresh.content, fresh["X-DatoCMS-Cache"]) == (
        b"<h1>Hello v5</h1><nav>Home, About</nav>",
        "MISS",
    )


def test_middleware_turns_outages_into_the_503_page(cached_site: Client, fake_cda: FakeCDA) -> None:
    fake_cda.fail_with = 503
    response = cached_site.get("/plain/hello/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"


# -- outages ----------------------------------------------------------------------------------

UNAVAILABLE = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta name="robots" content="noindex">
  <title>Temporarily unavailable</title>
</head>
<body>
  <main>
    <h1>Temporarily unavailable</h1>
    <p>{extra}Please try again in {seconds}.</p>
  </main>
</body>
</html>
"""


@pytest.fixture
def app_templates(settings: Any) -> None:
    """Only the app's own templates: the demo project overrides ``unavailable.html``."""
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": []}]


@pytest.mark.usefixtures("app_templates")
def test_cda_down_serves_cached_pages_and_a_clean_503_for_others(
    site: Client, fake_cda: FakeCDA
) -> None:
    site.get("/article/hello/")
    fake_cda.fail_with = 503
    cached = site.get("/article/hello/")
    assert (cached.status_code, cached.content) == (200, HELLO)
    uncached = site.get("/article/world/")
    assert uncached.status_code == 503
    assert uncached.content.decode() == UNAVAILABLE.format(extra="", seconds="30 seconds")
    assert uncached["Retry-After"] == "30"
    assert uncached["Cache-Control"] == "no-store"
    assert uncached["X-DatoCMS-Cache"] == "BYPASS"
    # Nothing was stored: once DatoCMS is back the page renders.
    fake_cda.fail_with = None
    assert site.get("/article/world/")["X-DatoCMS-Cache"] == "MISS"


@pytest.mark.usefixtures("app_templates")
def test_rate_limited(site: Client, fake_cda: FakeCDA) -> None:
    fake_cda.fail_with = 429
    response = site.get("/async/world/")
    assert response.status_code == 503
    assert response["Retry-After"] == "1"
    assert response.content.decode() == UNAVAILABLE.format(
        extra="This page is very popular right now. ", seconds="1 second"
    )


def test_cda_unreachable(content: dict[str, int]) -> None:
    import socket

    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    conf = {"API_TOKEN": "t", "CDA_URL": f"http://127.0.0.1:{port}/", "MAX_RETRIES": 0}
    with override_settings(DATOCMS=conf, ROOT_URLCONF="tests.caching.urls", MIDDLEWARE=MIDDLEWARE):
        response = Client().get("/article/hello/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"


def test_the_503_template_can_be_overridden(
    site: Client, fake_cda: FakeCDA, tmp_path: Path, settings: Any
) -> None:
    (tmp_path / "datocms").mkdir()
    (tmp_path / "datocms" / "unavailable.html").write_text("Back in {{ retry_after }}s")
    templates = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]
    with override_settings(TEMPLATES=templates):
        fake_cda.fail_with = 502
        response = site.get("/article/hello/")
    assert (response.status_code, response.content) == (503, b"Back in 30s")


def test_a_broken_cache_store_serves_pages_uncached(
    fake_cda: FakeCDA, content: dict[str, int]
) -> None:
    with override_settings(
        DATOCMS=fake_cda.settings(CACHE_ALIAS="broken"),
        ROOT_URLCONF="tests.caching.urls",
        MIDDLEWARE=MIDDLEWARE,
    ):
        client = Client()
        for _ in range(2):
            response = client.get("/article/hello/")
            assert (response.status_code, response.content) == (200, HELLO)
            assert response["X-DatoCMS-Cache"] == "BYPASS"
    assert views.RENDERS == {"hello": 2}


def test_a_page_built_from_cached_queries_is_never_fresher_than_they_are(
    site: Client, content: dict[str, int], fake_cda: FakeCDA
) -> None:
    """The race the epoch alone misses: an invalidation has replaced the epoch but not yet
    the tag versions when a page fill starts, reads a still-valid cached query, and commits
    after the tag versions changed. The page must not be stored under the new versions."""
    from django.core.cache import caches

    from datocms_app.caching.versions import EPOCH_KEY, tag_key

    assert site.get("/hooked/").content == b"<h1>Hello v1</h1><nav>Home, About</nav>"
    content["hello"] = 2
    cache = caches["default"]
    cache.set(EPOCH_KEY, "epoch-of-the-invalidation", None)  # the webhook's first write ...
    views.HOOKS.append(lambda: cache.set_many({tag_key("item:hello"): "new"}, None))  # 2nd
    # Another URL of the page, so that the fill is a miss: a declared parameter.
    keyed_by_page = override_settings(
        DATOCMS=fake_cda.settings(PAGE_CACHE_QUERY_PARAMETERS=["page"])
    )
    try:
        with keyed_by_page:
            in_flight = site.get("/hooked/?page=2")
    finally:
        views.HOOKS.clear()
    # That request began before the invalidation was acknowledged: the old title is fine.
    assert in_flight.content == b"<h1>Hello v1</h1><nav>Home, About</nav>"
    with keyed_by_page:
        after = site.get("/hooked/?page=2")
    assert after["X-DatoCMS-Cache"] == "MISS"
    assert after.content == b"<h1>Hello v2</h1><nav>Home, About</nav>"
