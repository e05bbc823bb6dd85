"""The Content Delivery API client: ``Client`` (sync) and ``AsyncClient`` (async).

Both share ``BaseClient``, which owns everything that is not I/O: the headers the docs
prescribe, the request body, the translation of responses into ``CDAResponse`` or a typed
error, and the retry policy. The two subclasses only send, sleep and loop. A client holds one
httpx connection pool; the module-level functions in ``datocms_app.cda`` reuse one per process.
What the CMA client does alike (checking the options, the ``repr``, the pool's lifetime,
backoff) is ``datocms_app.http_clients``'s.

What an answer means is ``datocms_app.cda.answers``'s to say. In short: an answer that is not
DatoCMS's documented JSON (cut short, HTML, the wrong ``Content-Type``, JSON of another shape)
comes from something between the site and DatoCMS; with a 2xx, 5xx, 403, 408 or 425 status it
is an outage, retried like a 502 and finally ``ServiceUnavailable`` (``INVALID_RESPONSE``);
with a 3xx or another 4xx it is a configuration problem (``InvalidRequestError``, not
retried), such as a ``CDA_URL`` that answers 404. DatoCMS's own error bodies keep their codes.

This module must never put the API token anywhere but the ``Authorization`` header: not in
an exception message, a ``repr`` or a log line.
"""

from __future__ import annotations

import asyncio
import functools
import json
import logging
import random
import time
from collections.abc import Mapping
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel, ValidationError

from datocms_app.cda import hooks
from datocms_app.cda.answers import NOT_JSON, api_error, graphql_error, is_passing, read_json
from datocms_app.cda.hooks import CDAQuery, QueryCache
from datocms_app.cda.response import CDAResponse, parse_cache_tags
from datocms_app.conf import DEFAULT_CDA_URL
from datocms_app.exceptions import (
    APIError,
    InvalidArgument,
    RateLimitError,
    RequestTimeout,
    ResultValidationError,
    TransportError,
)
from datocms_app.http_clients import (
    USER_AGENT,
    APIClient,
    AsyncAPIClient,
    SyncAPIClient,
    jittered_backoff,
    public_url,
    within,
)

__all__ = ["AsyncClient", "BaseClient", "Client"]

logger = logging.getLogger("datocms_app")

ModelT = TypeVar("ModelT", bound=BaseModel)

#: The values DatoCMS accepts in ``X-Visual-Editing``.
CONTENT_LINK_VERSIONS = ("v1", "vercel-v1")
#: Errors from httpx worth another try. A CDA query is read-only, so resending is safe.
RETRYABLE_TRANSPORT_ERRORS = (httpx.NetworkError, httpx.RemoteProtocolError)


#: The ``Content-Type`` values DatoCMS answers with, raw as httpx keeps them.
_DATOCMS_JSON = frozenset({b"application/json", b"application/json; charset=utf-8"})

#: ``build_headers``' options in order: environment, include_drafts, exclude_invalid,
#: content_link, base_editing_url.
_HeaderOptions = tuple[str | None, bool | None, bool | None, str | None, str | None]


