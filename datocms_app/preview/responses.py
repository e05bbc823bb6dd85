"""The answers of the preview views that are not the happy path, in one shape.

Browser routes (draft mode on and off) explain a refusal in a small HTML page,
``datocms/preview/refused.html`` (override it to match the site), never cached or indexed;
API routes (preview links, live updates) answer in JSON through ``datocms_app.json_answers``,
the shape of the cache-tags webhook's answers.

This module must never put a secret or a token in an answer: messages name settings, never
their values.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TypeVar

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

from datocms_app.conf import DatoCMSSettings, get_settings

ResponseT = TypeVar("ResponseT", bound=HttpResponse)

__all__ = ["html_refusal", "unless_refused"]


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


def unless_refused(
    refusal: Callable[[HttpRequest, DatoCMSSettings], ResponseT | None],
) -> Callable[
    [Callable[[HttpRequest, DatoCMSSettings], ResponseT]], Callable[[HttpRequest], ResponseT]
]:
    """Decorate ``view(request, conf)``: answer ``refusal(request, conf)`` when it refuses
    (a response), else run the view with the current settings."""

    def decorate(
        view: Callable[[HttpRequest, DatoCMSSettings], ResponseT],
    ) -> Callable[[HttpRequest], ResponseT]:
        @wraps(view)
        def guarded(request: HttpRequest) -> ResponseT:
            conf = get_settings()
            refused = refusal(request, conf)
            return refused if refused is not None else view(request, conf)

        return guarded

    return decorate
