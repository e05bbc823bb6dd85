"""The emulator: a ``ContentStore`` behind DatoCMS's Content Delivery API protocol.

``Emulator.handle(EmulatorRequest) -> EmulatorResponse`` is the whole protocol, without any
I/O: ``POST /`` is the GraphQL endpoint, ``OPTIONS /`` answers CORS preflights, and
``GET {assets_path}/<upload id>/<filename>?<imgix>`` serves images and ``GET
{video_path}/<playback id>...`` videos (``video_assets``). Other APIs are *mounted* under a
path prefix (``emulator.mounts``, ``{prefix: app(request, path below it, request id)}``):
the Content Management API at ``/cma`` (``emulator.cma``, package ``cma``); another API of
DatoCMS joins by adding its app there — the Real-time Updates API at ``/listen``
(``POST /listen`` registers a query, ``GET /listen/channels/<id>`` streams its Server-Sent
Events; the response's ``stream`` is the body). For the CDA, ``handle`` checks what the CDA
checks, in its order — ``Authorization`` (401 ``INVALID_AUTHORIZATION_HEADER``),
``X-Environment``, ``X-Include-Drafts`` and ``X-Exclude-Invalid`` (only ``true``),
``X-Visual-Editing``/``X-Base-Editing-Url``, the JSON body — and answers errors with
DatoCMS's body ``{"data": [{"id", "type": "api_error", "attributes": {"code", "details"}}]}``.
GraphQL errors are HTTP 200 with an ``errors`` array. Every answer has an ``x-request-id``;
``X-Cache-Tags: true`` adds the response's cache tags.

``Emulator`` is also a WSGI application (for gunicorn, Django or httpx's WSGITransport);
``embedded`` and ``httpserver`` run it in-process and on a socket.
"""

from __future__ import annotations

import hmac
import json
import re
import time
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from http import HTTPStatus
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from datocms_app.emulator import events
from datocms_app.emulator.changes import ContentEditor
from datocms_app.emulator.cma.app import CMA_PATH, DEFAULT_JOB_SECONDS, ContentManagementAPI
from datocms_app.emulator.exceptions import SimulatedDisconnect, SimulatedTimeout
from datocms_app.emulator.execution import GraphQLRequest, QueryResult, execute_query
from datocms_app.emulator.faults import Fault, FaultQueue
from datocms_app.emulator.http_messages import (
    CORS_HEADERS,
    EmulatorRequest,
    EmulatorResponse,
    json_response,
)
from datocms_app.emulator.listen import LISTEN_PATH, ListenChannels
from datocms_app.emulator.project import ProjectContent, View
from datocms_app.emulator.remote import ADMIN_PATH, handle_change_request
from datocms_app.emulator.store import ContentStore, StoreState
from datocms_app.emulator.webhooks import WebhookDispatcher
from datocms_app.exceptions import InvalidArgument

__all__ = [
    "DEFAULT_TOKEN",
    "Emulator",
    "EmulatorRequest",
    "EmulatorResponse",
    "Mount",
    "file_conditions",
]

#: An app mounted under a path prefix: ``(request, path below the prefix, request id)``.
Mount = Callable[[EmulatorRequest, str, str], EmulatorResponse]
DEFAULT_TOKEN = "emulator"  # noqa: S105 (the public default of an offline emulator)
#: Environ key through which a transport tells the app its client's read timeout.
READ_TIMEOUT_ENVIRON_KEY = "datocms.emulator.read_timeout"
CONTENT_LINK_VERSIONS = ("v1", "vercel-v1")
#: A Host header fit to build a channel URL on (a name or address, and a port).
_HOST = re.compile(r"[A-Za-z0-9.\-]+(:\d+)?|\[[0-9A-Fa-f:.]+\](:\d+)?")
_ALLOWED_HEADERS = (
    "Authorization, Content-Type, Accept, X-Environment, X-Include-Drafts, "
    "X-Exclude-Invalid, X-Cache-Tags, X-Visual-Editing, X-Base-Editing-Url"
)


