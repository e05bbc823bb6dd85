"""Webhook delivery for the emulator, the way DatoCMS delivers its webhooks.

A ``WebhookDispatcher`` holds the configured webhooks (``DATOCMS["EMULATOR"]["WEBHOOKS"]``),
a schedule of pending calls and one background thread. ``emit()`` creates one *webhook
call* per enabled webhook whose triggers match the event and returns at once; the thread
POSTs each call with DatoCMS's envelope::

    {"webhook_call_id":"1","event_triggered_at":"2024-08-26T12:49:16Z",
     "attempted_auto_retries_count":0,"webhook_id":"1","site_id":"emulator",
     "environment":"main","is_environment_primary":true,"entity_type":"cda_cache_tags",
     "event_type":"invalidate","entity":{...},"related_entities":[]}

with ``Content-Type: application/json``, ``Accept: */*``, ``User-Agent: DatoCMS
(datocms.com)``, HTTP Basic auth and the webhook's custom headers. A call succeeds on a 2xx
answer; anything else (another status, a refused connection, DatoCMS's timeouts: 2 s to
connect, 8 s in all) fails it, and with ``auto_retry`` it is retried on DatoCMS's schedule
(2 min, 6 min, 30 min, 1 h, 5 h, 1 day, 2 days after the previous attempt) multiplied by
``WEBHOOK_RETRY_SCALE``, so tests can run the whole schedule in a fraction of a second.

Every call is kept in ``dispatcher.calls`` (the emulator's "webhooks activity log", with
the fields of the CMA's ``webhook_call`` object plus every attempt), and ``drain()`` waits
until nothing is pending or rescheduled.

This module must never block ``emit()``'s caller on the network, contact a URL that is not
configured, or put a Basic-auth password in a log line, an exception message or a ``repr``.
"""

from __future__ import annotations

import base64
import itertools
import json
import logging
import time
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

import httpx

from datocms_app.emulator.exceptions import WebhookDrainTimeout
from datocms_app.emulator.scheduled_worker import ScheduledWorker
from datocms_app.emulator.webhook_config import (
    EVENT_TYPES,
    Webhook,
    WebhookEvent,
    WebhookFilter,
    coerce_webhooks,
    describe_events,
)
from datocms_app.exceptions import InvalidArgument

__all__ = [
    "AUTO_RETRY_SCHEDULE",
    "CONNECT_TIMEOUT",
    "TOTAL_TIMEOUT",
    "USER_AGENT",
    "Webhook",
    "WebhookAttempt",
    "WebhookCall",
    "WebhookDispatcher",
    "WebhookEvent",
    "WebhookFilter",
    "build_payload",
    "cache_tags_entity",
]

logger = logging.getLogger("datocms_app.emulator.webhooks")

#: Seconds between a failed attempt and the next automatic retry (DatoCMS's 7 retries).
AUTO_RETRY_SCHEDULE: tuple[int, ...] = (120, 360, 1800, 3600, 18_000, 86_400, 172_800)
#: DatoCMS's webhook timeouts: to establish the connection, and for the whole call.
CONNECT_TIMEOUT = 2.0
TOTAL_TIMEOUT = 8.0
USER_AGENT = "DatoCMS (datocms.com)"
#: How much of a response body the activity log keeps.
MAX_LOGGED_BODY = 10_000

CallStatus = Literal["pending", "success", "failed", "rescheduled"]


def cache_tags_entity(tags: Iterable[str]) -> dict[str, Any]:
    """The ``entity`` of a ``cda_cache_tags``/``invalidate`` call (CDA docs, Cache Tags)."""
    return {"id": "cda_cache_tags", "type": "cda_cache_tags", "attributes": {"tags": list(tags)}}


@dataclass
class WebhookAttempt:
    """One HTTP POST of a webhook call. ``number`` 0 is the first try, then 1..7 retries.

    ``delay`` is the (scaled) time the dispatcher waited after the previous attempt;
    ``sent_at`` is ``time.monotonic()`` when the request left.
    """

    number: int
    delay: float
    sent_at: float
    request_headers: dict[str, str]
    request_payload: str
    response_status: int | None = None
    response_headers: dict[str, str] | None = None
    response_payload: str | None = None
    error: str | None = None

    @property
    def succeeded(self) -> bool:
        return self.response_status is not None and 200 <= self.response_status < 300


