"""Turns "this site cannot read its content" into the setup page instead of a server error.

Views stay plain: they query DatoCMS and let errors propagate. Configuration problems (no
token and no emulator, a token DatoCMS refuses, a wrong environment, queries that do not
fit the project's schema) render ``setup.html``, which explains how to connect a DatoCMS
project, with status 503 and ``Cache-Control: no-store``.

Passing outages (network, timeouts, rate limits, DatoCMS 5xx) are left alone: the page
cache (``datocms_app.caching.PageCacheMiddleware``, earlier in ``MIDDLEWARE``) answers them,
with the last good copy of the page when it has one, else its 503 page with
``Retry-After``. This middleware must sit after it in ``MIDDLEWARE``, so that its
``process_exception`` runs first and lets those errors through.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from datocms_app.exceptions import (
    CDAError,
    ConfigurationError,
    RateLimitError,
    ServiceUnavailable,
    TransportError,
)

logger = logging.getLogger("project")

#: Errors that pass by themselves: the page cache's business, not a setup problem.
OUTAGES = (TransportError, ServiceUnavailable, RateLimitError)


class ContentUnavailableMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, OUTAGES) or not isinstance(
            exception, ConfigurationError | CDAError
        ):
            return None
        logger.error("The demo cannot read its content for %s: %s", request.path, exception)
        response = render(request, "setup.html", {"problem": str(exception)}, status=503)
        response["Cache-Control"] = "no-store"
        return response
