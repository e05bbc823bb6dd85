"""Request-scoped state: a context variable set for the length of a ``with`` block.

The page's tag collector, the recorder of its queries and draft mode each live in a
``ContextVar``, so they follow a request into template tags, ``sync_to_async`` threads and
async tasks, and never leak into another request. ``scoped`` is the one way they are set.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

__all__ = ["scoped"]

T = TypeVar("T")


@contextmanager
def scoped(variable: ContextVar[Any], value: T) -> Iterator[T]:
    """Set ``variable`` to ``value`` inside the ``with`` block; restore it afterwards.

    ``variable`` is typed loosely: it usually holds ``T | None`` (None outside any block).
    """
    token = variable.set(value)
    try:
        yield value
    finally:
        variable.reset(token)
