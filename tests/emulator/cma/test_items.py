"""Records through the CMA: create, find, update, delete, publish, and their refusals."""

from __future__ import annotations

import base64
import dataclasses
import threading
import uuid
from typing import Any

import httpx
import pytest

from datocms_app.emulator.entities import current_version
from datocms_app.emulator.server import Emulator
from tests.emulator.cma.conftest import (
    NOW,
    api_error,
    changed_item,
    error,
    errors,
    item_type_ref,
    job_result,
    new_item,
)
from tests.emulator.cma.project import BOOK_ID, HERO_ID

pytestmark = pytest.mark.usefixtures("frozen")


def datocms_id() -> str:
    return base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("=")


def meta(**changes: Any) -> dict[str, Any]:
    return {
        "created_at": NOW,
        "updated_at": NOW,
        "published_at": NOW,
        "first_published_at": NOW,
        "publication_scheduled_at": None,
        "unpublishing_scheduled_at": None,
        "status": "published",
        "is_current_version_valid": True,
        "is_published_version_valid": True,
        "is_valid": True,
        "stage": None,
        "has_children": None,
        **changes,
    }


# -- create -----------------------------------------------------------------------------------


def test_create_a_record_with_simple_fields(api: httpx.Client, emulator: Emulator) -> None:
    record_id = datocms_id()
    body = new_item("book", emulator, title="The JavaScript Guide", genre="Programming",
                    synopsis="A guide.\nFor all.", pages=450)  # fmt: skip
    body["data"]["id"] = record_id
    response = api.post("/items", json=body)
    assert response.status_code == 201
    record = emulator.store.state.records[record_id]
    assert response.json()["data"] == {
        "id": record_id,
        "type": "item",
        "attributes": {
            "title": "The JavaScript Guide",
            "genre": "Programming",
            "synopsis": "A guide.\nFor all.",
            "pages": 450,
        },
        "relationships": {
            "item_type": {"data": {"id": BOOK_ID, "type": "item_type"}},
            "creator": {"data": {"id": "emulator", "type": "access_token"}},
        },
        "meta": meta(current_version=current_version(record)),
    }
    (model,) = response.json()["included"]
    assert (model["type"], model["id"], model["attributes"]["api_key"]) == (
        "item_type",
        BOOK_ID,
        "book",
    )


def test_field_value_formats_come_back_in_the_cma_shape(
    api: httpx.Client, emulator: Emulator
) -> None:
    response = api.post("/items", json=new_item(
        "product", emulator, name="Headphones", price=299, weight=0.25,
        release_date="2024-03-15T10:30:00", in_stock=True,
        warehouse_location={"latitude": 45.0703393, "longitude": 7.686864},
        brand_color={"alpha": 255, "blue": 156, "green": 208, "red": 239},
        specifications='{"bluetooth":"5.0","warranty":"2y"}',
    ))  # fmt: skip
    assert response.status_code == 201
    attributes = response.json()["data"]["attributes"]
    assert attributes == {
        "name": "Headphones",
        "category": None,
        "description": None,
        "price": 299,
        "weight": 0.25,
        "release_date": "2024-03-15T10:30:00+00:00",
        "in_stock": True,
        "warehouse_location": {"latitude": 45.0703393, "longitude": 7.686864},
        "brand_color": {"red": 239, "green": 208, "blue": 156, "alpha": 255},
        "specifications": '{"bluetooth": "5.0", "warranty": "2y"}',
    }


def test_create_with_a_client_id_and_meta_dates(api: httpx.Client, emulator: Emulator) -> None:
    record_id = datocms_id()
    body = new_item("post", emulator, title="Imported")
    body["data"]["id"] = record_id
    body["data"]["meta"] = {"created_at": "2020-01-02T03:04:05Z",
                            "first_published_at": "2020-02-02T00:00:00+01:00"}  # fmt: skip
    response = api.post("/items", json=body)
    assert response.status_code == 201
    got = response.json()["data"]["meta"]
    assert (got["created_at"], got["first_published_at"], got["status"]) == (
        "2020-01-02T03:04:05+00:00",
        "2020-02-01T23:00:00+00:00",
        "draft",
    )


