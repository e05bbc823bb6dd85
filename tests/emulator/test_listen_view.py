"""The embedded emulator's Real-time Updates API: under the site's URLs (Django's test client,
ASGI, a threaded live server), through the in-process transports, and as the listen
endpoint the emulator app installs for live updates (``datocms_app.preview.listen``)."""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from django.test import AsyncClient, Client, override_settings
from pytest_django.live_server_helper import LiveServer

from datocms_app.cda import hooks
from datocms_app.conf import get_settings
from datocms_app.emulator.embedded import (
    EMBEDDED_ENDPOINT,
    AsyncEmulatorTransport,
    EmulatorTransport,
    get_emulator,
    reset_emulator,
)
from datocms_app.preview.listen import register_channel
from datocms_app.preview.recording import RecordedQuery
from tests.demo_content import demo_datocms
from tests.emulator.sse import EventReader

HOME = "{ home { heroTitle } }"
TITLE = "Go somewhere. Pay attention."
AUTH = {"Authorization": "Bearer emulator"}
LISTEN = "/datocms/emulator/listen"
UUID = "[0-9a-f-]{36}"


def update(title: str) -> bytes:
    data = {"response": {"data": {"home": {"heroTitle": title}}}}
    return b"event: update\ndata: " + json.dumps(data, separators=(",", ":")).encode() + b"\n\n"


def change_title(title: str) -> None:
    get_emulator().changes.update_record(
        "home", {"hero_title": {"en": title, "it": "Titolo"}}, publish=True
    )


