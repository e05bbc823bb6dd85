"""The CDN purge backend API: what every backend does, and the no-op one.

A backend does two things. On every page the origin caches, ``patch_response`` adds the
CDN's tag header (the union of the page's DatoCMS tags, hashed to short header-safe keys
where the CDN needs it) and the headers that let the CDN cache the page while browsers
revalidate. When DatoCMS invalidates tags, ``purge`` asks the CDN to drop every page carrying
them, in batches the CDN accepts. A page whose tags exceed the CDN's header budget is marked
not cacheable at the CDN: truncating the list would mean missed purges and stale pages.

This module must never put an API token in a message, a ``repr`` or a log line.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import logging
import time
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, ClassVar

import httpx
from django.http import HttpResponseBase

from datocms_app import __version__
from datocms_app.exceptions import CDNPurgeError, ConfigurationError

__all__ = ["REQUIRED", "CDNBackend", "NoopBackend", "hash_tag"]

logger = logging.getLogger("datocms_app.caching.cdn")

#: Length of a hashed tag: 60 bits of SHA-1 in lowercase base32 (a-z, 2-7). A collision
#: only ever purges one page too many.
HASHED_TAG_LENGTH = 12
#: Marks an option a backend cannot do without (see ``CDNBackend.options``).
REQUIRED: Any = object()
COMMON_OPTIONS = ("max_age", "timeout", "repurge_delay", "hash_tags", "header_budget", "batch_size")


def hash_tag(tag: str) -> str:
    """A short, case-insensitive, header- and URL-safe stand-in for an opaque DatoCMS tag."""
    digest = hashlib.sha1(tag.encode(), usedforsecurity=False).digest()
    return base64.b32encode(digest).decode("ascii").lower()[:HASHED_TAG_LENGTH]


class CDNBackend:
    """Base class of the purge backends. Subclasses set the class attributes and implement
    ``purge_batch`` and ``purge_all``; options arrive as keyword arguments (the keys of
    ``DATOCMS["CDN"]`` other than ``BACKEND``, lowercased).

    Common options: ``max_age`` (seconds the CDN keeps a page, default one year: purges,
    not expiry, keep it fresh), ``timeout`` (seconds for a whole purge, default 5: DatoCMS
    gives the webhook 8), ``repurge_delay`` (seconds before the second purge, default
    ``default_repurge_delay``: 5, 0 for ``NoopBackend``; 0 turns it off; see ``repurge``),
    ``hash_tags`` (override the backend's default), ``header_budget`` (bytes),
    ``batch_size``.
    """

    #: The response header the CDN reads tags from ("" for none).
    tag_header: ClassVar[str] = ""
    #: How tags are joined in ``tag_header``.
    tag_separator: ClassVar[str] = " "
    #: Most bytes the CDN accepts in ``tag_header``.
    default_header_budget: ClassVar[int] = 16_384
    #: Most keys per purge request (None: no limit).
    default_batch_size: ClassVar[int | None] = None
    #: Whether tags are sent hashed (``hash_tag``) unless the ``hash_tags`` option says not.
    default_hash_tags: ClassVar[bool] = True
    #: RFC 9213 targeted header with the CDN's lifetime ("" to use ``s-maxage`` instead).
    cdn_cache_control_header: ClassVar[str] = ""
    #: Purge requests sent at once when a purge needs several.
    concurrency: ClassVar[int] = 4
    #: Seconds before the second purge unless ``repurge_delay`` says otherwise (0: none).
    default_repurge_delay: ClassVar[float] = 5.0
    #: Option names a subclass accepts besides the common ones, with their defaults
    #: (``REQUIRED`` for mandatory ones).
    options: ClassVar[Mapping[str, Any]] = {}

    def __init__(
        self,
        *,
        max_age: int = 31_536_000,
        timeout: float = 5.0,
        repurge_delay: float | None = None,
        hash_tags: bool | None = None,
        header_budget: int | None = None,
        batch_size: int | None = None,
        **options: Any,
    ) -> None:
        name = type(self).__name__
        if repurge_delay is None:
            repurge_delay = self.default_repurge_delay
        if isinstance(max_age, bool) or not isinstance(max_age, int) or max_age < 0:
            raise ConfigurationError(
                f"DATOCMS['CDN']['MAX_AGE'] must be a number of seconds >= 0, got {max_age!r}."
            )
        for key, seconds in (("TIMEOUT", timeout), ("REPURGE_DELAY", repurge_delay)):
            if isinstance(seconds, bool) or not isinstance(seconds, int | float) or seconds < 0:
                raise ConfigurationError(
                    f"DATOCMS['CDN'][{key!r}] must be a number of seconds, got {seconds!r}."
                )
        if timeout <= 0:
            raise ConfigurationError("DATOCMS['CDN']['TIMEOUT'] must be more than 0 seconds.")
        budget = self.default_header_budget if header_budget is None else header_budget
        batch = self.default_batch_size if batch_size is None else batch_size
        for key, value in (("HEADER_BUDGET", budget), ("BATCH_SIZE", batch)):
            if value is not None and (
                isinstance(value, bool) or not isinstance(value, int) or value < 1
            ):
                raise ConfigurationError(
                    f"DATOCMS['CDN'][{key!r}] must be a positive integer, got {value!r}."
                )
        unknown = sorted(set(options) - set(self.options))
        if unknown:
            known = sorted([*self.options, *COMMON_OPTIONS])
            raise ConfigurationError(
                f"{name} does not know the option(s) {', '.join(k.upper() for k in unknown)} "
                f"in DATOCMS['CDN']; it takes: {', '.join(k.upper() for k in known)}."
            )
        values = {**self.options, **options}
        missing = sorted(key for key, value in values.items() if value is REQUIRED)
        if missing:
            raise ConfigurationError(
                f"{name} needs DATOCMS['CDN'] to set {', '.join(k.upper() for k in missing)}."
            )
        self.max_age = max_age
        self.timeout = float(timeout)
        self.repurge_delay = float(repurge_delay)
        self.hash_tags = self.default_hash_tags if hash_tags is None else bool(hash_tags)
        self.header_budget = budget
        self.batch_size = batch
        self.settings = values
        self._http: httpx.Client | None = None

    def __repr__(self) -> str:
        return f"<{type(self).__name__}>"

    @functools.cached_property
    def fingerprint(self) -> str:
        """What changes the headers this backend puts on pages (part of page cache keys)."""
        return (
            f"{type(self).__module__}.{type(self).__qualname__}:{self.max_age}:"
            f"{int(self.hash_tags)}:{self.header_budget}"
        )

    # -- response headers -----------------------------------------------------------------

    def header_keys(self, tags: Iterable[str]) -> list[str]:
        """The keys that stand for ``tags`` in the tag header and in purges, deduplicated."""
        if self.hash_tags:
            return list(dict.fromkeys(hash_tag(tag) for tag in tags))
        return list(dict.fromkeys(tags))

    def tag_header_value(self, tags: Iterable[str]) -> str | None:
        """The tag header's value, or None when it would exceed the header budget."""
        value = self.tag_separator.join(self.header_keys(tags))
        if self.header_budget is not None and len(value.encode()) > self.header_budget:
            return None
        return value

    def patch_response(self, response: HttpResponseBase, tags: Sequence[str]) -> None:
        """Make ``response`` cacheable at the CDN under ``tags`` (or not at all, if too many).

        A ``Cache-Control`` the view set itself is left alone; only the tag header is added.
        """
        own_cache_control = response.has_header("Cache-Control")
        value = self.tag_header_value(tags) if self.tag_header else ""
        if value is None:
            logger.info(
                "%d tags exceed %s's %d-byte %s budget: page not cacheable at the CDN",
                len(tags),
                type(self).__name__,
                self.header_budget,
                self.tag_header,
            )
            response.headers["Cache-Control"] = "private, no-cache"
            if self.cdn_cache_control_header:
                response.headers[self.cdn_cache_control_header] = "no-store"
            return
        if value:
            response.headers[self.tag_header] = value
        if own_cache_control:
            return
        if self.cdn_cache_control_header:
            response.headers["Cache-Control"] = "public, max-age=0, must-revalidate"
            response.headers[self.cdn_cache_control_header] = self.cdn_cache_control_value()
        else:
            response.headers["Cache-Control"] = (
                f"public, max-age=0, s-maxage={self.max_age}, must-revalidate"
            )

    def cdn_cache_control_value(self) -> str:
        return f"max-age={self.max_age}"

    def patch_uncacheable(self, response: HttpResponseBase) -> None:
        """Keep a page the origin did not cache out of the CDN too (nothing could purge it)."""
        if not response.has_header("Cache-Control"):
            response.headers["Cache-Control"] = "private, no-cache"

    # -- purging --------------------------------------------------------------------------

    def purge(self, tags: Iterable[str]) -> int:
        """Purge every page tagged with any of ``tags``; returns the number of keys sent.

        Raises ``CDNPurgeError`` if any batch failed (the others are still sent).
        """
        keys = self.header_keys(tags)
        if not keys:
            return 0
        size = self.batch_size or len(keys)
        batches = [keys[start : start + size] for start in range(0, len(keys), size)]
        if len(batches) == 1 or self.concurrency <= 1:
            for batch in batches:
                self.purge_batch(batch)
            return len(keys)
        errors: list[CDNPurgeError] = []

        def send(batch: list[str]) -> None:
            try:
                self.purge_batch(batch)
            except CDNPurgeError as exc:
                errors.append(exc)

        with ThreadPoolExecutor(max_workers=min(self.concurrency, len(batches))) as pool:
            list(pool.map(send, batches))
        if errors:
            first = errors[0]
            raise CDNPurgeError(
                f"{len(errors)} of {len(batches)} purge requests failed; first: {first}",
                backend=first.backend,
                response=first.response,
            )
        return len(keys)

    def purge_batch(self, keys: list[str]) -> None:
        """Purge the pages tagged with any of ``keys`` (already hashed), in one request."""
        raise NotImplementedError(f"{type(self).__name__} must implement purge_batch()")

    def purge_all(self) -> None:
        """Purge everything this site has at the CDN."""
        raise NotImplementedError(f"{type(self).__name__} must implement purge_all()")

    # -- HTTP helpers for API backends ----------------------------------------------------

    @property
    def http(self) -> httpx.Client:
        if self._http is None:
            self._http = httpx.Client(
                timeout=httpx.Timeout(self.timeout),
                headers={"User-Agent": f"datocms-app/{__version__}"},
            )
        return self._http

    def send(
        self,
        method: str,
        url: str,
        *,
        headers: Mapping[str, str],
        json: Any = None,
        what: str = "purge",
    ) -> httpx.Response:
        """Send one request; retry once after a connection error, 429 or 5xx.

        Anything but a 2xx in the end raises ``CDNPurgeError`` quoting the CDN's answer.
        """
        name = type(self).__name__
        deadline = time.monotonic() + self.timeout
        response: httpx.Response | None = None
        for attempt in range(2):
            left = deadline - time.monotonic()
            if left <= 0:
                break
            try:
                response = self.http.request(method, url, headers=headers, json=json, timeout=left)
            except httpx.HTTPError as exc:
                if attempt == 0 and not isinstance(exc, httpx.TimeoutException):
                    continue
                raise CDNPurgeError(
                    f"{name} could not reach {_without_query(url)} for a {what}: "
                    f"{type(exc).__name__}: {exc}",
                    backend=name,
                ) from exc
            retryable = response.status_code == 429 or response.status_code >= 500
            if retryable and attempt == 0 and deadline - time.monotonic() > 0.5:
                time.sleep(0.25)
                continue
            break
        if response is None:
            raise CDNPurgeError(f"{name} ran out of time for a {what}.", backend=name)
        if not response.is_success:
            raise CDNPurgeError(
                f"{name} answered HTTP {response.status_code} to a {what} "
                f"({_without_query(url)}): {response.text[:300]}",
                backend=name,
                response=response,
            )
        return response

    def close(self) -> None:
        if self._http is not None:
            self._http.close()
            self._http = None


class NoopBackend(CDNBackend):
    """No CDN (development, or an origin nobody caches in front of): no headers, no purges.

    Cached pages get ``Cache-Control: no-cache`` (browsers revalidate with ``If-None-Match``
    and get a 304 while the page is unchanged). With nothing to purge there is nothing to
    purge again: no re-purge is scheduled.
    """

    default_repurge_delay = 0.0

    def patch_response(self, response: HttpResponseBase, tags: Sequence[str]) -> None:
        if not response.has_header("Cache-Control"):
            response.headers["Cache-Control"] = "no-cache"

    def patch_uncacheable(self, response: HttpResponseBase) -> None:
        return None

    def purge(self, tags: Iterable[str]) -> int:
        return 0

    def purge_batch(self, keys: list[str]) -> None:
        return None

    def purge_all(self) -> None:
        return None


def _without_query(url: str) -> str:
    return url.split("?", 1)[0]
