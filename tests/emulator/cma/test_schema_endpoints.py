"""The site, models and fields through the CMA, and schema changes reaching the CDA."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from datocms_app.emulator import cache_tags
from datocms_app.emulator.embedded import EmulatorTransport
from datocms_app.emulator.server import Emulator
from datocms_app.emulator.store import ContentStore
from tests.emulator.changes.receiver import Receiver, receiver
from tests.emulator.cma.conftest import BASE, HEADERS, TOKEN, api_error, error, job_result
from tests.emulator.cma.project import BOOK_ID, HERO_ID


def model_body(**attributes: Any) -> dict[str, Any]:
    return {"data": {"type": "item_type", "attributes": attributes}}


def field_body(**attributes: Any) -> dict[str, Any]:
    return {"data": {"type": "field", "attributes": attributes}}


def test_site_with_the_whole_schema(api: httpx.Client, emulator: Emulator) -> None:
    response = api.get("/site", params={"include": "item_types,item_types.fields"})
    document = response.json()
    assert document["data"]["id"] == "emulator"
    assert document["data"]["attributes"]["name"] == "CMA tests"
    models = [e for e in document["included"] if e["type"] == "item_type"]
    fields = [e for e in document["included"] if e["type"] == "field"]
    assert len(models) == len(emulator.store.state.schema.models)
    assert document["data"]["relationships"]["item_types"]["data"][0] == {
        "id": BOOK_ID, "type": "item_type"
    }  # fmt: skip
    sections = next(f for f in fields if f["id"] == "landing_page.sections")
    assert sections["attributes"]["validators"] == {
        "rich_text_blocks": {"item_types": [HERO_ID, "testimonial_block"]}
    }
    assert "included" not in api.get("/site").json()
    bad = api.get("/site", params={"include": "users"})
    assert error(bad)["code"] == "INVALID_PARAMS"


def test_a_model_and_its_fields(api: httpx.Client) -> None:
    book = api.get("/item-types/book").json()["data"]
    assert api.get(f"/item-types/{BOOK_ID}").json()["data"] == book
    assert book["attributes"]["api_key"] == "book"
    assert book["relationships"]["title_field"] == {"data": {"id": "book.title", "type": "field"}}
    (field, *_rest) = api.get("/item-types/book/fields").json()["data"]
    assert field == {
        "id": "book.title",
        "type": "field",
        "attributes": {
            "label": "Title",
            "field_type": "string",
            "api_key": "title",
            "localized": False,
            "validators": {},
            "position": 1,
            "hint": None,
            "default_value": None,
            "appearance": {"editor": "single_line", "parameters": {"heading": False},
                           "addons": []},
            "deep_filtering_enabled": False,
        },
        "relationships": {
            "item_type": {"data": {"id": BOOK_ID, "type": "item_type"}},
            "fieldset": {"data": None},
        },
    }  # fmt: skip
    assert api.get("/fields/book.title").json()["data"] == field
    home = api.get("/item-types/home").json()["data"]
    assert home["relationships"]["singleton_item"] == {"data": {"id": "home", "type": "item"}}
    assert home["meta"] == {"has_singleton_item": True}
    missing = api.get("/item-types/nope")
    assert missing.status_code == 404
    assert error(missing) == api_error("NOT_FOUND", "No model or block model 'nope'.", id="nope")


def test_creating_a_model_then_fields_reaches_the_cda(
    api: httpx.Client, emulator: Emulator
) -> None:
    body = model_body(name="Blog post", api_key="blog_entry", hint="Posts",
                      all_locales_required=True)  # fmt: skip
    created = api.post("/item-types", json=body)
    assert created.status_code == 201
    model = created.json()["data"]
    assert len(model["id"]) == 22
    assert model == {
        "id": model["id"],
        "type": "item_type",
        "attributes": {
            "name": "Blog post", "api_key": "blog_entry", "singleton": False, "sortable": False,
            "modular_block": False, "tree": False, "ordering_direction": None,
            "ordering_meta": None, "draft_mode_active": False, "all_locales_required": True,
            "collection_appearance": "compact", "hint": "Posts",
            "inverse_relationships_enabled": False, "draft_saving_active": False,
        },
        "relationships": {
            "fields": {"data": []}, "fieldsets": {"data": []}, "singleton_item": {"data": None},
            "presentation_title_field": {"data": None},
            "presentation_image_field": {"data": None}, "title_field": {"data": None},
            "image_preview_field": {"data": None}, "excerpt_field": {"data": None},
            "ordering_field": {"data": None}, "workflow": {"data": None},
        },
        "meta": {"has_singleton_item": False},
    }  # fmt: skip
    title = field_body(
        label="Title", field_type="string", api_key="title", validators={"required": {}}
    )
    job = api.post(f"/item-types/{model['id']}/fields", json=title)
    result = job_result(api, job)
    assert result["status"] == 201
    assert result["payload"]["data"]["attributes"]["api_key"] == "title"
    assert result["payload"]["included"][0]["id"] == model["id"]
    reference = {"type": "item_type", "id": model["id"]}
    record = api.post("/items", json={"data": {"type": "item", "attributes": {"title": "Hi"},
        "relationships": {"item_type": {"data": reference}}}})  # fmt: skip
    assert record.status_code == 201
    assert emulator.execute("{ allBlogEntries { title } }").body == {
        "data": {"allBlogEntries": [{"title": "Hi"}]}
    }


def test_a_block_model_and_a_modular_content_field(api: httpx.Client, emulator: Emulator) -> None:
    block = api.post("/item-types", json=model_body(name="Quote", api_key="quote_block",
                                                    modular_block=True)).json()["data"]  # fmt: skip
    job = api.post("/item-types/book/fields", json=field_body(
        label="Quotes", field_type="rich_text", api_key="quotes",
        validators={"rich_text_blocks": {"item_types": [block["id"]]}}, position=1))  # fmt: skip
    result = job_result(api, job)
    assert result["status"] == 201
    assert result["payload"]["data"]["attributes"]["position"] == 1
    assert result["payload"]["data"]["attributes"]["validators"] == {
        "rich_text_blocks": {"item_types": [block["id"]]}
    }
    assert emulator.store.state.schema.models["book"].fields[0].api_key == "quotes"
    query = '{ __type(name: "BookRecord") { fields { name } } }'
    names = [f["name"] for f in emulator.execute(query).body["data"]["__type"]["fields"]]
    assert "quotes" in names


def test_model_refusals(api: httpx.Client) -> None:
    taken = api.post("/item-types", json=model_body(name="Book", api_key="book"))
    assert error(taken) == api_error(
        "INVALID_FIELD",
        "api_key 'book' is already taken.",
        field="api_key",
        code="VALIDATION_UNIQUENESS",
        record_type="ItemType",
    )
    bad_key = api.post("/item-types", json=model_body(name="X", api_key="Blog Post"))
    assert error(bad_key)["details"]["code"] == "VALIDATION_FORMAT"
    missing = api.post("/item-types", json=model_body(api_key="x"))
    assert error(missing) == api_error(
        "INVALID_FIELD", "name is required.", field="name", code="VALIDATION_REQUIRED",
        record_type="ItemType",
    )  # fmt: skip
    block = api.post("/item-types", json=model_body(name="B", api_key="b", modular_block=True,
                                                    draft_mode_active=True))  # fmt: skip
    assert error(block) == api_error(
        "INVALID_FIELD", "draft_mode_active must be false for block models.",
        field="draft_mode_active", code="VALIDATION_INVALID",
    )  # fmt: skip
    unknown = api.post("/item-types", json=model_body(name="X", api_key="x", colour="red"))
    assert error(unknown)["code"] == "INVALID_FORMAT"


def test_field_refusals_answer_at_once(api: httpx.Client, emulator: Emulator) -> None:
    taken = api.post("/item-types/book/fields", json=field_body(
        label="T", field_type="string", api_key="title"))  # fmt: skip
    assert taken.status_code == 422
    assert error(taken)["details"] == {"field": "api_key", "code": "VALIDATION_UNIQUENESS",
                                       "record_type": "Field",
                                       "message": "api_key 'title' is already taken."}  # fmt: skip
    links = api.post("/item-types/book/fields", json=field_body(
        label="Author", field_type="link", api_key="author"))  # fmt: skip
    assert error(links) == api_error(
        "INVALID_FIELD",
        "A link field needs the validator(s) item_item_type (which models it accepts), e.g. "
        "{'item_item_type': {'item_types': ['<model id>']}}.",
        field="validators",
        code="VALIDATION_REQUIRED",
        validators=["item_item_type"],
    )
    video = api.post("/item-types/book/fields", json=field_body(
        label="Trailer", field_type="video", api_key="trailer"))  # fmt: skip
    assert error(video)["details"]["code"] == "VALIDATION_INCLUSION"
    wrong_model = api.post("/item-types/book/fields", json=field_body(
        label="Author", field_type="link", api_key="author",
        validators={"item_item_type": {"item_types": [HERO_ID]}}))  # fmt: skip
    assert error(wrong_model)["details"]["message"].endswith("links can only point to models, "
                                                            "'hero_block' is a block.")  # fmt: skip
    localized_block = api.post(f"/item-types/{HERO_ID}/fields", json=field_body(
        label="X", field_type="string", api_key="x", localized=True))  # fmt: skip
    assert error(localized_block)["details"]["field"] == "localized"
    assert [f.api_key for f in emulator.store.state.schema.models["book"].fields] == [
        "title", "genre", "synopsis", "pages"
    ]  # fmt: skip


@pytest.fixture
def hooked_emulator(cma_project: Path) -> Iterator[tuple[Emulator, Receiver]]:
    with receiver(200) as endpoint:
        emulator = Emulator(
            ContentStore.from_directory(cma_project), tokens=[TOKEN], cma_job_seconds=0.01,
            webhooks=[{"url": endpoint.url}],
        )  # fmt: skip
        try:
            yield emulator, endpoint
        finally:
            emulator.close()


def test_schema_changes_send_the_schema_tag_to_the_webhooks(
    hooked_emulator: tuple[Emulator, Receiver],
) -> None:
    emulator, endpoint = hooked_emulator
    before = emulator.execute("{ allBooks { title } }")
    assert cache_tags.schema_tag() in before.tags
    with httpx.Client(transport=EmulatorTransport(emulator), base_url=BASE, headers=HEADERS) as api:
        api.post("/item-types", json=model_body(name="News", api_key="news"))
        job_result(api, api.post("/item-types/book/fields", json=field_body(
            label="Isbn", field_type="string", api_key="isbn")))  # fmt: skip
    emulator.webhooks.drain(5)
    calls = [json.loads(request.body) for request in endpoint.requests]
    assert [call["entity"]["attributes"]["tags"] for call in calls] == [
        [cache_tags.schema_tag()], [cache_tags.schema_tag()]
    ]  # fmt: skip
    after = emulator.execute("{ allBooks { isbn } allNews { id } }")
    assert after.body == {"data": {"allBooks": [], "allNews": []}}


def test_record_changes_send_item_events_and_cache_tags(cma_project: Path) -> None:
    item_events = ["create", "update", "publish", "unpublish", "delete"]
    with receiver(200) as endpoint:
        emulator = Emulator(
            ContentStore.from_directory(cma_project), tokens=[TOKEN], cma_job_seconds=0.01,
            webhooks=[{"url": endpoint.url, "events": [
                {"entity_type": "item", "event_types": item_events},
                {"entity_type": "cda_cache_tags", "event_types": ["invalidate"]}]}],
        )  # fmt: skip
        before = emulator.execute("{ allPosts { title } }", include_drafts=True)
        with httpx.Client(transport=EmulatorTransport(emulator), base_url=BASE,
                          headers=HEADERS) as api:  # fmt: skip
            created = api.post("/items", json={"data": {"type": "item", "attributes": {
                "title": "Hello"}, "relationships": {"item_type": {"data": {
                    "type": "item_type", "id": "post"}}}}})  # fmt: skip
            assert api.put(f"/items/{created.json()['data']['id']}/publish").is_success
        emulator.webhooks.drain(5)
        calls = [json.loads(request.body) for request in endpoint.requests]
        emulator.close()
    assert [(c["entity_type"], c["event_type"]) for c in calls] == [
        ("item", "create"), ("cda_cache_tags", "invalidate"),
        ("item", "publish"), ("cda_cache_tags", "invalidate"),
    ]  # fmt: skip
    assert calls[0]["entity"]["attributes"]["title"] == "Hello"
    # the draft listing a site cached is invalidated by the creation
    assert set(calls[1]["entity"]["attributes"]["tags"]) & set(before.tags)