@dataclass
class WebhookCall:
    """A webhook call of the activity log: the CMA's ``webhook_call`` fields, plus attempts."""

    id: str
    webhook: Webhook = field(repr=False)
    entity_type: str
    event_type: str
    created_at: datetime
    entity: dict[str, Any] = field(repr=False)
    previous_entity: dict[str, Any] | None = field(default=None, repr=False)
    related_entities: list[dict[str, Any]] = field(default_factory=list, repr=False)
    status: CallStatus = "pending"
    attempted_auto_retries_count: int = 0
    next_retry_at: datetime | None = None
    last_sent_at: datetime | None = None
    attempts: list[WebhookAttempt] = field(default_factory=list, repr=False)

    @property
    def webhook_id(self) -> str:
        return self.webhook.id

    @property
    def request_url(self) -> str:
        return self.webhook.url

    @property
    def last_attempt(self) -> WebhookAttempt | None:
        return self.attempts[-1] if self.attempts else None

    @property
    def tags(self) -> list[str]:
        """The invalidated tags of a ``cda_cache_tags`` call (``[]`` for other entities)."""
        tags = self.entity.get("attributes", {}).get("tags", [])
        return list(tags) if isinstance(tags, list) else []


def _timestamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def build_payload(
    call: WebhookCall,
    *,
    site_id: str,
    environment: str,
    is_environment_primary: bool,
) -> str:
    """The JSON body DatoCMS sends for ``call``'s current attempt, key for key.

    The key order and the compact separators are those of the ``request_payload`` example
    in the CMA's *Webhook call* reference; ``previous_entity`` appears only on updates.
    """
    payload: dict[str, Any] = {
        "webhook_call_id": call.id,
        "event_triggered_at": _timestamp(call.created_at),
        "attempted_auto_retries_count": call.attempted_auto_retries_count,
        "webhook_id": call.webhook.id,
        "site_id": site_id,
        "environment": environment,
        "is_environment_primary": is_environment_primary,
        "entity_type": call.entity_type,
        "event_type": call.event_type,
        "entity": call.entity,
    }
    if call.previous_entity is not None:
        payload["previous_entity"] = call.previous_entity
    payload["related_entities"] = call.related_entities
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False)


def request_headers(webhook: Webhook) -> dict[str, str]:
    """The headers of a call to ``webhook``: DatoCMS's, Basic auth, then the custom ones."""
    headers = {
        "Accept": "*/*",
        "User-Agent": USER_AGENT,
        "Content-Type": "application/json",
    }
    if webhook.http_basic_user is not None and webhook.http_basic_password is not None:
        credentials = f"{webhook.http_basic_user}:{webhook.http_basic_password}".encode()
        headers["Authorization"] = "Basic " + base64.b64encode(credentials).decode("ascii")
    headers.update(webhook.headers)
    return headers


@dataclass(frozen=True)
class _Job:
    call: WebhookCall
    #: How long the call waited after its previous attempt (0 for the first).
    delay: float = 0.0


