"""client.items & co.: one table of methods over the flows, for the sync and the async client.

Every public method is called through both clients against the same scripted CMA: the
requests sent and the answers must be the same. Type checkers must see ``Record`` for the sync
client and a coroutine of it for the async one.
"""

from __future__ import annotations

import asyncio
import inspect
import json
from dataclasses import dataclass, field
from operator import attrgetter
from pathlib import Path
from typing import Any

import httpx
import pytest

from datocms_app import cma
from datocms_app.cma import payloads
from datocms_app.cma.items import ItemCalls, Page
from datocms_app.cma.resources import Items, operation
from datocms_app.exceptions import InvalidArgument
from tests.cma.fakes import FakeCMA, answer, item, sent_headers
from tests.cma.mypy_runs import run_mypy

DOG = {"item_type": "1234", "name": "Buddy"}
STORAGE = "https://storage.example/7/photo.png?X-Amz-Signature=abc"
FILE = b"PNG-DATA"


def resource(kind: str, resource_id: str, **attributes: Any) -> dict[str, Any]:
    return {"type": kind, "id": resource_id, "attributes": attributes}


def records_page(*ids: str, total: int) -> httpx.Response:
    records = [
        {
            "type": "item",
            "id": record_id,
            "attributes": {"name": record_id},
            "relationships": {"item_type": {"data": {"type": "item_type", "id": "1234"}}},
        }
        for record_id in ids
    ]
    return answer(200, {"data": records, "meta": {"total_count": total}})


def storage(request: httpx.Request) -> httpx.Response:
    assert request.content == FILE
    return httpx.Response(200)


def upload_routes() -> list[tuple[str, str, Any]]:
    return [
        (
            "POST",
            "/upload-requests",
            answer(201, {"data": resource("upload_request", "/7/photo.png", url=STORAGE)}),
        ),
        ("PUT", "/7/photo.png", storage),
        ("POST", "/uploads", answer(201, {"data": resource("upload", "u9", path="/7/photo.png")})),
    ]


@dataclass(frozen=True)
class Call:
    """``method`` (``"items.create"``) called with ``args``/``kwargs``, and the CMA's routes."""

    method: str
    args: tuple[Any, ...] = ()
    kwargs: dict[str, Any] = field(default_factory=dict)
    routes: list[tuple[str, str, Any]] = field(default_factory=list)
    iterates: bool = False