class BaseClient(APIClient):
    """Configuration, headers, response handling and retry policy shared by both clients.

    ``timeout`` is the deadline in seconds for one query *including its retries*; each
    attempt gets what is left of it. ``max_retries`` bounds the retries after the first try.
    ``cache`` is a query cache (``datocms_app.cda.hooks.QueryCache``) asked instead of the
    network for every query that is not a draft; by default a client never caches.
    """

    URL_OPTION = "endpoint"
    DEFAULT_URL = DEFAULT_CDA_URL
    CREDENTIAL_HINT = "the read-only API token from your DatoCMS project's Settings > API tokens."
    API_HEADERS = {
        "Accept": "application/json",
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "X-Cache-Tags": "true",
    }

    def __init__(
        self,
        *,
        api_token: str,
        endpoint: str = DEFAULT_CDA_URL,
        environment: str | None = None,
        include_drafts: bool = False,
        exclude_invalid: bool = False,
        content_link: str | None = None,
        base_editing_url: str | None = None,
        timeout: float = 10.0,
        max_retries: int = 3,
        headers: Mapping[str, str] | None = None,
        cache: QueryCache | None = None,
    ) -> None:
        super().__init__(
            api_token=api_token,
            url=endpoint,
            timeout=timeout,
            max_retries=max_retries,
            headers=headers,
        )
        self.endpoint = endpoint
        self.environment = environment
        self.include_drafts = include_drafts
        self.exclude_invalid = exclude_invalid
        self.content_link = content_link
        self.base_editing_url = base_editing_url
        self.cache = cache
        # Validate the defaults once, so a bad client fails when it is built, not per query.
        self._default_headers = self._headers_for((None, None, None, None, None))
        self._default_draft = hooks.is_draft(self._default_headers)

    # -- building the request -------------------------------------------------------------

    def build_headers(
        self,
        *,
        environment: str | None = None,
        include_drafts: bool | None = None,
        exclude_invalid: bool | None = None,
        content_link: str | None = None,
        base_editing_url: str | None = None,
    ) -> dict[str, str]:
        """The request headers for these options (``None`` means the client's default).

        As the CDA docs require, ``X-Include-Drafts`` and ``X-Exclude-Invalid`` are sent as
        ``true`` or not at all: DatoCMS rejects ``false``.
        """
        options = (environment, include_drafts, exclude_invalid, content_link, base_editing_url)
        if all(option is None for option in options):
            return self._default_headers
        return self._headers_for(options)

    def _headers_for(self, options: _HeaderOptions) -> dict[str, str]:
        """The headers for ``options`` in ``build_headers``' order, ``None`` the defaults."""
        defaults = (
            self.environment,
            self.include_drafts,
            self.exclude_invalid,
            self.content_link,
            self.base_editing_url,
        )
        environment, include_drafts, exclude_invalid, content_link, base_editing_url = (
            default if option is None else option
            for option, default in zip(options, defaults, strict=True)
        )
        headers = dict(self._base_headers)
        if environment:
            if not isinstance(environment, str) or any(c in environment for c in "\r\n"):
                raise InvalidArgument(
                    f"environment must be an environment name, got {environment!r}."
                )
            headers["X-Environment"] = environment
        if include_drafts:
            headers["X-Include-Drafts"] = "true"
        if exclude_invalid:
            headers["X-Exclude-Invalid"] = "true"
        if content_link:
            if content_link not in CONTENT_LINK_VERSIONS:
                raise InvalidArgument(
                    f"content_link must be one of {CONTENT_LINK_VERSIONS}, got {content_link!r}."
                )
            if not base_editing_url:
                raise InvalidArgument(
                    "content_link needs base_editing_url too, e.g. "
                    "'https://<your-project>.admin.datocms.com'."
                )
            headers["X-Visual-Editing"] = content_link
        if base_editing_url:
            if not isinstance(base_editing_url, str) or not base_editing_url.startswith(
                ("https://", "http://")
            ):
                raise InvalidArgument(
                    f"base_editing_url must be an http(s) URL, got {base_editing_url!r}."
                )
            headers["X-Base-Editing-Url"] = base_editing_url
        return headers

    @staticmethod
    def build_body(query: str, variables: Mapping[str, Any] | None) -> bytes:
        """The JSON body of a GraphQL request; rejects what DatoCMS would reject anyway."""
        if not isinstance(query, str) or not query.strip():
            raise InvalidArgument(
                f"query must be a GraphQL document string, got {type(query).__name__}."
            )
        payload: dict[str, Any] = {"query": query}
        if variables is not None:
            if not isinstance(variables, Mapping):
                raise InvalidArgument(
                    "variables must be a dict of GraphQL variables, "
                    f"got {type(variables).__name__}."
                )
            payload["variables"] = dict(variables)
        try:
            return json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()
        except (TypeError, ValueError) as exc:
            raise InvalidArgument(f"variables must be JSON-serialisable: {exc}") from exc

    def build_query(
        self, query: str, variables: Mapping[str, Any] | None, options: Mapping[str, Any]
    ) -> CDAQuery:
        """The query as it will be sent: body, headers for ``options``, and its draft flag."""
        body = self.build_body(query, variables)
        if options:
            headers = self.build_headers(**options)
            draft = hooks.is_draft(headers)
        else:  # the client's defaults, judged once when it was built
            headers, draft = self._default_headers, self._default_draft
        # Positional: a named tuple's keyword construction is noticeably slower, per query.
        return CDAQuery(self.endpoint, query, variables, body, headers, draft)

    def http_request(
        self, request: CDAQuery, timeout: float, cookies: httpx.Cookies
    ) -> httpx.Request:
        """The ``httpx.Request`` of one attempt: what ``httpx.Client.post`` would build, with
        the pool's default headers merged once per header set rather than on every request
        (that merge costs more than the rest of a query's own work)."""
        headers = request.headers
        if headers is self._default_headers:
            wire = self._default_wire_headers
        else:
            wire = self._pool_headers.copy()
            wire.update(headers)
        return httpx.Request(
            "POST",
            self.endpoint,
            headers=wire,
            cookies=cookies,
            content=request.body,
            # httpx's timeout extension, as ``httpx.Timeout(timeout).as_dict()`` spells it
            extensions={
                "timeout": {"connect": timeout, "read": timeout, "write": timeout, "pool": timeout}
            },
        )

    @functools.cached_property
    def _default_wire_headers(self) -> httpx.Headers:
        wire = self._pool_headers.copy()
        wire.update(self._default_headers)
        return wire

    def start_query(
        self, query: str, variables: Mapping[str, Any] | None, options: Mapping[str, Any]
    ) -> CDAQuery:
        """Build the query and tell the observers (``hooks``) it is about to run."""
        request = self.build_query(query, variables, options)
        for observer in hooks.observers:
            observer.started(request)
        return request

    def finish_query(self, request: CDAQuery, response: CDAResponse) -> CDAResponse:
        """Tell the observers what ``request`` was answered; return the answer."""
        for observer in hooks.observers:
            observer.answered(request, response)
        return response

    # -- reading the response -------------------------------------------------------------

    def parse_response(self, response: httpx.Response) -> CDAResponse:
        """Turn an HTTP response into a ``CDAResponse``, or raise the matching ``CDAError``.

        Only a JSON GraphQL result with HTTP 200 is a success; ``datocms_app.cda.answers``
        says what every other answer means.
        """
        status = response.status_code
        # One pass over the raw headers: httpx's per-name lookup is a linear scan.
        content_type = tags = request_id = None
        for name, value in response.headers.raw:
            lowered = name.lower()
            if lowered == b"content-type":
                content_type = value
            elif lowered == b"x-cache-tags":
                tags = value.decode("latin-1")
            elif lowered == b"x-request-id":
                request_id = value.decode("latin-1")
        if content_type in _DATOCMS_JSON:  # DatoCMS's own label: no need to parse it
            try:
                body = json.loads(response.content)
            except ValueError:  # cut short or garbled
                body = NOT_JSON
        else:
            body = read_json(response.content, content_type)
        if status == 200 and isinstance(body, dict):
            errors = body.get("errors")
            if errors:
                raise graphql_error(errors, body.get("data"), response.request, response)
            data = body.get("data")
            if isinstance(data, dict):
                return CDAResponse(
                    data=data,
                    cache_tags=parse_cache_tags(tags),
                    request_id=request_id,
                    headers=response.headers,
                    status_code=status,
                )
        raise api_error(body, response.request, response)

    def retry_delay(self, attempt: int, *, error: APIError | None = None) -> float | None:
        """Seconds to wait before retry number ``attempt + 1``, or None not to retry.

        ``error`` is the failed answer, None for a connection error. A 429 waits
        ``X-RateLimit-Reset`` seconds (1 s when absent) plus a little jitter; 502/503/504,
        answers that are not DatoCMS's (``INVALID_RESPONSE``) and connection errors back off
        exponentially with jitter; any other error is not retried.
        """
        if attempt >= self.max_retries:
            return None
        if error is not None:
            if isinstance(error, RateLimitError) and error.retry_after is not None:
                return error.retry_after + random.uniform(0.0, 0.25)
            if not is_passing(error):
                return None
        return jittered_backoff(attempt, 0.25)

    def validate_result(self, data: dict[str, Any], model: type[ModelT]) -> ModelT:
        try:
            return model.model_validate(data)
        except ValidationError as exc:
            raise ResultValidationError(
                f"The query's data does not fit {model.__name__}: {exc}"
            ) from exc

    def outcome(
        self,
        attempt: int,
        deadline: float,
        *,
        response: httpx.Response | None = None,
        error: httpx.TransportError | None = None,
    ) -> CDAResponse | float:
        """Judge one attempt: the parsed response, or the seconds to wait before retrying.

        Raises the final error when the attempt failed and no retry fits before ``deadline``.
        This is the one place where the retry policy meets the deadline, for both clients.
        """
        if error is not None:
            if isinstance(error, httpx.TimeoutException):
                raise self._timeout_error(_request_of(error)) from error
            delay = within(self.retry_delay(attempt), deadline)
            if not isinstance(error, RETRYABLE_TRANSPORT_ERRORS) or delay is None:
                raise self._transport_error(error) from error
            self._log_retry(type(error).__name__, delay, attempt)
            return delay
        assert response is not None
        try:
            result = self.parse_response(response)
        except APIError as exc:
            delay = within(self.retry_delay(attempt, error=exc), deadline)
            if delay is None:
                raise
            content_type = response.headers.get("content-type") or "no Content-Type"
            reason = (
                f"HTTP {response.status_code} {exc.code}, {content_type}, "
                f"request id {exc.request_id}"
            )
            self._log_retry(reason, delay, attempt)
            return delay
        if logger.isEnabledFor(logging.DEBUG):
            logger.debug("CDA 200 (attempt %d, request id %s)", attempt + 1, result.request_id)
        return result

    def remaining(self, deadline: float) -> float:
        """Seconds left before ``deadline``; raises ``RequestTimeout`` when none are."""
        left = deadline - time.monotonic()
        if left <= 0:
            raise self._timeout_error(None)
        return left

    def _log_retry(self, reason: str, delay: float, attempt: int) -> None:
        logger.warning(
            "CDA request failed (%s); retry %d/%d in %.2f s",
            reason,
            attempt + 1,
            self.max_retries,
            delay,
        )

    def _timeout_error(self, request: httpx.Request | None) -> RequestTimeout:
        return RequestTimeout(
            f"The Content Delivery API did not answer within the {self.timeout:g} s deadline "
            "(DATOCMS['TIMEOUT'], retries included).",
            request=request,
        )

    @staticmethod
    def _transport_error(exc: httpx.TransportError) -> TransportError:
        request = _request_of(exc)
        url = public_url(request.url) if request is not None else "the CDA"
        return TransportError(
            f"Could not reach {url}: {type(exc).__name__}: {exc}", request=request
        )


