"""The cache-tags webhook: auth, limits, validation, invalidation, signals, 503 on failure."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from datocms_app.caching.tags import TagVersionStore
from datocms_app.signals import cache_tags_invalidated, webhook_received
from datocms_app.webhooks import cache_tags_webhook
from tests.demo_content import demo_datocms

URL = "/datocms/webhooks/cache-tags/"
SECRET = "s3cret-value"
AUTH = {"WEBHOOK_USERNAME": "dato", "WEBHOOK_PASSWORD": "pa:ss", "WEBHOOK_SECRET": SECRET}


def invalidation(*tags: str, call_id: str = "456") -> dict[str, Any]:
    return {
        "site_id": "example-site-id",
        "webhook_id": "123",
        "environment": "main",
        "is_environment_primary": True,
        "webhook_call_id": call_id,
        "event_triggered_at": "2024-08-26T14:30:00Z",
        "attempted_auto_retries_count": 0,
        "entity_type": "cda_cache_tags",
        "event_type": "invalidate",
        "entity": {
            "id": "cda_cache_tags",
            "type": "cda_cache_tags",
            "attributes": {"tags": list(tags)},
        },
        "related_entities": [],
    }


def basic(username: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()


@pytest.fixture
def client() -> Iterator[Client]:
    with override_settings(DATOCMS=AUTH, ROOT_URLCONF="project.urls"):
        yield Client()


def post(client: Client, body: Any, **headers: str) -> Any:
    data = body if isinstance(body, bytes | str) else json.dumps(body)
    defaults = {
        "HTTP_AUTHORIZATION": basic("dato", "pa:ss"),
        "HTTP_X_WEBHOOK_SECRET": SECRET,
    }
    return client.post(URL, data, content_type="application/json", **{**defaults, **headers})


def filled_entry(tags: list[str]) -> TagVersionStore:
    store = TagVersionStore("default")
    store.commit("k", store.begin(), tags, "page", timeout=None)
    assert store.read("k").hit
    return store


def test_url_is_mounted_under_datocms(client: Client) -> None:
    assert reverse("datocms:cache-tags-webhook") == URL


def test_invalidates_the_tags_and_says_how_many(client: Client) -> None:
    store = filled_entry(["N*r;L", "keep"])
    received: list[dict[str, Any]] = []

    def on_invalidated(sender: Any, signal: Any, tags: tuple[str, ...], **kwargs: Any) -> None:
        received.append({"sender": sender, "tags": tags, **kwargs})

    cache_tags_invalidated.connect(on_invalidated)
    try:
        response = post(client, invalidation("N*r;L", "6-KZ@", 't#k[uP"\\', "N*r;L"))
    finally:
        cache_tags_invalidated.disconnect(on_invalidated)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "no-store"
    assert response.json() == {
        "ok": True,
        "entity_type": "cda_cache_tags",
        "event_type": "invalidate",
        "webhook_call_id": "456",
        "invalidated": 3,
        "purged": 0,
    }
    assert store.read("k").status == "stale"
    assert received == [
        {
            "sender": cache_tags_webhook,
            "tags": ("N*r;L", "6-KZ@", 't#k[uP"\\'),
            "everything": False,
        }
    ]


def test_a_repeated_call_is_harmless(client: Client) -> None:
    first = post(client, invalidation("a", call_id="9"))
    again = post(client, invalidation("a", call_id="9"))
    assert first.status_code == again.status_code == 200
    assert again.json()["invalidated"] == 1


def test_other_events_are_accepted_and_only_forwarded(client: Client) -> None:
    store = filled_entry(["a"])
    body = {
        "webhook_call_id": 77,
        "entity_type": "item",
        "event_type": "update",
        "entity": {"id": "39830648", "type": "item", "attributes": {"name": "Mark"}},
        "related_entities": [],
    }
    received: list[dict[str, Any]] = []

    def on_received(sender: Any, signal: Any, **kwargs: Any) -> None:
        received.append(kwargs)

    webhook_received.connect(on_received)
    try:
        response = post(client, body)
        post(client, invalidation("zz"))
    finally:
        webhook_received.disconnect(on_received)
    assert response.status_code == 200
    assert response.json() == {
        "ok": True,
        "entity_type": "item",
        "event_type": "update",
        "webhook_call_id": 77,
        "invalidated": 0,
        "purged": 0,
    }
    assert received[0] == {"payload": body, "entity_type": "item", "event_type": "update"}
    assert received[1]["entity_type"] == "cda_cache_tags"
    assert store.read("k").hit


@pytest.mark.parametrize("method", ["get", "put", "delete", "head"])
def test_post_only(client: Client, method: str) -> None:
    response = getattr(client, method)(URL)
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    if method != "head":
        assert response.json() == {
            "ok": False,
            "error": "method_not_allowed",
            "message": "This endpoint takes DatoCMS's webhook calls: POST only.",
        }


def test_csrf_exempt() -> None:
    with override_settings(DATOCMS=demo_datocms(), ROOT_URLCONF="project.urls"):
        response = Client(enforce_csrf_checks=True).post(
            URL, json.dumps(invalidation("a")), content_type="application/json"
        )
    assert response.status_code == 200


UNAUTHORIZED = {
    "ok": False,
    "error": "unauthorized",
    "message": "Missing or wrong webhook credentials: configure the same HTTP Basic "
    "credentials and/or secret header in the DatoCMS webhook as in settings.DATOCMS.",
}


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_AUTHORIZATION": ""},
        {"HTTP_AUTHORIZATION": basic("dato", "wrong")},
        {"HTTP_AUTHORIZATION": basic("other", "pa:ss")},
        {"HTTP_AUTHORIZATION": "Basic !!!not-base64"},
        {"HTTP_AUTHORIZATION": "Bearer pa:ss"},
        {"HTTP_X_WEBHOOK_SECRET": ""},
        {"HTTP_X_WEBHOOK_SECRET": SECRET + "x"},
    ],
)
def test_wrong_credentials_change_nothing(client: Client, headers: dict[str, str]) -> None:
    store = filled_entry(["a"])
    response = post(client, invalidation("a"), **headers)
    assert response.status_code == 401
    assert response.json() == UNAUTHORIZED
    assert response["WWW-Authenticate"] == 'Basic realm="datocms-webhook"'
    assert store.read("k").hit


def test_secret_header_alone_with_a_custom_name() -> None:
    conf = {"WEBHOOK_SECRET": SECRET, "WEBHOOK_SECRET_HEADER": "X-Dato-Token"}
    with override_settings(DATOCMS=conf, ROOT_URLCONF="project.urls"):
        client = Client()
        body = json.dumps(invalidation("a"))
        ok = client.post(URL, body, content_type="application/json", HTTP_X_DATO_TOKEN=SECRET)
        refused = client.post(
            URL, body, content_type="application/json", HTTP_X_WEBHOOK_SECRET=SECRET
        )
    assert ok.status_code == 200
    assert refused.status_code == 401
    assert "WWW-Authenticate" not in refused


def test_basic_alone() -> None:
    conf = {"WEBHOOK_USERNAME": "u", "WEBHOOK_PASSWORD": "p"}
    with override_settings(DATOCMS=conf, ROOT_URLCONF="project.urls"):
        client = Client()
        body = json.dumps(invalidation("a"))
        ok = client.post(
            URL, body, content_type="application/json", HTTP_AUTHORIZATION=basic("u", "p")
        )
        refused = client.post(URL, body, content_type="application/json")
    assert (ok.status_code, refused.status_code) == (200, 401)


def test_bodies_over_one_mebibyte_are_refused(client: Client) -> None:
    store = filled_entry(["a"])
    big = json.dumps(invalidation("a", *["x" * 1000] * 1100))
    response = post(client, big)
    assert response.status_code == 413
    assert response.json() == {
        "ok": False,
        "error": "payload_too_large",
        "message": f"The body is {len(big)} bytes; this endpoint accepts at most 1048576.",
    }
    assert store.read("k").hit


def test_authentication_comes_before_reading_the_body(client: Client) -> None:
    big = json.dumps(invalidation(*["x" * 1000] * 1100))
    assert post(client, big, HTTP_AUTHORIZATION="").status_code == 401


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            b"{not json",
            "The body is not JSON: Expecting property name enclosed in double "
            "quotes: line 1 column 2 (char 1).",
        ),
        (b"[1, 2]", "The body must be a JSON object (DatoCMS's webhook envelope), got list."),
        (
            {"event_type": "invalidate"},
            "Invalid webhook payload: entity_type: Field required.",
        ),
        (
            {**invalidation("a"), "entity": {"attributes": {"tags": "a b"}}},
            "Invalid webhook payload: entity.attributes.tags: Input should be a valid list.",
        ),
        (
            {**invalidation("a"), "entity": {"id": "cda_cache_tags"}},
            "Invalid webhook payload: entity.attributes: Field required.",
        ),
        (
            invalidation("ok", "two words", ""),
            "Invalid webhook payload: entity.attributes.tags.1: String should match pattern "
            "'^\\S+$'; entity.attributes.tags.2: String should have at least 1 character.",
        ),
    ],
)
def test_invalid_payloads_say_what_is_wrong(client: Client, body: Any, message: str) -> None:
    store = filled_entry(["a", "ok"])
    response = post(client, body)
    assert response.status_code == 400
    assert response.json() == {"ok": False, "error": "invalid_payload", "message": message}
    assert store.read("k").hit


def test_an_empty_tag_list_is_fine(client: Client) -> None:
    response = post(client, invalidation())
    assert (response.status_code, response.json()["invalidated"]) == (200, 0)


def test_a_broken_cache_store_answers_503_so_datocms_retries() -> None:
    with override_settings(DATOCMS={**AUTH, "CACHE_ALIAS": "broken"}, ROOT_URLCONF="project.urls"):
        received: list[Any] = []

        def on_invalidated(sender: Any, **kwargs: Any) -> None:
            received.append(kwargs)

        cache_tags_invalidated.connect(on_invalidated)
        try:
            response = post(Client(), invalidation("a"))
        finally:
            cache_tags_invalidated.disconnect(on_invalidated)
    assert response.status_code == 503
    assert response.json() == {
        "ok": False,
        "error": "cache_unavailable",
        "message": "The cache store failed; nothing is invalidated yet. DatoCMS will retry.",
    }
    assert received == []


def test_no_authentication_configured_accepts_and_warns(
    caplog: pytest.LogCaptureFixture,
) -> None:
    import datocms_app.webhooks as webhooks

    webhooks._warned_open = False
    with override_settings(DATOCMS=demo_datocms(), ROOT_URLCONF="project.urls"):
        response = Client().post(
            URL, json.dumps(invalidation("a")), content_type="application/json"
        )
    assert response.status_code == 200
    assert [r.getMessage() for r in caplog.records if r.name == "datocms_app.webhooks"] == [
        "The cache-tags webhook accepts unauthenticated calls: set DATOCMS['WEBHOOK_SECRET'] "
        "or WEBHOOK_USERNAME/WEBHOOK_PASSWORD (check datocms.W060)."
    ]