def test_create_refusals(api: httpx.Client, emulator: Emulator) -> None:
    bad_id = new_item("book", emulator, title="x")
    bad_id["data"]["id"] = "my-book"
    response = api.post("/items", json=bad_id)
    assert error(response) == api_error(
        "INVALID_ENTITY_ID",
        "'my-book' is not a valid record id: ids are RFC 4122 (version 4) UUIDs in URL-safe "
        "base64, 22 characters, e.g. 'hWl-mnkWRYmMCSTq4z_piQ'.",
        id="my-book",
    )
    block = api.post("/items", json={"data": {"type": "item", "attributes": {}, "relationships": {
        "item_type": {"data": {"type": "item_type", "id": HERO_ID}}}}})  # fmt: skip
    assert error(block) == api_error(
        "INVALID_TYPE",
        f"relationships.item_type must name a model (not a block model) by id; got '{HERO_ID}'.",
        item_type=HERO_ID,
    )
    singleton = api.post("/items", json=new_item("home", emulator, headline="Two"))
    assert error(singleton) == api_error(
        "DUPLICATE_SINGLETON",
        "Model 'home' is a single-instance model and already has its record: update that one.",
    )
    typo = api.post("/items", json=new_item("book", emulator, titel="x", pagez=1))
    assert typo.status_code == 422
    assert error(typo) == api_error(
        "INVALID_ATTRIBUTES",
        "Model 'book' has no field(s) pagez, titel: 'pagez' (did you mean 'pages'?), 'titel' "
        "(did you mean 'title'?); its fields are title, genre, synopsis, pages.",
        attributes=["pagez", "titel"],
        item_type=BOOK_ID,
    )
    wrong_type = api.post("/items", json=new_item("book", emulator, pages="many"))
    assert error(wrong_type) == api_error(
        "INVALID_FIELD",
        "book record '"
        + wrong_type.json()["data"][0]["attributes"]["details"]["message"].split("'")[1]
        + "'.pages: an integer field takes an integer, got 'many'.",
        code="VALIDATION_INVALID",
        field="pages",
    )
    assert len(emulator.store.state.records) == 9


def test_validators_refuse_invalid_records(api: httpx.Client, emulator: Emulator) -> None:
    response = api.post("/items", json=new_item("post", emulator, body="no title"))
    assert response.status_code == 422
    assert errors(response) == [
        api_error("INVALID_FIELD", "title: is required.", field="title", code="VALIDATION_REQUIRED")
    ]
    too_long = api.post("/items", json=new_item("post", emulator, title="x" * 21))
    assert error(too_long) == api_error(
        "INVALID_FIELD", "title: length must be at most 20.", field="title",
        code="VALIDATION_LENGTH",
    )  # fmt: skip


def test_an_invalid_draft_is_saved_when_the_model_allows_it(
    api: httpx.Client, emulator: Emulator
) -> None:
    state = emulator.store.state
    lenient = dataclasses.replace(state.schema.models["post"], draft_saving_active=True)
    schema = dataclasses.replace(state.schema, models={**state.schema.models, "post": lenient})
    emulator.store.commit(schema=schema)
    response = api.post("/items", json=new_item("post", emulator, body="no title"))
    assert response.status_code == 201
    assert response.json()["data"]["meta"]["is_valid"] is False
    record_id = response.json()["data"]["id"]
    publish = api.put(f"/items/{record_id}/publish")
    assert error(publish) == api_error(
        "INVALID_DRAFT",
        f"Record {record_id!r} is invalid and cannot be published: title: is required. Fix it "
        "first.",
        id=record_id,
    )


# -- blocks -----------------------------------------------------------------------------------


