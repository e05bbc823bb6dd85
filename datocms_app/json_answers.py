"""The JSON answers of the app's endpoints (the cache-tags webhook, preview links, live
updates), in one shape: ``{"ok": false, "error": "<code>", "message": "..."}`` for a refusal,
never cached and never indexed; and the one way a request body is read under a size limit.

This module must never put a secret or a token in an answer: messages name settings, never
their values.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, JsonResponse

__all__ = ["json_answer", "json_refusal", "method_not_allowed", "read_body"]


def json_answer(status: int, body: Mapping[str, Any]) -> JsonResponse:
    """``body`` as JSON with ``status``; ``Cache-Control: no-store``, ``noindex``."""
    response = JsonResponse(dict(body), status=status)
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


def json_refusal(status: int, error: str, message: str) -> JsonResponse:
    """``{"ok": false, "error": error, "message": message}`` with ``status``."""
    return json_answer(status, {"ok": False, "error": error, "message": message})


def method_not_allowed(allow: str, message: str) -> JsonResponse:
    """405 with ``Allow: <allow>`` (e.g. ``"POST"``) and ``message``."""
    response = json_refusal(405, "method_not_allowed", message)
    response.headers["Allow"] = allow
    return response


def read_body(request: HttpRequest, limit: int) -> bytes | JsonResponse:
    """The request's body, or the refusal: 400 for a ``Content-Length`` that is not a number
    >= 0, 413 for one over ``limit`` (checked before anything is read) or a body over it."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = -1
    if length < 0:
        return json_refusal(
            400, "invalid_request", "The Content-Length header is not a number >= 0."
        )
    if length > limit:
        return json_refusal(
            413,
            "payload_too_large",
            f"The body is {length} bytes; this endpoint accepts at most {limit}.",
        )
    try:
        body = request.body
    except RequestDataTooBig:  # over DATA_UPLOAD_MAX_MEMORY_SIZE
        body = None
    if body is None or len(body) > limit:
        return json_refusal(
            413,
            "payload_too_large",
            f"The body is over {limit} bytes, the most this endpoint accepts.",
        )
    return body
