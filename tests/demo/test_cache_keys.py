"""The demo's page cache under random URLs, tracking parameters and browsers' languages.

Keys are counted in the local-memory cache (``cache._cache``) after every real page has
been served once, so the epoch, the pages and their query results already exist.
"""

from __future__ import annotations

import random
import re
import string
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import caches
from django.test import Client

PAGES = [
    "/",
    "/it/",
    "/articles/",
    "/articles/?page=2",
    "/it/articoli/",
    "/articles/crossing-the-alps-on-foot/",
    "/it/articoli/attraversare-le-alpi-a-piedi/",
    "/authors/ada-fernandez/",
    "/it/autori/ada-fernandez/",
    "/categories/nature/",
    "/it/categorie/natura/",
]
NOT_FOUND = ["/nowhere/", "/it/nowhere/"]
TRACKING = ["utm_source", "utm_medium", "utm_campaign", "gclid", "fbclid", "msclkid", "_ga"]
CACHE = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "cache-keys"}
PAGE_KEY = re.compile(r"datocms:(p|pv|lock):")


def stored() -> set[str]:
    return set(caches["default"]._cache)  # type: ignore[attr-defined]


@pytest.fixture(autouse=True)
def _empty_cache(settings: Any) -> Iterator[None]:
    # Room for every key (local memory culls a third of them past MAX_ENTRIES, 300 by
    # default, which would hide what a request added); empty before and after, as the
    # demo's other tests expect.
    settings.CACHES = {"default": {**CACHE, "OPTIONS": {"MAX_ENTRIES": 1_000_000}}}
    caches["default"].clear()
    yield
    caches["default"].clear()


@pytest.fixture
def warm(client: Client) -> Client:
    for url in PAGES + NOT_FOUND:
        client.get(url)
    return client


def word(rng: random.Random, length: int = 8) -> str:
    return "".join(rng.choice(string.ascii_lowercase + string.digits) for _ in range(length))


def random_urls(rng: random.Random, count: int) -> Iterator[str]:
    """Random paths and query strings, none of them a real page's (nor a new query)."""
    for number in range(count):
        page = rng.choice(PAGES)
        glue = "&" if "?" in page else "?"
        kind = number % 6
        if kind == 0:
            yield rng.choice(["/", "/it/", "/articles/x/y/"]) + word(rng) + rng.choice(["/", ""])
        elif kind == 1:
            yield f"{page}{glue}{word(rng, 4)}={word(rng)}"
        elif kind == 2:
            yield f"{page}{glue}{rng.choice(TRACKING)}={word(rng)}&gclid={word(rng)}"
        elif kind == 3:
            value = rng.choice([f"p{word(rng, 3)}", str(rng.randint(1001, 10**9)), "", "-1"])
            yield f"/articles/?page={value}"
        elif kind == 4:
            yield f"/articles/?page=2&page=p{word(rng, 3)}"
        else:
            # The index without its slash redirects (CommonMiddleware, before the cache).
            path = rng.choice([f"/{word(rng)}/", "/articles", "/it/articoli"])
            yield f"{path}?{word(rng, 3)}={word(rng)}&utm_source=x"


def test_a_thousand_random_urls_add_no_key(warm: Client) -> None:
    before = stored()
    statuses: set[int] = set()
    for url in random_urls(random.Random(11), 1000):
        statuses.add(warm.get(url).status_code)
    assert statuses == {200, 301, 404}
    added = stored() - before
    assert len(added) == 0, sorted(added)[:5]


def test_random_slugs_add_no_page_key(warm: Client) -> None:
    # Each unknown slug is a new CDA query: the query cache keeps its (empty) answer, but the
    # page cache writes nothing for the 404.
    rng = random.Random(12)
    before = stored()
    for _ in range(200):
        prefix = rng.choice(["/articles/", "/authors/", "/categories/", "/it/articoli/"])
        assert warm.get(f"{prefix}{word(rng)}/").status_code == 404
    assert [key for key in stored() - before if PAGE_KEY.search(key)] == []


def test_the_index_is_cached_per_page_number(warm: Client) -> None:
    first = warm.get("/articles/?page=2")
    assert first["X-DatoCMS-Cache"] == "HIT"
    assert "<p>Page 2 of 2</p>" in first.content.decode()
    for url in ["/articles/?utm_source=news&page=2", "/articles/?page=%32&gclid=x"]:
        again = warm.get(url)
        assert (again["X-DatoCMS-Cache"], again.content) == ("HIT", first.content)
    index = warm.get("/articles/?fbclid=1")
    assert index["X-DatoCMS-Cache"] == "HIT"
    assert "<p>Page 1 of 2</p>" in index.content.decode()
    search = warm.get("/articles/?q=alps")
    assert (search["X-DatoCMS-Cache"], search.content) == ("BYPASS", index.content)


def test_a_page_first_asked_for_with_tracking_parameters_does_not_show_them(
    client: Client,
) -> None:
    tagged = client.get("/articles/?utm_source=newsletter&page=2&gclid=x")
    assert tagged["X-DatoCMS-Cache"] == "MISS"
    html = tagged.content.decode()
    assert "utm_source" not in html
    assert "gclid" not in html
    assert re.findall(r'<link rel="alternate" hreflang="(\w+)" href="([^"]+)">', html) == [
        ("en", "http://testserver/articles/?page=2"),
        ("it", "http://testserver/it/articoli/?page=2"),
    ]
    bare = client.get("/articles/?page=2")
    assert (bare["X-DatoCMS-Cache"], bare.content) == ("HIT", tagged.content)


@pytest.mark.parametrize(
    ("url", "status", "language"),
    [
        ("/", 200, "en"),
        ("/articles/", 200, "en"),
        ("/articles/?page=2", 200, "en"),
        ("/articles/crossing-the-alps-on-foot/", 200, "en"),
        ("/it/", 200, "it"),
        ("/nowhere/", 404, "en"),
    ],
)
def test_pages_do_not_vary_on_accept_language(
    client: Client, url: str, status: int, language: str
) -> None:
    # The URL names the language (English unprefixed): a CDN must keep one copy per URL.
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="it-IT,it;q=0.9")
    assert response.status_code == status
    assert response["Content-Language"] == language
    assert "Vary" not in response
