"""Turns "this site cannot read its content" into the setup page instead of a server error.

Views stay plain: they query DatoCMS and let errors propagate. Configuration problems (no
token and no emulator, a token DatoCMS refuses, a wrong environment or ``CDA_URL``, queries
that do not fit the project's schema) render ``setup.html``, which explains how to connect a
DatoCMS project, with status 503 and ``Cache-Control: no-store``.

Passing outages (network, timeouts, rate limits, DatoCMS 5xx, answers that are not
DatoCMS's JSON) are left alone: the page cache (``datocms_app.caching.PageCacheMiddleware``,
earlier in ``MIDDLEWARE``) answers them, with the last good copy of the page when it has one,
else its 503 page with ``Retry-After``. This middleware must sit after it in ``MIDDLEWARE``,
so that its ``process_exception`` runs first and lets those errors through.

Neither page may show an exception's text unless ``settings.DEBUG`` is on: it names files,
URLs and settings a visitor has no business reading. The log has it either way.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
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
#: Under DEBUG, the outage's text, for the 503 page (``templates/datocms/unavailable.html``).
OUTAGE_DETAIL_ATTRIBUTE = "demo_outage_detail"


class ContentUnavailableMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, ConfigurationError | CDAError):
            return None
        if isinstance(exception, OUTAGES):
            if settings.DEBUG:
                setattr(request, OUTAGE_DETAIL_ATTRIBUTE, str(exception))
            return None
        logger.error("The demo cannot read its content for %s: %s", request.path, exception)
        problem = str(exception) if settings.DEBUG else None
        response = render(request, "setup.html", {"problem": problem}, status=503)
        response["Cache-Control"] = "no-store"
        return response
