"""The embedded emulator: the default CDA client's transport when no API token is set.

The emulator app installs ``client_options`` as the client's offline backend
(``datocms_app.cda.hooks.install_offline_backend``): with no token, ``datocms_app.cda``
calls it and gets an API token, a placeholder endpoint and an httpx transport that hands
requests to the process-wide ``Emulator`` in-process, so the real client code path (headers,
errors, retries, cache tags) runs against it. The emulator is loaded lazily from
``DATOCMS["EMULATOR"]["CONTENT_DIR"]`` (prepared by ``PREPARE``, see ``content_dir``) and
rebuilt when those settings change or after ``reset_emulator()``. The transports look it up
on every request, so a client built before a reset talks to the emulator of the moment.
Its content changes invalidate this process's caches (``site_cache``; ``INVALIDATE_SITE``).

The same transport carries live updates' channel registrations (``listen_endpoint``, the
listen endpoint the app installs on ``datocms_app.cda.hooks``); a channel's events come
back as a streamed response body.

The transports turn the emulator's simulated faults into httpx's own exceptions: a dropped
connection becomes ``httpx.RemoteProtocolError``, a latency longer than the request's read
timeout ``httpx.ReadTimeout``.
"""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator, Generator, Iterator
from typing import Any

import anyio.to_thread
import httpx

from datocms_app.cda.hooks import ListenEndpoint
from datocms_app.emulator.conf import EmulatorSettings, get_emulator_settings
from datocms_app.emulator.content_dir import content_directory
from datocms_app.emulator.exceptions import SimulatedDisconnect, SimulatedTimeout
from datocms_app.emulator.listen import LISTEN_PATH
from datocms_app.emulator.server import Emulator, EmulatorRequest, EmulatorResponse
from datocms_app.emulator.site_cache import connect_site_caches

__all__ = [
    "EMBEDDED_ENDPOINT",
    "AsyncEmulatorTransport",
    "EmulatorTransport",
    "client_options",
    "get_emulator",
    "listen_endpoint",
    "reset_emulator",
]

#: The endpoint the embedded client "talks to": never resolved, the transport answers.
EMBEDDED_ENDPOINT = "http://emulator.invalid/"

_lock = threading.Lock()
_current: tuple[EmulatorSettings, Emulator] | None = None


def get_emulator() -> Emulator:
    """The process-wide embedded emulator, loaded on first use (thread-safe)."""
    global _current
    conf = get_emulator_settings()
    current = _current
    if current is not None and current[0] == conf:
        return current[1]
    with _lock:
        if _current is None or _current[0] != conf:
            emulator = Emulator.from_directory(
                content_directory(conf),
                tokens=conf.TOKENS,
                assets_base=conf.ASSETS_BASE,
                assets_path=None,
                video_base=conf.VIDEO_BASE,
                video_path=None,
                webhooks=conf.WEBHOOKS,
                webhook_retry_scale=conf.WEBHOOK_RETRY_SCALE,
                token_locales=conf.TOKEN_LOCALES,
                cma_job_seconds=conf.CMA_JOB_SECONDS,
                listen_base=conf.LISTEN_BASE,
            )
            if conf.INVALIDATE_SITE:
                connect_site_caches(emulator.store)
            if _current is not None:
                # Its channels would never hear of the new emulator's changes.
                _current[1].listen.close_all()
            _current = (conf, emulator)
        return _current[1]


def reset_emulator() -> None:
    """Forget the embedded emulator (the next use reloads the content from disk).

    The old emulator is closed (``Emulator.close``), so its worker threads, keep-alive
    connections and uploaded files do not outlive it, and its channel streams end.
    """
    global _current
    with _lock:
        previous, _current = _current, None
    if previous is not None:
        previous[1].close()


def client_options(*, asynchronous: bool) -> dict[str, Any]:
    """``api_token``, ``endpoint`` and ``transport`` for a client of the embedded emulator.

    The emulator is loaded now, so that a missing content project fails the client's
    building; the transport looks up the current one on each request.
    """
    emulator = get_emulator()
    transport: httpx.BaseTransport | httpx.AsyncBaseTransport
    transport = AsyncEmulatorTransport() if asynchronous else EmulatorTransport()
    return {"api_token": emulator.tokens[0], "endpoint": EMBEDDED_ENDPOINT, "transport": transport}


