"""The page cache: whole responses, stored under the DatoCMS tags of the queries behind them.

``@datocms_cache_page`` (sync or async views) and ``PageCacheMiddleware`` (every view) cache
GET/HEAD 200 responses. While the view and its template render, a tag collector gathers the
cache tags of every query; the response is stored under their union and stays a hit until
DatoCMS invalidates one of them. Keys follow Django's cache middleware: scheme, host, path,
the declared query parameters (``query_parameters``: tracking parameters are dropped, any
other parameter bypasses the cache), the headers named in the response's ``Vary`` (learned
per URL), language and time zone.

Never cached: draft requests (``is_draft_request``) or pages that ran a draft query (they
get ``Cache-Control: private, no-store`` and ``X-Robots-Tag: noindex``); responses that set
cookies, ask for a CSRF cookie, say ``private``/``no-store``/``no-cache`` or ``Vary: *``;
streaming responses; pages that ran no DatoCMS query (nothing could invalidate them).
Nothing at all is written for responses other than 200 or for requests that bypass the
cache, so that no request can fill the shared cache with keys nobody asks for again.

Cached pages carry an ``ETag`` (``If-None-Match`` gets a 304), the configured CDN's tag
header and ``X-DatoCMS-Cache: HIT|MISS|BYPASS``. When the CDA is down, rate-limited or
answering 5xx, a page that is not in the cache becomes a clean 503 page
(``datocms/unavailable.html``) instead of a traceback.

This module must never serve a response to a request it was not keyed for, nor let a cache
outage become an error page.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import re
from collections.abc import Awaitable, Callable, Collection
from typing import Any, TypeVar, cast, overload

from asgiref.sync import iscoroutinefunction
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.template.loader import render_to_string
from django.template.response import SimpleTemplateResponse
from django.utils.cache import get_conditional_response, set_response_etag
from django.utils.timezone import get_current_timezone_name
from django.utils.translation import get_language

from datocms_app.caching.cdn import CDNBackend, get_cdn
from datocms_app.caching.collector import TagCollector, collect_tags, record_hit
from datocms_app.caching.fill import (
    BYPASS,
    PRODUCE,
    Effect,
    Filled,
    StoreCall,
    aget_or_fill,
    get_or_fill,
    warn_store_failure,
)
from datocms_app.caching.query_parameters import (
    QUERY_PARAMETERS_ATTRIBUTE,
    declared_parameters,
    keyed_query,
)
from datocms_app.caching.stores import Lookup, TagStore, get_store
from datocms_app.conf import DatoCMSSettings, SettingsBound, get_settings
from datocms_app.exceptions import (
    CacheStoreError,
    InvalidArgument,
    RateLimitError,
    ServiceUnavailable,
    TransportError,
)
from datocms_app.flows import Flow
from datocms_app.hybrid_middleware import HybridMiddleware

__all__ = [
    "CACHE_STATUS_HEADER",
    "DRAFT_REQUEST_ATTRIBUTE",
    "UNAVAILABLE_ERRORS",
    "PageCacheMiddleware",
    "datocms_cache_page",
    "is_draft_request",
    "unavailable_response",
]

logger = logging.getLogger("datocms_app.caching")

#: Response header saying what the page cache did.
CACHE_STATUS_HEADER = "X-DatoCMS-Cache"
#: A truthy attribute of this name on the request marks it as a draft (preview) request.
DRAFT_REQUEST_ATTRIBUTE = "datocms_draft"
#: CDA failures that mean "try again later", answered with the 503 page.
UNAVAILABLE_ERRORS = (TransportError, ServiceUnavailable, RateLimitError)

_ACTIVE = "_datocms_page_cache_active"
_KEY_VERSION = b"p2"
_CONDITIONAL_HEADERS = frozenset(
    {"HTTP_IF_NONE_MATCH", "HTTP_IF_MATCH", "HTTP_IF_MODIFIED_SINCE", "HTTP_IF_UNMODIFIED_SINCE"}
)
# The Django settings a page key depends on (read on every hit: see ``_key_settings``).
_KEY_SETTINGS = frozenset({"USE_X_FORWARDED_HOST", "USE_I18N", "USE_TZ"})
_COMMA = re.compile(r"\s*,\s*")
_UNCACHEABLE_DIRECTIVES = frozenset({"private", "no-store", "no-cache"})
# Per process: the request headers each URL varies on, as last seen in the cache. A hint,
# verified against the cache in the same round trip as the entry.
_VARY: dict[tuple[str, str], tuple[str, ...]] = {}
_MAX_VARY = 20_000

ViewT = TypeVar("ViewT", bound=Callable[..., Any])


def is_draft_request(request: HttpRequest) -> bool:
    """True for requests that must see drafts and never touch shared caches.

    The preview (draft mode) middleware marks them by setting ``request.datocms_draft``.
    """
    return bool(getattr(request, DRAFT_REQUEST_ATTRIBUTE, False))


# -- keys ---------------------------------------------------------------------------------


def _request_identity(request: HttpRequest, query: str) -> bytes:
    """Scheme, host, path, ``query`` (canonical: see ``query_parameters``), language and
    time zone.

    The raw ``Host`` is enough for a key (Django validates it before a view runs, and a key
    for an unknown host only ever holds what that host was served); building the absolute
    URI with its validation and escaping would cost more than the rest of a hit.
    """
    forwarded_host, use_i18n, use_tz = _key_settings()
    meta = request.META
    if forwarded_host and "HTTP_X_FORWARDED_HOST" in meta:
        host = meta["HTTP_X_FORWARDED_HOST"]
    else:
        host = meta.get("HTTP_HOST") or f"{meta.get('SERVER_NAME')}:{meta.get('SERVER_PORT')}"
    identity = f"{request.scheme}://{host}{request.path}?{query}"
    if use_i18n:
        # LocaleMiddleware sets LANGUAGE_CODE on the instance: a dict read, no AttributeError.
        identity += "\0" + (request.__dict__.get("LANGUAGE_CODE") or get_language() or "")
    if use_tz:
        identity += "\0" + get_current_timezone_name()
    return identity.encode()


@functools.cache
def _key_settings() -> tuple[bool, bool, bool]:
    """``USE_X_FORWARDED_HOST``, ``USE_I18N`` and ``USE_TZ``, read once (each read of
    ``django.conf.settings`` goes through its lazy wrapper)."""
    return (settings.USE_X_FORWARDED_HOST, settings.USE_I18N, settings.USE_TZ)


@receiver(setting_changed)
def _reset_key_settings(*, setting: str, **kwargs: Any) -> None:
    if setting in _KEY_SETTINGS:
        _key_settings.cache_clear()


def _url_digest(identity: bytes, cdn: CDNBackend) -> str:
    """The hash a URL's page keys share (the CDN changes the headers stored pages carry)."""
    return hashlib.blake2b(
        _KEY_VERSION + b"\0" + cdn.fingerprint.encode() + b"\0" + identity, digest_size=16
    ).hexdigest()


