"""The cache-tags webhook: auth, limits, validation, invalidation, signals, 503 on failure."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import caches
from django.test import Client, override_settings
from django.urls import reverse

from datocms_app.caching.cdn import get_cdn
from datocms_app.caching.stores import Entry
from datocms_app.caching.versions import EPOCH_KEY, TagVersionStore
from datocms_app.signals import cache_tags_invalidated, webhook_received
from datocms_app.webhooks import cache_tags_webhook
from tests.caching.backends import CALLS
from tests.caching.cdn.recording import RecordingBackend, settings_with
from tests.demo_content import demo_datocms

URL = "/datocms/webhooks/cache-tags/"
SECRET = "s3cret-value"
AUTH = {"WEBHOOK_USERNAME": "dato", "WEBHOOK_PASSWORD": "pa:ss", "WEBHOOK_SECRET": SECRET}


def invalidation(*tags: object, call_id: str = "456") -> dict[str, Any]:
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
    with override_settings(DATOCMS=AUTH, ROOT_URLCONF="tests.urls"):
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
    store.commit("k", store.begin(), Entry(tuple(tags), "page", None))
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
    with override_settings(DATOCMS=demo_datocms(), ROOT_URLCONF="tests.urls"):
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
    with override_settings(DATOCMS=conf, ROOT_URLCONF="tests.urls"):
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
    with override_settings(DATOCMS=conf, ROOT_URLCONF="tests.urls"):
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
            "Invalid webhook payload: entity.attributes.tags: Input should be a valid list "
            "(got str 'a b').",
        ),
        (
            {**invalidation("a"), "entity": {"id": "cda_cache_tags"}},
            "Invalid webhook payload: entity.attributes: Field required.",
        ),
        (
            invalidation("ok", "two words", "", 7),
            "Invalid webhook payload: entity.attributes.tags.1: A cache tag is 1 to 1024 "
            "printable ASCII characters without spaces, as DatoCMS sends them in X-Cache-Tags; "
            "got 'two words'; entity.attributes.tags.2: A cache tag is 1 to 1024 printable "
            "ASCII characters without spaces, as DatoCMS sends them in X-Cache-Tags; got ''; "
            "entity.attributes.tags.3: A cache tag is 1 to 1024 printable ASCII characters "
            "without spaces, as DatoCMS sends them in X-Cache-Tags; got 7.",
        ),
    ],
)
def test_invalid_payloads_say_what_is_wrong(client: Client, body: Any, message: str) -> None:
    store = filled_entry(["a", "ok"])
    response = post(client, body)
    assert response.status_code == 400
    assert response.json() == {"ok": False, "error": "invalid_payload", "message": message}
    assert store.read("k").hit


def test_an_empty_tag_list_is_fine_and_writes_nothing() -> None:
    store = TagVersionStore("counting")
    epoch = store.begin()
    CALLS.clear()
    with override_settings(
        DATOCMS=settings_with(0.01, **AUTH, CACHE_ALIAS="counting"), ROOT_URLCONF="tests.urls"
    ):
        response = post(Client(), invalidation())
        cdn = get_cdn()
    assert response.status_code == 200
    assert response.json() == {
        "ok": True,
        "entity_type": "cda_cache_tags",
        "event_type": "invalidate",
        "webhook_call_id": "456",
        "invalidated": 0,
        "purged": 0,
    }
    assert [call for call in CALLS if call[0] != "get"] == []
    assert caches["counting"].get(EPOCH_KEY) == epoch
    assert isinstance(cdn, RecordingBackend)
    assert cdn.purges == []


def refused(response: Any, status: int, error: str, message: str) -> None:
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "no-store"
    assert response.json() == {"ok": False, "error": error, "message": message}


def nested_envelope(depth: int) -> dict[str, Any]:
    """A valid invalidation whose arrays and objects nest ``depth`` levels deep."""
    nested: Any = []
    for _ in range(depth - 2):
        nested = [nested]
    return {**invalidation("a"), "related_entities": nested}


@pytest.mark.parametrize(
    ("body", "depth"),
    [
        (b"[" * 200_000, 200_000),  # json.loads raised RecursionError: a 500
        (b"[" * 1000 + b"]" * 1000, 1000),
        (b'{"a":' * 65 + b"1" + b"}" * 65, 65),
        (json.dumps(nested_envelope(65)).encode(), 65),
    ],
)
def test_deep_nesting_is_refused_before_parsing(client: Client, body: bytes, depth: int) -> None:
    store = filled_entry(["a"])
    refused(
        post(client, body),
        400,
        "invalid_payload",
        f"The body nests arrays and objects {depth} levels deep; this endpoint accepts at most 64.",
    )
    assert store.read("k").hit


def test_64_levels_and_brackets_inside_strings_are_fine(client: Client) -> None:
    tags = ["[[[[{{{{", "]]]]}", '\\"[[', '"\\"[{', "[" * 1000]  # quotes and escapes too
    deep = {**nested_envelope(64), "entity": invalidation(*tags)["entity"]}
    response = post(client, deep)
    assert (response.status_code, response.json()["invalidated"]) == (200, 5)


def test_an_unterminated_string_is_not_json(client: Client) -> None:
    refused(
        post(client, b'{"entity_type": "[[[[[[[[\\"' + b"[" * 100),
        400,
        "invalid_payload",
        "The body is not JSON: Unterminated string starting at: line 1 column 17 (char 16).",
    )


@pytest.mark.parametrize(
    ("tag", "shown"),
    [
        ("\x1ca", "'\\x1ca'"),
        ("a\x1c", "'a\\x1c'"),
        ("\x1da", "'\\x1da'"),
        ("a\x1d", "'a\\x1d'"),
        ("\x1ea", "'\\x1ea'"),
        ("a\x1e", "'a\\x1e'"),
        ("\x1fa", "'\\x1fa'"),
        ("a\x1f", "'a\\x1f'"),
        ("\x85a", "'\\x85a'"),
        ("a\u3000", "'a\\u3000'"),
        ("caf\u00e9", "'café'"),
        ("a\ud800", "'a\\ud800'"),
        ("x" * 1025, "'" + "x" * 59 + "..."),
    ],
)
def test_tags_outside_printable_ascii_are_refused(client: Client, tag: str, shown: str) -> None:
    # Tags starting or ending with \x1c-\x1f passed the payload's pattern, then str.strip()
    # in invalidate_tags raised: a 500.
    store = filled_entry(["a"])
    refused(
        post(client, invalidation("a", tag)),
        400,
        "invalid_payload",
        "Invalid webhook payload: entity.attributes.tags.1: A cache tag is 1 to 1024 printable "
        f"ASCII characters without spaces, as DatoCMS sends them in X-Cache-Tags; got {shown}.",
    )
    assert store.read("k").hit


@pytest.mark.parametrize(
    ("content_type", "shown"),
    [
        ("text/plain", "'text/plain'"),
        ("application/x-www-form-urlencoded", "'application/x-www-form-urlencoded'"),
        ("multipart/form-data; boundary=x", "'multipart/form-data; boundary=x'"),
        ("application/problem+json", "'application/problem+json'"),
        ("application/vnd.api+json", "'application/vnd.api+json'"),
        ("application/json, text/plain", "'application/json, text/plain'"),
        ("application/jsonx", "'application/jsonx'"),
        ("", "no Content-Type"),
        ("x" * 300, "'" + "x" * 100 + "'"),
    ],
)
def test_bodies_that_are_not_json_get_415(client: Client, content_type: str, shown: str) -> None:
    store = filled_entry(["a"])
    response = post(client, invalidation("a"), CONTENT_TYPE=content_type)
    refused(
        response,
        415,
        "unsupported_media_type",
        "The body must be sent as Content-Type: application/json, as DatoCMS sends its webhook "
        f"calls; got {shown}.",
    )
    assert response["Accept-Post"] == "application/json"
    assert store.read("k").hit


@pytest.mark.parametrize("charset", ["latin-1", "utf-16", "nonsense"])
def test_json_in_another_charset_gets_415(client: Client, charset: str) -> None:
    store = filled_entry(["a"])
    refused(
        post(client, invalidation("a"), CONTENT_TYPE=f"application/json; charset={charset}"),
        415,
        "unsupported_media_type",
        f"The body must be JSON in UTF-8 (charset=utf-8 or none); got {charset!r}.",
    )
    assert store.read("k").hit


@pytest.mark.parametrize(
    "content_type",
    [
        "application/json",
        "Application/JSON",
        "application/json; charset=utf-8",
        "application/json;charset=UTF8",
        'application/json; charset="utf-8"',
    ],
)
def test_json_content_types_are_accepted(client: Client, content_type: str) -> None:
    store = filled_entry(["a"])
    response = post(client, invalidation("a"), CONTENT_TYPE=content_type)
    assert (response.status_code, response.json()["invalidated"]) == (200, 1)
    assert store.read("k").status == "stale"


@pytest.mark.parametrize(
    ("body", "length", "status", "message"),
    [
        (b"\xff{}", None, 400, "The body is not UTF-8 (byte 0 is not valid); send JSON in UTF-8."),
        (
            "\ufeff{}".encode(),
            None,
            400,
            "The body is not JSON: Unexpected UTF-8 BOM (decode using utf-8-sig): line 1 "
            "column 1 (char 0).",
        ),
        (b"", "0", 400, "The body is not JSON: Expecting value: line 1 column 1 (char 0)."),
        (b"{}", "-1", 400, "The Content-Length header is not a number >= 0."),
        (b"{}", "two", 400, "The Content-Length header is not a number >= 0."),
    ],
)
def test_unreadable_bodies_get_400(
    client: Client, body: bytes, length: str | None, status: int, message: str
) -> None:
    # The test client leaves an empty body without a Content-Type: give it one.
    headers = {"CONTENT_TYPE": "application/json"}
    if length is not None:
        headers["CONTENT_LENGTH"] = length
    response = post(client, body, **headers)
    error = "invalid_request" if "Content-Length" in message else "invalid_payload"
    refused(response, status, error, message)


def test_a_broken_cache_store_answers_503_so_datocms_retries() -> None:
    with override_settings(DATOCMS={**AUTH, "CACHE_ALIAS": "broken"}, ROOT_URLCONF="tests.urls"):
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
    with override_settings(DATOCMS=demo_datocms(), ROOT_URLCONF="tests.urls"):
        response = Client().post(
            URL, json.dumps(invalidation("a")), content_type="application/json"
        )
    assert response.status_code == 200
    assert [r.getMessage() for r in caplog.records if r.name == "datocms_app.webhooks"] == [
        "The cache-tags webhook accepts unauthenticated calls: set DATOCMS['WEBHOOK_SECRET'] "
        "or WEBHOOK_USERNAME/WEBHOOK_PASSWORD (check datocms.W060)."
    ]
