"""CDN backends: response headers, budgets, hashing, and purges against local API servers."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.http import HttpResponse
from django.test import override_settings

from datocms_app.caching import invalidate_all, invalidate_tags
from datocms_app.caching.cdn import (
    BunnyBackend,
    CDNBackend,
    CloudflareBackend,
    FastlyBackend,
    NetlifyBackend,
    NoopBackend,
    VarnishBackend,
    build_cdn,
    get_cdn,
    hash_tag,
)
from datocms_app.exceptions import CDNPurgeError, ConfigurationError
from tests.caching.cdn import fake_api
from tests.caching.cdn.fake_api import Call, FakeAPI, serving

TAGS = ["N*r;L", "6-KZ@", 't#k[uP"\\']


def test_hash_tag_is_short_header_safe_and_stable() -> None:
    assert hash_tag("N*r;L") == "d27s5resgne2"
    assert {len(hash_tag(tag)) for tag in TAGS} == {12}
    assert all(c in "abcdefghijklmnopqrstuvwxyz234567" for tag in TAGS for c in hash_tag(tag))


def response_with(backend: CDNBackend, tags: list[str], **headers: str) -> HttpResponse:
    response = HttpResponse("page", headers=headers)
    backend.patch_response(response, tags)
    return response


@pytest.mark.parametrize(
    ("backend", "expected"),
    [
        (
            FastlyBackend(service_id="s", api_token="t", max_age=600),
            {
                "Surrogate-Key": " ".join(hash_tag(t) for t in TAGS),
                "Surrogate-Control": "max-age=600",
                "Cache-Control": "public, max-age=0, must-revalidate",
            },
        ),
        (
            CloudflareBackend(zone_id="z", api_token="t"),
            {
                "Cache-Tag": ",".join(hash_tag(t) for t in TAGS),
                "Cloudflare-CDN-Cache-Control": "max-age=31536000",
                "Cache-Control": "public, max-age=0, must-revalidate",
            },
        ),
        (
            BunnyBackend(pull_zone_id="1", api_key="k"),
            {
                "CDN-Tag": ",".join(hash_tag(t) for t in TAGS),
                "CDN-Cache-Control": "max-age=31536000",
                "Cache-Control": "public, max-age=0, must-revalidate",
            },
        ),
        (
            NetlifyBackend(site_id="s", api_token="t", max_age=60),
            {
                "Netlify-Cache-Tag": ",".join(hash_tag(t) for t in TAGS),
                "Netlify-CDN-Cache-Control": "public, durable, s-maxage=60",
                "Cache-Control": "public, max-age=0, must-revalidate",
            },
        ),
        (
            VarnishBackend(urls=["http://127.0.0.1:1/"], max_age=3600),
            {
                "xkey": " ".join(TAGS),
                "Cache-Control": "public, max-age=0, s-maxage=3600, must-revalidate",
            },
        ),
        (NoopBackend(), {"Cache-Control": "no-cache"}),
    ],
)
def test_page_headers(backend: CDNBackend, expected: dict[str, str]) -> None:
    response = response_with(backend, TAGS)
    headers = dict(response.headers)
    headers.pop("Content-Type")
    assert headers == expected


def test_a_view_cache_control_is_kept_and_tags_still_sent() -> None:
    response = response_with(
        FastlyBackend(service_id="s", api_token="t"), ["a"], **{"Cache-Control": "max-age=5"}
    )
    assert response["Cache-Control"] == "max-age=5"
    assert response["Surrogate-Key"] == hash_tag("a")
    assert "Surrogate-Control" not in response


def test_over_the_header_budget_the_page_is_not_cacheable_at_the_cdn() -> None:
    bunny = BunnyBackend(pull_zone_id="1", api_key="k")
    fits = [f"tag{n}" for n in range(78)]  # 78 * 13 - 1 = 1013 bytes
    assert len(bunny.tag_header_value(fits) or "") == 1013
    response = response_with(bunny, fits)
    assert response["CDN-Cache-Control"] == "max-age=31536000"
    too_many = [f"tag{n}" for n in range(79)]  # 1026 bytes > 1024
    assert bunny.tag_header_value(too_many) is None
    refused = response_with(bunny, too_many)
    assert "CDN-Tag" not in refused
    assert refused["Cache-Control"] == "private, no-cache"
    assert refused["CDN-Cache-Control"] == "no-store"
    varnish = VarnishBackend(urls=["http://127.0.0.1:1/"], header_budget=10)
    assert dict(response_with(varnish, ["abcdef", "ghijkl"]).headers) == {
        "Content-Type": "text/html; charset=utf-8",
        "Cache-Control": "private, no-cache",
    }


def test_uncacheable_pages_are_kept_out_of_the_cdn() -> None:
    response = HttpResponse("x")
    FastlyBackend(service_id="s", api_token="t").patch_uncacheable(response)
    assert response["Cache-Control"] == "private, no-cache"
    own = HttpResponse("x", headers={"Cache-Control": "max-age=9"})
    FastlyBackend(service_id="s", api_token="t").patch_uncacheable(own)
    assert own["Cache-Control"] == "max-age=9"
    none = HttpResponse("x")
    NoopBackend().patch_uncacheable(none)
    assert "Cache-Control" not in none


# -- purges against the documented APIs -----------------------------------------------------


@pytest.fixture
def api() -> Iterator[Callable[[Callable[[Call], Any]], FakeAPI]]:
    stack: list[Any] = []

    def start(check: Callable[[Call], Any]) -> FakeAPI:
        manager = serving(FakeAPI(check))
        stack.append(manager)
        return manager.__enter__()

    yield start
    for manager in reversed(stack):
        manager.__exit__(None, None, None)


def test_fastly_purges_by_surrogate_key_in_batches_of_256(api: Any) -> None:
    server = api(fake_api.fastly("SVC", "fastly-token"))
    backend = FastlyBackend(service_id="SVC", api_token="fastly-token", api_url=server.url)
    tags = [f"t{n}" for n in range(600)]
    assert backend.purge(tags) == 600
    assert sorted(len(call.body["surrogate_keys"]) for call in server.calls) == [88, 256, 256]
    sent = [key for call in server.calls for key in call.body["surrogate_keys"]]
    assert sorted(sent) == sorted(hash_tag(tag) for tag in tags)
    assert {(c.method, c.path, c.headers["fastly-key"]) for c in server.calls} == {
        ("POST", "/service/SVC/purge", "fastly-token")
    }
    assert "fastly-soft-purge" not in server.calls[0].headers
    backend.purge_all()
    assert server.calls[-1].path == "/service/SVC/purge_all"


def test_cloudflare_purges_tags_in_batches_of_100(api: Any) -> None:
    server = api(fake_api.cloudflare("ZONE", "cf-token"))
    backend = CloudflareBackend(
        zone_id="ZONE", api_token="cf-token", api_url=server.url + "/client/v4"
    )
    assert backend.purge([f"t{n}" for n in range(250)]) == 250
    assert sorted(len(call.body["tags"]) for call in server.calls) == [50, 100, 100]
    assert server.calls[0].headers["authorization"] == "Bearer cf-token"
    backend.purge_all()
    assert server.calls[-1].body == {"purge_everything": True}


def test_cloudflare_success_false_is_a_failure(api: Any) -> None:
    server = api(lambda call: (200, {"success": False, "errors": [{"code": 1, "message": "no"}]}))
    backend = CloudflareBackend(zone_id="Z", api_token="t", api_url=server.url)
    with pytest.raises(CDNPurgeError) as caught:
        backend.purge(["a"])
    assert str(caught.value) == (
        'CloudflareBackend: the purge was not accepted: {"success": false, "errors": '
        '[{"code": 1, "message": "no"}]}'
    )


def test_bunny_purges_one_tag_per_request(api: Any) -> None:
    server = api(fake_api.bunny("42", "bunny-key"))
    backend = BunnyBackend(pull_zone_id="42", api_key="bunny-key", api_url=server.url)
    assert backend.purge(TAGS) == 3
    assert sorted(call.body["CacheTag"] for call in server.calls) == sorted(map(hash_tag, TAGS))
    assert {c.headers["accesskey"] for c in server.calls} == {"bunny-key"}
    backend.purge_all()
    assert (server.calls[-1].path, server.calls[-1].body) == ("/pullzone/42/purgeCache", None)


def test_netlify_purges_cache_tags(api: Any) -> None:
    server = api(fake_api.netlify("site-1", "nf-token"))
    backend = NetlifyBackend(site_id="site-1", api_token="nf-token", api_url=server.url + "/api/v1")
    backend.purge(TAGS)
    assert [call.body for call in server.calls] == [
        {"site_id": "site-1", "cache_tags": [hash_tag(tag) for tag in TAGS]}
    ]
    backend.purge_all()
    assert server.calls[-1].body == {"site_id": "site-1"}


def test_varnish_sends_purge_requests_with_the_keys(api: Any) -> None:
    first = api(lambda call: (200, None))
    second = api(lambda call: (200, None))
    backend = VarnishBackend(
        urls=[first.url + "/", second.url + "/"], headers={"X-Purge-Secret": "p"}
    )
    backend.purge(TAGS)
    for server in (first, second):
        (call,) = server.calls
        assert (call.method, call.path) == ("PURGE", "/")
        assert call.headers["xkey-purge"] == " ".join(TAGS)
        assert call.headers["x-purge-secret"] == "p"
    backend.purge_all()
    assert first.calls[-1].headers["xkey-purge-all"] == "true"


def test_varnish_splits_long_purge_headers(api: Any) -> None:
    server = api(lambda call: (200, None))
    backend = VarnishBackend(urls=[server.url])
    tags = [f"{n:05d}" * 2 for n in range(1000)]  # 11 bytes each with the separator
    backend.purge(tags)
    assert [len(call.headers["xkey-purge"]) for call in server.calls] == [
        545 * 11 - 1,
        455 * 11 - 1,
    ]


@pytest.mark.parametrize(
    ("make", "check"),
    [
        (
            lambda url: FastlyBackend(service_id="S", api_token="wrong", api_url=url),
            fake_api.fastly("S", "right"),
        ),
        (
            lambda url: CloudflareBackend(
                zone_id="Z", api_token="wrong", api_url=url + "/client/v4"
            ),
            fake_api.cloudflare("Z", "right"),
        ),
        (
            lambda url: BunnyBackend(pull_zone_id="1", api_key="wrong", api_url=url),
            fake_api.bunny("1", "right"),
        ),
        (
            lambda url: NetlifyBackend(site_id="s", api_token="wrong", api_url=url + "/api/v1"),
            fake_api.netlify("s", "right"),
        ),
    ],
)
def test_a_refused_purge_raises_without_leaking_the_token(api: Any, make: Any, check: Any) -> None:
    server = api(check)
    with pytest.raises(CDNPurgeError) as caught:
        make(server.url).purge(["a"])
    assert "wrong" not in str(caught.value)
    assert caught.value.response is not None
    assert caught.value.response.status_code in (401, 403)
    assert str(caught.value).startswith(
        f"{caught.value.backend} answered HTTP {caught.value.response.status_code} to a purge ("
    )


def test_5xx_is_retried_once(api: Any) -> None:
    answers = iter([(503, {"msg": "busy"}), (200, {"a": "1"})])
    server = api(lambda call: next(answers))
    FastlyBackend(service_id="S", api_token="t", api_url=server.url).purge(["a"])
    assert len(server.calls) == 2


def test_an_unreachable_cdn_raises() -> None:
    backend = FastlyBackend(service_id="S", api_token="t", api_url="http://127.0.0.1:9", timeout=2)
    with pytest.raises(CDNPurgeError) as caught:
        backend.purge(["a"])
    assert str(caught.value).startswith(
        "FastlyBackend could not reach http://127.0.0.1:9/service/S/purge for a purge: ConnectError"
    )


# -- configuration ----------------------------------------------------------------------------


def test_build_from_settings_like_caches() -> None:
    backend = build_cdn(
        {
            "BACKEND": "datocms_app.caching.cdn.FastlyBackend",
            "SERVICE_ID": "s",
            "API_TOKEN": "t",
            "MAX_AGE": 60,
            "REPURGE_DELAY": 0,
        }
    )
    assert isinstance(backend, FastlyBackend)
    assert (backend.max_age, backend.repurge_delay, backend.settings["service_id"]) == (
        60,
        0.0,
        "s",
    )
    assert isinstance(build_cdn(None), NoopBackend)
    with override_settings(DATOCMS={"CDN": {"BACKEND": "datocms_app.caching.cdn.NoopBackend"}}):
        assert get_cdn() is get_cdn()


@pytest.mark.parametrize(
    ("config", "message"),
    [
        (
            {},
            "DATOCMS['CDN'] needs a 'BACKEND', the dotted path of a purge backend such as "
            "'datocms_app.caching.cdn.FastlyBackend'.",
        ),
        (
            {"BACKEND": "datocms_app.caching.cdn.Nope"},
            "DATOCMS['CDN']['BACKEND'] is 'datocms_app.caching.cdn.Nope', which cannot be imported "
            '(Module "datocms_app.caching.cdn" does not define a "Nope" attribute/class). '
            "Built-in backends: datocms_app.caching.cdn.VarnishBackend, FastlyBackend, "
            "CloudflareBackend, BunnyBackend, NetlifyBackend, NoopBackend.",
        ),
        (
            {"BACKEND": "django.http.HttpResponse"},
            "DATOCMS['CDN']['BACKEND'] is 'django.http.HttpResponse', which is not a subclass of "
            "datocms_app.caching.cdn.CDNBackend.",
        ),
        (
            {"BACKEND": "datocms_app.caching.cdn.FastlyBackend", "API_TOKEN": "secret"},
            "FastlyBackend needs DATOCMS['CDN'] to set SERVICE_ID.",
        ),
        (
            {
                "BACKEND": "datocms_app.caching.cdn.FastlyBackend",
                "SERVICE_ID": "s",
                "API_TOKEN": "secret",
                "ZONE_ID": "z",
            },
            "FastlyBackend does not know the option(s) ZONE_ID in DATOCMS['CDN']; it takes: "
            "API_TOKEN, API_URL, BATCH_SIZE, HASH_TAGS, HEADER_BUDGET, MAX_AGE, REPURGE_DELAY, "
            "SERVICE_ID, TIMEOUT.",
        ),
        (
            {"BACKEND": "datocms_app.caching.cdn.NoopBackend", "max_age": 1},
            "DATOCMS['CDN'] keys are upper case like settings.CACHES, got 'max_age'.",
        ),
        (
            {"BACKEND": "datocms_app.caching.cdn.NoopBackend", "MAX_AGE": -1},
            "DATOCMS['CDN']['MAX_AGE'] must be a number of seconds >= 0, got -1.",
        ),
        (
            {"BACKEND": "datocms_app.caching.cdn.VarnishBackend", "URLS": "varnish:6081"},
            "VarnishBackend needs DATOCMS['CDN']['URLS'], a list of Varnish base URLs such as "
            "['http://127.0.0.1:6081/'].",
        ),
    ],
)
def test_configuration_errors(config: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigurationError) as caught:
        build_cdn(config)
    assert str(caught.value) == message


# -- the webhook purges after the origin, and once more later ---------------------------------


def test_invalidate_purges_now_and_again_later(api: Any) -> None:
    server = api(fake_api.fastly("SVC", "tok"))
    conf = {
        "CDN": {
            "BACKEND": "datocms_app.caching.cdn.FastlyBackend",
            "SERVICE_ID": "SVC",
            "API_TOKEN": "tok",
            "API_URL": server.url,
            "REPURGE_DELAY": 0.05,
        }
    }
    with override_settings(DATOCMS=conf):
        result = invalidate_tags(TAGS)
        assert (result.purged, result.cdn) == (3, "FastlyBackend")
        assert len(server.calls) == 1
        server.arrived.clear()
        assert server.arrived.wait(10)
    assert [call.body for call in server.calls] == [
        {"surrogate_keys": [hash_tag(tag) for tag in TAGS]}
    ] * 2


def test_invalidate_all_purges_everything(api: Any) -> None:
    server = api(fake_api.cloudflare("Z", "tok"))
    conf = {
        "CDN": {
            "BACKEND": "datocms_app.caching.cdn.CloudflareBackend",
            "ZONE_ID": "Z",
            "API_TOKEN": "tok",
            "API_URL": server.url + "/client/v4",
            "REPURGE_DELAY": 0,
        }
    }
    with override_settings(DATOCMS=conf):
        assert invalidate_all().everything is True
    assert [call.body for call in server.calls] == [{"purge_everything": True}]


def test_the_webhook_answers_503_when_the_cdn_purge_fails(api: Any) -> None:
    import json

    from django.test import Client

    from datocms_app.caching.stores import Entry
    from datocms_app.caching.versions import TagVersionStore

    server = api(fake_api.fastly("SVC", "tok"))
    server.fail_with = 500
    conf = {
        "WEBHOOK_SECRET": "s",
        "CDN": {
            "BACKEND": "datocms_app.caching.cdn.FastlyBackend",
            "SERVICE_ID": "SVC",
            "API_TOKEN": "tok",
            "API_URL": server.url,
            "REPURGE_DELAY": 0,
        },
    }
    body = {
        "entity_type": "cda_cache_tags",
        "event_type": "invalidate",
        "entity": {"attributes": {"tags": ["a"]}},
    }
    store = TagVersionStore("default")
    store.commit("k", store.begin(), Entry(("a",), "page", None))
    with override_settings(DATOCMS=conf, ROOT_URLCONF="tests.urls"):
        response = Client().post(
            "/datocms/webhooks/cache-tags/",
            json.dumps(body),
            content_type="application/json",
            HTTP_X_WEBHOOK_SECRET="s",
        )
    assert response.status_code == 503
    assert response.json() == {
        "ok": False,
        "error": "cdn_purge_failed",
        "message": "The origin cache is invalidated but the CDN purge failed (FastlyBackend); "
        "DatoCMS will retry.",
    }
    assert len(server.calls) == 2  # tried, retried once
    assert store.read("k").status == "stale"
