"""What a Content Delivery API answer is: DatoCMS's JSON, DatoCMS's error, or someone else's.

The one place where a failed answer becomes an exception, and where it is decided whether
asking again may help. DatoCMS documents two bodies ("Error codes & handling failures
(CDA)"), both JSON: the GraphQL result (``data`` and/or ``errors``; HTTP 200 even for a failed
query) and the error body ``{"id", "type": "api_error", "attributes": {"code", "details"}}``.

An answer is DatoCMS's when its ``Content-Type`` is JSON (``application/json`` or
``application/*+json``) and its body is one of those shapes:

* a GraphQL result with HTTP 200: the data, or ``GraphQLError`` when ``errors`` is not empty;
* an error body, any status: its ``code`` picks the class (``ERROR_CLASSES``) and stays the
  exception's ``code``; an unknown code is ``ServiceUnavailable`` from a 5xx, else
  ``InvalidRequestError``. HTTP 429 is always ``RateLimitError``.

Anything else was written by something that is not DatoCMS's GraphQL server: an empty or
cut-off body, an HTML page, JSON of another shape, a wrong ``Content-Type``. It comes from a
proxy, load balancer, CDN or firewall between the site and DatoCMS, or from a server that is
not the CDA at all. The status says which, and the rule is:

* **2xx, 5xx, 403, 408, 425: an outage.** ``ServiceUnavailable``, code ``INVALID_RESPONSE``,
  retried like a 502. A 200 that does not parse was cut short or garbled on the way; 5xx
  pages are gateways' (a bare 500 too: DatoCMS's own errors carry its body); a 403 page is
  how WAFs and CDNs block by IP reputation, rate or bot score, a block that lifts by itself
  and that no setting of the site can fix; 408 and 425 mean "try again" by definition.
* **429: the rate limit**, ``RateLimitError`` with code ``HTTP_429``, as from DatoCMS.
* **3xx and every other 4xx: a configuration problem.** ``InvalidRequestError``, code
  ``HTTP_<status>``, not retried, because asking again gets the same answer: ``CDA_URL``
  redirects (httpx does not follow redirects), or what answers there is no GraphQL endpoint
  (a 404 or 405 page from a wrong ``CDA_URL``, a 401 or 407 from a proxy that wants
  credentials).

Retried answers (``is_passing``): 429, 502, 503, 504 whatever their body, and
``INVALID_RESPONSE``. Messages say what was received: status, content type, size and the
first bytes of the body.

This module must never put the API token in a message: the body is quoted only after the
token (from the request's ``Authorization`` header) is scrubbed from it.
"""

from __future__ import annotations

import json
from typing import Any, Final

import httpx

from datocms_app.conf import DEFAULT_CDA_URL
from datocms_app.exceptions import (
    APIError,
    AuthenticationError,
    GraphQLError,
    InvalidRequestError,
    PermissionDenied,
    RateLimitError,
    ServiceUnavailable,
)
from datocms_app.http_clients import public_url, quoted_beginning, rate_limit_reset

__all__ = [
    "ERROR_CLASSES",
    "INVALID_RESPONSE",
    "NOT_JSON",
    "RETRYABLE_STATUSES",
    "api_error",
    "graphql_error",
    "is_json_content_type",
    "is_passing",
    "read_json",
]

#: ``APIError.code`` of an outage answer that is not DatoCMS's (see the module docstring).
INVALID_RESPONSE: Final = "INVALID_RESPONSE"
#: Statuses worth another try whatever the body: the request never reached a healthy origin.
RETRYABLE_STATUSES = frozenset({429, 502, 503, 504})
#: Client-error statuses that, without DatoCMS's body, are an outage and not a setting.
PASSING_CLIENT_ERRORS = frozenset({403, 408, 425})
#: How much of a foreign body a message quotes.
QUOTED_CHARACTERS = 60