def hero(**attributes: Any) -> dict[str, Any]:
    hero_block = {"type": "item_type", "id": HERO_ID}
    return {"type": "item", "attributes": attributes,
            "relationships": {"item_type": {"data": hero_block}}}  # fmt: skip


def test_blocks_are_created_and_found_nested(api: httpx.Client, emulator: Emulator) -> None:
    testimonial = item_type_ref(emulator, "testimonial_block")
    body = new_item("landing_page", emulator, title="Launch", sections=[
        hero(headline="New", subtitle="Fast", background_image={"upload_id": "photo"}),
        {"type": "item", "attributes": {"quote": "Great", "author_name": "Sarah"},
         "relationships": {"item_type": {"data": testimonial}}},
    ])  # fmt: skip
    created = api.post("/items", json=body)
    assert created.status_code == 201
    data = created.json()["data"]
    first, second = data["attributes"]["sections"]
    included = {entity["id"]: entity for entity in created.json()["included"]}
    assert included[first]["attributes"]["headline"] == "New"
    nested = api.get(f"/items/{data['id']}", params={"nested": "true"}).json()["data"]
    assert nested["attributes"]["sections"] == [
        {
            "type": "item",
            "id": first,
            "attributes": {
                "headline": "New",
                "subtitle": "Fast",
                "background_image": {"upload_id": "photo", "alt": None, "title": None,
                                     "focal_point": None, "custom_data": {}},
            },
            "relationships": {"item_type": {"data": {"id": HERO_ID, "type": "item_type"}}},
        },
        {
            "type": "item",
            "id": second,
            "attributes": {"quote": "Great", "author_name": "Sarah"},
            "relationships": {"item_type": {"data": testimonial}},
        },
    ]  # fmt: skip


def test_single_blocks_and_structured_text_blocks(api: httpx.Client, emulator: Emulator) -> None:
    button = {
        "type": "item",
        "attributes": {"text": "Learn more", "url": "/details"},
        "relationships": {"item_type": {"data": item_type_ref(emulator, "button_block")}},
    }
    page = api.post("/items", json=new_item("product_page", emulator, title="Headphones",
        price=299.99, hero_section={
            "type": "item", "attributes": {"headline": "Audio", "button": button},
            "relationships": {"item_type": {"data": item_type_ref(emulator, "product_hero_block")}},
        }))  # fmt: skip
    assert page.status_code == 201
    nested = api.get(f"/items/{page.json()['data']['id']}?nested=true").json()["data"]
    section = nested["attributes"]["hero_section"]
    assert section["attributes"]["button"]["attributes"] == {
        "text": "Learn more",
        "url": "/details",
    }
    cta = {
        "type": "item",
        "attributes": {"title": "Join"},
        "relationships": {"item_type": {"data": item_type_ref(emulator, "cta_block")}},
    }
    article = api.post("/items", json=new_item("article", emulator, title="Future", content={
        "schema": "dast", "document": {"type": "root", "children": [
            {"type": "paragraph", "children": [{"type": "span", "value": "Hi"}]},
            {"type": "block", "item": cta}]}}))  # fmt: skip
    assert article.status_code == 201
    document = article.json()["data"]["attributes"]["content"]["document"]
    block_id = document["children"][1]["item"]
    assert isinstance(block_id, str)
    expanded = api.get(f"/items/{article.json()['data']['id']}", params={"nested": "true"})
    node = expanded.json()["data"]["attributes"]["content"]["document"]["children"][1]
    assert node == {"type": "block", "item": {**cta, "id": block_id,
                                              "attributes": {"title": "Join", "description": None,
                                                             "button_text": None,
                                                             "button_url": None}}}  # fmt: skip