def listen_endpoint() -> ListenEndpoint:
    """The embedded emulator's Real-time Updates API, for live updates (``datocms_app.preview``).

    Registrations go through the in-process transport; the channel URLs it answers are
    ``LISTEN_BASE/channels/<id>``, which the site serves (``datocms_emulator:listen-channel``):
    a path is made one of the page's own origin.
    """
    conf = get_emulator_settings()
    return ListenEndpoint(
        url=EMBEDDED_ENDPOINT + LISTEN_PATH.lstrip("/"),
        api_token=conf.TOKENS[0],
        transport=EmulatorTransport(),
        channel_base_url="" if conf.LISTEN_BASE.startswith("/") else None,
    )


def _request(request: httpx.Request, body: bytes) -> EmulatorRequest:
    timeout = request.extensions.get("timeout", {}).get("read")
    return EmulatorRequest(
        method=request.method,
        path=request.url.path,
        query_string=request.url.query.decode("ascii"),
        headers={
            name.decode("latin-1").lower(): value.decode("latin-1")
            for name, value in request.headers.raw
        },
        body=body,
        read_timeout=float(timeout) if timeout is not None else None,
        url_root=f"{request.url.scheme}://{request.url.netloc.decode('ascii')}",
    )


def _response(
    request: httpx.Request, answer: EmulatorResponse, *, asynchronous: bool = False
) -> httpx.Response:
    if answer.stream is None:
        return httpx.Response(answer.status, headers=answer.headers, content=answer.body,
                              request=request)  # fmt: skip
    events = _AsyncEvents(answer.stream) if asynchronous else _Events(answer.stream)
    return httpx.Response(answer.status, headers=answer.headers, stream=events, request=request)


class _Events(httpx.SyncByteStream):
    """A channel's stream as a response body; closing the response ends the stream."""

    def __init__(self, stream: Generator[bytes, None, None]) -> None:
        self._stream = stream

    def __iter__(self) -> Iterator[bytes]:
        yield from self._stream

    def close(self) -> None:
        self._stream.close()


class _AsyncEvents(httpx.AsyncByteStream):
    """The async twin: each wait for the next event happens in a worker thread (which a
    cancellation waits for, so the stream is never closed while it runs)."""

    def __init__(self, stream: Generator[bytes, None, None]) -> None:
        self._stream = stream

    async def __aiter__(self) -> AsyncIterator[bytes]:
        while (chunk := await anyio.to_thread.run_sync(next, self._stream, None)) is not None:
            yield chunk

    async def aclose(self) -> None:
        await anyio.to_thread.run_sync(self._stream.close)


def _translate(request: httpx.Request, exc: Exception) -> Exception:
    if isinstance(exc, SimulatedDisconnect):
        return httpx.RemoteProtocolError(
            "Server disconnected without sending a response.", request=request
        )
    return httpx.ReadTimeout(str(exc), request=request)


class _AnsweredByEmulator:
    """What both transports share: the emulator that answers them."""

    def __init__(self, emulator: Emulator | None = None) -> None:
        self._emulator = emulator

    @property
    def emulator(self) -> Emulator:
        """The emulator given, or else the embedded one of the moment (``get_emulator()``:
        an identity check once it is loaded)."""
        return self._emulator if self._emulator is not None else get_emulator()

    def _answer(self, request: EmulatorRequest) -> EmulatorResponse:
        return self.emulator.handle(request)


class EmulatorTransport(_AnsweredByEmulator, httpx.BaseTransport):
    """A synchronous httpx transport answered in-process by ``emulator``, or by the embedded
    emulator of the moment when none is given."""

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        try:
            answer = self._answer(_request(request, request.read()))
        except (SimulatedDisconnect, SimulatedTimeout) as exc:
            raise _translate(request, exc) from exc
        return _response(request, answer)


class AsyncEmulatorTransport(_AnsweredByEmulator, httpx.AsyncBaseTransport):
    """The async twin: the emulator runs in a worker thread, the event loop stays free."""

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        body = await request.aread()
        try:
            # Looked up in the worker too: after a reset, loading the content reads files.
            answer = await anyio.to_thread.run_sync(self._answer, _request(request, body))
        except (SimulatedDisconnect, SimulatedTimeout) as exc:
            raise _translate(request, exc) from exc
        return _response(request, answer, asynchronous=True)
