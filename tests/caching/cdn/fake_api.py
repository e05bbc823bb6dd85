"""Local HTTP servers standing in for the CDNs' purge APIs.

Each checks what the CDN's documentation prescribes (path, method, auth header, JSON body,
batch size) and answers like the CDN does, so a backend that sends anything else fails.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any

from tests.caching.servers import handler_in_thread, server_url


@dataclass
class Call:
    method: str
    path: str
    headers: dict[str, str]
    body: Any


Reply = tuple[int, Any]


@dataclass
class FakeAPI:
    check: Callable[[Call], Reply]
    calls: list[Call] = field(default_factory=list)
    fail_with: int | None = None
    arrived: threading.Event = field(default_factory=threading.Event)
    url: str = ""

    def handle(self, call: Call) -> Reply:
        self.calls.append(call)
        self.arrived.set()
        if self.fail_with is not None:
            return self.fail_with, {"error": "upstream exploded"}
        return self.check(call)


@contextmanager
def serving(api: FakeAPI) -> Iterator[FakeAPI]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _any(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            try:
                body = json.loads(raw) if raw else None
            except ValueError:
                body = raw.decode(errors="replace")
            headers = {k.lower(): v for k, v in self.headers.items()}
            status, reply = api.handle(Call(self.command, self.path, headers, body))
            content = b"" if reply is None else json.dumps(reply).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(content)))
            self.send_header("Connection", "close")
            self.close_connection = True
            self.end_headers()
            self.wfile.write(content)

        do_POST = do_PURGE = do_GET = _any

        def log_message(self, format: str, *args: Any) -> None:
            return

    with handler_in_thread(Handler) as server:
        api.url = server_url(server)
        yield api


# -- the CDNs' documented request shapes ---------------------------------------------------


def fastly(service_id: str, token: str) -> Callable[[Call], Reply]:
    def check(call: Call) -> Reply:
        if call.headers.get("fastly-key") != token:
            return 401, {"msg": "Provided credentials are missing or invalid"}
        if (call.method, call.path) == ("POST", f"/service/{service_id}/purge_all"):
            return 200, {"status": "ok"}
        if (call.method, call.path) != ("POST", f"/service/{service_id}/purge"):
            return 404, {"msg": "Record not found"}
        keys = call.body.get("surrogate_keys") if isinstance(call.body, dict) else None
        if not isinstance(keys, list) or not keys or len(keys) > 256:
            return 400, {"msg": "Bad request", "detail": "1 to 256 surrogate_keys"}
        return 200, {key: f"purge-{n}" for n, key in enumerate(keys)}

    return check


def cloudflare(zone_id: str, token: str) -> Callable[[Call], Reply]:
    def check(call: Call) -> Reply:
        failure = {"success": False, "errors": [{"code": 10000, "message": "Authentication error"}]}
        if call.headers.get("authorization") != f"Bearer {token}":
            return 403, failure
        if (call.method, call.path) != ("POST", f"/client/v4/zones/{zone_id}/purge_cache"):
            return 404, {"success": False, "errors": [{"code": 7003, "message": "No route"}]}
        body = call.body if isinstance(call.body, dict) else {}
        if body == {"purge_everything": True}:
            return 200, {"success": True, "errors": [], "messages": [], "result": {"id": zone_id}}
        tags = body.get("tags")
        if not isinstance(tags, list) or not tags or len(tags) > 100 or set(body) != {"tags"}:
            return 400, {"success": False, "errors": [{"code": 1015, "message": "bad tags"}]}
        return 200, {"success": True, "errors": [], "messages": [], "result": {"id": zone_id}}

    return check


def bunny(pull_zone_id: str, key: str) -> Callable[[Call], Reply]:
    def check(call: Call) -> Reply:
        if call.headers.get("accesskey") != key:
            return 401, {"Message": "Authorization has been denied for this request."}
        if (call.method, call.path) != ("POST", f"/pullzone/{pull_zone_id}/purgeCache"):
            return 404, {"Message": "Not found"}
        if call.body is not None and (
            not isinstance(call.body, dict)
            or set(call.body) != {"CacheTag"}
            or not isinstance(call.body["CacheTag"], str)
        ):
            return 400, {"Message": "Invalid body"}
        return 204, None

    return check


def netlify(site_id: str, token: str) -> Callable[[Call], Reply]:
    def check(call: Call) -> Reply:
        if call.headers.get("authorization") != f"Bearer {token}":
            return 401, {"code": 401, "message": "Access Denied"}
        if (call.method, call.path) != ("POST", "/api/v1/purge"):
            return 404, {"code": 404, "message": "Not Found"}
        body = call.body if isinstance(call.body, dict) else {}
        if body.get("site_id") != site_id or not set(body) <= {"site_id", "cache_tags"}:
            return 422, {"code": 422, "message": "site_id required"}
        return 202, None

    return check
