"""The emulated CMA's routes: ``(method, path pattern) -> handler``.

Patterns are the CMA's paths with ``:name`` segments (``/items/:id/publish``); ``Router.match``
returns the handler and the segments' values, or refuses with ``INVALID_ENDPOINT`` naming
what exists at that path. Handlers are registered by the resource modules (``items``,
``schema_endpoints``, ``uploads``...), one ``add`` call per path with a handler per method
(``router.add("/items/:id", GET=find_item, PUT=update_item)``), so adding an endpoint is
one keyword.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from datocms_app.emulator.cma.errors import refused
from datocms_app.exceptions import InvalidArgument

__all__ = ["Route", "Router"]

_METHODS = frozenset({"GET", "POST", "PUT", "DELETE"})


@dataclass(frozen=True, slots=True)
class Route:
    method: str
    pattern: str
    handler: Callable[..., Any]
    #: Public routes skip the CMA's headers and token (the upload storage's PUT target,
    #: whose URL is its own credential, like an S3 presigned URL).
    public: bool = False

    @property
    def segments(self) -> tuple[str, ...]:
        return tuple(self.pattern.strip("/").split("/"))


class Router:
    def __init__(self) -> None:
        self.routes: list[Route] = []

    def add(self, pattern: str, *, public: bool = False, **handlers: Callable[..., Any]) -> None:
        """Route ``pattern``: ``handlers`` by HTTP method (``GET=...``), in the order given."""
        if not handlers or not set(handlers) <= _METHODS:
            raise InvalidArgument(
                f"Router.add({pattern!r}) takes its handlers by HTTP method, e.g. "
                f"GET=find_item; got {', '.join(handlers) or 'none'}."
            )
        self.routes.extend(
            Route(method, pattern, handler, public) for method, handler in handlers.items()
        )

    def match(self, method: str, path: str) -> tuple[Route, dict[str, str]]:
        """The route for ``method path`` and its ``:name`` values; refuses unknown ones."""
        parts = tuple(unquote(part) for part in path.strip("/").split("/"))
        allowed = []
        for route in self.routes:
            values = _values(route.segments, parts)
            if values is None:
                continue
            if route.method == method:
                return route, values
            allowed.append(route.method)
        if allowed:
            raise refused(
                "INVALID_ENDPOINT",
                f"{method} {path} does not exist; this path answers {', '.join(allowed)}.",
                allowed=allowed,
            )
        raise refused(
            "INVALID_ENDPOINT",
            f"{method} {path} is not an endpoint of the emulated Content Management API "
            "(see docs/emulator.md for the ones it implements).",
        )


def _values(pattern: tuple[str, ...], parts: tuple[str, ...]) -> dict[str, str] | None:
    if len(pattern) != len(parts):
        return None
    values: dict[str, str] = {}
    for expected, part in zip(pattern, parts, strict=True):
        if expected.startswith(":"):
            if not part:
                return None
            values[expected[1:]] = part
        elif expected != part:
            return None
    return values
