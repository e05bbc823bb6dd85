"""``DraftModeMiddleware``: turns a valid draft-mode cookie into a draft request.

Add ``"datocms_app.preview.DraftModeMiddleware"`` to ``MIDDLEWARE`` *before*
``datocms_app.caching.PageCacheMiddleware`` (``manage.py check``: datocms.E070), so that the
page cache knows a request is a draft before it looks it up. For each request it:

- reads the draft-mode cookie (``cookies``): when it is valid, sets ``request.datocms_draft``
  (the attribute the page cache honours: no read or write of the page cache, query cache or
  CDN) and runs the view inside ``datocms_app.cda.draft_mode()``, so that every query of the
  module functions sends ``X-Include-Drafts: true`` with ``PREVIEW_API_TOKEN``; a cookie that
  was tampered with, has expired or was signed with another secret is ignored and cleared;
- records the queries the page runs, when it gets live updates (``recording``,
  ``live_updates``);
- gives draft responses their headers (``headers``): private, ``noindex``, framable by the
  Web Previews plugin.

Sync and async: it runs the view the way the stack around it does.

This module must never mark a request as draft without a cookie it verified.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from contextlib import ExitStack, contextmanager

from django.http import HttpRequest, HttpResponseBase

from datocms_app.caching.page_cache import DRAFT_REQUEST_ATTRIBUTE
from datocms_app.cda.draft_mode import draft_mode
from datocms_app.conf import DatoCMSSettings, get_settings
from datocms_app.hybrid_middleware import HybridMiddleware
from datocms_app.preview.cookies import CookieState, delete_draft_cookie, read_draft_cookie
from datocms_app.preview.headers import patch_draft_response
from datocms_app.preview.live_updates import live_updates_apply
from datocms_app.preview.recording import record_queries

__all__ = ["DraftModeMiddleware"]


class _Visit:
    """One request's trip through the middleware (the parts sync and async share)."""

    __slots__ = ("conf", "cookie", "draft", "request")

    def __init__(self, request: HttpRequest) -> None:
        self.request = request
        self.conf: DatoCMSSettings = get_settings()
        self.cookie = read_draft_cookie(request, self.conf)
        self.draft = self.cookie is CookieState.VALID
        if self.draft:
            setattr(request, DRAFT_REQUEST_ATTRIBUTE, True)

    @contextmanager
    def scope(self) -> Iterator[None]:
        with ExitStack() as stack:
            if self.draft:
                stack.enter_context(draft_mode())
            if live_updates_apply(self.request, self.conf):
                # A view's own client for another project is not followed (see recording).
                endpoint = self.conf.CDA_URL if self.conf.API_TOKEN else None
                stack.enter_context(record_queries(endpoint=endpoint))
            yield

    def finish(self, response: HttpResponseBase) -> HttpResponseBase:
        if self.draft:
            patch_draft_response(response, self.conf.PREVIEW_FRAME_ANCESTORS)
        elif self.cookie is CookieState.INVALID:
            delete_draft_cookie(response, self.request)
            # A response that sets a cookie is for this browser alone.
            response.headers["Cache-Control"] = "private, no-store"
        return response


class DraftModeMiddleware(HybridMiddleware):
    """Draft mode for requests with a valid draft-mode cookie (see the module docstring)."""

    def handle(self, request: HttpRequest) -> HttpResponseBase:
        visit = _Visit(request)
        with visit.scope():
            response: HttpResponseBase = self.get_response(request)
        return visit.finish(response)

    async def ahandle(self, request: HttpRequest) -> HttpResponseBase:
        visit = _Visit(request)
        get_response: Callable[[HttpRequest], Awaitable[HttpResponseBase]] = self.get_response
        with visit.scope():
            response = await get_response(request)
        return visit.finish(response)
