"""What a successful Content Delivery API call returns."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import httpx

__all__ = ["CDAResponse", "parse_cache_tags"]


@dataclass(frozen=True, slots=True)
class CDAResponse:
    """A successful CDA response.

    ``data`` is the GraphQL ``data`` object; ``cache_tags`` the ``X-Cache-Tags`` header split
    on spaces (opaque strings: store and compare them, never parse them); ``request_id`` is
    DatoCMS's ``x-request-id``, worth logging next to anything that went wrong.
    """

    data: dict[str, Any]
    cache_tags: list[str] = field(default_factory=list)
    request_id: str | None = None
    headers: httpx.Headers = field(default_factory=httpx.Headers)
    status_code: int = 200


def parse_cache_tags(header: str | None) -> list[str]:
    """Split an ``X-Cache-Tags`` header value into its tags, in order, without duplicates."""
    if not header:
        return []
    return list(dict.fromkeys(header.split()))
