"""DatoCMS's own npm clients against the emulator: ``@datocms/cda-client`` and
``datocms-listen`` (its Real-time Updates API, standalone and site-mounted).

Starts the real command in a subprocess on a free loopback port, runs
``node/cda_client.mjs`` and checks what the client saw: data, cache tags, drafts, strict
mode, environments, introspection, auto-pagination and the three kinds of errors. Needs
node and ``tools/node/node_modules`` (``make node``): skipped on a laptop without them,
failed under ``CI=true``.
"""

from __future__ import annotations

import json
import queue
import re
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from datocms_app.emulator import cache_tags
from datocms_app.emulator.embedded import get_emulator, reset_emulator
from datocms_app.emulator.listen import INVALID_QUERY_MESSAGE
from datocms_app.emulator.remote import RemoteEditor
from tests.emulator.standalone import (
    NODE_PACKAGE,
    NODE_SCRIPTS,
    node_binary,
    node_script,
    standalone,
)

TOKEN = "node-test-token"


@pytest.fixture
def endpoint() -> Iterator[str]:
    with standalone("--token", TOKEN) as url:
        yield url


def test_datocms_cda_client_against_the_standalone_emulator(endpoint: str) -> None:
    seen = node_script("cda_client.mjs", endpoint, TOKEN, package="@datocms/cda-client")
    assert seen["query"] == {"allArticles": [{"slug": "crossing-the-alps-on-foot"},
                                             {"slug": "the-city-after-two"}]}  # fmt: skip
    assert seen["home"] == {"home": {"heroTitle": "Go somewhere. Pay attention."}}
    assert sorted(seen["cacheTags"]) == sorted(
        [cache_tags.collection_tag("published", "home"), cache_tags.record_tag("published", "home"),
         cache_tags.schema_tag()]
    )  # fmt: skip
    assert re.fullmatch(r"[0-9a-f-]{36}", seen["requestId"])
    assert seen["published"] == {"article": None}
    assert seen["drafts"] == {"article": {"_status": "draft"}}
    assert seen["strict"] == {"_allArticlesMeta": {"count": 7}}
    assert seen["environment"] == {"_site": {"locales": ["en", "it"]}}
    assert seen["schema"] == {"queryType": "Query", "hasArticleRecord": True}
    assert seen["autoPagination"] == 7
    bad_token = seen["badToken"]
    assert (bad_token["apiError"], bad_token["status"]) == (True, 401)
    assert bad_token["body"]["data"][0]["attributes"]["code"] == "INVALID_AUTHORIZATION_HEADER"
    bad_environment = seen["badEnvironment"]
    assert bad_environment["status"] == 422
    assert bad_environment["body"]["data"][0]["attributes"]["code"] == "INVALID_ENVIRONMENT"
    graphql_error = seen["graphqlError"]
    assert (graphql_error["apiError"], graphql_error["status"]) == (True, 200)
    assert graphql_error["body"]["errors"][0]["message"] == (
        "Cannot query field 'nope' on type 'Query'. Did you mean 'home'?"
    )


# -- datocms-listen ---------------------------------------------------------------------------

LISTEN_SCRIPT = NODE_SCRIPTS / "listen_client.mjs"
HOME = "{ home { heroTitle } }"
TITLE = "Go somewhere. Pay attention."
#: How long "no update" is watched for after an unrelated change.
QUIET = 1.5


