"""Where a DatoCMS record lives on the demo site: ``DATOCMS["RECORD_URL_RESOLVER"]``.

Structured text links to records (``itemLink``, ``inlineItem``) get their ``href`` from
``record_url``, and so do the Web Previews plugin's preview links (``datocms_app.preview``),
which pass the record as the Content Management API describes it, normalised to the same
shape (``__typename``, the ``slug`` in the editor's locale), and ``locale=``. The record's
``__typename`` picks the URL name and its ``slug`` fills it in; ``reverse`` uses the active
language (or ``locale``'s), so Italian pages link to Italian URLs. The home singleton is the
home page; other records without a page (blocks, a record whose query did not select
``slug``) give ``None`` and their links render as plain text.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils import translation

__all__ = ["URL_NAMES", "record_url"]

# GraphQL type -> URL name in project/urls.py (each takes a ``slug``).
URL_NAMES = {
    "ArticleRecord": "article",
    "AuthorRecord": "author",
    "CategoryRecord": "category",
}


def record_url(record: Any, *, locale: str | None = None) -> str | None:
    """The URL of ``record`` (a record with ``__typename`` and ``slug``), or ``None``.

    ``locale``: the DatoCMS locale to link in (default: the active language).
    """
    if not isinstance(record, Mapping):
        return None
    if locale is None:
        return _reverse(record)
    with translation.override(locale):
        return _reverse(record)


def _reverse(record: Mapping[str, Any]) -> str | None:
    typename = record.get("__typename", "")
    if typename == "HomeRecord":
        return reverse("home")
    url_name = URL_NAMES.get(typename)
    slug = record.get("slug")
    if url_name is None or not isinstance(slug, str) or not slug:
        return None
    try:
        return reverse(url_name, kwargs={"slug": slug})
    except NoReverseMatch:
        return None