def calls(local_file: Path) -> list[Call]:
    return [
        Call(
            "items.create",
            (DOG,),
            {"validate": False},
            [("POST", "/items", item("7", "1234", 201, name="Buddy"))],
        ),
        Call(
            "items.update",
            ("7", {"name": "Rex"}),
            {"validate": False, "environment": "staging"},
            [("PUT", "/items/7", item("7", "1234", name="Rex"))],
        ),
        Call(
            "items.find",
            ("7",),
            {"nested": True, "version": "published"},
            [("GET", "/items/7", item("7", "1234", name="Buddy"))],
        ),
        Call(
            "items.list",
            (),
            {"type": "dog", "limit": 2, "offset": 4},
            [("GET", "/items", records_page("a", "b", total=9))],
        ),
        Call(
            "items.list_pages",
            (),
            {"per_page": 1, "only_valid": True},
            [("GET", "/items", records_page("a", total=2), records_page("b", total=2))],
            iterates=True,
        ),
        Call(
            "items.iterate",
            (),
            {"per_page": 1},
            [("GET", "/items", records_page("a", total=2), records_page("b", total=2))],
            iterates=True,
        ),
        Call("items.destroy", ("7",), {}, [("DELETE", "/items/7", item("7", "1234"))]),
        Call(
            "items.publish",
            ("7",),
            {"content_in_locales": ["en"], "non_localized_content": True},
            [("PUT", "/items/7/publish", item("7", "1234"))],
        ),
        Call(
            "items.unpublish",
            ("7",),
            {"recursive": True},
            [("PUT", "/items/7/unpublish", item("7", "1234", status="draft"))],
        ),
        Call(
            "items.update_with_retry",
            ("7", lambda record: {"name": record["name"] + "!"}),
            {"validate": False},
            [
                ("GET", "/items/7", item("7", "1234", name="Buddy")),
                ("PUT", "/items/7", item("7", "1234", name="Buddy!")),
            ],
        ),
        Call(
            "item_types.list",
            routes=[("GET", "/item-types", answer(200, {"data": [resource("item_type", "1")]}))],
        ),
        Call(
            "item_types.find",
            ("dog",),
            routes=[("GET", "/item-types/dog", answer(200, {"data": resource("item_type", "1")}))],
        ),
        Call(
            "item_types.create",
            ({"name": "Dog", "api_key": "dog"},),
            routes=[("POST", "/item-types", answer(201, {"data": resource("item_type", "1")}))],
        ),
        Call(
            "fields.list",
            ("1",),
            routes=[
                ("GET", "/item-types/1/fields", answer(200, {"data": [resource("field", "f")]}))
            ],
        ),
        Call(
            "fields.create",
            ("1", {"label": "Name", "api_key": "name", "field_type": "string"}),
            routes=[
                ("POST", "/item-types/1/fields", answer(201, {"data": resource("field", "f")}))
            ],
        ),
        Call(
            "site.find",
            (),
            {"include": "item_types"},
            [("GET", "/site", answer(200, {"data": resource("site", "1", name="Blog")}))],
        ),
        Call(
            "uploads.find",
            ("u9",),
            routes=[("GET", "/uploads/u9", answer(200, {"data": resource("upload", "u9")}))],
        ),
        Call(
            "uploads.list",
            ({"page": {"limit": 1}},),
            routes=[("GET", "/uploads", answer(200, {"data": [resource("upload", "u9")]}))],
        ),
        Call(
            "uploads.create_from_local_file",
            (local_file,),
            {"author": "Ann"},
            upload_routes(),
        ),
        Call(
            "uploads.create_from_url",
            ("https://pictures.example/photo.png",),
            {"author": "Ann"},
            [("GET", "/photo.png", httpx.Response(200, content=FILE)), *upload_routes()],
        ),
        Call(
            "call",
            ("GET", "/webhooks"),
            {"params": {"page": {"limit": 1}}},
            [("GET", "/webhooks", answer(200, {"data": []}))],
        ),
    ]


def scripted(call: Call) -> FakeCMA:
    fake = FakeCMA()
    for method, path, *answers in call.routes:
        fake.on(method, path, *answers)
    return fake


def sent(fake: FakeCMA) -> list[tuple[str, str, dict[str, str], Any]]:
    """Each request as it went out: method, URL, headers and body (JSON bodies decoded)."""
    return [
        (
            request.method,
            str(request.url),
            sent_headers(request),
            json.loads(request.content) if "json" in content_type else request.content,
        )
        for request in fake.requests
        for content_type in [request.headers.get("content-type", "")]
    ]


def run_sync(call: Call) -> tuple[Any, FakeCMA]:
    fake = scripted(call)
    with fake.client() as client:
        answered = attrgetter(call.method)(client)(*call.args, **call.kwargs)
        return (list(answered) if call.iterates else answered), fake


def run_async(call: Call) -> tuple[Any, FakeCMA]:
    fake = scripted(call)

    async def scenario() -> Any:
        async with fake.async_client() as client:
            answered = attrgetter(call.method)(client)(*call.args, **call.kwargs)
            if call.iterates:
                return [entry async for entry in answered]
            return await answered

    return asyncio.run(scenario()), fake


@pytest.mark.parametrize("index", range(21))
def test_both_clients_send_and_answer_the_same(index: int, tmp_path: Path) -> None:
    local = tmp_path / "photo.png"
    local.write_bytes(FILE)
    # Each client gets answers of its own: an httpx.Response is read once.
    sync_answer, sync_fake = run_sync(calls(local)[index])
    async_answer, async_fake = run_async(calls(local)[index])
    assert sent(async_fake) == sent(sync_fake)
    assert async_answer == sync_answer
    assert len(sync_fake.requests) >= len(calls(local)[index].routes)
    assert sync_answer is not None