class NodeSubscriber:
    """``listen_client.mjs`` running: its JSON lines as they come, and its stdin."""

    def __init__(self, base_url: str, token: str, query: str, *extra: str) -> None:
        node = node_binary("datocms-listen")
        self.process = subprocess.Popen(
            [node, str(LISTEN_SCRIPT), str(NODE_PACKAGE), base_url, token, query, *extra],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        self.lines: queue.Queue[Any] = queue.Queue()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(json.loads(line))
        self.lines.put(None)

    def next(self, timeout: float = 15.0) -> Any:
        try:
            return self.lines.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(f"datocms-listen said nothing within {timeout} s") from None

    def quiet(self, seconds: float) -> list[Any]:
        time.sleep(seconds)
        return [self.lines.get_nowait() for _ in range(self.lines.qsize())]

    def close(self) -> None:
        assert self.process.stdin is not None
        if self.process.poll() is None:
            self.process.stdin.write("unsubscribe\n")
            self.process.stdin.flush()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        for stream in (self.process.stdin, self.process.stdout, self.process.stderr):
            if stream is not None:
                stream.close()


@contextmanager
def subscribed(base_url: str, token: str, query: str, *extra: str) -> Iterator[NodeSubscriber]:
    subscriber = NodeSubscriber(base_url, token, query, *extra)
    try:
        yield subscriber
    finally:
        subscriber.close()


def home(title: str) -> dict[str, Any]:
    return {"update": {"response": {"data": {"home": {"heroTitle": title}}}}}


@pytest.fixture(params=["standalone", "site"])
def listen_target(
    request: pytest.FixtureRequest,
) -> Iterator[tuple[str, str, Callable[..., Any]]]:
    """``(baseUrl, token, change)``: ``manage.py datocms_emulator``'s ``/listen`` (changed
    through its changes endpoint), or the site-mounted ``/datocms/emulator/listen`` of a live
    server (changed in-process)."""
    if request.param == "standalone":
        endpoint = request.getfixturevalue("endpoint")
        with RemoteEditor(endpoint, token=TOKEN) as editor:
            yield f"{endpoint}listen", TOKEN, editor.update_record
        return
    # Asked for by name, the live server does not bring database access along by itself
    # (its thread checks its connection on every request).
    request.getfixturevalue("transactional_db")
    live_server = request.getfixturevalue("live_server")
    reset_emulator()
    try:
        yield (
            f"{live_server.url}/datocms/emulator/listen",
            "emulator",
            get_emulator().changes.update_record,
        )
    finally:
        reset_emulator()


def test_datocms_listen_against_the_emulator(
    listen_target: tuple[str, str, Callable[..., Any]],
) -> None:
    base_url, token, change = listen_target
    with subscribed(base_url, token, HOME) as subscriber:
        assert subscriber.next() == {"status": "connecting"}
        assert subscriber.next() == {"status": "connected"}
        assert subscriber.next() == home(TITLE)
        change("night-train", {"title": {"en": "Still a draft", "it": "Ancora bozza"}})
        assert subscriber.quiet(QUIET) == []
        change("home", {"hero_title": {"en": "Live", "it": "Dal vivo"}}, publish=True)
        assert subscriber.next() == home("Live")
        assert subscriber.quiet(QUIET) == []
    assert subscriber.process.returncode == 0, subscriber.process.stderr


def test_datocms_listen_gets_a_fatal_channel_error_for_an_invalid_query(endpoint: str) -> None:
    with subscribed(f"{endpoint}listen", TOKEN, "{ home { nope } }", "drafts") as subscriber:
        assert subscriber.next() == {"status": "connecting"}
        assert subscriber.next() == {"status": "connected"}
        assert subscriber.next() == {
            "channelError": {
                "code": "INVALID_QUERY",
                "message": INVALID_QUERY_MESSAGE,
                "fatal": True,
                "response": {
                    "errors": [
                        {
                            "message": "Cannot query field 'nope' on type 'HomeRecord'.",
                            "locations": [{"line": 1, "column": 10}],
                        }
                    ]
                },
            }
        }
        assert subscriber.next() == {"status": "closed"}
        assert subscriber.quiet(QUIET) == []  # fatal: no reconnection


def test_datocms_listen_refuses_a_wrong_token(endpoint: str) -> None:
    with subscribed(f"{endpoint}listen", "wrong", HOME) as subscriber:
        assert subscriber.next() == {"status": "connecting"}
        assert subscriber.next() == {"error": "Error: Invalid status code: 401 Unauthorized"}