def _vary_names(response: HttpResponseBase) -> tuple[str, ...] | None:
    """The ``request.META`` names of the response's ``Vary`` headers; None for ``Vary: *``."""
    if not response.has_header("Vary"):
        return ()
    names = set()
    for header in _COMMA.split(response.headers["Vary"]):
        header = header.strip()
        if header == "*":
            return None
        if not header:
            continue
        meta = "HTTP_" + header.upper().replace("-", "_")
        # The key already holds the language when i18n is on (as in Django's middleware).
        if meta != "HTTP_ACCEPT_LANGUAGE" or not settings.USE_I18N:
            names.add(meta)
    return tuple(sorted(names))


# -- deciding what to store ------------------------------------------------------------------


def _not_storable_reason(
    request: HttpRequest, response: HttpResponseBase, collector: TagCollector
) -> str | None:
    if response.streaming:
        return "streaming response"
    if response.cookies:
        return "sets cookies"
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return "uses a CSRF token"
    if response.has_header("Cache-Control"):
        directives = {
            part.split("=", 1)[0].strip().lower()
            for part in _COMMA.split(response.headers["Cache-Control"])
        }
        if directives & _UNCACHEABLE_DIRECTIVES:
            return "Cache-Control forbids it"
    if not collector.tags:
        return "no DatoCMS query"
    return None


def _mark_draft(response: HttpResponseBase) -> HttpResponseBase:
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Robots-Tag"] = "noindex"
    response.headers[CACHE_STATUS_HEADER] = BYPASS
    return response


def _rendered(response: HttpResponseBase) -> HttpResponseBase:
    # Template responses render lazily; render inside the collector so that queries run by
    # template tags are counted.
    if isinstance(response, SimpleTemplateResponse) and not response.is_rendered:
        response.render()
    return response


def _payload(response: HttpResponseBase) -> tuple[int, dict[str, str], bytes]:
    headers = {k: v for k, v in response.items() if k != CACHE_STATUS_HEADER}
    return (response.status_code, headers, cast(HttpResponse, response).content)


