"""What the Content Delivery and Content Management API clients share, written once.

``APIClient`` is the base of ``cda.BaseClient`` and ``cma.BaseClient``: it checks the options
both take (token, URL, timeout, retries) when a client is built, puts the token in the one
header it belongs in, and hides it in the ``repr``. ``SyncAPIClient`` and ``AsyncAPIClient``
own the httpx pool of the sync and async clients of both APIs (its lifetime, the context
managers). The helpers below are the pieces of the retry policies and of the messages that
both APIs have alike: backoff with jitter, ``X-RateLimit-Reset``, a URL or a body quoted in a
message.

Neither API's meaning lives here (queries, records, error codes: ``cda`` and ``cma``). This
module must never put the API token anywhere but the ``Authorization`` header, and must never
add work to the path of a CDA query: the clients call it when they are built, when they
retry and when they write a message, not per request.
"""

from __future__ import annotations

import random
import time
from collections.abc import Mapping
from types import TracebackType
from typing import Any, ClassVar, Self

import httpx

from datocms_app import __version__
from datocms_app.exceptions import InvalidArgument

__all__ = [
    "POOL_LIMITS",
    "USER_AGENT",
    "APIClient",
    "AsyncAPIClient",
    "SyncAPIClient",
    "jittered_backoff",
    "positive_seconds",
    "public_url",
    "quoted_beginning",
    "rate_limit_reset",
    "token_of",
    "within",
]

USER_AGENT = f"datocms-app/{__version__}"
#: httpx's defaults, spelled out: the module-level clients serve every thread of a process.
POOL_LIMITS = httpx.Limits(max_connections=100, max_keepalive_connections=20)
#: The longest backoff between two retries, in seconds.
MAX_BACKOFF = 8.0


def positive_seconds(name: str, value: object) -> float:
    """``value`` as seconds; ``InvalidArgument`` naming ``name`` unless it is a number > 0."""
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        raise InvalidArgument(f"{name} must be a positive number of seconds, got {value!r}.")
    return float(value)


class APIClient:
    """The options every DatoCMS API client takes, checked when it is built.

    A subclass names its URL option (``URL_OPTION``, the keyword and the attribute that keep
    it), DatoCMS's URL for it (``DEFAULT_URL``), the token it needs (``CREDENTIAL_HINT``) and
    the headers of every request after ``Authorization`` (``API_HEADERS``); ``headers`` given
    to the client are added last. ``timeout`` and ``max_retries`` are kept as attributes.
    """

    URL_OPTION: ClassVar[str]
    DEFAULT_URL: ClassVar[str]
    CREDENTIAL_HINT: ClassVar[str]
    API_HEADERS: ClassVar[Mapping[str, str]]

    environment: str | None
    #: The headers the client's httpx pool adds to every request it builds (httpx's defaults:
    #: ``Accept-Encoding``, ``Connection``...), for a client that builds requests itself.
    _pool_headers: httpx.Headers

    def __init__(
        self,
        *,
        api_token: str,
        url: str,
        timeout: float,
        max_retries: int,
        headers: Mapping[str, str] | None,
    ) -> None:
        token = api_token.strip() if isinstance(api_token, str) else ""
        # A line break would end the header early: h11 refuses it, quoting the header (and
        # so the token) in its error.
        if not token or "\n" in token or "\r" in token:
            raise InvalidArgument(f"api_token must be a non-empty string: {self.CREDENTIAL_HINT}")
        if not isinstance(url, str) or not url.startswith(("https://", "http://")):
            raise InvalidArgument(
                f"{self.URL_OPTION} must be an http(s) URL, got {url!r} "
                f"(DatoCMS's is {self.DEFAULT_URL!r})."
            )
        self.timeout = positive_seconds("timeout", timeout)
        if isinstance(max_retries, bool) or not isinstance(max_retries, int) or max_retries < 0:
            raise InvalidArgument(f"max_retries must be an integer >= 0, got {max_retries!r}.")
        self.max_retries = max_retries
        self._base_headers = {
            "Authorization": f"Bearer {token}",
            **self.API_HEADERS,
            **dict(headers or {}),
        }

    def __repr__(self) -> str:
        url = getattr(self, self.URL_OPTION)
        environment = self.environment or "primary"
        return f"<{type(self).__name__} {url} environment={environment} token=***>"


class SyncAPIClient(APIClient):
    """The httpx pool of a synchronous client: a context manager, or call ``close()``.

    ``transport`` is any ``httpx.BaseTransport`` (``httpx.MockTransport`` in tests, an
    emulator's); the other options go to the API's base client.
    """

    def __init__(self, *, transport: httpx.BaseTransport | None = None, **options: Any) -> None:
        super().__init__(**options)
        self._http = httpx.Client(transport=transport, timeout=self.timeout, limits=POOL_LIMITS)
        self._pool_headers = self._http.headers

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()


class AsyncAPIClient(APIClient):
    """The httpx pool of an asynchronous client: ``async with``, or ``await aclose()``.

    An httpx async pool belongs to the event loop that opened it: one client per loop.
    """

    def __init__(
        self, *, transport: httpx.AsyncBaseTransport | None = None, **options: Any
    ) -> None:
        super().__init__(**options)
        self._http = httpx.AsyncClient(
            transport=transport, timeout=self.timeout, limits=POOL_LIMITS
        )
        self._pool_headers = self._http.headers

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()


# -- retries -----------------------------------------------------------------------------------


def jittered_backoff(attempt: int, first: float) -> float:
    """Seconds before retry number ``attempt + 1``: ``first`` doubled per attempt (at most
    ``MAX_BACKOFF``), of which a random half, so that clients failing together do not
    retry together."""
    ceiling = min(MAX_BACKOFF, first * 2.0**attempt)
    return ceiling / 2 + random.uniform(0.0, ceiling / 2)


def within(delay: float | None, deadline: float) -> float | None:
    """``delay`` if waiting that long still leaves time before ``deadline``, else None."""
    if delay is None or time.monotonic() + delay >= deadline:
        return None
    return delay


def rate_limit_reset(response: httpx.Response) -> float:
    """``X-RateLimit-Reset``: seconds until DatoCMS takes requests again (1 when absent or
    garbled)."""
    try:
        return max(0.0, float(response.headers["x-ratelimit-reset"]))
    except (KeyError, ValueError):
        return 1.0


# -- messages ----------------------------------------------------------------------------------


def public_url(url: httpx.URL | str) -> str:
    """``url`` fit for a message: no credentials, query string (a presigned upload URL keeps
    its signature there) or fragment."""
    return str(httpx.URL(url).copy_with(userinfo=b"", query=None, fragment=None))


def token_of(request: httpx.Request) -> str:
    """The API token a request carries (to scrub it from quoted text), or ``""``."""
    header: str = request.headers.get("authorization", "")
    return header.partition(" ")[2].strip()


def quoted_beginning(content: bytes, request: httpx.Request, characters: int) -> str:
    """The first ``characters`` of a body for a message, whitespace collapsed, ``…`` when cut,
    and the token of ``request`` replaced by ``***``."""
    token = token_of(request)
    # A character is at most 4 bytes: the window holds the quoted characters, plus a whole
    # token starting among them, so that none is quoted cut in half and unscrubbed.
    window = content[: characters * 4 + len(token)].decode("utf-8", "replace")
    if token:
        window = window.replace(token, "***")
    text = " ".join(window[:characters].split())
    return text + "…" if len(window) > characters else text
