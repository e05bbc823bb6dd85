"""Store changes become DatoCMS webhook calls: record lifecycle events, cache-tag invalidation."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from datocms_app.emulator import events
from datocms_app.emulator.changes import ContentEditor
from datocms_app.emulator.store import ContentStore
from datocms_app.emulator.webhooks import WebhookDispatcher

from .receiver import Receiver, receiver

FIXED = datetime(2025, 3, 1, 12, 0, 0, tzinfo=UTC)
ITEM_EVENTS = ["create", "update", "delete", "publish", "unpublish"]


@pytest.fixture
def hooked(store: ContentStore) -> Iterator[tuple[ContentEditor, WebhookDispatcher, Receiver]]:
    with receiver(200) as endpoint:
        dispatcher = WebhookDispatcher(
            [
                {"url": endpoint.url + "/tags", "http_basic_user": "u", "http_basic_password": "p"},
                {
                    "url": endpoint.url + "/items",
                    "events": [{"entity_type": "item", "event_types": ITEM_EVENTS},
                               {"entity_type": "upload", "event_types": ["update"]}],
                },
            ],
            site_id="42",
        )  # fmt: skip
        unsubscribe = events.connect(store, dispatcher)
        try:
            yield ContentEditor(store, clock=lambda: FIXED), dispatcher, endpoint
        finally:
            unsubscribe()
            dispatcher.close()


def bodies(endpoint: Receiver, path: str) -> list[dict[str, Any]]:
    return [json.loads(r.body) for r in endpoint.requests if r.path == "/hook" + path]


def test_update_sends_item_update_then_cache_tags(hooked) -> None:
    editor, dispatcher, endpoint = hooked
    result = editor.update_record("alps", {"views": 3})
    dispatcher.drain(5)
    (tag_call,) = bodies(endpoint, "/tags")
    assert tag_call["entity_type"] == "cda_cache_tags"
    assert tag_call["event_type"] == "invalidate"
    assert tag_call["site_id"] == "42"
    assert tag_call["entity"]["attributes"]["tags"] == list(result.tags)
    assert tag_call["related_entities"] == []
    (item_call,) = bodies(endpoint, "/items")
    assert item_call["entity_type"] == "item"
    assert item_call["event_type"] == "update"
    entity, previous = item_call["entity"], item_call["previous_entity"]
    assert entity["id"] == "alps"
    assert entity["type"] == "item"
    assert entity["attributes"]["views"] == 3
    assert previous["attributes"]["views"] == 1
    assert entity["attributes"]["extra"] == '{"a": 1}'
    assert entity["attributes"]["title"] == {"en": "The Alps", "it": "Le Alpi"}
    assert entity["attributes"]["content"] == ["q1"]
    assert entity["relationships"] == {
        "item_type": {"data": {"id": "m-article", "type": "item_type"}},
        "creator": {"data": {"id": "emulator", "type": "access_token"}},
    }
    assert entity["meta"]["status"] == "updated"
    assert previous["meta"]["status"] == "published"
    assert entity["meta"]["updated_at"] == "2025-03-01T12:00:00+00:00"
    assert entity["meta"]["current_version"] != previous["meta"]["current_version"]
    (model,) = item_call["related_entities"]
    assert model["id"] == "m-article"
    assert model["attributes"]["api_key"] == "article"
    assert [r.headers["Authorization"] for r in endpoint.requests if r.path == "/hook/tags"] == [
        "Basic dTpw"
    ]


def test_lifecycle_events_follow_datocms_table(hooked) -> None:
    editor, dispatcher, endpoint = hooked
    editor.create_record("article", {"title": {"en": "A"}}, id="a1")
    editor.update_record("a1", {"views": 1})
    editor.publish_record("a1")
    editor.update_record("a1", {"views": 2})
    editor.unpublish_record("a1")
    editor.publish_record("a1")
    editor.delete_record("a1")
    editor.create_record("category", {"name": "Food"}, id="food")
    dispatcher.drain(5)
    seen = [(b["event_type"], b["entity"]["id"], b["entity"]["meta"]["status"])
            for b in bodies(endpoint, "/items")]  # fmt: skip
    assert seen == [
        ("create", "a1", "draft"),
        ("update", "a1", "draft"),
        ("publish", "a1", "published"),
        ("update", "a1", "updated"),
        ("unpublish", "a1", "draft"),
        ("publish", "a1", "published"),
        ("unpublish", "a1", "published"),
        ("delete", "a1", "published"),
        ("create", "food", "published"),
        ("publish", "food", "published"),
    ]
    assert len(bodies(endpoint, "/tags")) == 8
    ids = [int(b["webhook_call_id"]) for b in bodies(endpoint, "/items")]
    assert ids == sorted(ids)


def test_upload_update_event(hooked) -> None:
    editor, dispatcher, endpoint = hooked
    editor.update_upload("up-1", notes="Shot at noon")
    dispatcher.drain(5)
    (call,) = bodies(endpoint, "/items")
    assert (call["entity_type"], call["event_type"]) == ("upload", "update")
    attributes = call["entity"]["attributes"]
    assert attributes["notes"] == "Shot at noon"
    assert attributes["filename"] == "pixel.png"
    assert attributes["path"] == "/up-1/pixel.png"
    assert attributes["format"] == "png"
    assert attributes["size"] > 0
    (tags_call,) = bodies(endpoint, "/tags")
    assert len(tags_call["entity"]["attributes"]["tags"]) == 2  # the upload, allUploads


def test_no_op_publish_sends_nothing(hooked) -> None:
    editor, dispatcher, endpoint = hooked
    editor.publish_record("alps")
    dispatcher.drain(5)
    assert endpoint.requests == []


def test_filters_match_a_model_by_api_key_or_id(store: ContentStore) -> None:
    with receiver(200) as endpoint:
        dispatcher = WebhookDispatcher(
            [
                {"url": endpoint.url + "/by-key", "events": [{"entity_type": "item",
                 "event_types": ["update"], "filters": [{"entity_type": "item_type",
                                                         "entity_ids": ["author"]}]}]},
                {"url": endpoint.url + "/by-id", "events": [{"entity_type": "item",
                 "event_types": ["update"], "filters": [{"entity_type": "item_type",
                                                         "entity_ids": ["m-author"]}]}]},
                {"url": endpoint.url + "/record", "events": [{"entity_type": "item",
                 "event_types": ["update"], "filters": [{"entity_type": "item",
                                                         "entity_ids": ["alps"]}]}]},
            ]
        )  # fmt: skip
        unsubscribe = events.connect(store, dispatcher)
        editor = ContentEditor(store, clock=lambda: FIXED)
        editor.update_record("ada", {"name": "Ada L."})
        editor.update_record("alps", {"views": 2})
        dispatcher.drain(5)
        unsubscribe()
        dispatcher.close()
    received = sorted((r.path, json.loads(r.body)["entity"]["id"]) for r in endpoint.requests)
    assert received == [("/hook/by-id", "ada"), ("/hook/by-key", "ada"), ("/hook/record", "alps")]
