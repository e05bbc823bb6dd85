"""HTTP answers for the emulator's files (uploads, videos, segments): ranges and validators.

Browsers fetch video with ``Range: bytes=0-`` and seek with later ranges, so every file the
emulator serves as-is answers them the way a CDN does: ``206 Partial Content`` with
``Content-Range: bytes first-last/size`` for one satisfiable range, ``416 Range Not
Satisfiable`` with ``Content-Range: bytes */size`` for an invalid or unsatisfiable one,
and the whole file (200) when there is no ``Range``, a unit other than ``bytes``, several
ranges at once (allowed by the RFC), or an ``If-Range`` that no longer matches the ETag.
``apply_range`` is pure: it takes and returns ``(status, headers, body)``.
``etag_matches`` answers ``If-None-Match`` (a match is a 304); ``text_answer`` is the
one-line plain-text body of the emulator's 4xx answers. Nothing here reads files.
"""

from __future__ import annotations

import re
from typing import Final

__all__ = ["UNSATISFIABLE", "apply_range", "etag_matches", "parse_range", "text_answer"]

Headers = list[tuple[str, str]]

#: ``parse_range``'s answer for a range the resource cannot satisfy (or an invalid one).
UNSATISFIABLE: Final = "unsatisfiable"
_SPEC = re.compile(r"^(\d*)-(\d*)$")


def parse_range(header: str, size: int) -> tuple[int, int] | str | None:
    """The inclusive ``(first, last)`` byte positions ``header`` asks of ``size`` bytes.

    ``None`` means "serve the whole representation" (no header, another unit, several
    ranges); ``UNSATISFIABLE`` means 416.
    """
    if not header.strip():
        return None
    unit, _, ranges = header.partition("=")
    if unit.strip().lower() != "bytes":
        return None
    specs = [spec.strip() for spec in ranges.split(",")]
    if len(specs) != 1:
        return None
    match = _SPEC.match(specs[0])
    if match is None or match.group(1) == match.group(2) == "":
        return UNSATISFIABLE
    first, last = match.group(1), match.group(2)
    if first == "":  # a suffix: the last N bytes
        length = int(last)
        if length == 0 or size == 0:
            return UNSATISFIABLE
        return max(0, size - length), size - 1
    start = int(first)
    end = size - 1 if last == "" else int(last)
    if end < start or start >= size:
        return UNSATISFIABLE
    return start, min(end, size - 1)


def apply_range(
    status: int,
    headers: Headers,
    body: bytes,
    *,
    range_header: str = "",
    if_range: str = "",
    etag: str = "",
) -> tuple[int, Headers, bytes]:
    """A 200 answer narrowed to the requested range (206/416); other answers unchanged.

    ``Content-Length`` is set (in place when ``headers`` has one) to what is sent, and
    ``Accept-Ranges: bytes`` added to every 200/206 so players know they may seek.
    """
    if status != 200:
        return status, headers, body
    size = len(body)
    wanted = parse_range(range_header, size)
    if wanted is not None and if_range.strip() and not _strong_match(if_range, etag):
        wanted = None
    if wanted is None:
        return 200, [*_with_length(headers, size), ("Accept-Ranges", "bytes")], body
    if wanted == UNSATISFIABLE:
        status, answer, message = text_answer(
            416, f"Range Not Satisfiable: {range_header.strip()!r} of {size} bytes."
        )
        cors = [(name, value) for name, value in headers if name.lower().startswith("access-")]
        return status, [*answer, *cors, ("Content-Range", f"bytes */{size}")], message
    assert isinstance(wanted, tuple)
    first, last = wanted
    part = body[first : last + 1]
    return 206, [
        *_with_length(headers, len(part)),
        ("Accept-Ranges", "bytes"),
        ("Content-Range", f"bytes {first}-{last}/{size}"),
    ], part  # fmt: skip


def _with_length(headers: Headers, length: int) -> Headers:
    if not any(name.lower() == "content-length" for name, _ in headers):
        return [*headers, ("Content-Length", str(length))]
    return [
        (name, str(length) if name.lower() == "content-length" else value)
        for name, value in headers
    ]


def _strong_match(if_range: str, etag: str) -> bool:
    """If-Range compares strongly: a weak validator (``W/"..."``) never matches."""
    value = if_range.strip()
    return bool(etag) and not value.startswith("W/") and value == etag


def etag_matches(if_none_match: str, etag: str) -> bool:
    """Whether ``If-None-Match`` lists ``etag`` (compared weakly) or is ``*``."""
    tags = [tag.strip().removeprefix("W/") for tag in if_none_match.split(",") if tag.strip()]
    return "*" in tags or etag in tags


def text_answer(status: int, message: str) -> tuple[int, Headers, bytes]:
    """A plain-text answer of one line, never cached (errors)."""
    body = (message + "\n").encode()
    return status, [
        ("Content-Type", "text/plain; charset=utf-8"),
        ("Content-Length", str(len(body))),
        ("Cache-Control", "no-store"),
    ], body  # fmt: skip
