"""Reading whole collections past the CDA's 500-records page limit.

The query declares ``$first: IntType`` and ``$skip: IntType`` and passes them to the collection
field; we run it page after page until a page comes back short::

    ALL_SLUGS = '''
      query AllSlugs($first: IntType, $skip: IntType) {
        allArticles(first: $first, skip: $skip, orderBy: _createdAt_ASC) { slug }
      }
    '''
    articles = cda.paginate(ALL_SLUGS, collection="allArticles")

Order by a stable field: records published between two pages otherwise shift the pages.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from datocms_app.cda.response import CDAResponse
from datocms_app.exceptions import InvalidArgument
from datocms_app.flows import Flow

__all__ = ["MAX_PAGE_SIZE", "PageCursor"]

#: The CDA's hard limit for ``first``.
MAX_PAGE_SIZE = 500


class PageCursor:
    """The bookkeeping of one pagination run; ``pages()`` is the protocol, written once for
    ``paginate`` and ``apaginate`` (see ``datocms_app.flows``)."""

    def __init__(
        self,
        query: str,
        variables: Mapping[str, Any] | None,
        *,
        collection: str,
        page_size: int = MAX_PAGE_SIZE,
        limit: int | None = None,
    ) -> None:
        if "$first" not in query or "$skip" not in query:
            raise InvalidArgument(
                "paginate() needs a query that declares $first: IntType and $skip: IntType "
                "and passes them to the collection field, e.g. "
                "allArticles(first: $first, skip: $skip)."
            )
        if not isinstance(collection, str) or not collection:
            raise InvalidArgument(
                "collection must name the list field in the query's data, e.g. 'allArticles'."
            )
        if isinstance(page_size, bool) or not isinstance(page_size, int):
            raise InvalidArgument(f"page_size must be an integer, got {page_size!r}.")
        if not 1 <= page_size <= MAX_PAGE_SIZE:
            raise InvalidArgument(
                f"page_size must be between 1 and {MAX_PAGE_SIZE} (the CDA's limit for "
                f"'first'), got {page_size}."
            )
        if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int)):
            raise InvalidArgument(f"limit must be an integer or None, got {limit!r}.")
        if limit is not None and limit < 0:
            raise InvalidArgument(f"limit must be >= 0, got {limit}.")
        self.query = query
        self.base_variables = dict(variables or {})
        self.path = collection.split(".")
        self.page_size = page_size
        self.limit = limit
        self.records: list[Any] = []
        self.cache_tags: list[str] = []
        self.done = limit == 0
        self._asked = 0

    def pages(self) -> Flow[dict[str, Any], list[Any]]:
        """Yield each page's variables, receive its ``CDAResponse``; return every record."""
        while not self.done:
            response: CDAResponse = yield self.next_variables()
            self.add_page(response.data, response.cache_tags)
        return self.records

    def next_variables(self) -> dict[str, Any]:
        """The variables for the next page."""
        first = self.page_size
        if self.limit is not None:
            first = min(first, self.limit - len(self.records))
        self._asked = first
        return {**self.base_variables, "first": first, "skip": len(self.records)}

    def add_page(self, data: Mapping[str, Any], cache_tags: list[str]) -> None:
        """Record a page's items; ``done`` turns true on a short page or at ``limit``."""
        page: Any = data
        for key in self.path:
            if not isinstance(page, Mapping) or key not in page:
                raise InvalidArgument(
                    f"collection {'.'.join(self.path)!r} is not in the query's data "
                    f"(keys: {sorted(data)})."
                )
            page = page[key]
        if not isinstance(page, list):
            raise InvalidArgument(
                f"collection {'.'.join(self.path)!r} is not a list in the query's data."
            )
        self.records.extend(page)
        self.cache_tags.extend(tag for tag in cache_tags if tag not in self.cache_tags)
        reached_limit = self.limit is not None and len(self.records) >= self.limit
        self.done = len(page) < self._asked or reached_limit
