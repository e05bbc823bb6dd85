"""The emulator's HTTP messages: ``EmulatorRequest`` in, ``EmulatorResponse`` out.

Every part of the emulator that answers HTTP (the CDA in ``server``, the CMA in ``cma``, the
files) speaks these two plain values, so one ``Emulator.handle`` serves them all and each
transport (the socket server, WSGI, the in-process httpx transports, the Django views) only
converts. ``json_response`` is the one way a JSON answer is written (UTF-8, compact, with the
CORS headers browsers need). No I/O here.
"""

from __future__ import annotations

import json
from collections.abc import Generator, Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["CORS_HEADERS", "EmulatorRequest", "EmulatorResponse", "json_response"]

#: Headers that let a browser read every answer of the emulator (DatoCMS answers them too).
CORS_HEADERS: tuple[tuple[str, str], ...] = (
    ("Access-Control-Allow-Origin", "*"),
    ("Access-Control-Expose-Headers", "X-Cache-Tags, X-Request-Id, X-RateLimit-Reset"),
)


@dataclass(frozen=True, slots=True)
class EmulatorRequest:
    """An HTTP request to the emulator; header names are lower case."""

    method: str
    path: str
    query_string: str = ""
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""
    #: The client's read timeout, when the transport knows it (simulated latency).
    read_timeout: float | None = None
    #: The absolute URL of the emulator's root as the client reached it (scheme, host and
    #: mount point, no trailing slash), for the URLs an answer hands out (upload targets).
    #: Empty when the transport does not know it: then the ``Host`` header is used.
    url_root: str = ""

    def root_url(self) -> str:
        """``url_root``, or ``http://<Host>`` when the transport did not say."""
        if self.url_root:
            return self.url_root.rstrip("/")
        return f"http://{self.headers.get('host') or 'emulator.invalid'}"


@dataclass(frozen=True, slots=True)
class EmulatorResponse:
    status: int
    headers: list[tuple[str, str]]
    body: bytes
    #: What follows ``body``, as it comes (a channel's events): the server writes each
    #: chunk at once and closes the generator when the client leaves.
    stream: Generator[bytes, None, None] | None = None

    def header(self, name: str) -> str | None:
        lowered = name.lower()
        return next((v for k, v in self.headers if k.lower() == lowered), None)

    def json(self) -> Any:
        return json.loads(self.body)


def json_response(
    status: int,
    body: Any,
    headers: list[tuple[str, str]],
    *,
    content_type: str = "application/json; charset=utf-8",
) -> EmulatorResponse:
    """A JSON answer: compact UTF-8, ``Content-Type``, ``Content-Length``, CORS, ``headers``."""
    content = json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()
    return EmulatorResponse(
        status,
        [
            ("Content-Type", content_type),
            ("Content-Length", str(len(content))),
            *CORS_HEADERS,
            *headers,
        ],
        content,
    )