class Emulator:
    """An offline DatoCMS (its CDA and its CMA) serving one content store.

    ``tokens`` are the accepted API tokens (``Authorization: Bearer <token>``);
    ``token_locales`` the locales some of them may write through the CMA, and
    ``cma_job_seconds`` how long the CMA's asynchronous jobs run;
    ``assets_base`` prefixes the upload URLs the API returns, ``assets_path`` is where
    ``handle`` serves them (``None``: not served here, e.g. Django serves them);
    ``video_base`` and ``video_path`` do the same for video URLs (Mux's ``stream.mux.com``
    and ``image.mux.com``); ``listen_base`` prefixes the channel URLs of the Real-time
    Updates API (``None``: ``/listen`` on the origin the registration came to; a path is put
    on that origin too).
    """

    def __init__(
        self,
        store: ContentStore | ProjectContent,
        *,
        tokens: Sequence[str] = (DEFAULT_TOKEN,),
        assets_base: str = "/assets",
        assets_path: str | None = "/assets",
        video_base: str = "/video",
        video_path: str | None = "/video",
        webhooks: Sequence[Mapping[str, Any]] = (),
        webhook_retry_scale: float = 1.0,
        token_locales: Mapping[str, Sequence[str]] | None = None,
        cma_job_seconds: float = DEFAULT_JOB_SECONDS,
        listen_base: str | None = None,
    ) -> None:
        if isinstance(store, ProjectContent):
            store = ContentStore(store)
        if not isinstance(store, ContentStore):
            raise InvalidArgument(f"store must be a ContentStore, got {type(store).__name__}.")
        if (
            isinstance(tokens, str)
            or not tokens
            or not all(isinstance(t, str) and t.strip() for t in tokens)
        ):
            raise InvalidArgument(
                "tokens must be a non-empty list of API token strings, e.g. ['emulator']."
            )
        self.store = store
        self.tokens = tuple(t.strip() for t in tokens)
        self.assets_base = assets_base.rstrip("/")
        self.assets_path = assets_path.rstrip("/") if assets_path else None
        self.video_base = video_base.rstrip("/")
        self.video_path = video_path.rstrip("/") if video_path else None
        self.listen_base = listen_base.rstrip("/") if listen_base else None
        self.listen = ListenChannels(self.store, self._run)
        self.faults = FaultQueue()
        # Content changes and webhooks (emulator.changes, .webhooks, .events, .remote):
        # ``emulator.changes.update_record(...)``, ``emulator.webhooks.drain()``.
        self.webhooks = WebhookDispatcher(
            webhooks,
            retry_scale=webhook_retry_scale,
            environment=self.store.state.site.primary_environment,
        )
        self.changes = ContentEditor(self.store)
        events.connect(self.store, self.webhooks)
        # The Content Management API (``cma``), mounted at /cma. Apps are mounted by path
        # prefix, so other APIs of DatoCMS can be added next to it.
        self.cma = ContentManagementAPI(
            self, token_locales=token_locales or {}, job_seconds=cma_job_seconds
        )
        self.mounts: dict[str, Mount] = {CMA_PATH: self.cma.handle, LISTEN_PATH: self._listen}

    @classmethod
    def from_directory(cls, directory: str | Path, **options: Any) -> Emulator:
        """An emulator serving the content project in ``directory``."""
        return cls(ContentStore.from_directory(directory), **options)

    def __repr__(self) -> str:
        return f"<Emulator assets={self.assets_base!r} tokens={len(self.tokens)}>"

    def close(self) -> None:
        """Stop the background work (webhook deliveries, CMA jobs) and remove the files
        uploaded through the CMA. The content stays readable."""
        self.webhooks.close()
        self.cma.close()
        self.listen.close_all()

    # -- Python API -----------------------------------------------------------------------

    def execute(
        self,
        query: str,
        variables: Mapping[str, Any] | None = None,
        *,
        include_drafts: bool = False,
        exclude_invalid: bool = False,
        environment: str | None = None,
    ) -> QueryResult:
        """Run a query directly (no HTTP, no token): the body and the cache tags."""
        state = self.store.state
        if environment is not None and environment not in state.site.environments:
            raise InvalidArgument(
                f"Unknown environment {environment!r}; the project has "
                f"{', '.join(state.site.environments)}."
            )
        view: View = "draft" if include_drafts else "published"
        environment = environment or state.site.primary_environment
        asked = GraphQLRequest(query, variables, view=view, strict=exclude_invalid,
                               environment=environment)  # fmt: skip
        return self._run(state, asked)

    def _run(self, state: StoreState, request: GraphQLRequest) -> QueryResult:
        return execute_query(
            state, request.query, request.variables, request.operation_name,
            view=request.view, strict=request.strict, assets_base=self.assets_base,
            video_base=self.video_base, environment=request.environment,
        )  # fmt: skip

    # -- HTTP -----------------------------------------------------------------------------

    def handle(self, request: EmulatorRequest) -> EmulatorResponse:
        """Answer one HTTP request (may raise ``SimulatedDisconnect``/``SimulatedTimeout``)."""
        request_id = str(uuid.uuid4())
        path = request.path or "/"
        if self.assets_path and path.startswith(self.assets_path + "/"):
            if request.method not in ("GET", "HEAD"):
                return self._error(405, "METHOD_NOT_ALLOWED", "Assets answer GET only.",
                                   request_id)  # fmt: skip
            return self._asset(request, path[len(self.assets_path) + 1 :], request_id)
        if self.video_path and path.startswith(self.video_path + "/"):
            if request.method not in ("GET", "HEAD"):
                return self._error(405, "METHOD_NOT_ALLOWED", "Videos answer GET only.",
                                   request_id)  # fmt: skip
            return self._video(request, path[len(self.video_path) + 1 :], request_id)
        for prefix, mounted in self.mounts.items():
            if path == prefix or path.startswith(prefix + "/"):
                return mounted(request, path[len(prefix) :] or "/", request_id)
        if path == "/" + ADMIN_PATH:
            return self._change(request, request_id)
        if path != "/":
            return self._error(404, "NOT_FOUND", f"No such endpoint {path!r}: the CDA "
                               "endpoint is POST /.", request_id)  # fmt: skip
        if request.method != "POST":
            return self._not_post(request, "The Content Delivery API", request_id)
        return self._cda(request, request_id)

    def _not_post(self, request: EmulatorRequest, api: str, request_id: str) -> EmulatorResponse:
        """The CORS preflight of a POST endpoint, or 405 for another method."""
        if request.method == "OPTIONS":
            headers = [
                *CORS_HEADERS,
                ("Access-Control-Allow-Methods", "POST, OPTIONS"),
                ("Access-Control-Allow-Headers", _ALLOWED_HEADERS),
                ("Access-Control-Max-Age", "86400"),
                ("x-request-id", request_id),
            ]
            return EmulatorResponse(204, headers, b"")  # fmt: skip
        response = self._error(
            405, "METHOD_NOT_ALLOWED", f"{api} takes POST requests with a JSON body.", request_id
        )
        response.headers.append(("Allow", "POST, OPTIONS"))
        return response

    def _cda(self, request: EmulatorRequest, request_id: str) -> EmulatorResponse:
        fault = self.faults.take()
        while fault is not None and fault.kind == "latency":
            self.simulate_latency(fault, request)
            fault = self.faults.take()
        if fault is not None:
            return self._fault(fault, request_id)
        asked = self._read_request(request, request_id)
        if isinstance(asked, EmulatorResponse):
            return asked
        result = self._run(self.store.state, asked)
        extra = [("x-request-id", request_id)]
        if request.headers.get("x-cache-tags") == "true" and result.tags:
            extra.append(("X-Cache-Tags", " ".join(result.tags)))
        return json_response(200, result.body, extra)

    def _read_request(
        self, request: EmulatorRequest, request_id: str
    ) -> GraphQLRequest | EmulatorResponse:
        """What a CDA request asks for, or the error answer to headers or a body the CDA
        refuses (the Real-time Updates API checks the same)."""
        headers = request.headers
        if self.authenticated_token(headers.get("authorization", "")) is None:
            return self._error(
                401, "INVALID_AUTHORIZATION_HEADER",
                "The Authorization header is missing or its API token is not valid: send "
                "'Authorization: Bearer <token>' with a token the emulator knows.",
                request_id,
            )  # fmt: skip
        state = self.store.state
        environment = headers.get("x-environment") or state.site.primary_environment
        if environment not in state.site.environments:
            return self._error(
                422, "INVALID_ENVIRONMENT",
                f"The environment {environment!r} does not exist; this project has "
                f"{', '.join(state.site.environments)}.",
                request_id, {"environment": environment},
            )  # fmt: skip
        for header, code in (
            ("x-include-drafts", "INVALID_X_INCLUDE_DRAFTS_HEADER"),
            ("x-exclude-invalid", "INVALID_X_EXCLUDE_INVALID_HEADER"),
        ):
            value = headers.get(header)
            if value is not None and value != "true":
                name = "-".join(part.capitalize() for part in header.split("-"))
                return self._error(422, code, f"{name} header can only be set to `true`",
                                   request_id)  # fmt: skip
        editing = headers.get("x-visual-editing")
        if editing is not None and editing not in CONTENT_LINK_VERSIONS:
            return self._error(
                422,
                "INVALID_X_VISUAL_EDITING_HEADER",
                "X-Visual-Editing can only be 'v1' or 'vercel-v1'.",
                request_id,
            )
        if editing is not None and not headers.get("x-base-editing-url"):
            return self._error(422, "INVALID_X_BASE_EDITING_URL_HEADER",
                               "X-Visual-Editing needs an X-Base-Editing-Url header too.",
                               request_id)  # fmt: skip
        payload = _graphql_request(request.body)
        if payload is None:
            return self._error(422, "INVALID_JSON_BODY", "The JSON body you submitted is not "
                               "a valid GraphQL request", request_id)  # fmt: skip
        query, variables, operation_name = payload
        view: View = "draft" if headers.get("x-include-drafts") == "true" else "published"
        return GraphQLRequest(
            query, variables, operation_name, view=view, environment=environment,
            strict=headers.get("x-exclude-invalid") == "true",
        )  # fmt: skip

    def _listen(self, request: EmulatorRequest, rest: str, request_id: str) -> EmulatorResponse:
        """``POST /listen`` registers a channel, ``GET /listen/channels/<id>`` streams it."""
        if rest in ("", "/"):
            if request.method != "POST":
                return self._not_post(request, "The Real-time Updates API", request_id)
            asked = self._read_request(request, request_id)
            if isinstance(asked, EmulatorResponse):
                return asked
            url = f"{self._listen_base(request)}/channels/{self.listen.register(asked).id}"
            # datocms-listen wants this Content-Type exactly, without a charset.
            return json_response(200, {"url": url}, [("x-request-id", request_id)],
                                 content_type="application/json")  # fmt: skip
        channel_id = rest.removeprefix("/channels/")
        if channel_id == rest or not channel_id or "/" in channel_id:
            return self._error(404, "NOT_FOUND", f"No such endpoint {request.path!r}: channels "
                               f"are {LISTEN_PATH}/channels/<id>.", request_id)  # fmt: skip
        if request.method != "GET":
            response = self._error(405, "METHOD_NOT_ALLOWED", "A channel is read with GET "
                                   "(an EventSource).", request_id)  # fmt: skip
            response.headers.append(("Allow", "GET"))
            return response
        channel = self.listen.claim(channel_id)
        if channel is None:
            return self._error(
                404, "NOT_FOUND",
                f"No channel {channel_id!r}: a channel must be connected within "
                f"{self.listen.ttl:g} s of its registration and serves one connection; "
                "register the query again.",
                request_id,
            )  # fmt: skip
        headers = [
            ("Content-Type", "text/event-stream"),
            ("Cache-Control", "no-cache"),
            ("X-Accel-Buffering", "no"),
            *CORS_HEADERS,
            ("x-request-id", request_id),
        ]
        return EmulatorResponse(200, headers, b"", stream=self.listen.stream(channel))

    def _listen_base(self, request: EmulatorRequest) -> str:
        base = self.listen_base or LISTEN_PATH
        if not base.startswith("/"):
            return base
        host = request.headers.get("host", "")
        if not _HOST.fullmatch(host):
            host = "localhost"
        scheme = urlsplit(request.url_root).scheme if request.url_root else "http"
        scheme = scheme if scheme in ("http", "https") else "http"
        return f"{scheme}://{host}{base}"

    def _change(self, request: EmulatorRequest, request_id: str) -> EmulatorResponse:
        """``POST /_emulator/changes``: one content change (see ``remote``), token required."""
        if request.method != "POST":
            return self._error(405, "METHOD_NOT_ALLOWED", "Content changes are POST requests "
                               "with a JSON body (see docs/emulator.md).", request_id)  # fmt: skip
        if self.authenticated_token(request.headers.get("authorization", "")) is None:
            return self._error(401, "INVALID_AUTHORIZATION_HEADER", "Content changes need "
                               "'Authorization: Bearer <token>' with one of the emulator's "
                               "tokens.", request_id)  # fmt: skip
        status, body = handle_change_request(self.changes, request.body, dispatcher=self.webhooks)
        return json_response(status, body, [("x-request-id", request_id)])

    def authenticated_token(self, header: str) -> str | None:
        """The emulator's token an ``Authorization`` header carries (``Bearer <token>`` or
        the bare token), or None. Every known token is compared, in constant time."""
        token = header.strip()
        if token[:7].lower() == "bearer ":
            token = token[7:].strip()
        if not token:
            return None
        found = None
        for known in self.tokens:
            if hmac.compare_digest(token.encode(), known.encode()):
                found = known
        return found

    def simulate_latency(self, fault: Fault, request: EmulatorRequest) -> None:
        """Sleep a latency fault's seconds (``SimulatedTimeout`` past the read timeout)."""
        timeout = request.read_timeout
        if timeout is not None and fault.seconds > timeout:
            time.sleep(timeout)
            raise SimulatedTimeout(f"simulated latency of {fault.seconds:g} s exceeded the "
                                   f"client's {timeout:g} s read timeout")  # fmt: skip
        time.sleep(fault.seconds)

    def _fault(self, fault: Fault, request_id: str) -> EmulatorResponse:
        if fault.kind == "disconnect":
            raise SimulatedDisconnect("simulated dropped connection")
        if fault.kind == "rate_limit":
            response = self._error(
                429, "RATE_LIMIT_EXCEEDED",
                "Simulated rate limit: 40 requests per second and 1,000 per minute per token.",
                request_id,
            )  # fmt: skip
            response.headers.extend([("X-RateLimit-Limit", "40"), ("X-RateLimit-Remaining", "0"),
                                     ("X-RateLimit-Reset", str(fault.reset))])  # fmt: skip
            return response
        reason = HTTPStatus(fault.status).phrase if fault.status in HTTPStatus._value2member_map_ \
            else "Server Error"  # fmt: skip
        body = f"{fault.status} {reason} (simulated by the DatoCMS emulator)\n".encode()
        headers = [
            ("Content-Type", "text/plain; charset=utf-8"),
            ("Content-Length", str(len(body))),
            ("x-request-id", request_id),
            *CORS_HEADERS,
        ]
        return EmulatorResponse(fault.status, headers, body)  # fmt: skip

    def _error(
        self,
        status: int,
        code: str,
        message: str,
        request_id: str,
        details: Mapping[str, Any] | None = None,
    ) -> EmulatorResponse:
        body = {
            "data": [
                {
                    "id": uuid.uuid4().hex[:20],
                    "type": "api_error",
                    "attributes": {"code": code, "details": {"message": message, **(details
                                                                                     or {})}},
                }
            ]
        }  # fmt: skip
        return json_response(status, body, [("x-request-id", request_id)])

    # -- assets ---------------------------------------------------------------------------

    def asset(
        self,
        upload_id: str,
        filename: str,
        query_string: str = "",
        *,
        accept: str = "",
        if_none_match: str = "",
        range_header: str = "",
        if_range: str = "",
    ) -> tuple[int, list[tuple[str, str]], bytes]:
        """The answer to ``GET <assets>/<upload_id>/<filename>?<imgix>``."""
        from datocms_app.emulator import images

        state = self.store.state
        upload = state.uploads.get(upload_id)
        if upload is None or upload.filename != filename:
            body = f"Not found: no upload {upload_id!r} named {filename!r}.\n".encode()
            return 404, [("Content-Type", "text/plain; charset=utf-8"),
                         ("Content-Length", str(len(body)))], body  # fmt: skip
        focal = upload.metadata(state.schema.default_locale, "focal_point")
        status, headers, body = images.asset_response(
            upload.path, query_string, accept=accept, focal_point=focal,
            if_none_match=if_none_match, range_header=range_header, if_range=if_range,
        )  # fmt: skip
        return status, list(headers), body

    def _asset(self, request: EmulatorRequest, rest: str, request_id: str) -> EmulatorResponse:
        upload_id, _, filename = rest.partition("/")
        answer = self.asset(
            upload_id, filename, request.query_string, accept=request.headers.get("accept", ""),
            **file_conditions(request.headers),
        )  # fmt: skip
        return _file_response(request, request_id, answer)

    def video(
        self,
        rest: str,
        query_string: str = "",
        *,
        if_none_match: str = "",
        range_header: str = "",
        if_range: str = "",
    ) -> tuple[int, list[tuple[str, str]], bytes]:
        """The answer to ``GET <video>/<rest>``: ``<playback id>.m3u8``, its segments,
        ``<playback id>/high.mp4`` (and ``medium``, ``low``), ``<playback id>/thumbnail.jpg``."""
        from datocms_app.emulator.video_assets import video_response

        playback_id = rest.partition("/")[0].removesuffix(".m3u8")
        upload = next(
            (u for u in self.store.state.uploads.values()
             if u.video is not None and u.video.mux_playback_id == playback_id),
            None,
        )  # fmt: skip
        return video_response(
            upload, rest, query_string, range_header=range_header, if_range=if_range,
            if_none_match=if_none_match,
        )  # fmt: skip

    def _video(self, request: EmulatorRequest, rest: str, request_id: str) -> EmulatorResponse:
        answer = self.video(rest, request.query_string, **file_conditions(request.headers))
        return _file_response(request, request_id, answer)

    # -- WSGI -----------------------------------------------------------------------------

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        """The emulator as a WSGI application."""
        response = self.handle(request_from_environ(environ))
        reason = HTTPStatus(response.status).phrase
        start_response(f"{response.status} {reason}", response.headers)
        if response.stream is not None:
            return response.stream  # the server closes it when the client leaves
        return [response.body]


