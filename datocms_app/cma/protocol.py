"""One CMA call as a flow: send, retry what may be retried, await an asynchronous job.

Written once, free of I/O (``datocms_app.flows``): ``call`` yields *effects* — ``Send`` an
HTTP request, ``Sleep``, ``PutFile``/``Download`` for uploads, ``Blocking`` for file work —
and the sync ``Client`` or the async ``AsyncClient`` performs them. The policy:

* **429** waits ``X-RateLimit-Reset`` seconds (the CMA allows 60 requests per 3 s) and asks
  again, as long as the deadline allows, whatever ``max_retries`` says;
* **transient errors** — an ``api_error`` with ``transient: true``, a 5xx, a connection
  error — back off exponentially (``backoff`` doubled each time, at most 8 s, with jitter:
  ``http_clients.jittered_backoff``, as the CDA client does) up
  to ``max_retries`` times. A ``POST`` is not idempotent: it is retried only when DatoCMS
  says it did nothing (``transient``, 429, 503) or the connection never opened;
* **202 Accepted** with a job: ``GET /job-results/:id`` after ``poll_interval`` seconds,
  then after 2, 3... (at most 5) intervals while it answers 404; the job's status and payload
  become the call's outcome;
* everything, job waits included, within ``timeout`` seconds (``CMATimeout`` after).

It must never log or quote a request's headers: the token is among them.
"""

from __future__ import annotations

import dataclasses
import logging
import math
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from datocms_app.cma import answers
from datocms_app.exceptions import CMAError, CMATimeout, CMATransportError
from datocms_app.flows import Flow
from datocms_app.http_clients import jittered_backoff, public_url, rate_limit_reset, within

__all__ = [
    "Blocking",
    "Download",
    "Effect",
    "PutFile",
    "RetryPolicy",
    "Send",
    "Sleep",
    "call",
    "exchange",
]

logger = logging.getLogger("datocms_app.cma")

#: Methods whose repetition leaves the same state: retried after any transient failure.
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "PUT", "DELETE"})
#: Statuses that mean "try again" for any method: the request was not processed.
UNPROCESSED_STATUSES = frozenset({429, 503})
#: The shortest wait after a 429, in seconds.
MIN_RATE_LIMIT_WAIT = 0.05
#: Job polls wait 1, 2, 3... ``poll_interval``s, never more than this many.
MAX_POLL_INTERVALS = 5


@dataclass(frozen=True, slots=True, repr=False)
class Send:
    """Send this HTTP request; the performer answers the ``httpx.Response`` (body read).

    ``headers`` are all the request's headers, the pool's defaults included
    (``BaseClient.build_send`` merges them once per set of headers, not per request)."""

    method: str
    url: str
    headers: Mapping[str, str]
    params: tuple[tuple[str, str], ...] = ()
    content: bytes | None = None
    timeout: float = 30.0

    def __repr__(self) -> str:  # never the headers: the token is among them
        return f"<Send {self.method} {public_url(self.url)}>"

    def with_timeout(self, timeout: float) -> Send:
        """This request with ``timeout`` seconds per network operation."""
        # Positional: ``dataclasses.replace`` costs more, on the path of every call.
        return Send(self.method, self.url, self.headers, self.params, self.content, timeout)

    def request(self, cookies: httpx.Cookies) -> httpx.Request:
        """The ``httpx.Request`` to ``send()`` on a pool holding ``cookies``.

        What ``httpx.Client.request`` would build, without merging the pool's default
        headers into ``headers`` again on every request: that merge costs more than the rest
        of a call's own work."""
        timeout = self.timeout
        return httpx.Request(
            self.method,
            self.url,
            params=self.params or None,
            headers=self.headers,
            cookies=cookies,
            content=self.content,
            # httpx's timeout extension, as ``httpx.Timeout(timeout).as_dict()`` spells it
            extensions={
                "timeout": {"connect": timeout, "read": timeout, "write": timeout, "pool": timeout}
            },
        )


