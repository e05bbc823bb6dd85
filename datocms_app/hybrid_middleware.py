"""The base of the app's middleware: one class that Django runs in sync and async stacks.

Django calls a middleware's ``__call__`` with each request; in an async stack (ASGI with
async middleware all the way) it must be a coroutine function. ``HybridMiddleware`` says it
can do both and dispatches to ``handle`` (sync) or ``ahandle`` (async), which subclasses
write — so no request ever crosses a thread just because of our middleware.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from asgiref.sync import iscoroutinefunction, markcoroutinefunction
from django.http import HttpRequest, HttpResponseBase

__all__ = ["HybridMiddleware"]


class HybridMiddleware:
    """Subclasses implement ``handle(request)`` and ``ahandle(request)``."""

    sync_capable = True
    async_capable = True

    def __init__(self, get_response: Callable[[HttpRequest], Any]) -> None:
        self.get_response = get_response
        self.is_async = iscoroutinefunction(get_response)
        if self.is_async:
            markcoroutinefunction(self)

    def __call__(self, request: HttpRequest) -> Any:
        if self.is_async:
            return self.ahandle(request)
        return self.handle(request)

    def handle(self, request: HttpRequest) -> HttpResponseBase:
        raise NotImplementedError(f"{type(self).__name__} must implement handle()")

    def ahandle(self, request: HttpRequest) -> Awaitable[HttpResponseBase]:
        raise NotImplementedError(f"{type(self).__name__} must implement ahandle()")