def _from_payload(found: Lookup) -> HttpResponseBase:
    status, headers, content = found.payload
    record_hit(found.tags, found.tokens)
    return HttpResponse(content, status=status, headers=headers)


#: The tag store and the CDN backend of the current settings, fetched together once per page.
_parts: SettingsBound[tuple[TagStore, CDNBackend]] = SettingsBound(
    lambda conf: (get_store(), get_cdn())
)


class _Page:
    """One request's trip through the page cache (a ``fill.FillPlan``)."""

    def __init__(
        self,
        request: HttpRequest,
        conf: DatoCMSSettings,
        timeout: int | None,
        query_parameters: frozenset[str] | None = None,
    ) -> None:
        self.request = request
        self.conf = conf
        self.timeout = conf.CACHE_TIMEOUT if timeout is None else timeout
        self.store, self.cdn = _parts.get()
        # The common case, no query string, costs no call.
        query = (
            keyed_query(request, conf, query_parameters) if request.META.get("QUERY_STRING") else ""
        )
        # A request with parameters no view declared has no key: ``lookup`` answers
        # "uncacheable" without asking the store (so no fill lock is taken) and ``decide``
        # stores nothing. Its digest takes the raw query string, tagged, so that even a
        # mistaken write could never land on a keyed page.
        self.keyed = query is not None
        identity = _request_identity(
            request, query if query is not None else "\0raw:" + request.META.get("QUERY_STRING", "")
        )
        self.url_digest = _url_digest(identity, self.cdn)
        # The key of the URL's Vary list; also the name of its fill lock.
        self.vary_key = self.lock = "datocms:pv:" + self.url_digest
        self.wait = conf.TIMEOUT
        self.names = _VARY.get((self.store.alias, self.vary_key))

    def lookup(self) -> Lookup:
        if not self.keyed:
            return Lookup("uncacheable")
        known = self.names
        if known is not None:
            # An entry under the key these names give was stored from a response that
            # declared exactly this Vary: a hit is right for this request whatever the URL
            # varies on today. So a hit costs one round trip; only a miss re-reads the list.
            found = self.store.read(self._key(known), near=True)
            if found.status == "hit":
                return found
        names = self.store.get(self.vary_key)
        if not isinstance(names, tuple):
            return Lookup("miss")
        self._remember(names)
        if names == known:
            return found
        return self.store.read(self._key(names), near=True)

    def _remember(self, names: tuple[str, ...]) -> None:
        self.names = names
        if len(_VARY) >= _MAX_VARY:
            _VARY.clear()
        _VARY[(self.store.alias, self.vary_key)] = names

    def _key(self, names: tuple[str, ...]) -> str:
        """The key of this request's page: its URL's, plus the values of the request
        headers the page varies on (``names``)."""
        if not names:
            return "datocms:p:" + self.url_digest
        digest = hashlib.blake2b(self.url_digest.encode(), digest_size=16)
        meta = self.request.META
        for name in names:
            value = meta.get(name)
            # An absent header must not share a key with an empty one.
            digest.update(b"\0-" if value is None else b"\0=" + str(value).encode())
        return "datocms:p:" + digest.hexdigest()

    def decide(
        self, response: HttpResponseBase, collector: TagCollector
    ) -> Filled[HttpResponseBase]:
        if collector.draft:
            return Filled(_mark_draft(response))
        if collector.conflict:
            # Built from cached parts validated with different versions of a tag: one of
            # them is already stale. Serve it (the request began before that invalidation
            # was acknowledged) but never store it.
            self.cdn.patch_uncacheable(response)
            return Filled(response)
        if not self.keyed or response.status_code != 200:
            # Neither the page, nor the URL's Vary list, nor an "uncacheable" marker: a 404
            # for every random path, a redirect or an outage must not grow the cache, and a
            # request that bypasses it must leave no trace (see ``query_parameters``).
            skipped = f"status {response.status_code}" if self.keyed else "undeclared parameters"
            logger.debug("Not caching %s: %s", self.request.path, skipped)
            self.cdn.patch_uncacheable(response)
            return Filled(response)
        names = _vary_names(response)
        if names is None:
            self.cdn.patch_uncacheable(response)
            return Filled(response)
        try:
            # Learn the URL's Vary list even for pages we do not store: the short-lived
            # "uncacheable" marker lives under the key it gives.
            self.store.set(self.vary_key, names, timeout=self.timeout)
            self._remember(names)
        except CacheStoreError as exc:
            warn_store_failure(exc)
        reason = _not_storable_reason(self.request, response, collector)
        if reason is not None:
            logger.debug("Not caching %s: %s", self.request.path, reason)
            self.cdn.patch_uncacheable(response)
            # The marker only spares later requests the fill lock; they still render.
            return Filled(response, key=self._key(names), remember=True)
        set_response_etag(response)
        self.cdn.patch_response(response, collector.tags)
        return Filled(
            response,
            key=self._key(names),
            payload=_payload(response),
            tags=collector.tags,
            storable=True,
            pinned=dict(collector.pins),
        )

    def from_hit(self, found: Lookup) -> HttpResponseBase:
        return _from_payload(found)

    def fill(self) -> Flow[Effect, Filled[HttpResponseBase]]:
        """The page's fill: ``PRODUCE`` runs the view in a tag collector, then ``decide``."""
        produced: tuple[HttpResponseBase, TagCollector] = yield PRODUCE
        filled: Filled[HttpResponseBase] = yield StoreCall(self.decide, produced)
        return filled

    def finish(self, response: HttpResponseBase, status: str) -> HttpResponseBase:
        response.headers[CACHE_STATUS_HEADER] = status
        if (
            status != BYPASS
            and not self.request.META.keys().isdisjoint(_CONDITIONAL_HEADERS)
            and isinstance(response, HttpResponse)
            and response.has_header("ETag")
        ):
            conditional = get_conditional_response(
                self.request, etag=response.headers["ETag"], response=response
            )
            if conditional is not None and conditional is not response:
                conditional.headers[CACHE_STATUS_HEADER] = status
                return conditional
        return response