@dataclass(frozen=True, slots=True, repr=False)
class PutFile:
    """PUT a local file's bytes to a storage URL (no CMA headers); answers the response."""

    url: str
    headers: Mapping[str, str]
    path: Path
    timeout: float = 30.0
    method: str = "PUT"

    def __repr__(self) -> str:  # the URL's query holds a presigned signature
        return f"<PutFile {self.path.name} to {public_url(self.url)}>"

    def with_timeout(self, timeout: float) -> PutFile:
        """This upload with ``timeout`` seconds per network operation."""
        return dataclasses.replace(self, timeout=timeout)


@dataclass(frozen=True, slots=True, repr=False)
class Download:
    """GET ``url`` (no CMA headers) into the file ``destination``; answers the response."""

    url: str
    destination: Path
    timeout: float = 30.0
    method: str = "GET"

    def __repr__(self) -> str:
        return f"<Download {public_url(self.url)}>"

    def with_timeout(self, timeout: float) -> Download:
        """This download with ``timeout`` seconds per network operation."""
        return dataclasses.replace(self, timeout=timeout)


@dataclass(frozen=True, slots=True)
class Sleep:
    """Wait this many seconds."""

    seconds: float


@dataclass(frozen=True, slots=True)
class Blocking:
    """Run this blocking function (file work); the async driver runs it in a thread."""

    function: Callable[[], Any]


