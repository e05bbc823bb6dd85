"""The emulator's Real-time Updates API on the standalone server (``httpserver.running``).

Registration is the CDA's request ``POST``ed to ``/listen`` (the same checks, the same
errors); its answer is ``{"url": ".../listen/channels/<id>"}`` with ``Content-Type:
application/json`` exactly; the channel is a ``text/event-stream`` with an ``update`` at once
and one after each change that alters the result. Keep-alive comments come every 0.1 s here,
so that a client that left is noticed quickly.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest

from datocms_app.emulator.httpserver import EmulatorHTTPServer, running
from datocms_app.emulator.listen import INVALID_QUERY_MESSAGE
from datocms_app.emulator.server import Emulator
from datocms_app.emulator.store import ContentStore
from tests.emulator.sse import EventReader

AUTH = {"Authorization": "Bearer token"}
PAGE = "{ page { title } }"
GAMMA = '{ post(filter: {id: {eq: "p3"}}) { title } }'
CHANNEL = re.compile(r"http://127\.0\.0\.1:\d+/listen/channels/[0-9a-f-]{36}")
#: How long "nothing but keep-alive comments" is watched for.
QUIET = 1.0


@pytest.fixture
def emulator(store: ContentStore) -> Iterator[Emulator]:
    emulator = Emulator(store, tokens=["token"])
    emulator.listen.keep_alive = 0.1
    yield emulator
    emulator.webhooks.close()


@pytest.fixture
def server(emulator: Emulator) -> Iterator[EmulatorHTTPServer]:
    with running(emulator) as started:
        yield started


def register(server: EmulatorHTTPServer, query: str, **headers: str) -> str:
    response = httpx.post(f"{server.url}listen", json={"query": query}, headers={**AUTH, **headers})
    assert response.status_code == 200, response.text
    url: str = response.json()["url"]
    return url


@contextmanager
def channel(url: str) -> Iterator[tuple[httpx.Response, EventReader]]:
    with httpx.Client(timeout=10) as http, http.stream("GET", url) as response:
        yield response, EventReader(response.iter_lines())


def updates(events: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    return [event for event in events if event[0] != "comment"]


def test_a_registration_answers_the_url_of_a_channel(server: EmulatorHTTPServer) -> None:
    response = httpx.post(f"{server.url}listen", json={"query": PAGE}, headers=AUTH)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.headers["access-control-allow-origin"] == "*"
    assert response.headers["x-request-id"]
    assert list(response.json()) == ["url"]
    assert CHANNEL.fullmatch(response.json()["url"])
    assert response.json()["url"].startswith(server.url)


def test_the_channel_streams_the_result_at_once_with_cors(server: EmulatorHTTPServer) -> None:
    with channel(register(server, PAGE)) as (response, reader):
        assert response.status_code == 200
        assert response.headers["content-type"] == "text/event-stream"
        assert response.headers["cache-control"] == "no-cache"
        assert response.headers["access-control-allow-origin"] == "*"
        assert response.headers["connection"] == "close"
        assert reader.next() == ("update", {"response": {"data": {"page": {"title": "The page"}}}})
        assert reader.next() == ("comment", "keep-alive")


def test_the_preflight_allows_the_cda_headers(server: EmulatorHTTPServer) -> None:
    response = httpx.options(
        f"{server.url}listen",
        headers={"Origin": "https://site.test", "Access-Control-Request-Method": "POST"},
    )
    assert response.status_code == 204
    assert response.headers["access-control-allow-origin"] == "*"
    assert response.headers["access-control-allow-methods"] == "POST, OPTIONS"
    assert response.headers["access-control-allow-headers"] == (
        "Authorization, Content-Type, Accept, X-Environment, X-Include-Drafts, "
        "X-Exclude-Invalid, X-Cache-Tags, X-Visual-Editing, X-Base-Editing-Url"
    )


@pytest.mark.parametrize(
    ("headers", "body", "status", "code"),
    [
        ({}, {"query": PAGE}, 401, "INVALID_AUTHORIZATION_HEADER"),
        ({"Authorization": "Bearer wrong"}, {"query": PAGE}, 401, "INVALID_AUTHORIZATION_HEADER"),
        ({**AUTH, "X-Environment": "nope"}, {"query": PAGE}, 422, "INVALID_ENVIRONMENT"),
        ({**AUTH, "X-Include-Drafts": "1"}, {"query": PAGE}, 422,
         "INVALID_X_INCLUDE_DRAFTS_HEADER"),
        ({**AUTH, "X-Exclude-Invalid": "yes"}, {"query": PAGE}, 422,
         "INVALID_X_EXCLUDE_INVALID_HEADER"),
        ({**AUTH, "X-Visual-Editing": "v9"}, {"query": PAGE}, 422,
         "INVALID_X_VISUAL_EDITING_HEADER"),
        (AUTH, {"variables": {}}, 422, "INVALID_JSON_BODY"),
        (AUTH, {"query": PAGE, "variables": [1]}, 422, "INVALID_JSON_BODY"),
    ],
)  # fmt: skip
def test_a_registration_is_refused_as_the_cda_refuses_the_same_request(
    server: EmulatorHTTPServer, headers: dict[str, str], body: dict[str, Any], status: int,
    code: str,
) -> None:  # fmt: skip
    listen = httpx.post(f"{server.url}listen", json=body, headers=headers)
    cda = httpx.post(server.url, json=body, headers=headers)
    assert (listen.status_code, cda.status_code) == (status, status)
    [error] = listen.json()["data"]
    assert error["attributes"]["code"] == code
    assert error["attributes"] == cda.json()["data"][0]["attributes"]
    assert listen.headers["access-control-allow-origin"] == "*"


def test_methods_and_paths(server: EmulatorHTTPServer) -> None:
    wrong_method = httpx.get(f"{server.url}listen")
    assert (wrong_method.status_code, wrong_method.headers["allow"]) == (405, "POST, OPTIONS")
    assert wrong_method.json()["data"][0]["attributes"]["details"]["message"] == (
        "The Real-time Updates API takes POST requests with a JSON body."
    )
    url = register(server, PAGE)
    posted = httpx.post(url, headers=AUTH)
    assert (posted.status_code, posted.headers["allow"]) == (405, "GET")
    elsewhere = httpx.get(f"{server.url}listen/nothing")
    assert elsewhere.status_code == 404
    assert elsewhere.json()["data"][0]["attributes"]["details"]["message"] == (
        "No such endpoint '/listen/nothing': channels are /listen/channels/<id>."
    )


def test_a_channel_serves_one_connection(server: EmulatorHTTPServer) -> None:
    url = register(server, PAGE)
    with channel(url) as (_, reader):
        assert reader.event()[0] == "update"
        again = httpx.get(url)
    channel_id = url.rsplit("/", 1)[1]
    assert again.status_code == 404
    assert again.headers["access-control-allow-origin"] == "*"
    assert again.json()["data"][0]["attributes"] == {
        "code": "NOT_FOUND",
        "details": {
            "message": f"No channel {channel_id!r}: a channel must be connected within 15 s of "
            "its registration and serves one connection; register the query again."
        },
    }


def test_a_channel_not_connected_in_time_expires(
    server: EmulatorHTTPServer, emulator: Emulator
) -> None:
    emulator.listen.ttl = 1.0
    late = register(server, PAGE)
    time.sleep(1.2)
    in_time = register(server, PAGE)
    assert httpx.get(late).status_code == 404
    with channel(in_time) as (response, reader):
        assert response.status_code == 200
        assert reader.event()[0] == "update"


def test_one_relevant_change_is_one_update_and_an_unrelated_one_none(
    server: EmulatorHTTPServer, emulator: Emulator
) -> None:
    with channel(register(server, PAGE)) as (_, reader):
        assert reader.event() == ("update", {"response": {"data": {"page": {"title": "The page"}}}})
        emulator.changes.update_record("t1", {"name": "crimson"})  # a tag: not in the query
        seen = reader.quiet(QUIET)
        assert updates(seen) == []
        assert len(seen) >= 3  # keep-alive comments went on meanwhile
        emulator.changes.update_record("page", {"title": "A new page"}, publish=True)
        assert reader.event() == (
            "update",
            {"response": {"data": {"page": {"title": "A new page"}}}},
        )
        assert updates(reader.quiet(QUIET)) == []


def test_drafts_and_published_channels_follow_their_own_content(
    server: EmulatorHTTPServer, emulator: Emulator
) -> None:
    published_url = register(server, GAMMA)
    drafts_url = register(server, GAMMA, **{"X-Include-Drafts": "true"})
    with channel(published_url) as (_, published), channel(drafts_url) as (_, drafts):
        assert published.event() == ("update", {"response": {"data": {"post": {"title": "Gamma"}}}})
        assert drafts.event() == ("update", {"response": {"data": {"post": {"title": "Gamma 2"}}}})
        emulator.changes.update_record("p3", {"title": {"en": "Gamma 3", "it": "Gamma it"}})
        assert drafts.event() == ("update", {"response": {"data": {"post": {"title": "Gamma 3"}}}})
        assert updates(published.quiet(QUIET)) == []
        emulator.changes.publish_record("p3")
        assert published.event() == (
            "update",
            {"response": {"data": {"post": {"title": "Gamma 3"}}}},
        )
        assert updates(drafts.quiet(QUIET)) == []  # the draft was already that


def test_a_channel_may_follow_another_environment(server: EmulatorHTTPServer) -> None:
    url = register(server, "{ _site { locales } }", **{"X-Environment": "sandbox"})
    with channel(url) as (_, reader):
        assert reader.event() == ("update", {"response": {"data": {"_site": {"locales": [
            "en", "it", "fr"]}}}})  # fmt: skip


def test_a_query_with_errors_is_a_fatal_channel_error(server: EmulatorHTTPServer) -> None:
    with channel(register(server, "{ page { title nope } }")) as (_, reader):
        assert reader.event() == (
            "channelError",
            {
                "code": "INVALID_QUERY",
                "message": INVALID_QUERY_MESSAGE,
                "fatal": True,
                "response": {
                    "errors": [
                        {
                            "message": "Cannot query field 'nope' on type 'PageRecord'.",
                            "locations": [{"line": 1, "column": 16}],
                        }
                    ]
                },
            },
        )
        assert reader.next() == ("end", None)


def wait_until(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def test_a_stream_ends_when_its_client_leaves(
    server: EmulatorHTTPServer, emulator: Emulator
) -> None:
    before = set(threading.enumerate())
    with channel(register(server, PAGE)) as (_, reader):
        assert reader.event()[0] == "update"
        assert emulator.listen.streams == 1
    wait_until(lambda: emulator.listen.streams == 0)
    wait_until(lambda: set(threading.enumerate()) - before <= {reader._thread})


def test_stopping_the_server_ends_its_streams(emulator: Emulator) -> None:
    before = set(threading.enumerate())
    with running(emulator) as server:
        url = register(server, PAGE)
        http = httpx.Client(timeout=10)
        response = http.send(http.build_request("GET", url), stream=True)
        reader = EventReader(response.iter_lines())
        assert reader.event()[0] == "update"
        assert emulator.listen.streams == 1
    assert emulator.listen.streams == 0  # server_close waited for it
    assert reader.event() == ("end", None)
    reader.join()
    response.close()
    http.close()
    wait_until(lambda: set(threading.enumerate()) <= before)
