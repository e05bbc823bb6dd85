"""Real servers for tests: gunicorn serving tests.caching.site, Redis helpers, and a
request handler served by a thread (the fake APIs).

Servers bind 127.0.0.1 on a free port and are stopped when the ``with`` block ends, even if
the test fails.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

from tests.services import port_open, require_redis

ROOT = Path(__file__).resolve().parents[2]
#: The Redis database the tests use (never 0, the one people use by hand).
REDIS_DB = 13


@contextmanager
def handler_in_thread(handler: type[BaseHTTPRequestHandler]) -> Iterator[ThreadingHTTPServer]:
    """``handler`` served on a free loopback port by a daemon thread (one more per request),
    shut down when the ``with`` block ends."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def server_url(server: ThreadingHTTPServer) -> str:
    """``http://127.0.0.1:PORT`` of a server from ``handler_in_thread``."""
    host, port = server.server_address[:2]
    return f"http://{host}:{port}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def redis_cache() -> Iterator[tuple[str, str]]:
    """``(CACHE_URL, KEY_PREFIX)`` for a test's own keys in Redis; deleted afterwards."""
    import redis

    url = f"{require_redis()}/{REDIS_DB}"
    prefix = f"datocms-test-{uuid.uuid4().hex[:12]}"
    try:
        yield url, prefix
    finally:
        client = redis.Redis.from_url(url)
        keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
        for start in range(0, len(keys), 1000):
            client.delete(*keys[start : start + 1000])
        client.close()


@contextmanager
def gunicorn(
    env: dict[str, str],
    *,
    app: str = "tests.caching.site.wsgi:application",
    settings: str = "tests.caching.site.settings",
    ready_path: str = "/datocms/webhooks/cache-tags/",
    port: int | None = None,
    workers: int = 1,
    threads: int = 4,
) -> Iterator[str]:
    """A gunicorn server for ``app``; yields its base URL."""
    port = port or free_port()
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--graceful-timeout",
        "2",
        "--log-level",
        "warning",
        app,
    ]
    full_env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "DJANGO_SETTINGS_MODULE": settings,
        **env,
    }
    process = subprocess.Popen(
        command, cwd=ROOT, env=full_env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        # The port opens before the workers have imported Django: wait for real answers
        # (any status) from every worker.
        answers = 0
        while answers < workers * 2:
            if process.poll() is not None or time.monotonic() > deadline:
                output = process.stdout.read().decode() if process.stdout else ""
                pytest.fail(f"gunicorn did not start on port {port}:\n{output}")
            if port_open("127.0.0.1", port, timeout=0.2):
                try:
                    httpx.get(base + ready_path, timeout=30, headers={"Host": "localhost"})
                    answers += 1
                    continue
                except httpx.HTTPError:
                    pass
            time.sleep(0.05)
        yield base
    finally:
        stop_process(process)


def wait_until_listening(
    process: subprocess.Popen[bytes], port: int, name: str, timeout: float = 30
) -> None:
    """Return once ``process`` accepts connections on 127.0.0.1:``port``; fail with its
    output if it exits first or takes longer than ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not port_open("127.0.0.1", port, timeout=0.2):
        if process.poll() is None and time.monotonic() > deadline:
            process.kill()  # so that reading its output below ends
            process.wait(5)
        if process.poll() is not None:
            output = process.stdout.read().decode() if process.stdout else ""
            pytest.fail(f"{name} did not start on port {port}:\n{output}")
        time.sleep(0.05)


def stop_process(process: subprocess.Popen[bytes]) -> None:
    """Terminate a server started by a test (kill it if it lingers) and close its pipe."""
    process.terminate()
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(5)
    if process.stdout:
        process.stdout.close()


@contextmanager
def django_in_thread() -> Iterator[str]:
    """This process's Django (current settings) on a threaded WSGI server; yields its URL.

    Unlike pytest-django's ``live_server`` it shares no database connection with the test
    thread: the pages under test never touch the database.
    """
    import threading
    from socketserver import ThreadingMixIn
    from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

    from django.core.handlers.wsgi import WSGIHandler

    class Server(ThreadingMixIn, WSGIServer):
        daemon_threads = True

    class QuietHandler(WSGIRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            return

    server = make_server(
        "127.0.0.1", 0, WSGIHandler(), server_class=Server, handler_class=QuietHandler
    )
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
