"""Cache tags: what a response depended on, and what a content change invalidates.

A response's tags name the things it read (schema, site, the records and uploads it showed,
the collections it listed and the fields it filtered or sorted them on); a change
invalidates the tags of what it changed. The two sides use the same ``TagKey``s, so "any
change that can alter a response invalidates at least one of that response's tags" holds
by construction:

- ``schema``: every response (models, fields and locales shape every answer);
- ``site``: ``_site`` and ``_seoMetaTags`` (global SEO, favicon);
- ``record/<view>/<id>``: a record (or its absence) as seen with or without drafts; a
  link to a record that is not visible still tags it, so publishing it invalidates;
- ``collection/<view>/<model>``: which records of a model exist in a view (every
  collection, filter and singleton query);
- ``field/<view>/<model>/<field>``: a field (or meta field such as ``_publishedAt``)
  that a query filtered or sorted on;
- ``upload/<id>``: an asset's file and metadata;
- ``uploads``: which assets exist and what they are (``allUploads``, ``upload``,
  ``_allUploadsMeta``): any upload change invalidates it.

Draft and published views have separate tags, so saving a draft never purges public pages.
Tags are the semantic key hashed into 8 symbols of DatoCMS's 66-symbol alphabet: opaque,
stable across processes and restarts.
"""

from __future__ import annotations

import functools
import hashlib
import threading
from collections.abc import Iterable

__all__ = [
    "ALPHABET",
    "TagKey",
    "collection_tag",
    "describe",
    "encode",
    "field_tag",
    "record_tag",
    "schema_tag",
    "site_tag",
    "upload_tag",
    "uploads_tag",
]

#: DatoCMS's cache-tag alphabet (Content Delivery API > Cache Tags > Encoding).
ALPHABET = "!\"#$%&@'()*+-./0123456789:;<=>?[\\]^_abcdefghijklmnopqrstuvwxyz{|}~"
TAG_LENGTH = 8

TagKey = tuple[str, ...]

_names: dict[str, TagKey] = {}
_names_lock = threading.Lock()
_MAX_NAMES = 100_000


@functools.lru_cache(maxsize=65_536)
def encode(key: TagKey) -> str:
    """The opaque tag of a semantic key (also remembered for ``describe``)."""
    digest = hashlib.blake2b("\x1f".join(key).encode(), digest_size=8).digest()
    number = int.from_bytes(digest, "big")
    symbols = []
    for _ in range(TAG_LENGTH):
        number, index = divmod(number, len(ALPHABET))
        symbols.append(ALPHABET[index])
    tag = "".join(symbols)
    if tag not in _names and len(_names) < _MAX_NAMES:
        with _names_lock:
            _names[tag] = key
    return tag


def describe(tags: Iterable[str]) -> list[str]:
    """Human-readable meanings of tags this process produced (for debugging and tests)."""
    return ["/".join(_names[tag]) if tag in _names else f"? {tag}" for tag in tags]


def schema_tag() -> str:
    return encode(("schema",))


def site_tag() -> str:
    return encode(("site",))


def record_tag(view: str, record_id: str) -> str:
    return encode(("record", view, record_id))


def collection_tag(view: str, model: str) -> str:
    return encode(("collection", view, model))


def field_tag(view: str, model: str, field: str) -> str:
    return encode(("field", view, model, field))


def upload_tag(upload_id: str) -> str:
    return encode(("upload", upload_id))


def uploads_tag() -> str:
    return encode(("uploads",))
