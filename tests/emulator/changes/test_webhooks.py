"""Webhook delivery: DatoCMS's envelope byte for byte, auth, triggers, retries, draining."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator

import pytest

from datocms_app.emulator.exceptions import WebhookDrainTimeout
from datocms_app.emulator.webhooks import (
    AUTO_RETRY_SCHEDULE,
    Webhook,
    WebhookDispatcher,
    cache_tags_entity,
)
from datocms_app.exceptions import ConfigurationError, InvalidArgument

from .receiver import closed_port_url, receiver

TAGS = ["N*r;L", "6-KZ@", "t#k[uP", 'a"b\\c']


@pytest.fixture
def dispatchers() -> Iterator[list[WebhookDispatcher]]:
    made: list[WebhookDispatcher] = []
    yield made
    for dispatcher in made:
        dispatcher.close()


def make(
    dispatchers: list[WebhookDispatcher], *webhooks: dict[str, object], **options: object
) -> WebhookDispatcher:
    dispatcher = WebhookDispatcher(list(webhooks), **options)  # type: ignore[arg-type]
    dispatchers.append(dispatcher)
    return dispatcher


def test_cache_tags_payload_is_datocms_envelope_byte_for_byte(dispatchers) -> None:
    with receiver(200) as endpoint:
        dispatcher = make(
            dispatchers,
            {"url": endpoint.url, "id": "28374"},
            site_id="205",
            environment="main",
        )
        (call,) = dispatcher.invalidate_cache_tags(TAGS)
        dispatcher.drain(5)
    (request,) = endpoint.requests
    stamp = call.created_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert request.body.decode() == (
        '{"webhook_call_id":"1","event_triggered_at":"' + stamp + '",'
        '"attempted_auto_retries_count":0,"webhook_id":"28374","site_id":"205",'
        '"environment":"main","is_environment_primary":true,'
        '"entity_type":"cda_cache_tags","event_type":"invalidate",'
        '"entity":{"id":"cda_cache_tags","type":"cda_cache_tags",'
        '"attributes":{"tags":["N*r;L","6-KZ@","t#k[uP","a\\"b\\\\c"]}},'
        '"related_entities":[]}'
    )
    assert json.loads(request.body)["entity"]["attributes"]["tags"] == TAGS
    assert request.path == "/hook"
    assert request.headers["Content-Type"] == "application/json"
    assert request.headers["Accept"] == "*/*"
    assert request.headers["User-Agent"] == "DatoCMS (datocms.com)"
    assert "Authorization" not in request.headers
    assert call.status == "success"
    assert call.attempted_auto_retries_count == 0
    assert call.next_retry_at is None
    assert [a.response_status for a in call.attempts] == [200]
    assert call.attempts[0].response_payload == "ok"
    assert call.tags == TAGS


def test_basic_auth_and_custom_headers(dispatchers) -> None:
    with receiver(204) as endpoint:
        dispatcher = make(
            dispatchers,
            {
                "url": endpoint.url,
                "http_basic_user": "dato",
                "http_basic_password": "s3cret:pw",
                "headers": {"X-Webhook-Secret": "abc", "X-Foo": "Bar"},
            },
        )
        dispatcher.invalidate_cache_tags(["x"])
        dispatcher.drain(5)
    (request,) = endpoint.requests
    # base64("dato:s3cret:pw")
    assert request.headers["Authorization"] == "Basic ZGF0bzpzM2NyZXQ6cHc="
    assert request.headers["X-Webhook-Secret"] == "abc"
    assert request.headers["X-Foo"] == "Bar"
    assert dispatcher.calls[0].status == "success"


def test_password_is_not_in_repr() -> None:
    webhook = Webhook(url="http://127.0.0.1/x", http_basic_user="u", http_basic_password="hunter2")
    assert "hunter2" not in repr(webhook)
    assert "hunter2" not in str(webhook)


def test_retries_follow_the_scaled_schedule_until_success(dispatchers) -> None:
    scale = 0.001
    with receiver(500, 503, 200) as endpoint:
        dispatcher = make(dispatchers, {"url": endpoint.url}, retry_scale=scale)
        (call,) = dispatcher.invalidate_cache_tags(["t1"])
        dispatcher.drain(10)
    counts = [json.loads(r.body)["attempted_auto_retries_count"] for r in endpoint.requests]
    assert counts == [0, 1, 2]
    assert [json.loads(r.body)["webhook_call_id"] for r in endpoint.requests] == ["1"] * 3
    assert [a.number for a in call.attempts] == [0, 1, 2]
    assert [a.response_status for a in call.attempts] == [500, 503, 200]
    assert [a.delay for a in call.attempts] == [0.0, 120 * scale, 360 * scale]
    # Each retry waited at least its scheduled delay after the previous attempt.
    for previous, attempt in zip(call.attempts, call.attempts[1:], strict=False):
        assert attempt.sent_at - previous.sent_at >= attempt.delay
    assert call.status == "success"
    assert call.attempted_auto_retries_count == 2


def test_connection_errors_exhaust_all_seven_retries_then_fail(dispatchers) -> None:
    scale = 0.000001
    dispatcher = make(dispatchers, {"url": closed_port_url()}, retry_scale=scale)
    (call,) = dispatcher.invalidate_cache_tags(["t1"])
    dispatcher.drain(10)
    assert call.status == "failed"
    assert len(call.attempts) == 8
    assert [a.number for a in call.attempts] == list(range(8))
    assert [a.delay for a in call.attempts] == [0.0] + [s * scale for s in AUTO_RETRY_SCHEDULE]
    assert all(a.response_status is None and a.error for a in call.attempts)
    assert call.attempted_auto_retries_count == 7
    assert call.next_retry_at is None


def test_without_auto_retry_one_failure_is_final(dispatchers) -> None:
    with receiver(500, 200) as endpoint:
        dispatcher = make(dispatchers, {"url": endpoint.url, "auto_retry": False})
        (call,) = dispatcher.invalidate_cache_tags(["t1"])
        dispatcher.drain(5)
    assert len(endpoint.requests) == 1
    assert call.status == "failed"
    assert call.attempts[0].response_status == 500
    assert call.attempts[0].response_payload == "nope"


def test_drain_times_out_naming_the_waiting_call(dispatchers) -> None:
    first_attempt_done = threading.Event()
    with receiver(500) as endpoint:
        dispatcher = make(
            dispatchers,
            {"url": endpoint.url},
            retry_scale=1.0,
            on_delivered=lambda call, attempt: first_attempt_done.set(),
        )
        (call,) = dispatcher.invalidate_cache_tags(["t1"])
        assert first_attempt_done.wait(5)
        with pytest.raises(WebhookDrainTimeout, match=r"call 1 \(cda_cache_tags/invalidate"):
            dispatcher.drain(0.05)
        assert call.status == "rescheduled"
        assert call.next_retry_at is not None
        assert dispatcher.pending() == [call]
        dispatcher.close()
    assert call.status == "failed"
    assert len(endpoint.requests) == 1


def test_triggers_and_filters_choose_the_webhooks(dispatchers) -> None:
    with receiver(200) as endpoint:
        dispatcher = make(
            dispatchers,
            {"url": endpoint.url + "/tags"},
            {"url": endpoint.url + "/off", "enabled": False},
            {
                "url": endpoint.url + "/articles",
                "events": [
                    {
                        "entity_type": "item",
                        "event_types": ["publish", "update"],
                        "filters": [{"entity_type": "item_type", "entity_ids": ["article"]}],
                    }
                ],
            },
        )
        dispatcher.invalidate_cache_tags(["a"])
        entity = {"id": "r1", "type": "item"}
        dispatcher.emit(
            "item", "publish", entity, filter_ids={"item": ["r1"], "item_type": ["m1", "article"]}
        )
        dispatcher.emit(
            "item", "publish", entity, filter_ids={"item": ["r1"], "item_type": ["m2", "author"]}
        )
        dispatcher.emit(
            "item", "delete", entity, filter_ids={"item": ["r1"], "item_type": ["m1", "article"]}
        )
        dispatcher.drain(5)
    assert sorted(r.path for r in endpoint.requests) == ["/hook/articles", "/hook/tags"]
    assert [(c.webhook_id, c.entity_type, c.event_type) for c in dispatcher.calls] == [
        ("1", "cda_cache_tags", "invalidate"),
        ("3", "item", "publish"),
    ]


def test_previous_entity_is_sent_between_entity_and_related_entities(dispatchers) -> None:
    with receiver(200) as endpoint:
        dispatcher = make(
            dispatchers,
            {"url": endpoint.url, "events": [{"entity_type": "item", "event_types": ["update"]}]},
        )
        dispatcher.emit(
            "item",
            "update",
            {"id": "r1", "attributes": {"title": "New"}},
            previous_entity={"id": "r1", "attributes": {"title": "Old"}},
            related_entities=[{"id": "m1", "type": "item_type"}],
        )
        dispatcher.drain(5)
    body = json.loads(endpoint.requests[0].body)
    assert list(body)[-4:] == ["event_type", "entity", "previous_entity", "related_entities"]
    assert body["previous_entity"]["attributes"] == {"title": "Old"}
    assert body["related_entities"] == [{"id": "m1", "type": "item_type"}]


def test_empty_tag_list_sends_nothing(dispatchers) -> None:
    dispatcher = make(dispatchers, {"url": "http://127.0.0.1:9/never"})
    assert dispatcher.invalidate_cache_tags([]) == []
    assert dispatcher.calls == []


def test_cache_tags_entity_shape() -> None:
    assert cache_tags_entity(("a", "b")) == {
        "id": "cda_cache_tags",
        "type": "cda_cache_tags",
        "attributes": {"tags": ["a", "b"]},
    }


@pytest.mark.parametrize(
    ("webhook", "message"),
    [
        (
            {"url": "ftp://x"},
            "Webhook #1 is not valid: url: must be an http(s) URL such as "
            "'http://127.0.0.1:8000/datocms/webhooks/cache-tags/'.",
        ),
        (
            {"url": "http://x", "secret": "y"},
            "Webhook #1 is not valid: secret: unknown key; known keys are: auto_retry, enabled, "
            "events, headers, http_basic_password, http_basic_user, id, name, url.",
        ),
        (
            {"url": "http://x", "http_basic_user": "u"},
            "Webhook #1 is not valid: webhook: set both http_basic_user and "
            "http_basic_password, or neither.",
        ),
        (
            {"url": "http://x", "events": [{"entity_type": "item", "event_types": ["invalidate"]}]},
            "Webhook #1 is not valid: events.0: event_types of 'item' must be a non-empty list "
            "of ['create', 'delete', 'publish', 'unpublish', 'update'], got ['invalidate'].",
        ),
        (
            {"url": "http://x", "headers": {"Bad Name": "v"}},
            "Webhook #1 is not valid: headers: 'Bad Name' is not a valid HTTP header name and "
            "value.",
        ),
        (
            {"name": "cache"},
            "Webhook #1 is not valid: url: Field required (expected str).",
        ),
        (
            "http://x",
            "Webhook #1 must be a dict of webhook keys, got str. Known keys: auto_retry, "
            "enabled, events, headers, http_basic_password, http_basic_user, id, name, url.",
        ),
        # Credentials are never echoed: the password, and header values (Authorization...).
        (
            {"url": "http://x", "http_basic_user": "u", "http_basic_password": 1234567},
            "Webhook #1 is not valid: http_basic_password: Input should be a valid string "
            "(expected str | None, got int (value hidden)).",
        ),
        (
            {"url": "http://x", "headers": {"Authorization": 1234567}},
            "Webhook #1 is not valid: headers.Authorization: Input should be a valid string "
            "(expected dict[str, str], got int (value hidden)).",
        ),
    ],
)
def test_invalid_webhook_settings_are_explained(webhook: object, message: str) -> None:
    with pytest.raises(ConfigurationError) as caught:
        WebhookDispatcher([webhook])
    assert str(caught.value) == message


def test_duplicate_ids_are_refused() -> None:
    with pytest.raises(ConfigurationError, match="Two webhooks have the id '7'"):
        WebhookDispatcher([{"url": "http://a", "id": "7"}, {"url": "http://b", "id": "7"}])


def test_unknown_event_is_refused(dispatchers) -> None:
    dispatcher = make(dispatchers, {"url": "http://127.0.0.1:9/never"})
    with pytest.raises(InvalidArgument, match="'item'/'invalidate' is not a DatoCMS webhook event"):
        dispatcher.emit("item", "invalidate", {})


def test_the_worker_thread_ends_when_idle(dispatchers) -> None:
    with receiver(200) as endpoint:
        dispatcher = make(dispatchers, {"url": endpoint.url})
        dispatcher.invalidate_cache_tags(["a"])
        dispatcher.drain(5)
        workers = [t for t in threading.enumerate() if t.name == "datocms-emulator-webhooks"]
        for worker in workers:
            worker.join(5)
        assert not any(worker.is_alive() for worker in workers)
        # ... and the next emit starts a new one.
        dispatcher.invalidate_cache_tags(["b"])
        dispatcher.drain(5)
    assert [c.status for c in dispatcher.calls] == ["success", "success"]
    assert len(endpoint.requests) == 2


def test_settings_validate_webhooks_without_echoing_passwords() -> None:
    from datocms_app.emulator.conf import validate_emulator_keys

    with pytest.raises(ConfigurationError) as caught:
        validate_emulator_keys(
            {"EMULATOR": {"WEBHOOKS": [{"url": "nope", "http_basic_user": "u",
                                        "http_basic_password": "hunter2"}]}}
        )  # fmt: skip
    assert str(caught.value) == (
        "settings.DATOCMS['EMULATOR']['WEBHOOKS']: Webhook #1 is not valid: url: must be an "
        "http(s) URL such as 'http://127.0.0.1:8000/datocms/webhooks/cache-tags/'."
    )
    assert "hunter2" not in str(caught.value)


def test_a_failing_callback_does_not_stop_deliveries(dispatchers, caplog) -> None:
    def explode(call: object, attempt: object) -> None:
        raise RuntimeError("boom")

    with receiver(200) as endpoint:
        dispatcher = make(dispatchers, {"url": endpoint.url}, on_delivered=explode)
        dispatcher.invalidate_cache_tags(["a"])
        dispatcher.invalidate_cache_tags(["b"])
        dispatcher.drain(5)
    assert [c.status for c in dispatcher.calls] == ["success", "success"]
    assert caplog.text.count("The on_delivered callback failed for webhook call") == 2


def test_header_values_must_be_latin1() -> None:
    with pytest.raises(ConfigurationError, match="'X-Name' is not a valid HTTP header"):
        WebhookDispatcher([{"url": "http://x", "headers": {"X-Name": "Zoë ☃"}}])


def test_drain_without_retries_waits_for_first_attempts_only(dispatchers) -> None:
    with receiver(503) as endpoint:
        dispatcher = make(dispatchers, {"url": endpoint.url}, retry_scale=1.0)
        (call,) = dispatcher.invalidate_cache_tags(["a"])
        dispatcher.drain(5, retries=False)
        assert call.status == "rescheduled"
        assert [a.response_status for a in call.attempts] == [503]
        with pytest.raises(WebhookDrainTimeout):
            dispatcher.drain(0)
