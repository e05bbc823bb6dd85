"""Every error datocms_app raises, in one tree.

::

    DatoCMSError
     ├── ConfigurationError           (also django.core.exceptions.ImproperlyConfigured)
     ├── InvalidArgument              a public function was called wrongly (also ValueError)
     └── CDAError                     anything that went wrong talking to the Content Delivery API
          ├── TransportError          the request never got an HTTP answer (network, DNS, TLS)
          │    └── RequestTimeout     ... because the deadline ran out
          ├── APIError                an HTTP error with DatoCMS's JSON error body (.code, .status)
          │    ├── AuthenticationError    401 INVALID_AUTHORIZATION_HEADER
          │    ├── PermissionDenied       INSUFFICIENT_PERMISSIONS
          │    ├── InvalidRequestError    INVALID_JSON_BODY, INVALID_ENVIRONMENT, INVALID_X_*;
          │    │                          HTTP_<status>: CDA_URL redirects or is not the CDA
          │    ├── RateLimitError         429 (.retry_after)
          │    └── ServiceUnavailable 5xx, ENVIRONMENT_NOT_READY, SITE_NOT_READY, DEACTIVATED_SITE;
          │                               INVALID_RESPONSE: not DatoCMS's JSON (cut short, HTML
          │                               from a proxy...), an outage (datocms_app.cda.answers)
          ├── GraphQLError            HTTP 200 with an ``errors`` array (.errors)
          └── ResultValidationError   the data did not fit the pydantic ``model=`` asked for

    (images, video and SEO: datocms_app.images, datocms_app.seo; all also ValueError)
    DatoCMSError
     ├── MediaError                   an image or video object cannot be rendered
     │    ├── InvalidResponsiveImage  a ``responsiveImage`` without ``src``/``width``, bad values
     │    └── InvalidVideo            a ``video`` object without any playable URL, bad values
     └── InvalidMetaTags              an ``_seoMetaTags``/``faviconMetaTags`` list is malformed

    (structured text: datocms_app.structured_text)
    DatoCMSError
     └── StructuredTextError          a structured text value cannot be read or rendered
          ├── InvalidStructuredText   not a field value/document/node, or breaks a ``dast`` rule
          │                           (.path, the JSON path of the offending node; also ValueError)
          └── StructuredTextRenderError   a node cannot be rendered: unknown type or mark, missing
                                      record or template (.node, .path, .templates_tried);
                                      raised under DEBUG only, logged otherwise

    (tag-based caching, the cache-tags webhook and CDN purges: datocms_app.caching, .webhooks)
    DatoCMSError
     ├── CachingError                 tag-based caching could not do what was asked
     │    ├── CacheStoreError         the Django cache store failed: an invalidation is not durable
     │    └── CDNPurgeError           a CDN refused or failed a purge (.backend, .response)
     └── WebhookPayloadError          a webhook body is not what DatoCMS sends (also ValueError)

    (draft mode, the Web Previews plugin and live updates: datocms_app.preview)
    DatoCMSError
     └── PreviewError                 a preview request cannot be served
          ├── PreviewPayloadError     a preview-links or live-updates body is malformed (also
          │                           ValueError): the message names the field
          ├── InvalidDescription      a live-updates description this site did not sign, or
          │    │                      one naming a channel it does not have (also ValueError)
          │    └── ExpiredDescription     ... signed longer ago than LIVE_UPDATES_MAX_AGE
          └── ListenError             the Real-time Updates API gave no channel (.passing: a
                                      later try may work; .status, DatoCMS's .code)

Optional apps draw their own branches under ``DatoCMSError`` in their own modules (the
emulator's is in ``datocms_app/emulator/exceptions.py``). Messages never contain the API
token: the client only ever puts it in the ``Authorization`` header, and scrubs it from any
part of an answer a message quotes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import httpx
from django.core.exceptions import ImproperlyConfigured

__all__ = [
    "APIError",
    "AuthenticationError",
    "CDAError",
    "CDNPurgeError",
    "CacheStoreError",
    "CachingError",
    "ConfigurationError",
    "DatoCMSError",
    "ExpiredDescription",
    "GraphQLError",
    "InvalidArgument",
    "InvalidDescription",
    "InvalidMetaTags",
    "InvalidRequestError",
    "InvalidResponsiveImage",
    "InvalidStructuredText",
    "InvalidVideo",
    "ListenError",
    "MediaError",
    "PermissionDenied",
    "PreviewError",
    "PreviewPayloadError",
    "RateLimitError",
    "RequestTimeout",
    "ResultValidationError",
    "ServiceUnavailable",
    "StructuredTextError",
    "StructuredTextRenderError",
    "TransportError",
    "WebhookPayloadError",
]


class DatoCMSError(Exception):
    """Base class of every error raised by datocms_app."""


class ConfigurationError(DatoCMSError, ImproperlyConfigured):
    """``settings.DATOCMS`` (or an argument standing in for it) is wrong."""


class InvalidArgument(DatoCMSError, ValueError):
    """A public function got an argument it cannot use; the message says what it expects."""


class CDAError(DatoCMSError):
    """A Content Delivery API request failed.

    ``request`` is the last ``httpx.Request`` sent (its ``Authorization`` header is the only
    place the token lives; never log it); ``response`` the last response, if any.
    """

    def __init__(
        self,
        message: str,
        *,
        request: httpx.Request | None = None,
        response: httpx.Response | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.request = request
        self.response = response

    @property
    def request_id(self) -> str | None:
        """DatoCMS's ``x-request-id`` of the failed response (quote it to their support)."""
        if self.response is None:
            return None
        request_id: str | None = self.response.headers.get("x-request-id")
        return request_id

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r})"


