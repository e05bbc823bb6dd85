"""A stand-in Content Delivery API on a loopback port, whose content tests can change.

It speaks the CDA's protocol as far as the caching tests need: POST a GraphQL body, get
``{"data": ...}`` with ``X-Cache-Tags`` (when asked for with ``X-Cache-Tags: true``) and
``X-Request-Id``; ``fail_with`` makes it answer an error status; ``before_answer`` runs in
the request thread after the data was read (to interleave an invalidation deterministically).
Content is keyed by the query string; a value is ``(data, tags)`` or a function of the
variables returning one.
"""

from __future__ import annotations

import itertools
import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from tests.caching.servers import handler_in_thread

Answer = tuple[dict[str, Any], list[str]]
Content = Answer | Callable[[dict[str, Any]], Answer]


class FakeCDA:
    def __init__(self) -> None:
        self.content: dict[str, Content] = {}
        self.requests: list[dict[str, Any]] = []
        self.fail_with: int | None = None
        self.before_answer: Callable[[dict[str, Any]], None] | None = None
        self.lock = threading.Lock()
        self._ids = itertools.count(1)
        self._server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self._server is not None
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/"

    def settings(self, **extra: Any) -> dict[str, Any]:
        """A ``DATOCMS`` dict pointing at this server."""
        return {"API_TOKEN": "fake-token", "CDA_URL": self.url, "MAX_RETRIES": 0, **extra}

    def queries(self) -> list[str]:
        with self.lock:
            return [request["query"] for request in self.requests]

    def answer(
        self, body: dict[str, Any], headers: dict[str, str]
    ) -> tuple[int, bytes, dict[str, str]]:
        if self.fail_with is not None:
            status = self.fail_with
            error = {
                "data": [
                    {"id": "x", "type": "api_error", "attributes": {"code": "BOOM", "details": {}}}
                ]
            }
            return status, json.dumps(error).encode(), {"Content-Type": "application/json"}
        with self.lock:
            self.requests.append(
                {"query": body.get("query"), "variables": body.get("variables"), "headers": headers}
            )
            content = self.content.get(body.get("query", ""))
        if content is None:
            payload = {"errors": [{"message": f"unknown query {body.get('query')!r}"}]}
            return 200, json.dumps(payload).encode(), {"Content-Type": "application/json"}
        data, tags = content(body.get("variables") or {}) if callable(content) else content
        if self.before_answer is not None:
            self.before_answer(body)
        out = {"Content-Type": "application/json", "X-Request-Id": f"req-{next(self._ids)}"}
        if headers.get("x-cache-tags") == "true":
            out["X-Cache-Tags"] = " ".join(tags)
        return 200, json.dumps({"data": data}).encode(), out

    @contextmanager
    def running(self) -> Iterator[FakeCDA]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                headers = {k.lower(): v for k, v in self.headers.items()}
                status, content, out = fake.answer(body, headers)
                self.send_response(status)
                for name, value in out.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(content)))
                # No keep-alive: a client pool left to the garbage collector would otherwise
                # hold a socket open past the test (a ResourceWarning, hence an error).
                self.send_header("Connection", "close")
                self.close_connection = True
                self.end_headers()
                self.wfile.write(content)

            def log_message(self, format: str, *args: Any) -> None:
                return

        with handler_in_thread(Handler) as server:
            self._server = server
            yield self