def test_block_updates_keep_change_add_reorder_and_delete(
    api: httpx.Client, emulator: Emulator
) -> None:
    example = item_type_ref(emulator, "example_block")
    response = api.put("/items/blog", json=changed_item("blog", modular_content_field=[
        "block-three",
        {"id": "block-two", "type": "item", "attributes": {"title": "Updated #2"}},
        {"type": "item", "attributes": {"title": "Brand new"},
         "relationships": {"item_type": {"data": example}}},
    ]))  # fmt: skip
    assert response.status_code == 200
    ids = response.json()["data"]["attributes"]["modular_content_field"]
    assert ids[:2] == ["block-three", "block-two"]
    blocks = emulator.store.state.records["blog"].current.blocks
    assert "block-one" not in blocks
    assert blocks["block-two"].fields["title"] == "Updated #2"
    assert blocks["block-two"].fields["inner"] == "leaf-one"  # kept: not sent
    assert blocks["leaf-one"].fields["label"] == "Leaf"
    assert blocks[ids[2]].fields["title"] == "Brand new"
    # the other fields of the record are untouched
    assert response.json()["data"]["attributes"]["votes_count"] == 10


def test_a_nested_block_is_updated_through_its_parent(api: httpx.Client) -> None:
    response = api.put("/items/blog", json=changed_item("blog", modular_content_field=[
        "block-one",
        {"id": "block-two", "type": "item", "attributes": {
            "inner": {"id": "leaf-one", "type": "item", "attributes": {"label": "New leaf"}}}},
        "block-three",
    ]))  # fmt: skip
    assert response.status_code == 200
    nested = api.get("/items/blog?nested=true").json()["data"]["attributes"]
    second = nested["modular_content_field"][1]
    assert second["attributes"]["title"] == "Example block #2"
    assert second["attributes"]["inner"]["attributes"] == {"label": "New leaf"}


def test_a_block_from_a_nested_answer_can_be_sent_back(api: httpx.Client) -> None:
    """The seeds' recipe: find with nested=true, change one block's attributes, send."""
    current = api.get("/items/blog", params={"nested": "true"}).json()["data"]["attributes"]
    blocks = current["modular_content_field"]
    changed = {**blocks[0], "attributes": {**blocks[0]["attributes"], "title": "Updated title"}}
    payload = [changed, *[block["id"] for block in blocks[1:]]]
    response = api.put("/items/blog", json=changed_item("blog", modular_content_field=payload))
    assert response.status_code == 200
    assert response.json()["data"]["attributes"]["modular_content_field"] == [
        "block-one", "block-two", "block-three"
    ]  # fmt: skip


def test_a_block_cannot_change_model_nor_be_new_without_one(api: httpx.Client) -> None:
    response = api.put("/items/blog", json=changed_item("blog", modular_content_field=[
        {"id": "block-one", "type": "item", "attributes": {},
         "relationships": {"item_type": {"data": {"type": "item_type", "id": "leaf_block"}}}},
    ]))  # fmt: skip
    assert error(response)["details"]["message"] == (
        "Block 'block-one' of field 'modular_content_field' is a 'example_block': a block's "
        "model cannot change (send a new block instead)."
    )
    response = api.put("/items/blog", json=changed_item("blog", modular_content_field=[
        {"type": "item", "attributes": {"title": "Orphan"}}]))  # fmt: skip
    assert error(response) == api_error(
        "INVALID_FIELD",
        "A new block in field 'modular_content_field' needs its block model: "
        "relationships.item_type.data.id (buildBlockRecord({item_type: ...})); got None. To "
        "keep or change an existing block, give its id.",
        field="modular_content_field",
        code="VALIDATION_INVALID",
    )


def _layers(depth: int, emulator: Emulator) -> list[dict[str, Any]]:
    layer = item_type_ref(emulator, "layer_block")
    inner: list[dict[str, Any]] = []
    for level in range(depth, 0, -1):
        inner = [{"type": "item", "attributes": {"name": f"level {level}", "layers": inner},
                  "relationships": {"item_type": {"data": layer}}}]  # fmt: skip
    return inner


