"""A stand-in Real-time Updates API on a loopback port: registrations and SSE channels.

``POST /`` registers a query the way ``graphql-listen.datocms.com`` does: it records the
headers and body and answers ``{"url": "<base>/channels/<n>"}`` (or what ``answer_with``
says). ``GET /channels/<n>`` is the channel: ``text/event-stream`` with CORS, an ``update``
event with ``initial`` right after connecting, then whatever the test ``send``s (and a
comment line every 0.2 s, which notices a client that left: ``finished``); ``close`` ends the
stream. A channel serves one connection: reconnecting to it answers 404, so a
client must register again, as with DatoCMS's ephemeral channels.
"""

from __future__ import annotations

import itertools
import json
import queue
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from tests.caching.servers import handler_in_thread

_CLOSE = object()


@dataclass
class Channel:
    number: int
    registration: dict[str, Any]
    events: queue.Queue[Any] = field(default_factory=queue.Queue)
    connected: bool = False
    finished: bool = False


class FakeRealtime:
    def __init__(self, initial: Any = None) -> None:
        #: The ``update`` payload sent right after a connection.
        self.initial = initial if initial is not None else {"response": {"data": {"v": 0}}}
        #: ``(status, body)`` to answer registrations with instead of a channel.
        self.answer_with: tuple[int, dict[str, Any]] | None = None
        self.registrations: list[dict[str, Any]] = []
        self.channels: dict[int, Channel] = {}
        self.lock = threading.Lock()
        self._numbers = itertools.count(1)
        self._server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self._server is not None
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/"

    # -- what tests do --------------------------------------------------------------------

    def send(self, number: int, event: str, data: Any) -> None:
        self.channels[number].events.put((event, data))

    def close(self, number: int) -> None:
        self.channels[number].events.put(_CLOSE)

    def connected(self) -> list[int]:
        with self.lock:
            return [number for number, channel in self.channels.items() if channel.connected]

    def wait_for(self, predicate: Any, timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        while not predicate():
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out; registrations: {len(self.registrations)}")
            time.sleep(0.02)

    # -- the server ------------------------------------------------------------------------

    def _register(self, headers: dict[str, str], body: dict[str, Any]) -> tuple[int, Any]:
        with self.lock:
            registration = {"headers": headers, "body": body}
            self.registrations.append(registration)
            if self.answer_with is not None:
                return self.answer_with
            number = next(self._numbers)
            self.channels[number] = Channel(number, registration)
        return 200, {"url": f"{self.url}channels/{number}"}

    def _claim(self, path: str) -> Channel | None:
        try:
            number = int(path.rstrip("/").rsplit("/", 1)[1])
        except (IndexError, ValueError):
            return None
        with self.lock:
            channel = self.channels.get(number)
            if channel is None or channel.connected:
                return None
            channel.connected = True
            return channel

    @contextmanager
    def running(self) -> Iterator[FakeRealtime]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                headers = {k.lower(): v for k, v in self.headers.items()}
                status, answer = fake._register(headers, body)
                content = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(content)))
                self.end_headers()
                self.wfile.write(content)

            def do_GET(self) -> None:
                channel = fake._claim(self.path)
                if channel is None:
                    self.send_response(404)
                    self.send_header("Access-Control-Allow-Origin", "*")
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Cache-Control", "no-cache")
                self.send_header("Access-Control-Allow-Origin", "*")
                self.end_headers()
                try:
                    self._event("update", fake.initial)
                    while True:
                        try:
                            item = channel.events.get(timeout=0.2)
                        except queue.Empty:
                            # A comment line: how a closed connection is noticed.
                            self.wfile.write(b": keep-alive\n\n")
                            self.wfile.flush()
                            continue
                        if item is _CLOSE:
                            break
                        self._event(*item)
                except OSError:
                    pass  # the browser went away
                finally:
                    channel.finished = True

            def _event(self, event: str, data: Any) -> None:
                self.wfile.write(f"event: {event}\ndata: {json.dumps(data)}\n\n".encode())
                self.wfile.flush()

            def log_message(self, format: str, *args: Any) -> None:
                return

        with handler_in_thread(Handler) as server:
            self._server = server
            try:
                yield self
            finally:
                # Close the open event streams first: shutting down waits for none of them.
                with self.lock:
                    channels = list(self.channels.values())
                for channel in channels:
                    channel.events.put(_CLOSE)
