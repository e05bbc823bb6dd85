"""Live updates: a page refreshes itself when the content it was built from changes.

While a page renders, the draft-mode middleware records its queries (``recording``).
``{% datocms_live_updates %}`` (``render_live_updates``), at the end of ``<body>``, embeds
them as a *description*: the distinct queries (document, variables, environment, drafts,
strict mode), signed with Django's ``TimestampSigner`` (``signing``). It holds no token: the
signature only proves that this site ran those queries. With it comes
``datocms/live-updates.js``, a small same-origin script: for each query it ``POST``s the
description and the query's number to ``POST /datocms/live-updates/``
(``datocms:live-updates``, ``live_updates_view``), which registers a channel with the
Real-time Updates API server-side (``listen``) and answers its URL; the script opens it with
``EventSource``. The first ``update`` of a channel is the current result, not a change; a
later one refreshes the page: a reload, or with ``mode="swap"`` the elements marked
``data-datocms-live`` replaced by those of a fresh copy of the page.

Who gets them: ``DATOCMS["LIVE_UPDATES"]`` is ``"draft"`` (editors in draft mode, the
default), ``"always"`` (every visitor: one channel per query per open page, and DatoCMS allows
500 per project) or ``"off"``.

Descriptions with drafts are valid for ``LIVE_UPDATES_MAX_AGE`` seconds, and only for a
browser in draft mode. Those without drafts name published queries this site ran for a public
page, which anyone can run again by loading that page, and never expire: such a page may be
served from the page cache or a CDN long after it was rendered.

The endpoint answers 200 ``{"url": ...}``; 400 for a body that is not the script's or a
description this site did not sign; 403 for a draft description from a browser not in draft
mode, or a cross-site request; 404 when live updates are off; 405 for other methods; 410 for
an expired description (the script reloads the page once, for a fresh one); 413 for a body
over ``MAX_BODY_BYTES``; 415 for a body that is not ``application/json``; 502 when the
Real-time Updates API refused the registration; 503 when it could not be reached (the script
retries with backoff).

CSRF: the endpoint is exempt from Django's CSRF check, so that pages need no CSRF cookie (a
page that sets one is not stored by the page cache). It changes nothing on the server, and
cross-site callers are refused by what browsers send: ``application/json`` cannot be sent
cross-site without a CORS preflight, which this endpoint never grants; a ``Sec-Fetch-Site``
other than ``same-origin`` and an ``Origin`` other than the site's own are refused (403).

This module must never put a token in a page or a description, nor register a query that no
description signed by this site names.
"""

from __future__ import annotations

import hashlib
import json
import logging
from typing import Any, Final

from django.core import signing
from django.http import HttpRequest, JsonResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString
from django.views.decorators.csrf import csrf_exempt
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from datocms_app.caching.page_cache import is_draft_request
from datocms_app.conf import DatoCMSSettings, get_settings
from datocms_app.exceptions import (
    ExpiredDescription,
    InvalidArgument,
    InvalidDescription,
    ListenError,
    PreviewPayloadError,
)
from datocms_app.json_answers import json_answer, json_refusal, method_not_allowed, read_body
from datocms_app.preview.listen import get_listeners, register_channel
from datocms_app.preview.recording import RecordedQuery, current_recorder
from datocms_app.preview.responses import unless_refused
from datocms_app.preview.signing import sign_description, unsign_description
from datocms_app.validation_errors import describe_validation_error

__all__ = [
    "DESCRIPTION_VERSION",
    "MAX_BODY_BYTES",
    "MODES",
    "PUBLIC_REFRESH_DELAY_MS",
    "describe_queries",
    "live_updates_apply",
    "live_updates_view",
    "read_description",
    "render_live_updates",
]

logger = logging.getLogger("datocms_app.preview")

#: How a page refreshes: reload it, or swap its ``data-datocms-live`` elements.
MODES: Final = ("reload", "swap")
#: The version of the description's format.
DESCRIPTION_VERSION: Final = 1
#: Bodies above this size are refused with 413 (a description is a few kilobytes).
MAX_BODY_BYTES: Final = 256 * 1024
#: Public pages wait this long after an update before refreshing: the same change reaches the
#: cache-tags webhook, which must invalidate the cached page first.
PUBLIC_REFRESH_DELAY_MS: Final = 1000


def live_updates_apply(request: HttpRequest, conf: DatoCMSSettings) -> bool:
    """Whether pages answered to ``request`` follow live updates (``LIVE_UPDATES``)."""
    if conf.LIVE_UPDATES == "always":
        return True
    return conf.LIVE_UPDATES == "draft" and is_draft_request(request)


def describe_queries(queries: tuple[RecordedQuery, ...]) -> str:
    """The signed description of ``queries`` (see the module docstring)."""
    return sign_description(
        {"v": DESCRIPTION_VERSION, "queries": [query.to_json() for query in queries]}
    )


