"""The answers of the preview views that are not the happy path, in one shape.

Browser routes (draft mode on and off) explain a refusal in a small HTML page,
``datocms/preview/refused.html`` (override it to match the site); API routes (preview links,
live updates) in JSON, ``{"ok": false, "error": "<code>", "message": "..."}``, the shape of the
cache-tags webhook's answers. Neither is ever cached or indexed.

This module must never put a secret or a token in an answer: messages name settings, never
their values.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string

__all__ = [
    "html_refusal",
    "json_answer",
    "json_refusal",
    "read_body",
]


def _private(response: HttpResponse) -> HttpResponse:
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


def html_refusal(request: HttpRequest, status: int, title: str, message: str) -> HttpResponse:
    """A small HTML page saying why the request was refused."""
    html = render_to_string(
        "datocms/preview/refused.html", {"title": title, "message": message}, request=request
    )
    return _private(HttpResponse(html, status=status))


def json_answer(status: int, body: dict[str, Any]) -> JsonResponse:
    """``body`` as JSON with ``status``, never cached."""
    response = JsonResponse(body, status=status)
    _private(response)
    return response


def json_refusal(status: int, error: str, message: str) -> JsonResponse:
    """``{"ok": false, "error": error, "message": message}`` with ``status``."""
    return json_answer(status, {"ok": False, "error": error, "message": message})


def read_body(request: HttpRequest, limit: int) -> bytes | JsonResponse:
    """The request's body, or the refusal for one that is too large (413) or announces a
    length that is not a number (400); the length is checked before anything is read."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return json_refusal(400, "invalid_request", "The Content-Length header is not a number.")
    too_large = json_refusal(
        413, "payload_too_large", f"The body must be JSON of at most {limit} bytes."
    )
    if length > limit:
        return too_large
    try:
        body = request.body
    except RequestDataTooBig:  # over DATA_UPLOAD_MAX_MEMORY_SIZE
        return too_large
    return body if len(body) <= limit else too_large
