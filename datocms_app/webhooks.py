"""The cache-tags webhook: ``POST /datocms/webhooks/cache-tags/`` (``datocms:cache-tags-webhook``).

In DatoCMS, create a webhook for the *Content Delivery API Cache Tags > Invalidate* event
pointing here, with HTTP Basic credentials (``WEBHOOK_USERNAME``/``WEBHOOK_PASSWORD``) and/or
a custom header (``WEBHOOK_SECRET_HEADER: WEBHOOK_SECRET``), and turn on automatic retries.

The view answers, in this order: 405 to anything but ``POST``; 401 to wrong credentials
(checked in constant time); 415 to a body that is not ``application/json`` in UTF-8 (what
DatoCMS sends; ``+json`` types name other formats and are refused too); 413 to a body over
``MAX_BODY_BYTES`` (before reading it); 400 to a body that is not UTF-8, nests arrays and
objects deeper than ``MAX_NESTING`` (checked on the bytes, before parsing), is not JSON, or
is not a valid webhook envelope (pydantic; a cache tag must pass ``is_cache_tag``, the rule
``invalidate_tags`` applies). A valid call invalidates its tags (``invalidate_tags``: cache
store, then CDN) and is answered 200 with how many tags it invalidated, once the new tag
versions are durable and the CDN accepted the purge; an empty list of tags changes nothing.
503 means the store or the CDN failed, and DatoCMS's retry delivers the call again
(invalidating twice is harmless, so is a repeated ``webhook_call_id``). Other DatoCMS events
are accepted with 200 and only sent through ``datocms_app.signals.webhook_received``.

This module must never change anything for a request it answers 4xx, answer 5xx to a body
it was sent, answer 2xx before the invalidation is durable, or echo a secret.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import itertools
import json
import logging
import re
from typing import Annotated, Any, Final

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from pydantic import BaseModel, ConfigDict, Field, PlainValidator, ValidationError

from datocms_app.caching.invalidation import check_cache_tag, invalidate_tags
from datocms_app.conf import DatoCMSSettings, get_settings
from datocms_app.exceptions import CacheStoreError, CDNPurgeError, WebhookPayloadError
from datocms_app.json_answers import json_answer, json_refusal, method_not_allowed, read_body
from datocms_app.signals import webhook_received
from datocms_app.validation_errors import describe_validation_error

__all__ = [
    "MAX_BODY_BYTES",
    "MAX_NESTING",
    "CacheTagsPayload",
    "WebhookPayload",
    "cache_tags_webhook",
    "parse_payload",
]

logger = logging.getLogger("datocms_app.webhooks")

#: Bodies above this size are refused with 413 (DatoCMS's payloads are far smaller).
MAX_BODY_BYTES: Final = 1024 * 1024
#: Deepest nesting of arrays and objects accepted (400 beyond): a cache-tags call nests 4
#: levels; record events carry field values, structured text included, so leave room.
MAX_NESTING: Final = 64
#: The media type DatoCMS sends its webhook calls with.
JSON_MEDIA_TYPE: Final = "application/json"
_UTF8_NAMES: Final = frozenset({"utf-8", "utf8"})

# A JSON string from its opening quote to its closing one, or to the end of the body if it
# is never closed: a match cannot fail once started, so removing strings is one linear pass.
_JSON_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*(?:"|\\?\Z)', re.DOTALL)
_NOT_A_BRACKET = bytes(sorted(set(range(256)) - set(b"[]{}")))
# Opening brackets become +1 and closing ones -1 (0xFF as a signed byte).
_DEPTH_STEPS = bytes.maketrans(b"[{]}", b"\x01\x01\xff\xff")

CacheTag = Annotated[str, PlainValidator(check_cache_tag)]


class WebhookPayload(BaseModel):
    """The envelope of every DatoCMS webhook call (extra fields are kept, not checked)."""

    model_config = ConfigDict(extra="allow")

    entity_type: str
    event_type: str
    webhook_call_id: str | int | None = None
    entity: dict[str, Any] | None = None


class _CacheTagsAttributes(BaseModel):
    tags: list[CacheTag] = Field(max_length=100_000)


class _CacheTagsEntity(BaseModel):
    attributes: _CacheTagsAttributes


class CacheTagsPayload(WebhookPayload):
    """A ``cda_cache_tags`` / ``invalidate`` call: ``entity.attributes.tags`` is required."""

    entity: _CacheTagsEntity  # type: ignore[assignment]

    @property
    def tags(self) -> list[str]:
        return self.entity.attributes.tags


def _nesting_depth(body: bytes) -> int:
    """How deep arrays and objects nest in the JSON ``body`` (brackets in strings do not
    count), found without parsing it: one pass over the bytes, whatever they are. As deep
    as ``json.loads`` would recurse before it stops at the first error."""
    steps = _JSON_STRING.sub(b"", body).translate(_DEPTH_STEPS, _NOT_A_BRACKET)
    return max(itertools.accumulate(memoryview(steps).cast("b")), default=0)


def _load_json(body: bytes) -> dict[str, Any]:
    """The JSON object in ``body``, checked for encoding and depth before it is parsed."""
    if not isinstance(body, bytes):
        raise WebhookPayloadError(f"A body is bytes, got {type(body).__name__}.")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise WebhookPayloadError(
            f"The body is not UTF-8 (byte {exc.start} is not valid); send JSON in UTF-8."
        ) from exc
    depth = _nesting_depth(body)
    if depth > MAX_NESTING:
        raise WebhookPayloadError(
            f"The body nests arrays and objects {depth} levels deep; this endpoint accepts "
            f"at most {MAX_NESTING}."
        )
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise WebhookPayloadError(f"The body is not JSON: {exc}.") from exc
    if not isinstance(data, dict):
        raise WebhookPayloadError(
            f"The body must be a JSON object (DatoCMS's webhook envelope), got "
            f"{type(data).__name__}."
        )
    return data


def parse_payload(body: bytes) -> WebhookPayload:
    """Parse and validate a webhook body; raise ``WebhookPayloadError`` saying what is wrong.

    A cache-tags invalidation comes back as ``CacheTagsPayload`` (with ``.tags``).
    """
    return _validate(_load_json(body))


def _validate(data: dict[str, Any]) -> WebhookPayload:
    try:
        envelope = WebhookPayload.model_validate(data)
        if (envelope.entity_type, envelope.event_type) == ("cda_cache_tags", "invalidate"):
            return CacheTagsPayload.model_validate(data)
    except ValidationError as exc:
        raise WebhookPayloadError(
            f"Invalid webhook payload: {describe_validation_error(exc, root='body')}."
        ) from exc
    return envelope


def _same(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode(), expected.encode())


def _authenticated(request: HttpRequest, conf: DatoCMSSettings) -> bool:
    verdict = True
    if conf.WEBHOOK_USERNAME or conf.WEBHOOK_PASSWORD:
        username = password = ""
        scheme, _, encoded = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
        if scheme.lower() == "basic":
            try:
                decoded = base64.b64decode(encoded.strip(), validate=True).decode()
            except (binascii.Error, UnicodeDecodeError):
                decoded = ""
            username, _, password = decoded.partition(":")
        # Both comparisons always run: the time taken says nothing about which one failed.
        user_ok = _same(username, conf.WEBHOOK_USERNAME)
        password_ok = _same(password, conf.WEBHOOK_PASSWORD)
        verdict = verdict and user_ok and password_ok
    if conf.WEBHOOK_SECRET:
        given = request.headers.get(conf.WEBHOOK_SECRET_HEADER, "")
        verdict = _same(given, conf.WEBHOOK_SECRET) and verdict
    return verdict


def _unsupported_media_type(request: HttpRequest) -> str:
    """Why the body's declared type is not DatoCMS's JSON ("" when it is)."""
    declared = request.META.get("CONTENT_TYPE", "")
    if request.content_type != JSON_MEDIA_TYPE:
        shown = repr(declared[:100]) if declared else "no Content-Type"
        return (
            f"The body must be sent as Content-Type: {JSON_MEDIA_TYPE}, as DatoCMS sends its "
            f"webhook calls; got {shown}."
        )
    charset = (request.content_params or {}).get("charset")
    if charset is not None and charset.strip().lower() not in _UTF8_NAMES:
        return f"The body must be JSON in UTF-8 (charset=utf-8 or none); got {charset[:40]!r}."
    return ""


_warned_open = False


def _warn_open_once() -> None:
    global _warned_open
    if not _warned_open:
        _warned_open = True
        logger.warning(
            "The cache-tags webhook accepts unauthenticated calls: set "
            "DATOCMS['WEBHOOK_SECRET'] or WEBHOOK_USERNAME/WEBHOOK_PASSWORD (check datocms.W060)."
        )


@csrf_exempt
def cache_tags_webhook(request: HttpRequest) -> JsonResponse:
    """Receive DatoCMS's webhook calls; invalidate ``cda_cache_tags`` / ``invalidate`` ones."""
    if request.method != "POST":
        return method_not_allowed("POST", "This endpoint takes DatoCMS's webhook calls: POST only.")
    conf = get_settings()
    if conf.WEBHOOK_USERNAME or conf.WEBHOOK_PASSWORD or conf.WEBHOOK_SECRET:
        if not _authenticated(request, conf):
            response = json_refusal(
                401,
                "unauthorized",
                "Missing or wrong webhook credentials: configure the same HTTP Basic "
                "credentials and/or secret header in the DatoCMS webhook as in "
                "settings.DATOCMS.",
            )
            if conf.WEBHOOK_USERNAME or conf.WEBHOOK_PASSWORD:
                response.headers["WWW-Authenticate"] = 'Basic realm="datocms-webhook"'
            return response
    elif not settings.DEBUG:
        _warn_open_once()

    unsupported = _unsupported_media_type(request)
    if unsupported:
        response = json_refusal(415, "unsupported_media_type", unsupported)
        response.headers["Accept-Post"] = JSON_MEDIA_TYPE
        return response
    body = read_body(request, MAX_BODY_BYTES)
    if isinstance(body, JsonResponse):
        return body
    try:
        data = _load_json(body)
        payload = _validate(data)
    except WebhookPayloadError as exc:
        return json_refusal(400, "invalid_payload", str(exc))

    invalidated = purged = 0
    if isinstance(payload, CacheTagsPayload):
        try:
            result = invalidate_tags(payload.tags, sender=cache_tags_webhook)
        except CacheStoreError as exc:
            logger.error("Cache-tags webhook %s: %s", payload.webhook_call_id, exc)
            return json_refusal(
                503,
                "cache_unavailable",
                "The cache store failed; nothing is invalidated yet. DatoCMS will retry.",
            )
        except CDNPurgeError as exc:
            logger.error("Cache-tags webhook %s: %s", payload.webhook_call_id, exc)
            return json_refusal(
                503,
                "cdn_purge_failed",
                "The origin cache is invalidated but the CDN purge failed "
                f"({exc.backend}); DatoCMS will retry.",
            )
        invalidated, purged = len(result.tags), result.purged
    webhook_received.send(
        sender=cache_tags_webhook,
        payload=data,
        entity_type=payload.entity_type,
        event_type=payload.event_type,
    )
    return json_answer(
        200,
        {
            "ok": True,
            "entity_type": payload.entity_type,
            "event_type": payload.event_type,
            "webhook_call_id": payload.webhook_call_id,
            "invalidated": invalidated,
            "purged": purged,
        },
    )
