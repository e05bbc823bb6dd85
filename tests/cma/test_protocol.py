"""The call protocol without I/O: the exact effects it asks for (waits included) as it meets
rate limits, transient errors and asynchronous jobs."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from datocms_app import flows
from datocms_app.cma.protocol import RetryPolicy, Send, Sleep, call
from datocms_app.exceptions import CMAError

POST = Send(
    "POST", "https://site-api.datocms.com/uploads", {"Authorization": "Bearer t"}, content=b"{}"
)


def job_request(job_id: str) -> Send:
    return Send("GET", f"https://site-api.datocms.com/job-results/{job_id}", {})


def json_answer(status: int, body: Any, **headers: str) -> Callable[[Send], httpx.Response]:
    def build(send: Send) -> httpx.Response:
        request = httpx.Request(send.method, send.url, headers=dict(send.headers))
        return httpx.Response(
            status,
            content=json.dumps(body).encode(),
            headers={"content-type": "application/json", **headers},
            request=request,
        )

    return build


RATE_LIMITED = {
    "data": [
        {
            "id": "1",
            "type": "api_error",
            "attributes": {"code": "RATE_LIMIT_EXCEEDED", "details": {}},
        }
    ]
}
NOT_FOUND = {
    "data": [{"id": "1", "type": "api_error", "attributes": {"code": "NOT_FOUND", "details": {}}}]
}
BUSY = {
    "data": [
        {
            "id": "1",
            "type": "api_error",
            "attributes": {"code": "CONCURRENT_UPLOAD_UPDATE", "details": {}, "transient": True},
        }
    ]
}
UPLOAD = {"data": {"type": "upload", "id": "u1"}}


def drive(policy: RetryPolicy, *answers: Callable[[Send], httpx.Response]) -> tuple[Any, list[Any]]:
    """Run ``call`` with scripted answers; the result and every effect it asked for."""
    script = list(answers)
    effects: list[Any] = []

    def perform(effect: Any) -> Any:
        effects.append(effect)
        if isinstance(effect, Sleep):
            return None
        return script.pop(0)(effect)

    return flows.run(call(POST, job_request, policy), perform), effects


def sleeps(effects: list[Any]) -> list[float]:
    return [effect.seconds for effect in effects if isinstance(effect, Sleep)]


def test_429_waits_exactly_x_ratelimit_reset() -> None:
    result, effects = drive(
        RetryPolicy(max_retries=0),
        json_answer(429, RATE_LIMITED, **{"x-ratelimit-reset": "2"}),
        json_answer(429, RATE_LIMITED),  # no header: 1 s
        json_answer(429, RATE_LIMITED, **{"x-ratelimit-reset": "0"}),  # never a busy loop
        json_answer(200, UPLOAD),
    )
    assert result == UPLOAD
    assert sleeps(effects) == [2.0, 1.0, 0.05]
    assert [type(effect).__name__ for effect in effects] == [
        "Send",
        "Sleep",
        "Send",
        "Sleep",
        "Send",
        "Sleep",
        "Send",
    ]


def test_transient_errors_back_off_exponentially_with_jitter() -> None:
    result, effects = drive(
        RetryPolicy(backoff=0.5, max_retries=3),
        json_answer(409, BUSY),
        json_answer(409, BUSY),
        json_answer(409, BUSY),
        json_answer(200, UPLOAD),
    )
    assert result == UPLOAD
    first, second, third = sleeps(effects)
    assert 0.25 <= first <= 0.5
    assert 0.5 <= second <= 1.0
    assert 1.0 <= third <= 2.0
    with pytest.raises(CMAError):
        drive(RetryPolicy(max_retries=1), json_answer(409, BUSY), json_answer(409, BUSY))


def test_a_job_is_polled_after_growing_waits_capped_at_five_intervals() -> None:
    pending = [json_answer(404, NOT_FOUND)] * 6
    result, effects = drive(
        RetryPolicy(poll_interval=1.0, timeout=120),
        json_answer(202, {"data": {"type": "job", "id": "9"}}),
        *pending,
        json_answer(
            200,
            {
                "data": {
                    "type": "job_result",
                    "id": "9",
                    "attributes": {"status": 201, "payload": UPLOAD},
                }
            },
        ),
    )
    assert result == UPLOAD
    assert sleeps(effects) == [1.0, 2.0, 3.0, 4.0, 5.0, 5.0, 5.0]
    polls = [effect for effect in effects if isinstance(effect, Send)][1:]
    assert {effect.url for effect in polls} == {"https://site-api.datocms.com/job-results/9"}
    assert repr(polls[0]) == "<Send GET https://site-api.datocms.com/job-results/9>"  # no headers


def test_each_attempt_gets_what_is_left_of_the_deadline() -> None:
    _, effects = drive(RetryPolicy(timeout=30), json_answer(200, UPLOAD))
    (send,) = effects
    assert 29 < send.timeout <= 30