class Client(SyncAPIClient, BaseClient):
    """A synchronous CDA client. Use as a context manager, or call ``close()``.

    ``transport`` is any ``httpx.BaseTransport`` (``httpx.MockTransport`` in tests, the
    offline backend's when no token is configured, see ``cda.hooks``).
    """

    def execute(
        self,
        query: str,
        variables: Mapping[str, Any] | None = None,
        **options: Any,
    ) -> CDAResponse:
        """Run a query; return a ``CDAResponse`` with ``.data`` and ``.cache_tags``.

        Options (``environment``, ``include_drafts``, ``exclude_invalid``, ``content_link``,
        ``base_editing_url``) override the client's defaults for this request.
        """
        request = self.start_query(query, variables, options)
        if self.cache is None or request.draft:
            return self.finish_query(request, self._send(request))
        return self.finish_query(request, self.cache.fetch(request, lambda: self._send(request)))

    def _send(self, request: CDAQuery) -> CDAResponse:
        """POST ``request`` to the CDA, retrying within the deadline (see ``outcome``)."""
        deadline = time.monotonic() + self.timeout
        attempt = 0
        while True:
            timeout = self.remaining(deadline)
            try:
                response = self._http.send(self.http_request(request, timeout, self._http.cookies))
            except httpx.TransportError as exc:
                outcome = self.outcome(attempt, deadline, error=exc)
            else:
                outcome = self.outcome(attempt, deadline, response=response)
            if isinstance(outcome, CDAResponse):
                return outcome
            time.sleep(outcome)
            attempt += 1

    def query(
        self,
        query: str,
        variables: Mapping[str, Any] | None = None,
        *,
        model: type[ModelT] | None = None,
        **options: Any,
    ) -> Any:
        """Run a query and return its ``data`` dict (or a ``model`` instance)."""
        data = self.execute(query, variables, **options).data
        return self.validate_result(data, model) if model is not None else data