def test_the_table_covers_every_public_method(tmp_path: Path) -> None:
    called = {call.method for call in calls(tmp_path / "photo.png")}
    with FakeCMA().client() as client:
        public = {
            f"{name}.{method}"
            for name in ("items", "item_types", "fields", "site", "uploads")
            for method in dir(getattr(client, name))
            if not method.startswith("_") and method not in ("client", "calls")
        }
    assert public | {"call"} == called
    assert len(called) == 21


def test_pages_and_records_come_in_order_until_the_total_count() -> None:
    pages, _ = run_sync(calls(Path("unused"))[4])
    assert [(page.offset, page.limit, page.total_count) for page in pages] == [
        (0, 1, 2),
        (1, 1, 2),
    ]
    assert all(isinstance(page, Page) for page in pages)
    records, fake = run_async(calls(Path("unused"))[5])
    assert [record["id"] for record in records] == ["a", "b"]
    assert [request.url.params["page[offset]"] for request in fake.requests] == ["0", "1"]


def test_a_method_shows_the_name_docstring_and_signature_of_its_flow() -> None:
    with FakeCMA().client() as client:
        create = client.items.create
        assert (create.__name__, create.__qualname__) == ("create", "Items.create")
        assert create.__doc__ == ItemCalls.create.__doc__
        assert str(inspect.signature(create)) == (
            "(payload: 'Mapping[str, Any]', **options: 'Unpack[WriteOptions]')"
        )
        assert client.items.iterate.__doc__ == (
            "Every record, page after page (``listPagedIterator`` of the JS client)."
        )
    assert isinstance(Items.create, operation)


def test_a_method_is_made_once_per_resource_and_runs_on_its_own_client() -> None:
    # client.items.find is kept on client.items after its first use (not rebuilt per call):
    # each client's must still be its own.
    first = FakeCMA().on("GET", "/items/a", lambda request: item("a", "1234", name="A"))
    second = FakeCMA().on("GET", "/items/b", lambda request: item("b", "1234", name="B"))
    with first.client() as one, second.client() as other:
        assert one.items.find is one.items.find
        assert one.items.find is not other.items.find
        assert one.items.iterate is one.items.iterate
        assert [one.items.find("a")["name"], other.items.find("b")["name"]] == ["A", "B"]
        assert one.items.find.__qualname__ == "Items.find"

    async def from_async_clients() -> list[str]:
        async with first.async_client() as one, second.async_client() as other:
            assert one.items.find is one.items.find
            return [(await one.items.find("a"))["name"], (await other.items.find("b"))["name"]]

    assert asyncio.run(from_async_clients()) == ["A", "B"]
    assert [request.url.path for request in first.requests] == ["/items/a"] * 2
    assert [request.url.path for request in second.requests] == ["/items/b"] * 2


@pytest.mark.parametrize(
    ("method", "args", "kwargs", "message"),
    [
        (
            "create",
            (DOG,),
            {"validat": False},
            "items.create() takes no validat; it takes validate, environment.",
        ),
        (
            "update",
            ("7", {"name": "Rex"}),
            {"versions": "1"},
            "items.update() takes no versions; it takes validate, environment.",
        ),
        (
            "update_with_retry",
            ("7", dict),
            {"retries": 3},
            "items.update_with_retry() takes no retries; it takes validate, environment.",
        ),
        (
            "publish",
            ("7",),
            {"locales": ["en"]},
            "items.publish() takes no locales; it takes recursive, content_in_locales, "
            "environment, non_localized_content.",
        ),
        (
            "unpublish",
            ("7",),
            {"non_localized_content": True},
            "items.unpublish() takes no non_localized_content; it takes recursive, "
            "content_in_locales, environment.",
        ),
    ],
)
def test_an_option_a_method_does_not_take_is_refused_naming_those_it_takes(
    method: str, args: tuple[Any, ...], kwargs: dict[str, Any], message: str
) -> None:
    fake = FakeCMA()
    with fake.client() as client, pytest.raises(InvalidArgument) as info:
        getattr(client.items, method)(*args, **kwargs)
    assert str(info.value) == message
    assert fake.requests == []