class TransportError(CDAError):
    """No HTTP response: connection refused or dropped, DNS, TLS, protocol errors."""


class RequestTimeout(TransportError):
    """The request (including its retries) did not finish before the deadline."""


class APIError(CDAError):
    """DatoCMS answered with an HTTP error and (usually) its JSON error body.

    ``code`` is the machine-readable code (``INVALID_AUTHORIZATION_HEADER``...); when the
    answer was not DatoCMS's JSON, ``INVALID_RESPONSE`` for an outage or ``HTTP_<status>``
    otherwise (``datocms_app.cda.answers`` says which). ``details`` is DatoCMS's ``details``
    object, empty for an answer that was not DatoCMS's.
    """

    def __init__(
        self,
        message: str,
        *,
        code: str,
        status: int,
        details: Mapping[str, Any] | None = None,
        request: httpx.Request | None = None,
        response: httpx.Response | None = None,
    ) -> None:
        super().__init__(message, request=request, response=response)
        self.code = code
        self.status = status
        self.details: dict[str, Any] = dict(details or {})


class AuthenticationError(APIError):
    """The token is missing, malformed, revoked, or lacks Content Delivery API access."""


class PermissionDenied(APIError):
    """The token is valid but its role cannot read the requested environment."""


class InvalidRequestError(APIError):
    """The request itself was rejected: body, environment or an ``X-`` header."""