ERROR_CLASSES: dict[str, type[APIError]] = {
    "INVALID_AUTHORIZATION_HEADER": AuthenticationError,
    "INSUFFICIENT_PERMISSIONS": PermissionDenied,
    "INVALID_ENVIRONMENT": InvalidRequestError,
    "INVALID_JSON_BODY": InvalidRequestError,
    "INVALID_X_INCLUDE_DRAFTS_HEADER": InvalidRequestError,
    "INVALID_X_EXCLUDE_INVALID_HEADER": InvalidRequestError,
    "INVALID_X_VISUAL_EDITING_HEADER": InvalidRequestError,
    "INVALID_X_BASE_EDITING_URL_HEADER": InvalidRequestError,
    "ENVIRONMENT_NOT_READY": ServiceUnavailable,
    "SITE_NOT_READY": ServiceUnavailable,
    "DEACTIVATED_SITE": ServiceUnavailable,
}

_HINTS = {
    "INVALID_AUTHORIZATION_HEADER": (
        "Check DATOCMS['API_TOKEN']: it must be a token with Content Delivery API access "
        "(Settings > API tokens in your DatoCMS project)"
    ),
    "INSUFFICIENT_PERMISSIONS": "Give the token's role access to this environment",
    "INVALID_ENVIRONMENT": "Check DATOCMS['ENVIRONMENT'] or the environment= option",
    "INVALID_X_INCLUDE_DRAFTS_HEADER": "X-Include-Drafts can only be 'true' or absent",
    "INVALID_X_EXCLUDE_INVALID_HEADER": "X-Exclude-Invalid can only be 'true' or absent",
}


class _NotJSON:
    """The type of ``NOT_JSON`` (a body that is no JSON value at all, unlike ``null``)."""

    def __repr__(self) -> str:
        return "NOT_JSON"


#: What ``read_json`` returns for a body that is not JSON or is not labelled as JSON.
NOT_JSON: Final = _NotJSON()


# -- reading ---------------------------------------------------------------------------------


#: DatoCMS's own ``Content-Type``, raw as httpx keeps it.
JSON_UTF8: Final = b"application/json; charset=utf-8"


def is_json_content_type(content_type: str | bytes | None) -> bool:
    """Whether a ``Content-Type`` value is JSON: ``application/json`` or ``application/*+json``."""
    if content_type == b"application/json" or content_type == JSON_UTF8:
        return True  # what DatoCMS sends: decided without parsing
    if not content_type:
        return False
    if isinstance(content_type, bytes):
        content_type = content_type.decode("latin-1")
    mime = content_type.partition(";")[0].strip().lower()
    return mime == "application/json" or (
        mime.startswith("application/") and mime.endswith("+json")
    )


def read_json(content: bytes, content_type: str | bytes | None) -> Any:
    """The JSON value of a body labelled as JSON, or ``NOT_JSON``."""
    if not is_json_content_type(content_type):
        return NOT_JSON
    try:
        return json.loads(content)
    except ValueError:  # empty, cut short, garbled, or not UTF-8
        return NOT_JSON


# -- judging -----------------------------------------------------------------------------------


def is_passing(error: APIError) -> bool:
    """Whether asking again soon may get a better answer (the retry policy's question)."""
    return error.status in RETRYABLE_STATUSES or error.code == INVALID_RESPONSE


def graphql_error(
    errors: Any, data: Any, request: httpx.Request, response: httpx.Response
) -> GraphQLError:
    listed = [e if isinstance(e, dict) else {"message": str(e)} for e in errors]
    first = listed[0]
    where = ""
    if first.get("path"):
        where = " at " + ".".join(str(part) for part in first["path"])
    more = f" (and {len(listed) - 1} more)" if len(listed) > 1 else ""
    message = f"GraphQL error{where}: {first.get('message', 'unknown error')}{more}"
    return GraphQLError(message, errors=listed, data=data, request=request, response=response)


