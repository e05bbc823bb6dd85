"""The emulated CMA's routes: ``(method, path pattern) -> handler``.

Patterns are the CMA's paths with ``:name`` segments (``/items/:id/publish``); ``Router.match``
returns the handler and the segments' values, or refuses with ``INVALID_ENDPOINT`` naming
what exists at that path. Handlers are registered by the resource modules (``items``,
``schema_endpoints``, ``uploads``...), so adding an endpoint is one ``add`` call.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from datocms_app.emulator.cma.errors import refused

__all__ = ["Route", "Router"]


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

    def add(
        self, method: str, pattern: str, handler: Callable[..., Any], *, public: bool = False
    ) -> None:
        self.routes.append(Route(method, pattern, handler, public))

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
