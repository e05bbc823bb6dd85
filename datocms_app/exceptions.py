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

    (the Content Management API: datocms_app.cma)
    DatoCMSError
     ├── CMAError                     a CMA call failed: every ``api_error`` of the answer (.errors,
     │    │                           .find_error(code, **details), .code, .status, .request_id)
     │    └── CMATransportError       no HTTP answer (connection refused or dropped, DNS, TLS)
     │         └── CMATimeout         the call's deadline ran out (retries, rate-limit waits and
     │                                the wait for an asynchronous job included; .job_id)
     ├── InvalidPayload               a create/update payload breaks the project's schema; nothing
     │                                was sent (.problems: every problem, also ValueError)
     └── PayloadProblem               one broken rule (.path, the JSON path; .rule; also ValueError)
          ├── UnknownItemType         ``item_type`` is no model or block model of the project
          ├── UnknownField            no such field in the model (.suggestions from difflib)
          ├── WrongFieldValue         a value not in its field type's format
          ├── UnknownLocale           a locale the project does not have
          ├── LocaleMismatch          localized fields with different locale sets
          ├── MissingLocales          a locale missing under ``all_locales_required``
          ├── BlockNotAllowed         a block model the field's validator does not list
          ├── LinkNotAllowed          a linked record of a model the field does not accept
          ├── BlocksTooDeep           blocks nested deeper than 5 levels
          └── TooManyBlocks           more than 500 blocks in one record

``CDAError`` and ``CMAError`` keep the exchange that failed alike (``.message``, ``.request``,
``.response``, ``.request_id``): both inherit it from ``_FailedExchange``, which is not meant
to be caught.