def wait_until(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


@pytest.fixture(autouse=True)
def fresh_emulator() -> Iterator[None]:
    """The demo content, as loaded from disk, for each test (changes are undone)."""
    reset_emulator()
    yield
    reset_emulator()


def register(client: Client) -> str:
    # datocms-listen sends the body without a Content-Type (a string body: text/plain).
    response = client.post(
        LISTEN, b'{"query":"' + HOME.encode() + b'"}', content_type="text/plain", headers=AUTH
    )
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/json"
    assert response["Access-Control-Allow-Origin"] == "*"
    url: str = response.json()["url"]
    assert re.fullmatch(f"http://testserver{LISTEN}/channels/{UUID}", url)
    return url.removeprefix("http://testserver")


# Closing a streamed response sends request_finished, whose handler checks the database.
@pytest.mark.django_db
def test_the_site_serves_registrations_and_channels() -> None:
    client = Client()
    channel = client.get(register(client))
    assert channel.status_code == 200
    assert channel.streaming
    assert channel["Content-Type"] == "text/event-stream"
    assert channel["Cache-Control"] == "no-cache"
    assert channel["Access-Control-Allow-Origin"] == "*"
    chunks = iter(channel.streaming_content)
    assert next(chunks) == update(TITLE)
    change_title("Live from the emulator")
    assert next(chunks) == update("Live from the emulator")
    assert get_emulator().listen.streams == 1
    channel.close()  # what the server does when the client leaves
    assert get_emulator().listen.streams == 0


def test_the_site_passes_the_emulator_s_refusals_on() -> None:
    client = Client()
    refused = client.post(LISTEN, {"query": HOME}, content_type="application/json")
    assert refused.status_code == 401
    assert refused.json()["data"][0]["attributes"]["code"] == "INVALID_AUTHORIZATION_HEADER"
    wrong_method = client.get(LISTEN)
    assert (wrong_method.status_code, wrong_method["Allow"]) == (405, "POST, OPTIONS")
    preflight = client.options(LISTEN)
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Methods"] == "POST, OPTIONS"
    missing = client.get(f"{LISTEN}/channels/nope")
    assert missing.status_code == 404
    assert missing.json()["data"][0]["attributes"]["code"] == "NOT_FOUND"


def test_with_an_api_token_the_site_has_no_emulator_channels() -> None:
    client = Client()
    url = register(client)
    with override_settings(DATOCMS=demo_datocms(API_TOKEN="a-token")):
        assert client.post(LISTEN, {"query": HOME}, content_type="application/json",
                           headers=AUTH).status_code == 404  # fmt: skip
        assert client.get(url).status_code == 404


@pytest.mark.anyio
async def test_under_asgi_channels_answer_501() -> None:
    client = AsyncClient()
    response = await client.get(f"{LISTEN}/channels/any")
    assert response.status_code == 501
    assert response.json() == {
        "error": "not_implemented",
        "message": "The embedded emulator streams its channels under WSGI servers (runserver, "
        "gunicorn with threads); under ASGI, run `manage.py datocms_emulator` and point "
        "clients at its /listen.",
    }


def test_a_threaded_server_streams_changes_and_notices_a_client_leaving(
    live_server: LiveServer,
) -> None:
    get_emulator().listen.keep_alive = 0.1
    before = set(threading.enumerate())
    registered = httpx.post(f"{live_server.url}{LISTEN}", json={"query": HOME}, headers=AUTH)
    url = registered.json()["url"]
    assert re.fullmatch(f"{live_server.url}{LISTEN}/channels/{UUID}", url)
    with httpx.Client(timeout=10) as http, http.stream("GET", url) as response:
        assert response.headers["content-type"] == "text/event-stream"
        reader = EventReader(response.iter_lines())
        data = {"response": {"data": {"home": {"heroTitle": TITLE}}}}
        assert reader.event() == ("update", data)
        change_title("Changed while streaming")
        data = {"response": {"data": {"home": {"heroTitle": "Changed while streaming"}}}}
        assert reader.event() == ("update", data)
    wait_until(lambda: get_emulator().listen.streams == 0)
    wait_until(lambda: set(threading.enumerate()) - before <= {reader._thread})


@pytest.mark.parametrize("asynchronous", [False, True])
@pytest.mark.anyio
async def test_the_in_process_transports_stream_channels(asynchronous: bool) -> None:
    transport = AsyncEmulatorTransport() if asynchronous else EmulatorTransport()
    http: Any = (httpx.AsyncClient if asynchronous else httpx.Client)(transport=transport)
    answer = http.post(f"{EMBEDDED_ENDPOINT}listen", json={"query": HOME}, headers=AUTH)
    answer = await answer if asynchronous else answer
    url = answer.json()["url"]
    assert re.fullmatch(f"http://emulator.invalid{LISTEN}/channels/{UUID}", url)
    path = url.removeprefix("http://emulator.invalid/datocms/emulator")
    request = http.build_request("GET", f"{EMBEDDED_ENDPOINT}{path.lstrip('/')}")
    if asynchronous:
        response = await http.send(request, stream=True)
        first = await response.aiter_raw().__anext__()
        await response.aclose()
        await http.aclose()
    else:
        response = http.send(request, stream=True)
        first = next(response.iter_raw())
        response.close()
        http.close()
    assert first == update(TITLE)
    assert get_emulator().listen.streams == 0


def recorded(include_drafts: bool = True) -> RecordedQuery:
    return RecordedQuery(
        query=HOME, variables=None, environment=None, include_drafts=include_drafts,
        exclude_invalid=False,
    )  # fmt: skip


@pytest.mark.django_db
def test_live_updates_register_with_the_embedded_emulator() -> None:
    endpoint = hooks.build_listen_endpoint(get_settings())
    assert endpoint is not None
    assert (endpoint.url, endpoint.api_token, endpoint.channel_base_url) == (
        "http://emulator.invalid/listen", "emulator", "",
    )  # fmt: skip
    assert isinstance(endpoint.transport, EmulatorTransport)
    path = register_channel(recorded())
    assert re.fullmatch(f"{LISTEN}/channels/{UUID}", path)
    channel = Client().get(path)
    assert next(iter(channel.streaming_content)) == update(TITLE)
    channel.close()


def test_the_channels_go_where_listen_base_says() -> None:
    conf = demo_datocms(EMULATOR={"LISTEN_BASE": "https://live.example/datocms/emulator/listen"})
    with override_settings(DATOCMS=conf):
        endpoint = hooks.build_listen_endpoint(get_settings())
        assert endpoint is not None
        assert endpoint.channel_base_url is None
        url = register_channel(recorded())
    assert re.fullmatch(f"https://live.example{LISTEN}/channels/{UUID}", url)


@pytest.mark.parametrize(
    "conf",
    [demo_datocms(API_TOKEN="a-token"), {"EMULATOR": {"TOKENS": ["x"]}}],
    ids=["an API token: DatoCMS's own", "no content project"],
)
def test_no_emulator_endpoint_when_the_emulator_does_not_serve(conf: dict[str, Any]) -> None:
    with override_settings(DATOCMS=conf):
        assert hooks.build_listen_endpoint(get_settings()) is None