def test_blocks_nest_at_most_five_levels(api: httpx.Client, emulator: Emulator) -> None:
    five = api.post("/items", json=new_item("stack", emulator, layers=_layers(5, emulator)))
    assert five.status_code == 201
    six = api.post("/items", json=new_item("stack", emulator, layers=_layers(6, emulator)))
    assert six.status_code == 422
    assert error(six) == api_error(
        "TECHNICAL_LIMIT_REACHED",
        "Blocks can be nested at most 5 levels deep; this record nests them 6 levels deep.",
        limit="block_nesting_depth",
        maximum=5,
    )


def test_a_record_holds_at_most_500_blocks(api: httpx.Client, emulator: Emulator) -> None:
    layer = item_type_ref(emulator, "layer_block")
    many = [{"type": "item", "attributes": {"name": str(i)},
             "relationships": {"item_type": {"data": layer}}} for i in range(501)]  # fmt: skip
    response = api.post("/items", json=new_item("stack", emulator, layers=many))
    assert error(response) == api_error(
        "TECHNICAL_LIMIT_REACHED",
        "A record can hold at most 500 blocks (nested ones included); this one would hold "
        "501. Split the content across records.",
        limit="blocks_per_record",
        maximum=500,
    )
    assert api.post("/items", json=new_item("stack", emulator, layers=many[:500])).is_success


# -- find and list ----------------------------------------------------------------------------


def test_find_versions(api: httpx.Client) -> None:
    missing = api.get("/items/nope")
    assert missing.status_code == 404
    assert error(missing) == api_error("NOT_FOUND", "No record with id 'nope'.", id="nope")
    draft = api.get("/items/draft-post", params={"version": "published"})
    assert draft.status_code == 404
    assert api.get("/items/draft-post").json()["data"]["meta"]["status"] == "draft"


def ids_of(response: httpx.Response) -> list[str]:
    assert response.status_code == 200, response.text
    return [record["id"] for record in response.json()["data"]]


def test_list_filters_pages_and_counts(api: httpx.Client) -> None:
    everything = api.get("/items")
    assert everything.json()["meta"] == {"total_count": 9}
    assert ids_of(api.get("/items", params={"filter[type]": "author"})) == [
        "author-cy", "author-bob", "author-ada"
    ]  # fmt: skip
    page = api.get("/items", params={"filter[type]": "author", "page[limit]": "1",
                                     "page[offset]": "1"})  # fmt: skip
    assert ids_of(page) == ["author-bob"]
    assert page.json()["meta"] == {"total_count": 3}
    assert ids_of(api.get("/items", params={"filter[ids]": "author-ada,counter"})) == [
        "counter", "author-ada"
    ]  # fmt: skip
    assert ids_of(api.get("/items", params={"filter[type]": "post", "version": "published"})) == [
        "live-post"
    ]
    by_field = api.get("/items", params=[("filter[type]", "author"),
                                         ("filter[fields][name][in][]", "Ada"),
                                         ("filter[fields][name][in][]", "Cy"),
                                         ("order_by", "name_ASC")])  # fmt: skip
    assert ids_of(by_field) == ["author-ada", "author-cy"]
    by_meta = api.get("/items", params={"filter[fields][_created_at][gt]": "2024-01-02T12:00:00Z"})
    assert ids_of(by_meta) == ["author-cy"]
    counted = api.get("/items", params={"filter[type]": "counter",
                                        "filter[fields][counter][gte]": "10"})  # fmt: skip
    assert ids_of(counted) == ["counter"]


def test_list_text_queries_and_only_valid(api: httpx.Client, emulator: Emulator) -> None:
    assert ids_of(api.get("/items", params={"filter[query]": "example block"})) == ["blog"]
    assert ids_of(api.get("/items", params={"filter[query]": "contenuto", "locale": "it"})) == [
        "blog"
    ]
    emulator.changes.create_record("post", {"body": "invalid"})
    valid = api.get("/items", params={"filter[type]": "post", "filter[only_valid]": "true"})
    assert ids_of(valid) == ["live-post", "draft-post"]


