"""Where a DatoCMS record lives on the demo site: ``DATOCMS["RECORD_URL_RESOLVER"]``.

Structured text links to records (``itemLink``, ``inlineItem``) get their ``href`` from
``record_url``. The record's ``__typename`` picks the URL name and its ``slug`` fills it in;
``reverse`` uses the active language, so Italian pages link to Italian URLs. Records without
a page (blocks, the home singleton, a record whose query did not select ``slug``) give
``None`` and their links render as plain text.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.urls import NoReverseMatch, reverse

__all__ = ["URL_NAMES", "record_url"]

# GraphQL type -> URL name in project/urls.py (each takes a ``slug``).
URL_NAMES = {
    "ArticleRecord": "article",
    "AuthorRecord": "author",
    "CategoryRecord": "category",
}


def record_url(record: Any) -> str | None:
    """The URL of ``record`` (a CDA record with ``__typename`` and ``slug``), or ``None``."""
    if not isinstance(record, Mapping):
        return None
    url_name = URL_NAMES.get(record.get("__typename", ""))
    slug = record.get("slug")
    if url_name is None or not isinstance(slug, str) or not slug:
        return None
    try:
        return reverse(url_name, kwargs={"slug": slug})
    except NoReverseMatch:
        return None
