"""What an author's link may put into an ``<a>``: its URL and the attributes from ``meta``.

These are the two places where content becomes attributes, and where we are deliberately
safer than ``datocms-structured-text-to-html-string``:

- ``safe_url`` refuses ``javascript:`` and ``vbscript:`` URLs, and ``data:`` URLs other than
  raster images, however they are disguised (case, leading blanks, tabs or newlines inside
  the scheme, which browsers ignore). The link keeps its text but loses its ``href``.
- ``is_safe_link_attribute`` lets through only allow-listed attribute names from a meta
  transformer's result: ``target``, ``title`` and ``rel`` (what the default transformer
  keeps, like the reference), plus ``hreflang``, ``type``, ``download``, ``referrerpolicy``,
  ``lang``, ``class``, ``id``, ``data-*`` and ``aria-*`` for custom transformers. Never
  ``href`` (the URL's own), ``style``, or an event handler.

Values are escaped by ``datocms_app.escaping`` when written; this module only decides.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any, Final

__all__ = [
    "SAFE_LINK_ATTRIBUTES",
    "MetaTransformer",
    "default_meta_transformer",
    "is_safe_link_attribute",
    "safe_url",
]

MetaTransformer = Callable[[dict[str, Any], list[Any]], Mapping[str, object] | None]

SAFE_LINK_ATTRIBUTES: Final = frozenset(
    {
        "target",
        "title",
        "rel",
        "hreflang",
        "type",
        "download",
        "referrerpolicy",
        "lang",
        "class",
        "id",
    }
)
_DATA_OR_ARIA: Final = re.compile(r"(?:data-[a-z0-9][a-z0-9._-]*|aria-[a-z]+)\Z")

# Browsers drop leading/trailing C0 controls and spaces and ignore tabs and newlines anywhere
# in a URL; removing every such character before reading the scheme sees what they see.
_IGNORED_BY_BROWSERS: Final = re.compile(r"[\x00-\x20\x7f]+")
_SAFE_DATA_URL: Final = re.compile(r"data:image/(?:png|gif|jpe?g|webp|avif|bmp|x-icon)[;,]")


def safe_url(url: str) -> str | None:
    """``url`` unchanged, or ``None`` when following it could run script."""
    if ":" not in url:
        return url
    probe = _IGNORED_BY_BROWSERS.sub("", url).lower()
    scheme = probe.partition(":")[0]
    if scheme in ("javascript", "vbscript"):
        return None
    if scheme == "data" and not _SAFE_DATA_URL.match(probe):
        return None
    return url


def is_safe_link_attribute(name: str) -> bool:
    """Whether a meta transformer may set attribute ``name`` on a link."""
    return name in SAFE_LINK_ATTRIBUTES or bool(_DATA_OR_ARIA.match(name))


def default_meta_transformer(node: dict[str, Any], meta: list[Any]) -> dict[str, object]:
    """Keep ``target``, ``title`` and ``rel`` entries, as the reference renderer does.

    Later entries with the same id replace earlier values (and keep the first position).
    """
    attributes: dict[str, object] = {}
    for entry in meta:
        if isinstance(entry, dict):
            entry_id = entry.get("id")
            if entry_id in ("target", "title", "rel"):
                attributes[entry_id] = entry.get("value")
    return attributes