def api_error(body: Any, request: httpx.Request, response: httpx.Response) -> APIError:
    """The exception for an answer that is not a GraphQL result; ``body`` from ``read_json``."""
    status = response.status_code
    found = _error_object(body)
    if status == 429:
        code = found["code"] if found is not None else f"HTTP_{status}"
        return RateLimitError(
            f"DatoCMS rate limit hit (HTTP 429{', ' + code if found else ''}); "
            "40 requests/s and 1,000/min per token apply to uncached queries.",
            retry_after=rate_limit_reset(response),
            code=code,
            status=status,
            details=_details(found),
            request=request,
            response=response,
        )
    if found is None:
        return _foreign_answer_error(body, request, response)
    code = found["code"]
    details = _details(found)
    cls = ERROR_CLASSES.get(code)
    if cls is None:
        cls = ServiceUnavailable if status >= 500 else InvalidRequestError
    message = f"DatoCMS answered HTTP {status} {code}"
    if details.get("message"):
        message += f": {details['message']}"
    if code in _HINTS:
        message += f". {_HINTS[code]}"
    return cls(
        message,
        code=code,
        status=status,
        details=details,
        request=request,
        response=response,
    )


def _error_object(body: Any) -> dict[str, Any] | None:
    """Find ``{"code", "details"}`` in the shapes DatoCMS uses for API errors."""
    if isinstance(body, dict) and "data" in body and not isinstance(body["data"], str | None):
        body = body["data"]
    if isinstance(body, list):
        body = body[0] if body else None
    if not isinstance(body, dict):
        return None
    attributes = body.get("attributes", body)
    if isinstance(attributes, dict) and isinstance(attributes.get("code"), str):
        return attributes
    return None


def _details(found: dict[str, Any] | None) -> dict[str, Any]:
    details = found.get("details") if found is not None else None
    return details if isinstance(details, dict) else {}


def _foreign_answer_error(body: Any, request: httpx.Request, response: httpx.Response) -> APIError:
    """An answer DatoCMS did not write: an outage or a configuration problem, by status."""
    status = response.status_code
    received = f"{public_url(request.url)} answered HTTP {status} with {_received(body, response)}"
    if 200 <= status < 300 or status >= 500 or status in PASSING_CLIENT_ERRORS:
        return ServiceUnavailable(
            f"{received}, not DatoCMS's JSON: a proxy, load balancer, CDN or firewall between "
            "this site and DatoCMS, or the network, is failing. Treated as an outage: retried "
            "within DATOCMS['MAX_RETRIES'] and DATOCMS['TIMEOUT'].",
            code=INVALID_RESPONSE,
            status=status,
            request=request,
            response=response,
        )
    location = response.headers.get("location")
    if 300 <= status < 400 and location:
        why = f"it redirects to {public_url(request.url.join(location))}"
    else:
        why = "what answers there is not DatoCMS's Content Delivery API"
    return InvalidRequestError(
        f"{received}, not DatoCMS's JSON: {why}. Check DATOCMS['CDA_URL'] (DatoCMS's is "
        f"{DEFAULT_CDA_URL!r}) and any proxy in between.",
        code=f"HTTP_{status}",
        status=status,
        request=request,
        response=response,
    )


def _received(body: Any, response: httpx.Response) -> str:
    """What came back, for a message: content type, size and the first bytes, token scrubbed."""
    content = response.content
    if not content:
        return "an empty body"
    content_type = response.headers.get("content-type")
    if not is_json_content_type(content_type):
        what = f"Content-Type {content_type}" if content_type else "no Content-Type"
    elif body is NOT_JSON:
        what = f"{content_type} that is not valid JSON, cut short or garbled"
    else:
        what = f"{content_type} that is neither a GraphQL result nor DatoCMS's error body"
    size = f"{len(content):,} byte{'' if len(content) == 1 else 's'}"
    text = quoted_beginning(content, response.request, QUOTED_CHARACTERS)
    return f"{what} ({size}, beginning {text!r})"