class RateLimitError(APIError):
    """429: over 40 requests/s or 1,000/min for this token. ``retry_after`` in seconds."""

    def __init__(self, message: str, *, retry_after: float | None = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


class ServiceUnavailable(APIError):
    """DatoCMS could not serve the request now (5xx, site or environment not ready), or
    something between the site and DatoCMS answered in its place (``INVALID_RESPONSE``)."""


class GraphQLError(CDAError):
    """The query reached DatoCMS but failed: HTTP 200 with an ``errors`` array.

    ``errors`` is the list as sent (each with ``message``, ``locations``, ``path``,
    ``extensions``); ``data`` any partial data that came with it.
    """

    def __init__(
        self,
        message: str,
        *,
        errors: Sequence[Mapping[str, Any]],
        data: Any = None,
        request: httpx.Request | None = None,
        response: httpx.Response | None = None,
    ) -> None:
        super().__init__(message, request=request, response=response)
        self.errors: list[dict[str, Any]] = [dict(error) for error in errors]
        self.data = data


class ResultValidationError(CDAError):
    """The response's ``data`` did not validate against the pydantic model asked for."""


class MediaError(DatoCMSError, ValueError):
    """An image or video object from the CDA cannot be rendered (``datocms_app.images``)."""


class InvalidResponsiveImage(MediaError):
    """A ``responsiveImage`` lacks ``src`` or ``width``, or has values of the wrong type."""


class InvalidVideo(MediaError):
    """A ``video`` object has no playable URL, or has values of the wrong type."""


class InvalidMetaTags(DatoCMSError, ValueError):
    """An ``_seoMetaTags`` / ``faviconMetaTags`` list is malformed (``datocms_app.seo``)."""


# -- structured text (datocms_app.structured_text) -------------------------------------------


class StructuredTextError(DatoCMSError):
    """A structured text value cannot be read or rendered (``datocms_app.structured_text``)."""


class InvalidStructuredText(StructuredTextError, ValueError):
    """The value is not structured text, or breaks a ``dast`` rule.

    ``path`` is the JSON path of the offending node or attribute (``$.document.children[2]``);
    ``node`` the offending node when there is one.
    """

    def __init__(self, message: str, *, path: str = "$", node: object = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.node = node


class StructuredTextRenderError(StructuredTextError):
    """A node cannot be rendered: unknown node type or mark, a record missing from
    ``blocks``/``links``/``inlineBlocks``, no template or renderer for a record.

    Raised under ``DEBUG`` only; in production the renderer logs the same message and renders
    a safe fallback instead. ``templates_tried`` lists the template names looked up, if any.
    """

    def __init__(
        self,
        message: str,
        *,
        path: str = "$",
        node: object = None,
        templates_tried: Sequence[str] = (),
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.node = node
        self.templates_tried = tuple(templates_tried)


# -- caching, webhook and CDN (datocms_app.caching, datocms_app.webhooks) ---------------------


class CachingError(DatoCMSError):
    """Tag-based caching could not do what was asked (``datocms_app.caching``)."""


class CacheStoreError(CachingError):
    """The Django cache store raised: an invalidation could not be made durable.

    The webhook answers 503 when it sees this, so that DatoCMS delivers the invalidation again.
    """


class CDNPurgeError(CachingError):
    """A CDN purge failed. ``backend`` names the backend class; ``response`` is the CDN's last
    ``httpx.Response``, or None when it never answered."""

    def __init__(
        self, message: str, *, backend: str, response: httpx.Response | None = None
    ) -> None:
        super().__init__(message)
        self.backend = backend
        self.response = response


class WebhookPayloadError(DatoCMSError, ValueError):
    """A webhook body that is not JSON, or not shaped like DatoCMS's payload.

    The message names the offending field, e.g. ``entity.attributes.tags: Input should be a
    valid list``.
    """


# -- draft mode, preview links, live updates (datocms_app.preview) ----------------------------


class PreviewError(DatoCMSError):
    """A draft-mode, preview-links or live-updates request cannot be served."""


class PreviewPayloadError(PreviewError, ValueError):
    """A body that is not what the Web Previews plugin or the live-updates script sends.

    The message names the offending field, e.g. ``item.meta.status: Field required``.
    """


class InvalidDescription(PreviewError, ValueError):
    """A live-updates description this site did not sign (or altered since), or a channel
    number it does not hold."""


class ExpiredDescription(InvalidDescription):
    """A draft description signed longer ago than ``DATOCMS["LIVE_UPDATES_MAX_AGE"]``: the
    page is old, and a fresh copy carries a fresh description."""


class ListenError(PreviewError):
    """The Real-time Updates API gave no channel for a query.

    ``passing`` is True when a later try may work (network, timeout, 429, 5xx, an answer that
    is not the API's JSON) and False when it refused the query (a token without access, an
    invalid query: 4xx). ``status`` is its HTTP status (None without an answer), ``code``
    DatoCMS's error code when it sent one.
    """

    def __init__(
        self,
        message: str,
        *,
        passing: bool,
        status: int | None = None,
        code: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.passing = passing
        self.status = status
        self.code = code