def read_description(signed: str, conf: DatoCMSSettings) -> tuple[RecordedQuery, ...]:
    """The queries of a description; ``InvalidDescription`` when this site did not sign it,
    ``ExpiredDescription`` when it has drafts and is older than ``LIVE_UPDATES_MAX_AGE``."""
    try:
        payload = unsign_description(signed)
    except signing.BadSignature as exc:
        raise InvalidDescription(
            "The description was not signed by this site (or was changed since)."
        ) from exc
    if not isinstance(payload, dict) or payload.get("v") != DESCRIPTION_VERSION:
        raise InvalidDescription("The description is not in this site's format.")
    raw = payload.get("queries")
    if not isinstance(raw, list) or not raw:
        raise InvalidDescription("The description names no query.")
    queries = tuple(RecordedQuery.from_json(item) for item in raw)
    if any(query.include_drafts for query in queries):
        try:
            unsign_description(signed, max_age=conf.LIVE_UPDATES_MAX_AGE)
        except signing.SignatureExpired as exc:
            raise ExpiredDescription(
                f"The description is older than {conf.LIVE_UPDATES_MAX_AGE} s "
                "(DATOCMS['LIVE_UPDATES_MAX_AGE']): reload the page for a fresh one."
            ) from exc
    return queries


def _digest(queries: tuple[RecordedQuery, ...]) -> str:
    """The same short text for the same query set (the script opens its channels once)."""
    keys = "\n".join(query.key() for query in queries)
    return hashlib.sha256(keys.encode()).hexdigest()[:16]


def render_live_updates(request: HttpRequest | None, *, mode: str = "reload") -> SafeString:
    """The script element that keeps the page live (``datocms/preview/live_updates.html``),
    or ``""`` when the request gets no live updates, ran no query, or there is no Real-time
    Updates API to register with (no token and no offline listen endpoint)."""
    if mode not in MODES:
        raise InvalidArgument(f"mode must be one of {MODES}, got {mode!r}.")
    if request is None:
        return SafeString("")
    conf = get_settings()
    recorder = current_recorder()
    if not live_updates_apply(request, conf) or recorder is None or not recorder.queries:
        return SafeString("")
    if get_listeners().published is None:
        return SafeString("")
    queries = recorder.queries
    context = {
        "endpoint": reverse("datocms:live-updates"),
        "description": describe_queries(queries),
        "channels": len(queries),
        "digest": _digest(queries),
        "mode": mode,
        "refresh_delay": 0 if is_draft_request(request) else PUBLIC_REFRESH_DELAY_MS,
    }
    return SafeString(render_to_string("datocms/preview/live_updates.html", context))


class LiveUpdatesRequest(BaseModel):
    """What the script sends: the page's description and the number of one of its queries."""

    model_config = ConfigDict(extra="forbid", strict=True)

    description: str = Field(min_length=1)
    channel: int = Field(ge=0)


def _parse(body: bytes) -> LiveUpdatesRequest:
    expected = 'Expected {"description": "<the page\'s description>", "channel": <number>}'
    try:
        data = json.loads(body)
    except (ValueError, RecursionError) as exc:
        raise PreviewPayloadError(f"{expected}: the body is not JSON.") from exc
    try:
        return LiveUpdatesRequest.model_validate(data)
    except ValidationError as exc:
        raise PreviewPayloadError(
            f"{expected}: {describe_validation_error(exc, root='body')}."
        ) from exc


def _cross_site(request: HttpRequest) -> bool:
    """Whether the browser says the request comes from another site or origin."""
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None and fetch_site != "same-origin":
        return True
    origin = request.headers.get("Origin")
    return origin is not None and origin != f"{request.scheme}://{request.get_host()}"


def _refusal(request: HttpRequest, conf: DatoCMSSettings) -> JsonResponse | None:
    """The answer to a request the endpoint does not serve, or None."""
    if request.method != "POST":
        return method_not_allowed("POST", "The live-updates endpoint takes the script's POST only.")
    if conf.LIVE_UPDATES == "off":
        return json_refusal(404, "live_updates_off", "Live updates are off on this site.")
    if _cross_site(request):
        return json_refusal(
            403, "cross_site", "The live-updates endpoint answers the site's own pages only."
        )
    if request.content_type != "application/json":
        return json_refusal(415, "unsupported_media_type", "Send the body as application/json.")
    return None


@csrf_exempt
@unless_refused(_refusal)
def live_updates_view(request: HttpRequest, conf: DatoCMSSettings) -> JsonResponse:
    """Register a Real-time Updates channel for one query of a page's description."""
    body = read_body(request, MAX_BODY_BYTES)
    if isinstance(body, JsonResponse):
        return body
    try:
        asked = _parse(body)
        queries = read_description(asked.description, conf)
    except ExpiredDescription as exc:
        return json_refusal(410, "expired_description", str(exc))
    except (PreviewPayloadError, InvalidDescription) as exc:
        return json_refusal(400, "invalid_body", str(exc))
    if asked.channel >= len(queries):
        return json_refusal(
            400, "invalid_body", f"The description has {len(queries)} queries, numbered from 0."
        )
    query = queries[asked.channel]
    if (query.include_drafts or conf.LIVE_UPDATES == "draft") and not is_draft_request(request):
        return json_refusal(
            403,
            "not_in_draft_mode",
            "This browser is not in draft mode (its cookie expired or was cleared): reload the "
            "page, or turn draft mode on again from DatoCMS.",
        )
    return _registered(query)


def _registered(query: RecordedQuery) -> JsonResponse:
    try:
        url = register_channel(query)
    except ListenError as exc:
        logger.warning("Live updates: no channel for a query: %s", exc)
        if exc.passing:
            return json_refusal(503, "listen_unavailable", str(exc))
        return json_refusal(502, "listen_refused", str(exc))
    answer: dict[str, Any] = {"url": url}
    return json_answer(200, answer)