def request_from_environ(environ: Mapping[str, Any]) -> EmulatorRequest:
    headers = {
        key[5:].replace("_", "-").lower(): str(value)
        for key, value in environ.items()
        if key.startswith("HTTP_")
    }
    if environ.get("CONTENT_TYPE"):
        headers["content-type"] = str(environ["CONTENT_TYPE"])
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    body = environ["wsgi.input"].read(length) if length > 0 else b""
    return EmulatorRequest(
        method=str(environ.get("REQUEST_METHOD", "GET")).upper(),
        path=str(environ.get("PATH_INFO") or "/"),
        query_string=str(environ.get("QUERY_STRING", "")),
        headers=headers,
        body=body,
        read_timeout=environ.get(READ_TIMEOUT_ENVIRON_KEY),
        url_root=_environ_root(environ),
    )


def _environ_root(environ: Mapping[str, Any]) -> str:
    host = environ.get("HTTP_HOST") or environ.get("SERVER_NAME")
    if not host:
        return ""
    return f"{environ.get('wsgi.url_scheme', 'http')}://{host}{environ.get('SCRIPT_NAME', '')}"


def _graphql_request(body: bytes) -> tuple[str, dict[str, Any] | None, str | None] | None:
    """``(query, variables, operationName)`` of a JSON body, or None if it is not one."""
    try:
        payload = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(payload, dict):
        return None
    query = payload.get("query")
    variables = payload.get("variables")
    operation_name = payload.get("operationName")
    if not isinstance(query, str) or not query.strip():
        return None
    if variables is not None and not isinstance(variables, dict):
        return None
    if operation_name is not None and not isinstance(operation_name, str):
        return None
    return query, variables, operation_name


def file_conditions(headers: Mapping[str, str]) -> dict[str, str]:
    """The conditions of a file request (``Range``, ``If-Range``, ``If-None-Match``) from its
    headers (lower-case names, or Django's case-insensitive ``request.headers``), as the
    keyword arguments of ``Emulator.asset`` and ``Emulator.video``."""
    return {
        "if_none_match": headers.get("if-none-match", ""),
        "range_header": headers.get("range", ""),
        "if_range": headers.get("if-range", ""),
    }


def _file_response(
    request: EmulatorRequest, request_id: str, answer: tuple[int, list[tuple[str, str]], bytes]
) -> EmulatorResponse:
    """An asset or video answer as a response: with the request id, and no body for HEAD."""
    status, headers, body = answer
    headers = [*headers, ("x-request-id", request_id)]
    return EmulatorResponse(status, headers, b"" if request.method == "HEAD" else body)