Effect = Send | PutFile | Download | Sleep | Blocking
HTTPEffect = Send | PutFile | Download


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How long a call may take and how it retries (see the module docstring)."""

    timeout: float = 60.0
    max_retries: int = 3
    backoff: float = 0.5
    poll_interval: float = 1.0

    def backoff_delay(self, attempt: int) -> float:
        """Seconds before retry number ``attempt + 1`` of a transient failure (with jitter)."""
        return jittered_backoff(attempt, self.backoff)

    def error_delay(self, error: CMAError, attempt: int, method: str) -> float | None:
        """Seconds to wait before asking again after ``error``, or None not to ask again."""
        status = error.status or 0
        if status == 429:  # never a busy loop, whatever a proxy's header says
            reset = 1.0 if error.response is None else rate_limit_reset(error.response)
            return max(MIN_RATE_LIMIT_WAIT, reset)
        if attempt >= self.max_retries:
            return None
        transient = any(entity.transient for entity in error.errors)
        if transient or status in UNPROCESSED_STATUSES:
            return self.backoff_delay(attempt)
        if method in IDEMPOTENT_METHODS and (status >= 500 or status < 300):
            # a 5xx, or a 2xx that was not DatoCMS's JSON (cut short on the way)
            return self.backoff_delay(attempt)
        return None

    def transport_delay(
        self, error: httpx.TransportError, attempt: int, method: str
    ) -> float | None:
        """Seconds to wait before retrying after a connection error, or None."""
        if attempt >= self.max_retries or isinstance(error, httpx.TimeoutException):
            return None
        never_sent = isinstance(error, httpx.ConnectError)
        retryable = isinstance(error, httpx.NetworkError | httpx.RemoteProtocolError)
        if never_sent or (retryable and method in IDEMPOTENT_METHODS):
            return self.backoff_delay(attempt)
        return None


def exchange(
    effect: HTTPEffect,
    policy: RetryPolicy,
    deadline: float,
    first: httpx.Response | httpx.TransportError | None = None,
) -> Flow[Effect, httpx.Response]:
    """Perform ``effect`` until it answers 2xx, retrying as the policy says; raise the final
    ``CMAError`` otherwise. With a ``deadline`` of ``math.inf`` (uploads of large files) each
    attempt has ``policy.timeout`` seconds per network operation instead. ``first`` is the
    outcome of a first attempt already made (``call`` makes it)."""
    attempt = 0
    outcome = first
    while True:
        if outcome is None:
            left = deadline - time.monotonic()
            if left <= 0:
                raise _timeout(effect, policy)
            try:
                outcome = yield effect.with_timeout(
                    policy.timeout if math.isinf(deadline) else left
                )
            except httpx.TransportError as exc:
                outcome = exc
        if isinstance(outcome, httpx.TimeoutException):
            raise _timeout(effect, policy) from outcome
        if isinstance(outcome, httpx.TransportError):
            delay = within(policy.transport_delay(outcome, attempt, effect.method), deadline)
            if delay is None:
                raise CMATransportError(
                    f"Could not reach {public_url(effect.url)}: {type(outcome).__name__}: {outcome}"
                ) from outcome
            reason, rate_limited = type(outcome).__name__, False
        else:
            response = outcome
            _log_answer(effect, response)
            if _succeeded(effect, response):
                return response
            error = answers.api_error(response, from_datocms=isinstance(effect, Send))
            delay = within(policy.error_delay(error, attempt, effect.method), deadline)
            if delay is None:
                raise error
            reason, rate_limited = f"HTTP {response.status_code} {error.code}", error.status == 429
        logger.warning(
            "CMA %s %s failed (%s); retry in %.2f s",
            effect.method,
            public_url(effect.url),
            reason,
            delay,
        )
        yield Sleep(delay)
        outcome = None
        if not rate_limited:  # rate-limit waits are bounded by the deadline alone
            attempt += 1


def call(send: Send, job_request: Callable[[str], Send], policy: RetryPolicy) -> Flow[Effect, Any]:
    """The flow of one CMA call: the JSON body of its answer — or of its job's result — or
    None for an empty answer; raises ``CMAError`` (``CMATimeout`` past ``policy.timeout``)."""
    deadline = time.monotonic() + policy.timeout
    # The first attempt is made here, and the common answer (a 2xx of DatoCMS's JSON that
    # starts no job) settles the call without starting ``exchange``: it is on the path of
    # every call. Anything else is ``exchange``'s to judge, from this first outcome on.
    first: httpx.Response | httpx.TransportError
    try:
        answer: httpx.Response = yield (
            send if send.timeout == policy.timeout else send.with_timeout(policy.timeout)
        )
    except httpx.TransportError as exc:
        first = exc
    else:
        if _succeeded(send, answer) and answers.job_id(answer) is None:
            _log_answer(send, answer)
            return answers.take_body(answer)
        first = answer
    response = yield from exchange(send, policy, deadline, first)
    job = answers.job_id(response)
    if job is None:
        return answers.take_body(response)
    origin = response.request
    polls = 0
    while True:
        polls += 1
        wait = policy.poll_interval * min(polls, MAX_POLL_INTERVALS)
        if time.monotonic() + wait >= deadline:
            raise _job_timeout(send, job, policy, origin)
        yield Sleep(wait)
        try:
            result = yield from exchange(job_request(job), policy, deadline)
        except CMATimeout as exc:
            raise _job_timeout(send, job, policy, origin) from exc
        except CMAError as exc:
            if exc.status == 404:  # still running
                continue
            raise
        try:
            status, payload = answers.job_outcome(answers.take_body(result))
        except ValueError:
            raise answers.api_error(result) from None
        if 200 <= status < 300:
            return payload
        raise answers.job_error(status, payload, job, origin, result)


def _succeeded(effect: HTTPEffect, response: httpx.Response) -> bool:
    """Whether ``response`` ends the attempts at ``effect``: a 2xx, of DatoCMS's JSON (or
    empty) for a CMA request (storage and downloads answer what they like)."""
    return response.is_success and (
        not isinstance(effect, Send) or answers.read_body(response) is not answers.NOT_JSON
    )


def _log_answer(effect: HTTPEffect, response: httpx.Response) -> None:
    if logger.isEnabledFor(logging.DEBUG):
        logger.debug(
            "CMA %s %s -> HTTP %d (request id %s)",
            effect.method,
            public_url(effect.url),
            response.status_code,
            response.headers.get("x-request-id"),
        )


def _timeout(effect: HTTPEffect, policy: RetryPolicy) -> CMATimeout:
    return CMATimeout(
        f"{effect.method} {public_url(effect.url)} did not succeed within the "
        f"{policy.timeout:g} s deadline (DATOCMS['CMA_TIMEOUT'] or the client's timeout=, "
        "retries and rate-limit waits included)."
    )


def _job_timeout(send: Send, job: str, policy: RetryPolicy, origin: httpx.Request) -> CMATimeout:
    return CMATimeout(
        f"{send.method} {public_url(send.url)} started the asynchronous job {job}, "
        f"which did not finish within the {policy.timeout:g} s deadline "
        "(DATOCMS['CMA_TIMEOUT'] or the client's timeout=). It may still complete: "
        f"GET /job-results/{job} gives its result.",
        request=origin,
        job_id=job,
    )