def test_list_refusals(api: httpx.Client) -> None:
    assert error(api.get("/items", params={"filter[type]": "nope"})) == api_error(
        "ITEM_TYPE_NOT_FOUND", "filter[type]: no model has the id or API key 'nope'.",
        item_type="nope",
    )  # fmt: skip
    fields = api.get("/items", params={"filter[fields][name][eq]": "Ada"})
    assert error(fields) == api_error(
        "INVALID_FILTER_FIELDS_PARAM",
        "filter[fields][name]: filtering on a model's fields needs one model in filter[type].",
    )
    order = api.get("/items", params={"order_by": "name_ASC"})
    assert error(order) == api_error(
        "INVALID_ORDERING", "order_by needs exactly one model in filter[type]."
    )
    unknown = api.get("/items", params={"filter[type]": "author", "order_by": "mentor_ASC"})
    assert error(unknown)["details"]["message"].startswith(
        "order_by: 'mentor_ASC' does not name a sortable field of 'author' or a meta column"
    )
    both = api.get("/items", params={"filter[type]": "author", "filter[ids]": "author-ada"})
    assert error(both)["details"]["message"] == (
        "filter[ids] cannot be combined with filter[type]."
    )


def test_nested_lists_expand_blocks(api: httpx.Client) -> None:
    listed = api.get("/items", params={"filter[type]": "blog_post", "nested": "true"})
    (record,) = listed.json()["data"]
    assert record["attributes"]["modular_content_field"][0]["attributes"] == {
        "title": "Example block #1", "inner": None
    }  # fmt: skip


# -- update, optimistic locking ---------------------------------------------------------------


def test_update_changes_only_what_it_sends(api: httpx.Client, emulator: Emulator) -> None:
    response = api.put("/items/counter", json=changed_item("counter", counter=11))
    assert response.status_code == 200
    assert response.json()["data"]["attributes"] == {"counter": 11, "description": "start"}
    assert "included" in response.json()


def test_stale_item_version(api: httpx.Client, emulator: Emulator) -> None:
    read = api.get("/items/counter").json()["data"]
    version = read["meta"]["current_version"]
    api.put("/items/counter", json=changed_item("counter", description="someone else"))
    stale = changed_item("counter", counter=11)
    stale["data"]["meta"] = {"current_version": version}
    response = api.put("/items/counter", json=stale)
    assert response.status_code == 422
    now = current_version(emulator.store.state.records["counter"])
    assert error(response) == api_error(
        "STALE_ITEM_VERSION",
        f"Record 'counter' changed since version '{version}' was read (it is at '{now}' now): "
        "read it again and retry.",
    )
    fresh = changed_item("counter", counter=11)
    fresh["data"]["meta"] = {"current_version": now}
    assert api.put("/items/counter", json=fresh).status_code == 200


def test_two_concurrent_writers_one_gets_stale_item_version(
    api: httpx.Client, emulator: Emulator
) -> None:
    version = api.get("/items/counter").json()["data"]["meta"]["current_version"]
    start = threading.Barrier(2)
    statuses: list[int] = []

    def write(description: str) -> None:
        body = changed_item("counter", description=description)
        body["data"]["meta"] = {"current_version": version}
        start.wait()
        statuses.append(api.put("/items/counter", json=body).status_code)

    writers = [threading.Thread(target=write, args=(name,)) for name in ("A", "B")]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join(10)
    assert sorted(statuses) == [200, 422]
    assert emulator.store.state.records["counter"].current.fields["description"] in ("A", "B")


