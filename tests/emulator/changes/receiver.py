"""A real HTTP endpoint on 127.0.0.1 that records webhook calls and answers from a script."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests.caching.servers import handler_in_thread


@dataclass(frozen=True)
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


class Receiver:
    """Answers the statuses in ``script`` in turn (the last one forever after)."""

    def __init__(self, server: ThreadingHTTPServer, script: list[int]) -> None:
        self.server = server
        self.script = script
        self.requests: list[Received] = []
        self._lock = threading.Lock()

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}/hook"

    def next_status(self, received: Received) -> int:
        with self._lock:
            self.requests.append(received)
            return self.script.pop(0) if len(self.script) > 1 else self.script[0]


@contextmanager
def receiver(*script: int) -> Iterator[Receiver]:
    holder: list[Receiver] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            received = Received(
                method="POST",
                path=self.path,
                headers=dict(self.headers.items()),
                body=self.rfile.read(length),
            )
            status = holder[0].next_status(received)
            body = b"ok" if status < 400 else b"nope"
            self.send_response(status)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    with handler_in_thread(Handler) as server:
        holder.append(Receiver(server, list(script or (200,))))
        yield holder[0]


def closed_port_url() -> str:
    """A loopback URL where nothing listens (connection refused)."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/hook"
