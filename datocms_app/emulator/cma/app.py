"""The emulated CMA as one mounted app: the checks every request passes, then its handler.

``ContentManagementAPI.handle(request, path, request_id)`` answers a request below
``/cma`` (``Emulator.mounts``). In order, as DatoCMS checks them: the route exists
(``INVALID_ENDPOINT``), an injected fault (``cma.faults``, as for the CDA), ``X-Api-Version:
3`` (``INVALID_API_VERSION``), ``Authorization: Bearer`` with one of the emulator's tokens
(``INVALID_AUTHORIZATION_HEADER``), ``Accept`` (``INVALID_ACCEPT_HEADER``),
``X-Environment`` (``INVALID_ENVIRONMENT``), a JSON ``Content-Type`` on a body
(``INVALID_CONTENT_TYPE_HEADER``) and the body itself (``INVALID_JSON_BODY``); then the
handler. The upload storage's ``PUT`` target is public: its URL is its credential.

Per-token locale permissions (``DATOCMS["EMULATOR"]["TOKEN_LOCALES"]``) are checked here
against the project's locales; records locked by a simulated editor (``lock_record``)
answer ``ITEM_LOCKED``. It never logs or echoes a token.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from datocms_app.emulator.cma import items, schema_endpoints, uploads
from datocms_app.emulator.cma.errors import error_body, refused
from datocms_app.emulator.cma.exchange import Answer, CMARequest
from datocms_app.emulator.cma.jobs import JobRunner
from datocms_app.emulator.cma.params import Params
from datocms_app.emulator.cma.routing import Route, Router
from datocms_app.emulator.cma.uploads import UploadStorage
from datocms_app.emulator.exceptions import CMARefused, SimulatedDisconnect
from datocms_app.emulator.faults import FaultQueue
from datocms_app.emulator.http_messages import (
    CORS_HEADERS,
    EmulatorRequest,
    EmulatorResponse,
    json_response,
)
from datocms_app.exceptions import InvalidArgument

if TYPE_CHECKING:
    from datocms_app.emulator.server import Emulator

__all__ = ["CMA_PATH", "DEFAULT_JOB_SECONDS", "ContentManagementAPI"]

#: Where every ``Emulator`` mounts its CMA.
CMA_PATH = "/cma"
#: How long an asynchronous job runs before its result is ready (seconds).
DEFAULT_JOB_SECONDS = 0.2
API_VERSION = "3"
JSON_TYPES = ("application/json", "application/vnd.api+json")
ACCEPTED_TYPES = ("*/*", "application/*", *JSON_TYPES)
_ALLOWED_HEADERS = "Authorization, Content-Type, Accept, X-Api-Version, X-Environment, User-Agent"


class ContentManagementAPI:
    """The CMA of one emulator (``emulator.cma``).

    ``token_locales`` maps some of the emulator's tokens to the locales they may write
    (the others write every locale); ``job_seconds`` is how long asynchronous jobs run.
    """

    def __init__(
        self,
        emulator: Emulator,
        *,
        token_locales: Mapping[str, Sequence[str]],
        job_seconds: float = DEFAULT_JOB_SECONDS,
    ) -> None:
        self.emulator = emulator
        self.token_locales = _token_locales(emulator, token_locales)
        self.jobs = JobRunner(job_seconds)
        self.faults = FaultQueue()
        self.storage = UploadStorage()
        self._locked: set[str] = set()
        self._locked_guard = threading.Lock()
        self.router = Router()
        items.register(self.router)
        schema_endpoints.register(self.router)
        uploads.register(self.router)
        self.router.add("/job-results/:id", GET=_job_result)

    def __repr__(self) -> str:
        return f"<ContentManagementAPI routes={len(self.router.routes)}>"

    # -- simulated editors --------------------------------------------------------------

    def lock_record(self, record_id: str) -> None:
        """Simulate an editor holding ``record_id`` open: changes to it answer ITEM_LOCKED."""
        with self._locked_guard:
            self._locked.add(record_id)

    def unlock_record(self, record_id: str) -> None:
        with self._locked_guard:
            self._locked.discard(record_id)

    def is_locked(self, record_id: str) -> bool:
        with self._locked_guard:
            return record_id in self._locked

    def close(self) -> None:
        """Stop the jobs and remove the uploaded files."""
        self.jobs.close()
        self.storage.close()

    # -- HTTP -----------------------------------------------------------------------------

    def handle(self, request: EmulatorRequest, path: str, request_id: str) -> EmulatorResponse:
        """Answer one request for ``/cma<path>``."""
        extra = [("x-request-id", request_id), ("X-Api-Version", API_VERSION)]
        if request.method == "OPTIONS":
            headers = [
                *CORS_HEADERS,
                ("Access-Control-Allow-Methods", "GET, POST, PUT, DELETE, OPTIONS"),
                ("Access-Control-Allow-Headers", _ALLOWED_HEADERS),
                ("Access-Control-Max-Age", "86400"),
                *extra,
            ]
            return EmulatorResponse(204, headers, b"")
        try:
            answer = self._answer(request, path, extra)
        except CMARefused as exc:
            answer = Answer(exc.status, error_body(exc))
        if answer.document is None:
            return EmulatorResponse(answer.status, [*CORS_HEADERS, *extra], b"")
        return json_response(answer.status, answer.document, extra)

    def _answer(self, request: EmulatorRequest, path: str, extra: list[tuple[str, str]]) -> Answer:
        route: Route | None = None
        values: Mapping[str, str] = {}
        missing: CMARefused | None = None
        try:
            route, values = self.router.match(request.method, path)
        except CMARefused as unknown:
            missing = unknown
        if route is not None and route.public:
            return self._run(route, request, values, token=None, environment="")
        self._take_fault(request, extra)
        headers = request.headers
        if headers.get("x-api-version") != API_VERSION:
            raise refused(
                "INVALID_API_VERSION",
                "Send 'X-Api-Version: 3': the emulator speaks version 3 of the Content "
                "Management API.",
            )
        token = self.emulator.authenticated_token(headers.get("authorization", ""))
        if token is None:
            raise refused(
                "INVALID_AUTHORIZATION_HEADER",
                "The Authorization header is missing or its API token is not valid: send "
                "'Authorization: Bearer <token>' with one of the emulator's tokens.",
            )
        accept = headers.get("accept")
        if accept and not any(
            kind.split(";")[0].strip() in ACCEPTED_TYPES for kind in accept.split(",")
        ):
            raise refused(
                "INVALID_ACCEPT_HEADER",
                f"The Accept header must allow {' or '.join(JSON_TYPES)}.",
            )
        state = self.emulator.store.state
        environment = headers.get("x-environment") or state.site.primary_environment
        if environment not in state.site.environments:
            raise refused(
                "INVALID_ENVIRONMENT",
                f"The environment {environment!r} does not exist; this project has "
                f"{', '.join(state.site.environments)}.",
                environment=environment,
            )
        extra.append(("X-Environment", environment))
        if route is None:
            assert missing is not None
            raise missing
        return self._run(route, request, values, token=token, environment=environment)

    def _run(
        self,
        route: Route,
        request: EmulatorRequest,
        values: Mapping[str, str],
        *,
        token: str | None,
        environment: str,
    ) -> Answer:
        body = None if route.public else _json_body(request)
        cma_request = CMARequest(
            emulator=self.emulator,
            cma=self,
            http=request,
            params=Params(request.query_string),
            body=body,
            values=values,
            token=token,
            environment=environment,
            cma_url=request.root_url() + CMA_PATH,
        )
        answer: Answer = route.handler(cma_request)
        return answer

    def _take_fault(self, request: EmulatorRequest, extra: list[tuple[str, str]]) -> None:
        fault = self.faults.take()
        while fault is not None and fault.kind == "latency":
            self.emulator.simulate_latency(fault, request)
            fault = self.faults.take()
        if fault is None:
            return
        if fault.kind == "disconnect":
            raise SimulatedDisconnect("simulated dropped connection")
        if fault.kind == "rate_limit":
            extra.extend([("X-RateLimit-Limit", "60"), ("X-RateLimit-Remaining", "0"),
                          ("X-RateLimit-Reset", str(fault.reset))])  # fmt: skip
            raise refused(
                "RATE_LIMIT_EXCEEDED",
                "Simulated rate limit: 60 requests per 3 seconds.",
            )
        code = "SERVICE_UNAVAILABLE" if fault.status == 503 else "EXCEPTION"
        raise CMARefused(fault.status, code, "Simulated server error of the emulated CMA.")


def _json_body(request: EmulatorRequest) -> Any:
    if not request.body.strip():
        return None
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type not in JSON_TYPES:
        raise refused(
            "INVALID_CONTENT_TYPE_HEADER",
            f"A request with a body needs 'Content-Type: application/vnd.api+json' (or "
            f"application/json); got {content_type or 'none'!r}.",
        )
    try:
        return json.loads(request.body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise refused("INVALID_JSON_BODY", f"The body is not valid JSON: {exc}.") from None


def _job_result(request: CMARequest) -> Answer:
    job_id = request.value("id")
    result = request.cma.jobs.result(job_id)
    if result is None:
        raise refused(
            "NOT_FOUND",
            f"The job {job_id!r} is still running (or does not exist): ask again shortly.",
        )
    return Answer(
        200,
        {
            "data": {
                "type": "job_result",
                "id": job_id,
                "attributes": {"status": result.status, "payload": result.document},
            }
        },
    )


def _token_locales(
    emulator: Emulator, token_locales: Mapping[str, Sequence[str]]
) -> dict[str, frozenset[str]]:
    """The permissions, checked; the messages name tokens by position, never by value."""
    if not isinstance(token_locales, Mapping):
        raise InvalidArgument(
            "TOKEN_LOCALES must map some of the emulator's tokens to lists of locales."
        )
    site_locales = emulator.store.state.site.locales
    checked: dict[str, frozenset[str]] = {}
    for index, (token, locales) in enumerate(token_locales.items(), start=1):
        if token not in emulator.tokens:
            raise InvalidArgument(
                f"TOKEN_LOCALES: its key #{index} is not one of the emulator's tokens "
                "(DATOCMS['EMULATOR']['TOKENS'] or --token)."
            )
        if isinstance(locales, str) or not locales or not set(locales) <= set(site_locales):
            raise InvalidArgument(
                f"TOKEN_LOCALES: the locales of its key #{index} must be a non-empty list of "
                f"the project's locales ({', '.join(site_locales)}); got {locales!r}."
            )
        checked[token] = frozenset(locales)
    return checked