Optional apps draw their own branches under ``DatoCMSError`` in their own modules (the
emulator's is in ``datocms_app/emulator/exceptions.py``). Messages never contain the API
token: the client only ever puts it in the ``Authorization`` header, and scrubs it from any
part of an answer a message quotes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import httpx
from django.core.exceptions import ImproperlyConfigured

__all__ = [
    "APIError",
    "AuthenticationError",
    "BlockNotAllowed",
    "BlocksTooDeep",
    "CDAError",
    "CDNPurgeError",
    "CMAError",
    "CMAErrorEntity",
    "CMATimeout",
    "CMATransportError",
    "CacheStoreError",
    "CachingError",
    "ConfigurationError",
    "DatoCMSError",
    "ExpiredDescription",
    "GraphQLError",
    "InvalidArgument",
    "InvalidDescription",
    "InvalidMetaTags",
    "InvalidPayload",
    "InvalidRequestError",
    "InvalidResponsiveImage",
    "InvalidStructuredText",
    "InvalidVideo",
    "LinkNotAllowed",
    "ListenError",
    "LocaleMismatch",
    "MediaError",
    "MissingLocales",
    "PayloadProblem",
    "PermissionDenied",
    "PreviewError",
    "PreviewPayloadError",
    "RateLimitError",
    "RequestTimeout",
    "ResultValidationError",
    "ServiceUnavailable",
    "StructuredTextError",
    "StructuredTextRenderError",
    "TooManyBlocks",
    "TransportError",
    "UnknownField",
    "UnknownItemType",
    "UnknownLocale",
    "WebhookPayloadError",
    "WrongFieldValue",
]


class DatoCMSError(Exception):
    """Base class of every error raised by datocms_app."""


class ConfigurationError(DatoCMSError, ImproperlyConfigured):
    """``settings.DATOCMS`` (or an argument standing in for it) is wrong."""


class InvalidArgument(DatoCMSError, ValueError):
    """A public function got an argument it cannot use; the message says what it expects."""


class _FailedExchange(DatoCMSError):
    """An API call that failed: its message, last request and last response, if any.

    ``request``'s ``Authorization`` header is the only place the token lives; never log it.
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


class CDAError(_FailedExchange):
    """A Content Delivery API request failed.

    ``request`` is the last ``httpx.Request`` sent (its ``Authorization`` header is the only
    place the token lives; never log it); ``response`` the last response, if any.
    """


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


# -- the Content Management API (datocms_app.cma) --------------------------------------------


@dataclass(frozen=True, slots=True)
class CMAErrorEntity:
    """One ``api_error`` entity of a CMA error body (``{"data": [{"type": "api_error", ...}]}``).

    ``code`` is DatoCMS's code (``STALE_ITEM_VERSION``, ``INVALID_FIELD``...), ``details`` its
    ``details`` object, ``transient`` whether asking again later may succeed.
    """

    code: str
    details: Mapping[str, Any] = field(default_factory=dict)
    transient: bool = False
    id: str | None = None
    doc_url: str | None = None


class CMAError(_FailedExchange):
    """A Content Management API call failed.

    ``errors`` holds every ``api_error`` of the answer (empty when the answer was not
    DatoCMS's JSON); ``status`` is the HTTP status, or the job's status for an asynchronous
    job that failed. ``request`` is the last ``httpx.Request`` sent: its ``Authorization``
    header is the only place the token lives, never log it.
    """

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        errors: Sequence[CMAErrorEntity] = (),
        request: httpx.Request | None = None,
        response: httpx.Response | None = None,
        job_id: str | None = None,
    ) -> None:
        super().__init__(message, request=request, response=response)
        self.status = status
        self.errors: tuple[CMAErrorEntity, ...] = tuple(errors)
        self.job_id = job_id

    @property
    def code(self) -> str | None:
        """The first error's code (``HTTP_<status>`` for an answer that was not DatoCMS's)."""
        return self.errors[0].code if self.errors else None

    def find_error(self, code: str | Sequence[str], /, **details: Any) -> CMAErrorEntity | None:
        """The first error with this code (or one of these codes) whose ``details`` have
        these values, like the JS client's ``findError``; None if there is none::

            if exc.find_error("INVALID_FIELD", field="title"): ...
        """
        codes = (code,) if isinstance(code, str) else tuple(code)
        for error in self.errors:
            if error.code in codes and all(
                error.details.get(key) == value for key, value in details.items()
            ):
                return error
        return None


class CMATransportError(CMAError):
    """No HTTP answer from the CMA: connection refused or dropped, DNS, TLS, protocol errors."""


class CMATimeout(CMATransportError):
    """The call did not finish before its deadline (``CMA_TIMEOUT``), retries, rate-limit waits
    and the wait for an asynchronous job included. ``job_id`` names a job still running."""


class PayloadProblem(DatoCMSError, ValueError):
    """One rule of the project's schema that a payload breaks.

    ``path`` is the JSON path of the offending value in the payload (``$.sections[0].attributes
    .title``); ``rule`` names the rule (a validator's name such as ``rich_text_blocks``, or
    ``unknown_field``, ``value_format``, ``locales``, ``locale_sync``, ``all_locales_required``,
    ``item_type``, ``max_block_depth``, ``max_blocks``).
    """

    rule = "schema"

    def __init__(self, message: str, *, path: str, rule: str | None = None) -> None:
        super().__init__(f"{path}: {message}")
        self.message = message
        self.path = path
        if rule is not None:
            self.rule = rule


class UnknownItemType(PayloadProblem):
    """``item_type`` (or a block's) is no model or block model of the project."""

    rule = "item_type"


class UnknownField(PayloadProblem):
    """The model has no field with that API key; ``suggestions`` are close matches."""

    rule = "unknown_field"

    def __init__(self, message: str, *, path: str, suggestions: Sequence[str] = ()) -> None:
        super().__init__(message, path=path)
        self.suggestions = tuple(suggestions)


class WrongFieldValue(PayloadProblem):
    """A value that is not in the format its field type takes (seeds: "Field types")."""

    rule = "value_format"


class UnknownLocale(PayloadProblem):
    """A localized value names a locale the project (environment) does not have."""

    rule = "locales"


class LocaleMismatch(PayloadProblem):
    """Localized fields of one payload with different locale sets (the locale sync rule)."""

    rule = "locale_sync"


class MissingLocales(PayloadProblem):
    """The model requires every locale (``all_locales_required``) and a key is missing."""

    rule = "all_locales_required"


class BlockNotAllowed(PayloadProblem):
    """A block whose model the field's validator (``rich_text_blocks``,
    ``single_block_blocks``, ``structured_text_blocks``, ...) does not list."""


class LinkNotAllowed(PayloadProblem):
    """A linked record whose model the field's validator (``item_item_type``,
    ``items_item_type``, ``structured_text_links``) does not list."""


class BlocksTooDeep(PayloadProblem):
    """Blocks nested deeper than the CMA allows (5 levels)."""

    rule = "max_block_depth"


class TooManyBlocks(PayloadProblem):
    """More blocks in one record than the CMA allows (500)."""

    rule = "max_blocks"


class InvalidPayload(DatoCMSError, ValueError):
    """A create/update payload breaks the project's schema; nothing was sent.

    ``problems`` lists every problem found (each a ``PayloadProblem``); the message lists
    them all, one per line.
    """

    def __init__(self, message: str, *, problems: Sequence[PayloadProblem]) -> None:
        super().__init__(message)
        self.message = message
        self.problems = tuple(problems)


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
