"""The emulated CMA's refusals: which HTTP status each error code has, and the body.

Every refusal is a ``CMARefused`` (``datocms_app.emulator.exceptions``) raised by a handler
and written here as DatoCMS writes it (Content Management API > Error codes & handling
failures)::

    {"data": [{"id": "ce9dcb", "type": "api_error",
               "attributes": {"code": "INVALID_FIELD",
                              "doc_url": "https://www.datocms.com/docs/...#INVALID_FIELD",
                              "details": {"field": "api_key",
                                          "code": "VALIDATION_UNIQUENESS", ...}}}]}

``transient`` appears only on errors worth retrying (``true``), as in DatoCMS's client types.
Details never hold a token.
"""

from __future__ import annotations

import secrets
from typing import Any

from datocms_app.emulator.exceptions import CMARefused

__all__ = ["DOC_URL", "STATUS_OF", "error_body", "refused"]

DOC_URL = "https://www.datocms.com/docs/content-management-api/errors#{code}"

#: HTTP status of each code whose status is not 422 (the CMA's answer to a refused request).
STATUS_OF: dict[str, int] = {
    "INVALID_AUTHORIZATION_HEADER": 401,
    "INSUFFICIENT_PERMISSIONS": 403,
    "NOT_FOUND": 404,
    "INVALID_ENDPOINT": 404,
    "RATE_LIMIT_EXCEEDED": 429,
    "EXCEPTION": 500,
}
#: Codes a client may retry as they are (``transient: true``).
TRANSIENT_CODES = frozenset({"RATE_LIMIT_EXCEEDED", "SERVICE_UNAVAILABLE"})


def refused(code: str, message: str, /, **details: Any) -> CMARefused:
    """The refusal ``code`` with its usual status (422 unless ``STATUS_OF`` says otherwise)."""
    return CMARefused(STATUS_OF.get(code, 422), code, message, **details)


def error_body(error: CMARefused) -> dict[str, Any]:
    """The JSON:API error document of a refusal (one ``api_error`` per entry)."""
    entities = []
    for code, details in error.entries:
        attributes: dict[str, Any] = {
            "code": code,
            "doc_url": DOC_URL.format(code=code),
            "details": details,
        }
        if code in TRANSIENT_CODES:
            attributes["transient"] = True
        entities.append({"id": secrets.token_hex(3), "type": "api_error", "attributes": attributes})
    return {"data": entities}
