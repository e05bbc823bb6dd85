"""Protocols written once, free of I/O, and driven by a sync or an async driver.

A *flow* is a generator that yields *effects* (what it needs done: a cache call, a sleep, a
CDA request, the view to run) and receives their results; when an effect fails, the driver
throws the exception into the flow at the ``yield``, so the flow's own ``try``/``finally``
decide (a fill lock is released whatever happens). The flow's ``return`` value is the
driver's result. This is how httpx writes ``Auth.auth_flow`` once for both clients: a race
fix in the fill protocol (``caching.fill``), page serving (``caching.page_cache``) or
pagination (``cda``) is made in one place.

::

    def countdown(n):
        while n:
            n = yield n            # the effect; the driver sends back its result
        return "done"

    run(countdown(3), lambda n: n - 1)                  # "done"
    await arun(countdown(3), some_async_performer)      # the same flow, awaited

This module must never know what the effects mean: performers do.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Generator
from typing import Any, TypeVar

__all__ = ["Flow", "arun", "run"]

R = TypeVar("R")
E = TypeVar("E")

#: A flow that yields effects of type ``E`` and returns ``R``.
Flow = Generator[E, Any, R]


# The two drivers repeat each other on purpose: they are on every cache hit's path, where a
# shared helper would cost a call per step.


def run(flow: Flow[E, R], perform: Callable[[E], Any]) -> R:
    """Drive ``flow`` to its end, performing each effect with ``perform``."""
    send, throw = flow.send, flow.throw
    try:
        effect = send(None)
        while True:
            try:
                result = perform(effect)
            except BaseException as exc:  # the flow decides, e.g. releases its lock, re-raises
                effect = throw(exc)
            else:
                effect = send(result)
    except StopIteration as stop:
        value: R = stop.value
        return value


async def arun(flow: Flow[E, R], perform: Callable[[E], Awaitable[Any]]) -> R:
    """The async driver: like ``run``, awaiting each effect (cancellation reaches the flow)."""
    send, throw = flow.send, flow.throw
    try:
        effect = send(None)
        while True:
            try:
                result = await perform(effect)
            except BaseException as exc:
                effect = throw(exc)
            else:
                effect = send(result)
    except StopIteration as stop:
        value: R = stop.value
        return value
