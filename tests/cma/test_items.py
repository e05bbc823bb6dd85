"""client.items: find, list and pages, publish, destroy, optimistic locking, argument checks."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from datocms_app.cma import CMAError, Page
from datocms_app.exceptions import InvalidArgument
from tests.cma.fakes import SEEDS_SCHEMA, FakeCMA, answer, api_error, errors, item, item_document


def page_of(offset: int, count: int, total: int) -> httpx.Response:
    records = [
        item_document(f"r{offset + n}", "book", {"title": f"#{offset + n}"})["data"]
        for n in range(count)
    ]
    return answer(200, {"data": records, "meta": {"total_count": total}})


def test_find_with_nested_and_version() -> None:
    cma = FakeCMA().on(
        "GET", "/items/hWl-mnkWRYmMCSTq4z_piQ", item("hWl-mnkWRYmMCSTq4z_piQ", "book", title="x")
    )
    with cma.client() as client:
        record = client.items.find(
            {"id": "hWl-mnkWRYmMCSTq4z_piQ"}, nested=True, version="published"
        )
    assert record["title"] == "x"
    assert cma.requests[0].url.query == b"nested=true&version=published"


def test_list_pages_walks_offsets_until_total_count() -> None:
    def pages(request: httpx.Request) -> httpx.Response:
        offset = int(request.url.params["page[offset]"])
        return page_of(offset, min(2, 5 - offset), 5)

    cma = FakeCMA().on("GET", "/items", pages)
    with cma.client() as client:
        found = list(client.items.list_pages(per_page=2, type="book", order_by="title_ASC"))
        titles = [record["title"] for record in client.items.iterate(per_page=2, type="book")]
    assert [(p.offset, p.limit, p.total_count, len(p.records)) for p in found] == [
        (0, 2, 5, 2),
        (2, 2, 5, 2),
        (4, 2, 5, 1),
    ]
    assert isinstance(found[0], Page)
    assert titles == ["#0", "#1", "#2", "#3", "#4"]
    assert [request.url.params["page[offset]"] for request in cma.requests[:3]] == ["0", "2", "4"]
    assert cma.requests[0].url.params["order_by"] == "title_ASC"


def test_list_pages_stops_on_an_empty_page_and_the_async_iterator_matches() -> None:
    cma = FakeCMA().on(
        "GET", "/items", page_of(0, 2, 9), answer(200, {"data": [], "meta": {"total_count": 9}})
    )

    async def scenario() -> list[str]:
        async with cma.async_client() as client:
            return [record["id"] async for record in client.items.iterate(per_page=2)]

    assert asyncio.run(scenario()) == ["r0", "r1"]
    assert len(cma.requests) == 2


def test_filters_build_the_documented_query() -> None:
    cma = FakeCMA().on("GET", "/items", page_of(0, 0, 0))
    with cma.client() as client:
        client.items.list(
            ids=["a", "b"],
            only_valid=True,
            query="foo",
            locale="it",
            nested=True,
            limit=30,
            offset=60,
        )
    assert list(cma.requests[0].url.params.multi_items()) == [
        ("filter[ids]", "a,b"),
        ("filter[query]", "foo"),
        ("filter[only_valid]", "true"),
        ("locale", "it"),
        ("nested", "true"),
        ("page[limit]", "30"),
        ("page[offset]", "60"),
    ]


@pytest.mark.parametrize(
    ("filters", "message"),
    [
        (
            {"ids": "a", "type": "dog"},
            "filter ids= cannot be combined with type= (seeds: List all records).",
        ),
        (
            {"fields": {"name": {"eq": "x"}}},
            (
                "fields= on model fields needs type= naming one model (meta fields such as "
                "'_status' work without)."
            ),
        ),
        ({"order_by": "name_ASC", "type": "cat,dog"}, "order_by= needs type= naming one model."),
        ({"version": "draft"}, "version= is 'current' or 'published', got 'draft'."),
        ({"nested": True, "limit": 31}, "per_page (page[limit]) must be 1 to 30, got 31."),
        ({"limit": 501}, "per_page (page[limit]) must be 1 to 500, got 501."),
        (
            {"sort": "x"},
            (
                "items.list() takes no sort; it takes type, ids, query, fields, only_valid, "
                "locale, order_by, version, nested, and per_page/limit/offset."
            ),
        ),
    ],
)
def test_filter_combinations_the_docs_forbid_are_refused(
    filters: dict[str, Any], message: str
) -> None:
    with FakeCMA().client() as client, pytest.raises(InvalidArgument) as info:
        client.items.list(**filters)
    assert str(info.value) == message


def test_meta_only_field_filters_need_no_type() -> None:
    cma = FakeCMA().on("GET", "/items", page_of(0, 0, 0))
    with cma.client() as client:
        client.items.list(fields={"_status": {"eq": "draft"}})
    assert cma.requests[0].url.params["filter[fields][_status][eq]"] == "draft"


def test_publish_unpublish_and_destroy() -> None:
    record = item("4235", "book", title="x")
    cma = (
        FakeCMA()
        .on("PUT", "/items/4235/publish", record)
        .on("PUT", "/items/4235/unpublish", record)
        .on("DELETE", "/items/4235", record)
    )
    with cma.client() as client:
        client.items.publish("4235")
        client.items.publish(
            "4235", content_in_locales=["en"], non_localized_content=True, recursive=True
        )
        client.items.unpublish("4235", content_in_locales=["it"])
        assert client.items.destroy("4235")["id"] == "4235"
    publish_all, publish_some, _unpublish_some, destroy = cma.requests
    assert publish_all.content == b""  # "Do not include a request body at all"
    assert "content-type" not in publish_all.headers
    assert publish_some.url.query == b"recursive=true"
    assert cma.bodies()[1] == {
        "data": {
            "type": "selective_publish_operation",
            "attributes": {"content_in_locales": ["en"], "non_localized_content": True},
        }
    }
    assert cma.bodies()[2] == {
        "data": {
            "type": "selective_unpublish_operation",
            "attributes": {"content_in_locales": ["it"]},
        }
    }
    assert destroy.method == "DELETE"


def test_update_with_retry_rereads_on_stale_item_version() -> None:
    stale = errors(422, api_error("STALE_ITEM_VERSION"))
    cma = (
        FakeCMA()
        .on(
            "GET",
            "/items/1230982",
            answer(200, item_document("1230982", "page", {"counter": 1}, version="v1")),
            answer(200, item_document("1230982", "page", {"counter": 5}, version="v2")),
        )
        .on("PUT", "/items/1230982", stale, item("1230982", "page", counter=6))
    )
    with cma.client(schema=SEEDS_SCHEMA) as client:
        record = client.items.update_with_retry("1230982", lambda r: {"counter": r["counter"] + 1})
    assert record["counter"] == 6
    assert [request.method for request in cma.requests] == ["GET", "PUT", "GET", "PUT"]
    assert [body["data"] for body in cma.bodies("PUT")] == [
        {
            "id": "1230982",
            "type": "item",
            "attributes": {"counter": 2},
            "meta": {"current_version": "v1"},
        },
        {
            "id": "1230982",
            "type": "item",
            "attributes": {"counter": 6},
            "meta": {"current_version": "v2"},
        },
    ]


def test_update_with_retry_gives_up_after_its_attempts_and_passes_other_errors() -> None:
    stale = errors(422, api_error("STALE_ITEM_VERSION"))
    cma = FakeCMA().on("GET", "/items/1", item("1", "page", counter=1)).on("PUT", "/items/1", stale)
    with cma.client(schema=SEEDS_SCHEMA) as client, pytest.raises(CMAError) as info:
        client.items.update_with_retry("1", lambda r: {"counter": 2}, attempts=3)
    assert info.value.find_error("STALE_ITEM_VERSION") is not None
    assert len(cma.bodies("PUT")) == 3

    locked = errors(422, api_error("ITEM_LOCKED"))
    cma = (
        FakeCMA().on("GET", "/items/1", item("1", "page", counter=1)).on("PUT", "/items/1", locked)
    )
    with cma.client(schema=SEEDS_SCHEMA) as client, pytest.raises(CMAError) as info:
        client.items.update_with_retry("1", lambda r: {"counter": 2})
    assert info.value.code == "ITEM_LOCKED"
    assert len(cma.bodies("PUT")) == 1


def test_a_client_supplied_id_must_be_a_uuid_in_url_safe_base64() -> None:
    with FakeCMA().client() as client, pytest.raises(InvalidArgument) as info:
        client.items.create({"id": "my-id", "item_type": "book"}, validate=False)
    assert str(info.value) == (
        "A new record's id is an RFC 4122 v4 UUID in URL-safe base64 (22 characters, as "
        "cma.generate_id() makes them), got 'my-id'."
    )


def test_payload_shape_errors() -> None:
    with FakeCMA().client() as client:
        with pytest.raises(InvalidArgument, match="The item payload must be a dict, got"):
            client.items.create(["title"], validate=False)  # type: ignore[arg-type]
        with pytest.raises(InvalidArgument, match="Expected a record id"):
            client.items.find("../site")
        with pytest.raises(InvalidArgument, match="The payload must be JSON-serialisable: set"):
            client.items.create({"item_type": "book", "title": {1, 2}}, validate=False)
