"""A Redis that stops answering (SIGSTOP: hung, swapping, paused by its host) costs a page a
bounded time: the demo's ``CACHE_URL`` handling gives Django's Redis cache socket and
connect timeouts, so the page renders uncached and the webhook answers 503 instead of
waiting for as long as Redis hangs.

The Redis server is this test's own (a free port), so stopping it disturbs nobody else.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest

from tests.caching.servers import free_port, gunicorn, stop_process, wait_until_listening
from tests.services import require_executable

pytestmark = pytest.mark.service

SECRET = "hung-redis-secret"
WEBHOOK = "/datocms/webhooks/cache-tags/"
#: Long enough for a cold page on a busy 2-core machine, short enough that a hang fails the
#: test instead of stalling the suite.
ANSWER_WITHIN = 10.0


@contextmanager
def own_redis() -> Iterator[tuple[int, subprocess.Popen[bytes]]]:
    """A throwaway ``redis-server`` on a free port (no persistence); yields port and process."""
    executable = require_executable("redis-server")
    port = free_port()
    process = subprocess.Popen(
        [
            executable,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_until_listening(process, port, "redis-server", timeout=10)
        yield port, process
    finally:
        # A stopped process ignores SIGTERM until it is continued.
        if process.poll() is None:
            os.kill(process.pid, signal.SIGCONT)
        stop_process(process)


def answer_within(seconds: float, call: httpx.Request, client: httpx.Client) -> httpx.Response:
    """Send ``call`` in a thread; fail (instead of hanging) when no answer comes in time."""
    answers: list[httpx.Response | BaseException] = []

    def send() -> None:
        try:
            answers.append(client.send(call))
        except BaseException as exc:  # the test thread re-raises it
            answers.append(exc)

    thread = threading.Thread(target=send, daemon=True)
    thread.start()
    thread.join(seconds)
    if thread.is_alive() or not answers:
        pytest.fail(f"{call.method} {call.url.path} did not answer within {seconds} s")
    answer = answers[0]
    if isinstance(answer, BaseException):
        raise answer
    return answer


def test_stopped_redis_costs_a_page_its_timeout_not_a_hang() -> None:
    with own_redis() as (port, redis_process):
        env = {
            "DEBUG": "false",
            "ALLOWED_HOSTS": "localhost,127.0.0.1",
            # No timeouts in the URL: the demo's defaults apply.
            "CACHE_URL": f"redis://127.0.0.1:{port}/0",
            "DATOCMS_WEBHOOK_SECRET": SECRET,
        }
        demo = {"app": "project.wsgi:application", "settings": "project.settings"}
        # No read timeout on the client: the bound under test is the server's.
        with (
            gunicorn(env, **demo) as base,
            httpx.Client(base_url=base, timeout=None) as http,
        ):
            assert http.get("/").headers["X-DatoCMS-Cache"] == "MISS"
            primed = http.get("/")
            assert (primed.status_code, primed.headers["X-DatoCMS-Cache"]) == (200, "HIT")

            os.kill(redis_process.pid, signal.SIGSTOP)
            page = answer_within(ANSWER_WITHIN, http.build_request("GET", "/"), http)
            assert (page.status_code, page.headers["X-DatoCMS-Cache"]) == (200, "BYPASS")
            assert page.text == primed.text

            body = {
                "entity_type": "cda_cache_tags",
                "event_type": "invalidate",
                "entity": {"attributes": {"tags": ["a"]}},
            }
            webhook = http.build_request(
                "POST",
                WEBHOOK,
                content=json.dumps(body),
                headers={"Content-Type": "application/json", "X-Webhook-Secret": SECRET},
            )
            answer = answer_within(ANSWER_WITHIN, webhook, http)
            assert (answer.status_code, answer.json()["error"]) == (503, "cache_unavailable")
