"""Page keys: the query parameters a page is keyed on, and what the page cache never writes.

Keys are counted in the local-memory cache itself (``cache._cache``) after a warm-up page
has created what every site has once (the epoch, the navigation query's entry and tag
version); writes are read from ``CountingLocMemCache`` (``CACHE_ALIAS="counting"``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import caches
from django.test import AsyncClient, Client, override_settings
from django.utils import translation

from datocms_app.caching import datocms_cache_page
from datocms_app.conf import get_settings
from datocms_app.exceptions import ConfigurationError, InvalidArgument
from tests.caching.backends import CALLS
from tests.caching.fake_cda import FakeCDA
from tests.caching.views import NAV

MIDDLEWARE = ["django.middleware.common.CommonMiddleware"]
WITH_MIDDLEWARE = [*MIDDLEWARE, "datocms_app.caching.PageCacheMiddleware"]
WRITES = frozenset({"set", "set_many", "add", "delete"})


@pytest.fixture
def fake(fake_cda: FakeCDA) -> FakeCDA:
    fake_cda.content[NAV] = ({"allPages": [{"title": "Home"}, {"title": "About"}]}, ["model:p"])
    return fake_cda


def configured(fake: FakeCDA, middleware: list[str] = MIDDLEWARE, **datocms: Any) -> Any:
    return override_settings(
        DATOCMS=fake.settings(**datocms),
        ROOT_URLCONF="tests.caching.keyed_site",
        MIDDLEWARE=middleware,
    )


@pytest.fixture
def site(fake: FakeCDA) -> Iterator[Client]:
    with configured(fake), translation.override("en"):
        yield Client()


@pytest.fixture
def counted(fake: FakeCDA) -> Iterator[Client]:
    """The site on the counting cache, warmed up (``CALLS`` starts empty)."""
    with configured(fake, CACHE_ALIAS="counting"), translation.override("en"):
        client = Client()
        assert client.get("/listing/")["X-DatoCMS-Cache"] == "MISS"
        CALLS.clear()
        yield client


def get(client: Client, url: str) -> tuple[str, bytes]:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response["X-DatoCMS-Cache"], response.content


def stored(alias: str = "default") -> set[str]:
    return set(caches[alias]._cache)  # type: ignore[attr-defined]


def writes() -> list[tuple[str, tuple[str, ...]]]:
    return [call for call in CALLS if call[0] in WRITES]


# -- what a key holds -------------------------------------------------------------------------


def test_a_declared_parameter_is_part_of_the_key(site: Client) -> None:
    assert get(site, "/listing/?page=2") == ("MISS", b"page=2|sort=-")
    assert get(site, "/listing/?page=3") == ("MISS", b"page=3|sort=-")
    assert get(site, "/listing/?page=2") == ("HIT", b"page=2|sort=-")
    assert get(site, "/listing/?page=3") == ("HIT", b"page=3|sort=-")
    assert get(site, "/listing/") == ("MISS", b"page=-|sort=-")
    assert get(site, "/listing/") == ("HIT", b"page=-|sort=-")


def test_tracking_parameters_share_the_key_of_the_bare_url(site: Client) -> None:
    assert get(site, "/listing/?utm_source=x") == ("MISS", b"page=-|sort=-")
    assert get(site, "/listing/") == ("HIT", b"page=-|sort=-")
    for query in [
        "utm_medium=email&utm_campaign=spring",
        "gclid=abc",
        "fbclid=1&msclkid=2&dclid=3&gbraid=4&wbraid=5",
        "_ga=1.2&_gl=3&yclid=4&igshid=5&twclid=6&li_fat_id=7&ref_src=8",
        "mc_cid=a&mc_eid=b",
        "utm_source=x&utm_source=y",
    ]:
        assert get(site, f"/listing/?{query}") == ("HIT", b"page=-|sort=-"), query
    assert get(site, "/listing/?page=2&utm_source=news") == ("MISS", b"page=2|sort=-")
    assert get(site, "/listing/?gclid=z&page=2") == ("HIT", b"page=2|sort=-")


def test_keys_are_canonical(site: Client) -> None:
    assert get(site, "/listing/?page=2&sort=new") == ("MISS", b"page=2|sort=new")
    # Order and percent-encoding do not matter...
    assert get(site, "/listing/?sort=new&page=2") == ("HIT", b"page=2|sort=new")
    assert get(site, "/listing/?page=%32&sort=ne%77&") == ("HIT", b"page=2|sort=new")
    # ...an empty value is not an absent one (and ``?page`` is ``?page=``, as Django reads it).
    assert get(site, "/listing/?page=") == ("MISS", b"page=|sort=-")
    assert get(site, "/listing/?page") == ("HIT", b"page=|sort=-")
    assert get(site, "/listing/") == ("MISS", b"page=-|sort=-")
    assert get(site, "/listing/?sort=+") == ("MISS", b"page=-|sort= ")
    assert get(site, "/listing/?sort=%20") == ("HIT", b"page=-|sort= ")


@pytest.mark.parametrize(
    "url",
    [
        "/listing/?q=x",
        "/listing/?page=2&q=x",
        "/listing/?PAGE=2",
        "/listing/?=x",
        "/listing/?page=2&page=3",
        "/listing/?page=2&page=2",
        "/by-setting/?page=2",
        "/no-parameters/?page=2",
    ],
)
def test_any_other_parameter_bypasses_the_cache_and_writes_nothing(
    counted: Client, url: str
) -> None:
    before = stored("counting")
    for _ in range(2):
        response = counted.get(url)
        assert response.status_code == 200
        assert response["X-DatoCMS-Cache"] == "BYPASS"
    assert dict(response.headers) == {
        "Content-Type": "text/html; charset=utf-8",
        "X-DatoCMS-Cache": "BYPASS",
        "Content-Length": str(len(response.content)),
    }
    assert writes() == []
    assert stored("counting") == before


def test_a_parameter_given_twice_is_served_as_django_reads_it(site: Client) -> None:
    assert get(site, "/listing/?page=2&page=3") == ("BYPASS", b"page=3|sort=-")


def test_a_bypassed_page_is_kept_out_of_the_cdn(fake: FakeCDA) -> None:
    cdn = {"BACKEND": "datocms_app.caching.cdn.VarnishBackend", "URLS": ["http://127.0.0.1:1/"]}
    with configured(fake, CDN=cdn):
        response = Client().get("/listing/?q=x")
    assert response["X-DatoCMS-Cache"] == "BYPASS"
    assert response["Cache-Control"] == "private, no-cache"
    assert "xkey" not in response


def test_too_many_parameters_write_nothing(site: Client) -> None:
    site.get("/listing/")
    before = stored()
    query = "&".join(f"p{number}=1" for number in range(1001))
    assert site.get(f"/listing/?{query}").status_code == 400
    assert stored() == before


# -- where parameters are declared ------------------------------------------------------------


def test_the_setting_declares_parameters_for_every_view(fake: FakeCDA) -> None:
    with configured(fake, PAGE_CACHE_QUERY_PARAMETERS=["page"]):
        client = Client()
        assert get(client, "/by-setting/?page=2") == ("MISS", b"page=2")
        assert get(client, "/by-setting/?page=2") == ("HIT", b"page=2")
        assert get(client, "/by-setting/?sort=new") == ("BYPASS", b"page=-")


def test_the_decorator_option_overrides_the_setting(fake: FakeCDA) -> None:
    with configured(fake, PAGE_CACHE_QUERY_PARAMETERS=["page"]):
        client = Client()
        assert get(client, "/own-list/?page=2") == ("BYPASS", b"page=2|sort=-")
        assert get(client, "/own-list/?sort=new") == ("MISS", b"page=-|sort=new")
        assert get(client, "/own-list/?sort=new") == ("HIT", b"page=-|sort=new")
        assert get(client, "/no-parameters/?page=2") == ("BYPASS", b"page=2")
        assert get(client, "/no-parameters/?utm_source=x") == ("MISS", b"page=-")
        assert get(client, "/no-parameters/") == ("HIT", b"page=-")


def test_a_declared_parameter_wins_over_the_tracking_list(fake: FakeCDA) -> None:
    # A site may render a campaign page by its utm_campaign; and "*" drops every other name.
    with configured(
        fake, PAGE_CACHE_QUERY_PARAMETERS=["utm_campaign"], PAGE_CACHE_TRACKING_PARAMETERS=["*"]
    ):
        client = Client()
        assert get(client, "/by-setting/?utm_campaign=spring") == ("MISS", b"page=-")
        assert get(client, "/by-setting/?utm_campaign=autumn") == ("MISS", b"page=-")
        assert get(client, "/by-setting/?utm_campaign=spring&q=1") == ("HIT", b"page=-")
        assert get(client, "/by-setting/?page=2") == ("MISS", b"page=2")
        assert get(client, "/by-setting/") == ("HIT", b"page=2")


def test_the_tracking_list_can_be_replaced(fake: FakeCDA) -> None:
    with configured(fake, PAGE_CACHE_TRACKING_PARAMETERS=["ref", "cmp_*"]):
        client = Client()
        assert get(client, "/listing/?ref=news&cmp_id=3") == ("MISS", b"page=-|sort=-")
        assert get(client, "/listing/") == ("HIT", b"page=-|sort=-")
        assert get(client, "/listing/?utm_source=x") == ("BYPASS", b"page=-|sort=-")


def test_the_middleware_keys_parameters_as_the_view_declares(fake: FakeCDA) -> None:
    with configured(fake, WITH_MIDDLEWARE), translation.override("en"):
        client = Client()
        assert get(client, "/plain/?page=2") == ("BYPASS", b"page=2|sort=-")
        assert get(client, "/plain/?utm_source=x") == ("MISS", b"page=-|sort=-")
        assert get(client, "/plain/") == ("HIT", b"page=-|sort=-")
        # A decorated view declares its parameters to the middleware, which caches it once.
        assert get(client, "/listing/?page=2") == ("MISS", b"page=2|sort=-")
        assert get(client, "/listing/?page=2") == ("HIT", b"page=2|sort=-")
        assert get(client, "/declared-plain/?sort=a") == ("MISS", b"page=-|sort=a")
        assert get(client, "/declared-plain/?sort=a") == ("HIT", b"page=-|sort=a")
        assert get(client, "/declared-plain/?page=2") == ("BYPASS", b"page=2|sort=-")
    with configured(fake, WITH_MIDDLEWARE, PAGE_CACHE_QUERY_PARAMETERS=["page"]):
        client = Client()
        assert get(client, "/plain/?page=2") == ("MISS", b"page=2|sort=-")
        assert get(client, "/plain/?page=2") == ("HIT", b"page=2|sort=-")
        assert get(client, "/declared-plain/?page=2") == ("BYPASS", b"page=2|sort=-")


def test_query_parameters_are_checked() -> None:
    cases: list[tuple[Any, str]] = [
        (
            "page",
            "query_parameters must be a list of parameter names such as ['page'], got str 'page'.",
        ),
        (
            ["page", "a=b"],
            "query_parameters must be a list of parameter names such as ['page'] "
            "(no blanks, '&', '=', '#' or '*'), got 'a=b'.",
        ),
        (
            [""],
            "query_parameters must be a list of parameter names such as ['page'] "
            "(no blanks, '&', '=', '#' or '*'), got ''.",
        ),
        (
            [2],
            "query_parameters must be a list of parameter names such as ['page'] "
            "(no blanks, '&', '=', '#' or '*'), got 2.",
        ),
        (
            5,
            "query_parameters must be a list of parameter names such as ['page'], got int 5.",
        ),
    ]
    for value, message in cases:
        with pytest.raises(InvalidArgument) as caught:
            datocms_cache_page(query_parameters=value)
        assert str(caught.value) == message


def test_the_settings_are_checked() -> None:
    with override_settings(DATOCMS={"PAGE_CACHE_QUERY_PARAMETERS": ["page", "a b"]}):
        with pytest.raises(ConfigurationError) as caught:
            get_settings()
    assert str(caught.value) == (
        "settings.DATOCMS['PAGE_CACHE_QUERY_PARAMETERS']: must list query parameter names "
        "such as 'page' (no blanks, '&', '=', '#' or '*'), got 'a b'."
    )
    with override_settings(DATOCMS={"PAGE_CACHE_TRACKING_PARAMETERS": ["utm_*", "*ga"]}):
        with pytest.raises(ConfigurationError) as caught:
            get_settings()
    assert str(caught.value) == (
        "settings.DATOCMS['PAGE_CACHE_TRACKING_PARAMETERS']: must list query parameter names "
        "such as 'gclid', or prefixes ending with '*' such as 'utm_*' (no blanks, '&', '=' or "
        "'#'), got '*ga'."
    )


# -- what is never written --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/missing/", 404),
        ("/amissing/", 404),
        ("/moved/", 302),
        ("/post-only/", 405),
        ("/failing/", 500),
        ("/nowhere/", 404),
    ],
)
@pytest.mark.parametrize("middleware", [MIDDLEWARE, WITH_MIDDLEWARE], ids=["view", "middleware"])
def test_responses_other_than_200_write_no_key(
    fake: FakeCDA, url: str, status: int, middleware: list[str]
) -> None:
    with configured(fake, middleware), translation.override("en"):
        client = Client()
        client.get("/listing/")
        before = stored()
        for _ in range(2):
            response = client.get(url)
            assert response.status_code == status
            assert response.get("X-DatoCMS-Cache") == (
                None if url == "/nowhere/" and middleware == MIDDLEWARE else "BYPASS"
            )
        assert stored() == before


def test_a_404_takes_the_fill_lock_and_leaves_nothing(counted: Client) -> None:
    before = stored("counting")
    assert counted.get("/missing/").status_code == 404
    [(operation, (lock,)), release] = writes()
    assert operation == "add"
    assert lock.startswith("datocms:lock:datocms:pv:")
    assert release == ("delete", (lock,))
    assert stored("counting") == before


def test_post_and_a_disabled_page_cache_write_nothing(fake: FakeCDA, counted: Client) -> None:
    posted = counted.post("/listing/?q=1")
    assert (posted.status_code, posted.content) == (200, b"page=-|sort=-")
    assert "X-DatoCMS-Cache" not in posted
    with configured(fake, CACHE_ALIAS="counting", PAGE_CACHE=False):
        response = Client().get("/listing/?q=1")
        assert "X-DatoCMS-Cache" not in response
    assert writes() == []


# -- async ------------------------------------------------------------------------------------


def test_async_views_key_declared_parameters_and_bypass_others(counted: Client) -> None:
    assert get(counted, "/alisting/?page=2") == ("MISS", b"page=2|2")
    assert get(counted, "/alisting/?page=3") == ("MISS", b"page=3|2")
    assert get(counted, "/alisting/?page=2&utm_source=x") == ("HIT", b"page=2|2")
    assert get(counted, "/alisting/?utm_source=x") == ("MISS", b"page=-|2")
    assert get(counted, "/alisting/") == ("HIT", b"page=-|2")
    CALLS.clear()
    before = stored("counting")
    assert get(counted, "/alisting/?sort=new") == ("BYPASS", b"page=-|2")
    assert counted.get("/amissing/").status_code == 404
    assert [call[0] for call in writes()] == ["add", "delete"]  # the 404's fill lock
    assert stored("counting") == before


@pytest.mark.anyio
async def test_the_async_middleware_keys_and_bypasses_alike(fake: FakeCDA) -> None:
    with configured(fake, WITH_MIDDLEWARE, CACHE_ALIAS="counting"):
        client = AsyncClient()
        assert (await client.get("/plain/"))["X-DatoCMS-Cache"] == "MISS"
        assert (await client.get("/plain/?gclid=1"))["X-DatoCMS-Cache"] == "HIT"
        assert (await client.get("/listing/?page=2"))["X-DatoCMS-Cache"] == "MISS"
        assert (await client.get("/listing/?page=2"))["X-DatoCMS-Cache"] == "HIT"
        CALLS.clear()
        before = stored("counting")
        bypassed = await client.get("/plain/?q=1")
        assert (bypassed.content, bypassed["X-DatoCMS-Cache"]) == (b"page=-|sort=-", "BYPASS")
        assert (await client.get("/nowhere/?q=1")).status_code == 404
        assert writes() == []
        assert (await client.get("/amissing/")).status_code == 404
        assert stored("counting") == before