def test_the_payload_helpers_are_the_package_api() -> None:
    assert set(payloads.__all__) <= set(cma.__all__)
    assert len(cma.__all__) == len(set(cma.__all__))
    assert all(getattr(cma, name) is getattr(payloads, name) for name in payloads.__all__)
    assert cma.color(1, 2, 3) == {"red": 1, "green": 2, "blue": 3, "alpha": 255}


USAGE = """\
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any, assert_type

from datocms_app import cma
from datocms_app.cma.items import Page

Record = dict[str, Any]


def sync_use(client: cma.Client) -> None:
    assert_type(client.items.create({"item_type": "1"}, validate=False), Record)
    assert_type(client.items.update("7", {"name": "Rex"}, environment="staging"), Record)
    assert_type(client.items.find("7", nested=True), Record)
    assert_type(client.items.list(type="dog", limit=2), list[Record])
    assert_type(client.items.list_pages(per_page=10), Iterator[Page])
    assert_type(client.items.iterate(type="dog"), Iterator[Record])
    assert_type(client.items.publish("7", content_in_locales=["en"]), Record)
    assert_type(client.items.update_with_retry("7", lambda record: {}), Record)
    assert_type(client.item_types.find("dog"), Record)
    assert_type(client.fields.list("dog"), list[Record])
    assert_type(client.site.find(include="item_types"), Record)
    assert_type(client.uploads.create_from_local_file(Path("a.png"), author="A"), Record)
    assert_type(client.call("GET", "/webhooks", params={"page": {"limit": 1}}), Any)
    assert_type(client.schema(), cma.ProjectSchema)


async def async_use(client: cma.AsyncClient) -> None:
    assert_type(await client.items.create({"item_type": "1"}, validate=False), Record)
    assert_type(await client.items.list(type="dog"), list[Record])
    assert_type(client.items.list_pages(per_page=10), AsyncIterator[Page])
    assert_type(client.items.iterate(), AsyncIterator[Record])
    assert_type(await client.items.unpublish("7", recursive=True), Record)
    assert_type(await client.uploads.create_from_url("https://a.b/c.png"), Record)
    assert_type(await client.call("GET", "/webhooks"), Any)


def mistakes(client: cma.Client, async_client: cma.AsyncClient) -> None:
    client.items.create({}, validat=False)
    client.items.unpublish("7", non_localized_content=True)
    client.items.find("7", nested="yes")
    record: Record = async_client.items.find("7")
    for page in async_client.items.list_pages():
        pass
"""

MYPY_CONFIG = """\
[mypy]
strict = True
[mypy-datocms_app.*]
follow_imports = silent
"""


def test_type_checkers_see_records_from_the_sync_client_and_coroutines_from_the_async(
    tmp_path: Path,
) -> None:
    result = run_mypy(tmp_path, MYPY_CONFIG, {"use_client.py": USAGE})
    assert result.stderr == ""
    assert result.stdout.splitlines() == [
        'use_client.py:39: error: Unexpected keyword argument "validat"; did you mean '
        '"validate"?  [call-arg]',
        'use_client.py:40: error: Unexpected keyword argument "non_localized_content"  [call-arg]',
        'use_client.py:41: error: Argument "nested" has incompatible type "str"; expected '
        '"bool"  [arg-type]',
        "use_client.py:42: error: Incompatible types in assignment (expression has type "
        '"Coroutine[Any, Any, dict[str, Any]]", variable has type "dict[str, Any]")  '
        "[assignment]",
        'use_client.py:42: note: Maybe you forgot to use "await"?',
        'use_client.py:43: error: "AsyncIterator[Page]" has no attribute "__iter__"; maybe '
        '"__aiter__"? (not iterable)  [attr-defined]',
    ]
    assert result.returncode == 1
