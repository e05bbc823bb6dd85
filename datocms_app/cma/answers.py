"""What a Content Management API answer is: a resource, an asynchronous job, or an error.

DatoCMS's CMA answers JSON (``application/json`` or ``application/vnd.api+json``). A success
is a JSON:API document (``{"data": ...}``); ``202 Accepted`` with ``{"data": {"type": "job",
"id": ...}}`` starts an asynchronous job whose result ``GET /job-results/:id`` gives
(``404`` while it runs, then ``{"status", "payload"}``); a failure is a status outside 2xx
with ``{"data": [{"type": "api_error", "attributes": {"code", "details", "transient"}}]}``
(seeds/004, "Error codes & handling failures (CMA)" and "Asynchronous jobs").

This module turns an answer into a ``CMAError`` that carries every ``api_error``. An answer
that is not DatoCMS's JSON (an HTML page from a proxy, a cut-off body) gets the code
``HTTP_<status>`` and a message quoting what came back. It decides nothing about retries
(``datocms_app.cma.protocol`` does) and must never put the API token in a message: the
token is scrubbed from any quoted text.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, Final

import httpx

from datocms_app.exceptions import CMAError, CMAErrorEntity
from datocms_app.http_clients import public_url, quoted_beginning, token_of

__all__ = [
    "NOT_JSON",
    "api_error",
    "error_entities",
    "job_error",
    "job_id",
    "job_outcome",
    "read_body",
]

#: How much of an answer a message quotes.
QUOTED_CHARACTERS = 80

_HINTS = {
    "INVALID_AUTHORIZATION_HEADER": (
        "Check DATOCMS['CMA_API_TOKEN']: a full-access API token, or one whose role may do "
        "this (your project's Settings > API tokens)"
    ),
    "INSUFFICIENT_PERMISSIONS": (
        "The token's role may not do this: grant the permission to its role, or use a "
        "full-access token"
    ),
    "INVALID_ENVIRONMENT": "Check DATOCMS['ENVIRONMENT'] or the environment= option",
    "STALE_ITEM_VERSION": (
        "The record changed since it was read: read it again and retry "
        "(items.update_with_retry does this)"
    ),
}


class _NotJSON:
    def __repr__(self) -> str:
        return "NOT_JSON"


#: What ``read_body`` returns for a body that is not JSON or not labelled as JSON.
NOT_JSON: Final = _NotJSON()


def read_body(response: httpx.Response) -> Any:
    """The JSON value of an answer labelled as JSON; None for an empty body; else ``NOT_JSON``.

    Decoded once per response: the retry loop and the call's flow both read it (the last
    reader takes it with ``take_body``)."""
    if _BODY in response.extensions:
        return response.extensions[_BODY]
    body = _decode(response)
    response.extensions[_BODY] = body
    return body


def take_body(response: httpx.Response) -> Any:
    """``read_body``, for the last reader: the response no longer holds the decoded body (a
    response lives on in reference cycles until the garbage collector runs; its body need
    not)."""
    body = read_body(response)
    del response.extensions[_BODY]
    return body


#: Where ``read_body`` keeps a response's decoded body.
_BODY = "datocms_app.cma.body"


#: The ``Content-Type`` values DatoCMS answers with, recognised without parsing them.
_DATOCMS_JSON = frozenset({"application/json", "application/json; charset=utf-8"})


def _decode(response: httpx.Response) -> Any:
    if not response.content:
        return None
    content_type = response.headers.get("content-type", "")
    if content_type not in _DATOCMS_JSON:
        mime = content_type.partition(";")[0].strip().lower()
        if not (mime.startswith("application/") and "json" in mime):
            return NOT_JSON
    try:
        return json.loads(response.content)
    except ValueError:  # cut short, garbled, or not UTF-8
        return NOT_JSON


def error_entities(body: Any) -> list[CMAErrorEntity]:
    """Every ``api_error`` in an error body, in order; empty when ``body`` is not one."""
    data = body.get("data") if isinstance(body, Mapping) else None
    if isinstance(data, Mapping):
        data = [data]
    if not isinstance(data, list):
        return []
    found = []
    for entity in data:
        attributes = entity.get("attributes") if isinstance(entity, Mapping) else None
        if not isinstance(attributes, Mapping) or not isinstance(attributes.get("code"), str):
            continue
        details = attributes.get("details")
        found.append(
            CMAErrorEntity(
                code=attributes["code"],
                details=dict(details) if isinstance(details, Mapping) else {},
                transient=attributes.get("transient") is True,
                id=entity.get("id") if isinstance(entity.get("id"), str) else None,
                doc_url=attributes.get("doc_url")
                if isinstance(attributes.get("doc_url"), str)
                else None,
            )
        )
    return found


def api_error(response: httpx.Response, *, from_datocms: bool = True) -> CMAError:
    """The ``CMAError`` for an answer outside 2xx (or a 2xx that is not DatoCMS's JSON).

    ``from_datocms`` is False for answers of the storage an upload is PUT to, or of a URL an
    upload is downloaded from: their bodies are not DatoCMS's and no setting explains them.
    """
    request = response.request
    body = read_body(response)
    entities = error_entities(body) if from_datocms else []
    where = f"{request.method} {public_url(request.url)} answered HTTP {response.status_code}"
    if entities:
        message = f"{where}: {_describe(entities, token_of(request))}"
    elif from_datocms:
        entities = [CMAErrorEntity(code=f"HTTP_{response.status_code}")]
        message = (
            f"{where} with {_received(body, response)}, not DatoCMS's JSON: check "
            "DATOCMS['CMA_URL'] (DatoCMS's is 'https://site-api.datocms.com') and any proxy "
            "between this site and DatoCMS."
        )
    else:
        entities = [CMAErrorEntity(code=f"HTTP_{response.status_code}")]
        message = f"{where} with {_received(body, response)}."
    return CMAError(
        message, status=response.status_code, errors=entities, request=request, response=response
    )


def job_id(response: httpx.Response) -> str | None:
    """The id of the asynchronous job a ``202 Accepted`` answer started, if it is one."""
    if response.status_code != 202:
        return None
    body = read_body(response)
    data = body.get("data") if isinstance(body, Mapping) else None
    if isinstance(data, Mapping) and data.get("type") == "job" and isinstance(data.get("id"), str):
        return str(data["id"])
    return None


def job_outcome(body: Any) -> tuple[int, Any]:
    """``(status, payload)`` of a job result document; raises ``ValueError`` if it is not one."""
    data = body.get("data") if isinstance(body, Mapping) else None
    attributes = data.get("attributes") if isinstance(data, Mapping) else None
    status = attributes.get("status") if isinstance(attributes, Mapping) else None
    if not isinstance(status, int) or isinstance(status, bool):
        raise ValueError("not a job result: expected data.attributes.status")
    assert isinstance(attributes, Mapping)
    return status, attributes.get("payload")


def job_error(
    status: int, payload: Any, job: str, origin: httpx.Request, response: httpx.Response
) -> CMAError:
    """The ``CMAError`` of an asynchronous job that ended with a status outside 2xx."""
    entities = error_entities(payload) or [CMAErrorEntity(code=f"HTTP_{status}")]
    return CMAError(
        f"{origin.method} {public_url(origin.url)} started job {job}, which ended with "
        f"status {status}: {_describe(entities, token_of(origin))}",
        status=status,
        errors=entities,
        request=origin,
        response=response,
        job_id=job,
    )


def _describe(entities: list[CMAErrorEntity], token: str) -> str:
    parts = []
    for entity in entities:
        text = entity.code
        if entity.details:
            text += " " + json.dumps(entity.details, ensure_ascii=False, sort_keys=True)
        if entity.transient:
            text += " (transient)"
        parts.append(text)
    message = "; ".join(parts)
    hint = _HINTS.get(entities[0].code)
    if hint:
        message += f". {hint}."
    return message.replace(token, "***") if token else message


def _received(body: Any, response: httpx.Response) -> str:
    """What came back, for a message: content type, size and the first characters."""
    content = response.content
    if not content:
        return "an empty body"
    content_type = response.headers.get("content-type")
    if body is NOT_JSON and content_type and "json" in content_type:
        what = f"{content_type} that is not valid JSON"
    elif body is NOT_JSON:
        what = f"Content-Type {content_type}" if content_type else "no Content-Type"
    else:
        what = f"{content_type} that is not DatoCMS's error body"
    text = quoted_beginning(content, response.request, QUOTED_CHARACTERS)
    return f"{what} ({len(content):,} bytes, beginning {text!r})"
