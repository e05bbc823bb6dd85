"""The emulator on a real socket: a threaded HTTP/1.1 server (``manage.py datocms_emulator``).

``EmulatorHTTPServer(emulator, host, port)`` binds (port 0 picks a free one), points the
emulator's upload URLs at itself (``http://host:port/assets``) and serves
``Emulator.handle``: ``POST /`` is the CDA, ``/assets/<id>/<filename>`` the images,
``/video/<playback id>...`` the videos, ``/cma/...`` the Content Management API (whose
upload targets take ``PUT`` bodies of up to 64 MB, with a length or chunked), ``POST
/listen`` the Real-time Updates API, whose channels (``/listen/channels/<id>``) stream on
their connection's thread until the client leaves; closing the server ends them.
Connections are kept alive, as DatoCMS's edge does; a simulated dropped connection closes
the socket without an answer. ``running(emulator)`` is a context manager that serves from a
daemon thread and stops the server on exit (tests).

It binds wherever it is told: keep it on 127.0.0.1 unless the network is trusted, as it
serves unpublished drafts to anyone holding one of its tokens.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import sys
import threading
from collections.abc import Generator, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

from datocms_app.emulator.cma.uploads import MAX_UPLOAD_BYTES
from datocms_app.emulator.exceptions import SimulatedDisconnect, SimulatedTimeout
from datocms_app.emulator.server import Emulator, EmulatorRequest

__all__ = ["EmulatorHTTPServer", "running"]

logger = logging.getLogger("datocms_app.emulator")
MAX_BODY = 8 * 1024 * 1024
#: Seconds ``server_close`` gives open channel streams to end.
STREAMS_CLOSE_WAIT = 5.0


class EmulatorHTTPServer(ThreadingHTTPServer):
    """A threaded HTTP server answering with an ``Emulator``."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, emulator: Emulator, host: str = "127.0.0.1", port: int = 8700) -> None:
        if ":" in host:
            self.address_family = socket.AF_INET6
        self.emulator = emulator  # before binding: a failed bind calls server_close
        super().__init__((host, port), _Handler)
        self.host = host
        self.port = int(self.server_address[1])
        if emulator.assets_path:
            emulator.assets_base = f"{self.url.rstrip('/')}{emulator.assets_path}"
        if emulator.video_path:
            emulator.video_base = f"{self.url.rstrip('/')}{emulator.video_path}"

    def server_close(self) -> None:
        super().server_close()
        # The streams' threads return once their stream ends (daemon threads: nothing
        # else would stop them).
        self.emulator.listen.close_all(wait=STREAMS_CLOSE_WAIT)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that hangs up is routine for a test double; anything else is logged.
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        logger.exception("The emulator's HTTP server failed on a request from %s", client_address)

    @property
    def url(self) -> str:
        """The CDA endpoint, e.g. ``http://127.0.0.1:8700/``."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/"


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "DatoCMSEmulator/1"
    #: Idle keep-alive connections are closed after this many seconds.
    timeout = 30
    server: EmulatorHTTPServer

    def do_POST(self) -> None:
        self._serve()

    do_GET = do_HEAD = do_OPTIONS = do_PUT = do_PATCH = do_DELETE = do_POST

    def _serve(self) -> None:
        # A PUT carries a file for the CMA's upload storage: larger bodies are fine.
        limit = MAX_UPLOAD_BYTES if self.command == "PUT" else MAX_BODY
        body = self._body(limit)
        if body is None:
            return
        target = urlsplit(self.path)
        request = EmulatorRequest(
            method=self.command,
            path=target.path,
            query_string=target.query,
            headers={name.lower(): value for name, value in self.headers.items()},
            body=body,
            url_root=self.server.url.rstrip("/"),
        )
        try:
            response = self.server.emulator.handle(request)
        except SimulatedDisconnect:
            self.close_connection = True
            with contextlib.suppress(OSError):
                self.connection.shutdown(socket.SHUT_RDWR)
            return
        except SimulatedTimeout:  # only with a read timeout, which sockets never pass
            self.close_connection = True
            return
        except Exception:
            logger.exception("The emulator failed on %s %s", self.command, target.path)
            self.send_error(500, "Internal emulator error (see the server log)")
            return
        try:
            self.send_response(response.status)
            for name, value in response.headers:
                self.send_header(name, value)
            if response.stream is not None:
                # No length: the stream ends with the connection.
                self.send_header("Connection", "close")
                self.close_connection = True
            self.end_headers()
            if self.command != "HEAD" and response.status not in (204, 304):
                self.wfile.write(response.body)
            if response.stream is not None:
                self._write_stream(response.stream)
        except ConnectionError:  # the client gave up (e.g. its timeout beat a latency fault)
            self.close_connection = True

    def _body(self, limit: int) -> bytes | None:
        """The request's body (``Content-Length`` or chunked), or None once an error was
        answered (413 past ``limit``, 400 for a malformed length)."""
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            chunks: list[bytes] = []
            total = 0
            while True:
                try:
                    size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                except ValueError:
                    self.send_error(400)
                    return None
                if size == 0:
                    while self.rfile.readline().strip():  # trailers, then the blank line
                        pass
                    return b"".join(chunks)
                total += size
                if total > limit:
                    self.send_error(413)
                    return None
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if not 0 <= length <= limit:
            self.send_error(413 if length > limit else 400)
            return None
        return self.rfile.read(length) if length else b""

    def _write_stream(self, stream: Generator[bytes, None, None]) -> None:
        try:
            for chunk in stream:
                self.wfile.write(chunk)
                self.wfile.flush()
        except OSError:  # the client left: a keep-alive comment found the socket closed
            self.close_connection = True
        finally:
            stream.close()

    def log_message(self, format: str, *args: Any) -> None:
        logger.info("%s %s", self.address_string(), format % args)


@contextlib.contextmanager
def running(
    emulator: Emulator, host: str = "127.0.0.1", port: int = 0
) -> Iterator[EmulatorHTTPServer]:
    """Serve ``emulator`` from a daemon thread for the duration of the ``with`` block."""
    server = EmulatorHTTPServer(emulator, host, port)
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, name="datocms-emulator",
        daemon=True,
    )  # fmt: skip
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
