"""imgix URLs: add or replace rendering parameters on a DatoCMS asset URL.

DatoCMS serves uploads through imgix (``https://www.datocms-assets.com/...``); any URL of an
image can take imgix parameters (``w``, ``h``, ``fit``, ``auto``, ``dpr``...). The offline
emulator's asset view understands the same parameters.

``imgix_url`` merges parameters with those already in the URL and writes the query sorted by
name, percent-encoded as RFC 3986 asks (unreserved characters and ``,`` stay as they are), so
the same image with the same parameters always has the same URL, whatever order the template
wrote them in: a CDN caches it once.

This module also holds ``js_number`` and the ``URLSearchParams``-compatible query helpers
that ``picture`` uses to generate a ``srcset`` exactly as react-datocms does.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from urllib.parse import parse_qsl, quote, quote_plus

from datocms_app.exceptions import InvalidArgument

__all__ = ["imgix_url", "js_number"]

_PARAM_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]*\Z")

ParamValue = str | int | float | bool | Sequence[str | int | float] | None


def js_number(value: float) -> str:
    """``value`` as JavaScript's ``String(number)`` writes it: ``2``, ``0.25``, ``1.5``."""
    if isinstance(value, int):
        return str(value)
    if value.is_integer() and abs(value) < 1e21:
        return str(int(value))
    return repr(value)


def split_url(url: str) -> tuple[str, str, str]:
    """``(before ?, query without ?, #fragment or "")``."""
    base, _, fragment = url.partition("#")
    base, _, query = base.partition("?")
    return base, query, ("#" + fragment if fragment else "")


def _param_text(name: str, value: ParamValue) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        if value != value or value in (float("inf"), float("-inf")):
            raise InvalidArgument(f"imgix parameter {name!r} must be a finite number, got {value}")
        return js_number(value)
    if isinstance(value, str):
        return value
    if isinstance(value, list | tuple):
        return ",".join(_param_text(name, item) or "" for item in value)
    raise InvalidArgument(
        f"imgix parameter {name!r} must be a string, number, boolean, list or None, "
        f"got {type(value).__name__}. Example: imgix_url(url, w=800, auto=['format', 'compress'])."
    )


def imgix_url(url: str, **params: ParamValue) -> str:
    """``url`` with ``params`` merged into its query (new values win), sorted by name.

    Names may use ``_`` for ``-`` (``max_w=800`` is ``max-w=800``), since Python keywords and
    template arguments cannot contain dashes. Values: strings, numbers (``1.5``, ``2``),
    booleans (``true``/``false``), lists (comma-joined: ``auto=["format", "compress"]``), and
    ``None``, which removes the parameter. The fragment is kept.

    >>> imgix_url("https://www.datocms-assets.com/1/a.jpg?w=100", w=800, auto="format")
    'https://www.datocms-assets.com/1/a.jpg?auto=format&w=800'
    """
    if not isinstance(url, str) or not url.strip():
        raise InvalidArgument(
            f"imgix_url() needs the URL of an image as a non-empty string, got {url!r}. "
            "Pass `upload.url` (or `responsiveImage.src`)."
        )
    base, query, fragment = split_url(url.strip())
    merged: dict[str, str] = dict(parse_qsl(query, keep_blank_values=True))
    for raw_name, value in params.items():
        name = raw_name.replace("_", "-")
        if not _PARAM_NAME.match(name):
            raise InvalidArgument(
                f"{raw_name!r} is not an imgix parameter name (letters, digits and dashes, "
                "such as 'w', 'max-w' or 'fp-x')."
            )
        text = _param_text(name, value)
        if text is None:
            merged.pop(name, None)
        else:
            merged[name] = text
    if not merged:
        return base + fragment
    encoded = "&".join(
        f"{quote(name, safe='')}={quote(merged[name], safe=',')}" for name in sorted(merged)
    )
    return f"{base}?{encoded}{fragment}"


# --- URLSearchParams, as react-datocms' srcset generator uses it ------------------------------


def parse_search_params(query: str) -> list[list[str]]:
    """``new URLSearchParams(query)`` as a list of ``[name, value]`` pairs."""
    return [[name, value] for name, value in parse_qsl(query, keep_blank_values=True)]


def search_params_set(pairs: list[list[str]], name: str, value: str) -> None:
    """``URLSearchParams.set``: replace the first ``name`` in place, drop the others, or append."""
    found = False
    index = 0
    while index < len(pairs):
        if pairs[index][0] == name:
            if found:
                del pairs[index]
                continue
            pairs[index][1] = value
            found = True
        index += 1
    if not found:
        pairs.append([name, value])


def search_params_get(pairs: Iterable[list[str]], name: str) -> str | None:
    for pair_name, value in pairs:
        if pair_name == name:
            return value
    return None


def _form_encode(text: str) -> str:
    # application/x-www-form-urlencoded as the URL standard writes it: only ASCII alphanumerics
    # and "*-._" stay as they are, space becomes "+" (Python would also keep "~").
    return quote_plus(text, safe="*").replace("~", "%7E")


def serialize_search_params(pairs: Iterable[list[str]]) -> str:
    """``URLSearchParams.toString()``."""
    return "&".join(f"{_form_encode(name)}={_form_encode(value)}" for name, value in pairs)