def _skips_cache(request: HttpRequest, conf: DatoCMSSettings) -> bool:
    """Requests served without a cache lookup (still watched for draft queries)."""
    return not conf.PAGE_CACHE or request.method not in ("GET", "HEAD") or is_draft_request(request)


def _uncached(response: HttpResponseBase, collector: TagCollector) -> HttpResponseBase:
    """A response the cache did not look up: private when the request or a query was a draft."""
    return _mark_draft(response) if collector.draft else response


def serve(
    request: HttpRequest,
    get_response: Callable[[HttpRequest], HttpResponseBase],
    *,
    timeout: int | None = None,
    query_parameters: frozenset[str] | None = None,
) -> HttpResponseBase:
    """Answer ``request`` from the page cache, or with ``get_response`` (and store it).

    ``query_parameters``: those the page is keyed on (None: as its view declares them).
    """
    if request.__dict__.get(_ACTIVE, False):
        return get_response(request)  # an outer serve() collects and decides
    setattr(request, _ACTIVE, True)

    def produce() -> tuple[HttpResponseBase, TagCollector]:
        with collect_tags() as collector:
            if is_draft_request(request):
                collector.mark_draft()
            response = _rendered(get_response(request))
        return response, collector

    conf = get_settings()
    if _skips_cache(request, conf):
        return _uncached(*produce())
    page = _Page(request, conf, timeout, query_parameters)  # no I/O: keys come from the request
    return page.finish(*get_or_fill(page, produce))


async def aserve(
    request: HttpRequest,
    get_response: Callable[[HttpRequest], Awaitable[HttpResponseBase]],
    *,
    timeout: int | None = None,  # noqa: ASYNC109  (the entry's lifetime, not a deadline)
    query_parameters: frozenset[str] | None = None,
) -> HttpResponseBase:
    """The async twin of ``serve``."""
    if request.__dict__.get(_ACTIVE, False):
        return await get_response(request)
    setattr(request, _ACTIVE, True)

    async def produce() -> tuple[HttpResponseBase, TagCollector]:
        with collect_tags() as collector:
            if is_draft_request(request):
                collector.mark_draft()
            response = _rendered(await get_response(request))
        return response, collector

    conf = get_settings()
    if _skips_cache(request, conf):
        return _uncached(*await produce())
    page = _Page(request, conf, timeout, query_parameters)
    return page.finish(*await aget_or_fill(page, produce))


# -- the 503 page ---------------------------------------------------------------------------


def unavailable_response(request: HttpRequest, error: Exception) -> HttpResponse:
    """The 503 page for a CDA outage (template ``datocms/unavailable.html``)."""
    retry_after = 30
    if isinstance(error, RateLimitError) and error.retry_after is not None:
        retry_after = max(1, int(error.retry_after + 0.999))
    logger.warning("DatoCMS is unavailable; answering 503 for %s: %s", request.path, error)
    html = render_to_string(
        "datocms/unavailable.html",
        {"retry_after": retry_after, "rate_limited": isinstance(error, RateLimitError)},
        request=request,
    )
    response = HttpResponse(html, status=503)
    response.headers["Retry-After"] = str(retry_after)
    response.headers["Cache-Control"] = "no-store"
    response.headers[CACHE_STATUS_HEADER] = BYPASS
    return response