class WebhookDispatcher:
    """Deliver webhook calls in a background thread, with DatoCMS's retries.

    ``retry_scale`` multiplies ``AUTO_RETRY_SCHEDULE`` (1.0 is DatoCMS's real schedule; tests
    use something like 0.0001). ``transport`` is any httpx transport (tests may pass
    ``httpx.MockTransport`` or ``httpx.WSGITransport``); by default calls go over the network.
    ``on_delivered`` is called in the worker thread after every attempt.
    """

    def __init__(
        self,
        webhooks: Sequence[Webhook | Mapping[str, Any]] = (),
        *,
        site_id: str = "emulator",
        environment: str = "main",
        is_environment_primary: bool = True,
        retry_scale: float = 1.0,
        transport: httpx.BaseTransport | None = None,
        on_delivered: Callable[[WebhookCall, WebhookAttempt], None] | None = None,
    ) -> None:
        if not isinstance(retry_scale, int | float) or retry_scale < 0:
            raise InvalidArgument(
                f"retry_scale must be a number >= 0 (1.0 is DatoCMS's schedule), "
                f"got {retry_scale!r}."
            )
        self.webhooks: tuple[Webhook, ...] = tuple(coerce_webhooks(webhooks))
        self.site_id = site_id
        self.environment = environment
        self.is_environment_primary = is_environment_primary
        self.retry_scale = float(retry_scale)
        self._transport = transport
        self._on_delivered = on_delivered
        self._worker = ScheduledWorker(self._deliver, thread_name="datocms-emulator-webhooks")
        # The activity log is guarded by the worker's lock, so the worker's changes and
        # the log move together.
        self._condition = self._worker.condition
        self._call_ids = itertools.count(1)
        self._calls: list[WebhookCall] = []
        self._client: httpx.Client | None = None

    def __repr__(self) -> str:
        return f"<WebhookDispatcher webhooks={len(self.webhooks)} calls={len(self._calls)}>"

    # -- the public API -------------------------------------------------------------------

    @property
    def calls(self) -> list[WebhookCall]:
        """The activity log, oldest first (a copy of the list; the calls are live objects)."""
        with self._condition:
            return list(self._calls)

    def clear_log(self) -> None:
        """Forget the finished calls (pending and rescheduled ones stay)."""
        with self._condition:
            self._calls = [c for c in self._calls if c.status in ("pending", "rescheduled")]

    def emit(
        self,
        entity_type: str,
        event_type: str,
        entity: Mapping[str, Any],
        *,
        previous_entity: Mapping[str, Any] | None = None,
        related_entities: Sequence[Mapping[str, Any]] = (),
        filter_ids: Mapping[str, Collection[str]] | None = None,
    ) -> list[WebhookCall]:
        """Queue a call to every webhook triggered by this event; return those calls."""
        if entity_type not in EVENT_TYPES or event_type not in EVENT_TYPES[entity_type]:
            raise InvalidArgument(
                f"{entity_type!r}/{event_type!r} is not a DatoCMS webhook event; entities "
                f"and their events are: {describe_events()}."
            )
        now = datetime.now(UTC)
        created: list[WebhookCall] = []
        with self._condition:
            if self._worker.closed:
                raise InvalidArgument("This WebhookDispatcher is closed; build a new one.")
            for webhook in self.webhooks:
                if not webhook.triggers_on(entity_type, event_type, filter_ids=filter_ids):
                    continue
                call = WebhookCall(
                    id=str(next(self._call_ids)),
                    webhook=webhook,
                    entity_type=entity_type,
                    event_type=event_type,
                    created_at=now,
                    entity=json.loads(json.dumps(entity)),
                    previous_entity=(
                        json.loads(json.dumps(previous_entity))
                        if previous_entity is not None
                        else None
                    ),
                    related_entities=json.loads(json.dumps(list(related_entities))),
                )
                self._calls.append(call)
                self._worker.schedule(_Job(call))
                created.append(call)
        return created

    def invalidate_cache_tags(self, tags: Iterable[str]) -> list[WebhookCall]:
        """Emit DatoCMS's ``cda_cache_tags``/``invalidate`` event for ``tags``."""
        tag_list = list(dict.fromkeys(tags))
        if not tag_list:
            return []
        return self.emit("cda_cache_tags", "invalidate", cache_tags_entity(tag_list))

    def pending(self) -> list[WebhookCall]:
        """Calls still waiting for a (first or further) attempt, or being attempted now."""
        with self._condition:
            return [c for c in self._calls if c.status in ("pending", "rescheduled")]

    def drain(self, timeout: float = 10.0, *, retries: bool = True) -> None:
        """Wait until no call is pending or rescheduled.

        With ``retries=False``, wait only until every call has been attempted at least once
        (calls rescheduled for a later retry are left to it): what a short-lived process,
        such as a management command, can usefully wait for.

        Raises ``WebhookDrainTimeout`` (naming the calls still waiting) after ``timeout``
        seconds: with a real retry schedule a failing endpoint keeps a call for days, so
        lower ``WEBHOOK_RETRY_SCALE`` or fix the endpoint.
        """
        if timeout < 0:
            raise InvalidArgument(f"timeout must be >= 0 seconds, got {timeout!r}.")
        with self._condition:  # held from the last wait to the message: one moment's calls
            if self._worker.wait(lambda: self._busy(retries), timeout):
                return
            waiting = [c for c in self._calls if c.status in ("pending", "rescheduled")]
            described = ", ".join(
                f"call {c.id} ({c.entity_type}/{c.event_type} to {c.request_url}, "
                f"{c.status}, {len(c.attempts)} attempt(s))"
                for c in waiting
            )
            raise WebhookDrainTimeout(
                f"Webhook deliveries still waiting after {timeout} s: {described}. "
                "Check that the endpoints answer 2xx, or lower "
                "DATOCMS['EMULATOR']['WEBHOOK_RETRY_SCALE'] so retries come sooner."
            )

    def _busy(self, retries: bool) -> bool:
        if retries:
            return self._worker.busy
        # The call being attempted counts; the calls rescheduled for a later retry do not.
        worker = self._worker
        return worker.in_progress > 0 or any(not job.call.attempts for job in worker.scheduled)

    def close(self, timeout: float = 5.0) -> None:
        """Stop the worker thread; calls still scheduled are marked ``failed``."""
        self._worker.close(timeout, dropped=_give_up)
        if self._client is not None:
            self._client.close()

    # -- the worker thread ----------------------------------------------------------------

    def _deliver(self, job: _Job) -> None:
        with self._condition:
            job.call.status = "pending"
            job.call.next_retry_at = None
        attempt = self._attempt(job)
        self._after_attempt(job, attempt)

    def _attempt(self, job: _Job) -> WebhookAttempt:
        call = job.call
        payload = build_payload(
            call,
            site_id=self.site_id,
            environment=self.environment,
            is_environment_primary=self.is_environment_primary,
        )
        headers = request_headers(call.webhook)
        attempt = WebhookAttempt(
            number=call.attempted_auto_retries_count,
            delay=job.delay,
            sent_at=time.monotonic(),
            request_headers=headers,
            request_payload=payload,
        )
        call.last_sent_at = datetime.now(UTC)
        try:
            response = self._http().post(
                call.webhook.url, content=payload.encode("utf-8"), headers=headers
            )
        except httpx.TimeoutException as exc:
            attempt.error = f"timed out ({type(exc).__name__})"
        except httpx.HTTPError as exc:
            attempt.error = f"{type(exc).__name__}: {exc}"
        except Exception as exc:  # a failed attempt must never kill the worker
            logger.exception("Webhook call %s: unexpected error while sending", call.id)
            attempt.error = f"{type(exc).__name__}: {exc}"
        else:
            attempt.response_status = response.status_code
            attempt.response_headers = dict(response.headers)
            attempt.response_payload = response.text[:MAX_LOGGED_BODY]
        return attempt

    def _after_attempt(self, job: _Job, attempt: WebhookAttempt) -> None:
        call = job.call
        with self._condition:
            call.attempts.append(attempt)
            retry_number = call.attempted_auto_retries_count
            if attempt.succeeded:
                call.status = "success"
            elif call.webhook.auto_retry and retry_number < len(AUTO_RETRY_SCHEDULE):
                delay = AUTO_RETRY_SCHEDULE[retry_number] * self.retry_scale
                call.status = "rescheduled"
                call.attempted_auto_retries_count = retry_number + 1
                call.next_retry_at = datetime.fromtimestamp(time.time() + delay, UTC)
                self._worker.schedule(_Job(call, delay), delay)
            else:
                call.status = "failed"
        if not attempt.succeeded:
            outcome = attempt.error or f"HTTP {attempt.response_status}"
            logger.warning(
                "Webhook call %s (%s/%s) to %s failed: %s; %s",
                call.id,
                call.entity_type,
                call.event_type,
                call.request_url,
                outcome,
                f"retry {call.attempted_auto_retries_count} scheduled"
                if call.status == "rescheduled"
                else "giving up",
            )
        if self._on_delivered is not None:
            try:
                self._on_delivered(call, attempt)
            except Exception:
                logger.exception("The on_delivered callback failed for webhook call %s", call.id)

    def _http(self) -> httpx.Client:
        if self._client is None:
            self._client = httpx.Client(
                transport=self._transport,
                timeout=httpx.Timeout(TOTAL_TIMEOUT, connect=CONNECT_TIMEOUT),
                follow_redirects=False,
                trust_env=False,
            )
        return self._client


def _give_up(job: _Job) -> None:
    job.call.status = "failed"
    job.call.next_retry_at = None