class AsyncClient(AsyncAPIClient, BaseClient):
    """The asynchronous twin of ``Client`` (``await client.execute(...)``).

    An httpx async pool belongs to the event loop that opened it: create one client per loop
    (``datocms_app.cda.aexecute`` does that for you).
    """

    async def execute(
        self,
        query: str,
        variables: Mapping[str, Any] | None = None,
        **options: Any,
    ) -> CDAResponse:
        """Run a query; see ``Client.execute``."""
        request = self.start_query(query, variables, options)
        if self.cache is None or request.draft:
            return self.finish_query(request, await self._send(request))
        cached = self.cache.afetch(request, lambda: self._send(request))
        return self.finish_query(request, await cached)

    async def _send(self, request: CDAQuery) -> CDAResponse:
        """The async twin of ``Client._send``."""
        deadline = time.monotonic() + self.timeout
        attempt = 0
        while True:
            timeout = self.remaining(deadline)
            try:
                response = await self._http.send(
                    self.http_request(request, timeout, self._http.cookies)
                )
            except httpx.TransportError as exc:
                outcome = self.outcome(attempt, deadline, error=exc)
            else:
                outcome = self.outcome(attempt, deadline, response=response)
            if isinstance(outcome, CDAResponse):
                return outcome
            await asyncio.sleep(outcome)
            attempt += 1

    async def query(
        self,
        query: str,
        variables: Mapping[str, Any] | None = None,
        *,
        model: type[ModelT] | None = None,
        **options: Any,
    ) -> Any:
        """Run a query and return its ``data`` dict (or a ``model`` instance)."""
        data = (await self.execute(query, variables, **options)).data
        return self.validate_result(data, model) if model is not None else data


# -- transport errors (answers: datocms_app.cda.answers) -------------------------------------


def _request_of(exc: httpx.TransportError) -> httpx.Request | None:
    try:
        return exc.request
    except RuntimeError:  # httpx raises when the exception carries no request
        return None