# -- the decorator and the middleware ----------------------------------------------------------


@overload
def datocms_cache_page(
    view: ViewT,
    /,
    *,
    timeout: int | None = None,
    query_parameters: Collection[str] | None = None,
) -> ViewT: ...
@overload
def datocms_cache_page(
    *, timeout: int | None = None, query_parameters: Collection[str] | None = None
) -> Callable[[ViewT], ViewT]: ...
def datocms_cache_page(
    view: ViewT | None = None,
    /,
    *,
    timeout: int | None = None,
    query_parameters: Collection[str] | None = None,
) -> ViewT | Callable[[ViewT], ViewT]:
    """Cache a view's pages until DatoCMS invalidates the tags of the queries they ran.

    Use bare (``@datocms_cache_page``) or with options: ``timeout=`` (seconds an entry may
    live at most, default ``DATOCMS["CACHE_TIMEOUT"]``; freshness never depends on it) and
    ``query_parameters=["page"]``, the query parameters the view reads, each a part of the
    page's key (default ``DATOCMS["PAGE_CACHE_QUERY_PARAMETERS"]``; tracking parameters are
    dropped; a request with any other parameter is served uncached). Under
    ``PageCacheMiddleware`` the decorator only declares the parameters. Works on sync and
    async function views; wrap class-based views with ``method_decorator`` or
    ``datocms_cache_page(MyView.as_view(), ...)`` (the form the middleware sees).
    """
    if timeout is not None and (
        isinstance(timeout, bool) or not isinstance(timeout, int) or timeout <= 0
    ):
        raise InvalidArgument(f"timeout must be a positive number of seconds, got {timeout!r}.")
    declared = declared_parameters(query_parameters)

    def decorate(view_func: ViewT) -> ViewT:
        if not callable(view_func):
            raise InvalidArgument(
                f"datocms_cache_page decorates a view function, got {type(view_func).__name__}."
            )
        if iscoroutinefunction(view_func):

            @functools.wraps(view_func)
            async def async_view(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
                if request.__dict__.get(_ACTIVE, False):
                    # PageCacheMiddleware serves this request (and its outages) already.
                    return await view_func(request, *args, **kwargs)

                async def call(request: HttpRequest) -> HttpResponseBase:
                    response: HttpResponseBase = await view_func(request, *args, **kwargs)
                    return response

                try:
                    return await aserve(request, call, timeout=timeout, query_parameters=declared)
                except UNAVAILABLE_ERRORS as exc:
                    return unavailable_response(request, exc)

            return _declaring(cast(ViewT, async_view), declared)

        @functools.wraps(view_func)
        def sync_view(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            if request.__dict__.get(_ACTIVE, False):
                # PageCacheMiddleware serves this request (and its outages) already.
                return view_func(request, *args, **kwargs)

            def call(request: HttpRequest) -> HttpResponseBase:
                response: HttpResponseBase = view_func(request, *args, **kwargs)
                return response

            try:
                return serve(request, call, timeout=timeout, query_parameters=declared)
            except UNAVAILABLE_ERRORS as exc:
                return unavailable_response(request, exc)

        return _declaring(cast(ViewT, sync_view), declared)

    if view is not None:
        return decorate(view)
    return decorate


def _declaring(view: ViewT, declared: frozenset[str] | None) -> ViewT:
    """``view``, telling ``PageCacheMiddleware`` (which resolves the request's view before
    it runs) the query parameters it is keyed on."""
    if declared is not None:
        setattr(view, QUERY_PARAMETERS_ATTRIBUTE, declared)
    return view


class PageCacheMiddleware(HybridMiddleware):
    """The page cache for every view: add ``"datocms_app.caching.PageCacheMiddleware"``
    at the end of ``MIDDLEWARE`` (after session, locale and preview middleware).

    Only pages that ran DatoCMS queries are stored; others pass through (a 30-second marker
    spares them the fill lock). CDA outages become the 503 page. Query parameters are keyed
    as the resolved view declares them (``datocms_cache_page(query_parameters=...)``), else
    as ``DATOCMS["PAGE_CACHE_QUERY_PARAMETERS"]`` says.
    """

    def handle(self, request: HttpRequest) -> HttpResponseBase:
        return serve(request, self.get_response)

    async def ahandle(self, request: HttpRequest) -> HttpResponseBase:
        return await aserve(request, self.get_response)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, UNAVAILABLE_ERRORS):
            return unavailable_response(request, exception)
        return None