def test_update_refusals(api: httpx.Client, emulator: Emulator) -> None:
    other_model = changed_item("counter", counter=1)
    other_model["data"]["relationships"] = {"item_type": {"data": item_type_ref(emulator, "book")}}
    assert error(api.put("/items/counter", json=other_model)) == api_error(
        "ITEM_TYPE_CANNOT_BE_CHANGED", "Record 'counter' is a 'counter': its model cannot change."
    )
    emulator.cma.lock_record("counter")
    locked = api.put("/items/counter", json=changed_item("counter", counter=1))
    assert error(locked) == api_error(
        "ITEM_LOCKED",
        "Record 'counter' is being edited by someone else; try again when they are done.",
        id="counter",
    )
    assert error(api.put("/items/counter/publish"))["code"] == "ITEM_LOCKED"
    emulator.cma.unlock_record("counter")
    assert api.put("/items/counter", json=changed_item("counter", counter=1)).is_success


# -- draft/published --------------------------------------------------------------------------


def test_publish_and_unpublish_move_the_cda_versions(api: httpx.Client, emulator: Emulator) -> None:
    query = "{ allPosts(orderBy: _createdAt_ASC) { id title } }"
    created = api.post("/items", json=new_item("post", emulator, title="Fresh"))
    record_id = created.json()["data"]["id"]
    assert created.json()["data"]["meta"]["status"] == "draft"
    published_ids = [p["id"] for p in emulator.execute(query).body["data"]["allPosts"]]
    assert record_id not in published_ids
    drafts = emulator.execute(query, include_drafts=True).body["data"]["allPosts"]
    assert {"id": record_id, "title": "Fresh"} in drafts
    published = api.put(f"/items/{record_id}/publish")
    assert published.status_code == 200
    assert published.json()["data"]["meta"]["status"] == "published"
    assert {"id": record_id, "title": "Fresh"} in emulator.execute(query).body["data"]["allPosts"]
    api.put(f"/items/{record_id}", json=changed_item(record_id, title="Fresher"))
    assert {"id": record_id, "title": "Fresh"} in emulator.execute(query).body["data"]["allPosts"]
    assert api.get(f"/items/{record_id}").json()["data"]["meta"]["status"] == "updated"
    assert (
        api.get(f"/items/{record_id}?version=published").json()["data"]["attributes"]["title"]
        == "Fresh"
    )
    unpublished = api.put(f"/items/{record_id}/unpublish")
    assert unpublished.json()["data"]["meta"]["status"] == "draft"
    assert record_id not in [p["id"] for p in emulator.execute(query).body["data"]["allPosts"]]


def test_publishing_refuses_links_to_unpublished_records(
    api: httpx.Client, emulator: Emulator
) -> None:
    created = api.post("/items", json=new_item("post", emulator, title="Linked",
                                               related="draft-post"))  # fmt: skip
    record_id = created.json()["data"]["id"]
    response = api.put(f"/items/{record_id}/publish")
    assert error(response) == api_error(
        "UNPUBLISHED_LINK",
        "This record links to unpublished records (draft-post): publish them first, or "
        "remove the links.",
        unpublished_items=["draft-post"],
    )
    assert api.put("/items/draft-post/publish").is_success
    assert api.put(f"/items/{record_id}/publish").is_success


def test_status_changes_without_draft_mode_and_selective_bodies(api: httpx.Client) -> None:
    response = api.put("/items/counter/unpublish")
    assert error(response) == api_error(
        "INVALID_REQUEST",
        "Model 'counter' has draft/published disabled: its records are always published and "
        "cannot be unpublished.",
        id="counter",
    )
    selective = api.put("/items/live-post/publish",
                        json={"data": {"type": "selective_publish_operation",
                                       "attributes": {"content_in_locales": ["en"]}}})  # fmt: skip
    assert error(selective) == api_error(
        "INVALID_FORMAT",
        "The emulator publishes whole records: send no body (selective publishing of locales "
        "is not implemented).",
        messages=["#: selective publishing is not supported by the emulator"],
    )


def test_destroy_is_a_job(api: httpx.Client, emulator: Emulator) -> None:
    job = api.delete("/items/live-post")
    result = job_result(api, job)
    assert result["status"] == 200
    assert result["payload"]["data"]["attributes"]["title"] == "Live"
    assert "live-post" not in emulator.store.state.records
    assert api.delete("/items/live-post").status_code == 404
