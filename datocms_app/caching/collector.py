"""The tags of the DatoCMS content a piece of work used, collected in a contextvar.

The page cache opens a collector around a view; every query run inside it (cached or not,
sync or async, from the view or from a template tag) adds its cache tags, and a draft query
marks it. A query answered from the cache also *pins* the tag versions it was validated with,
so the page stored from it can never look fresher than its parts (see ``versions``). Collectors
nest: what is added to an inner one reaches the outer ones too. ::

    with collect_tags() as collected:
        html = render_to_string("article.html", context)
    collected.tags     # the union of the tags of every query that ran, in order

Every client reports its queries to this module (``PageObserver``, registered with
``datocms_app.cda.hooks`` on import): whoever built the client and however the query was
made, a draft query marks the open collectors and every answer adds its tags. This is the
one place that enforces draft isolation; the page cache only honours the mark.

This module must stay cheap when nobody collects: the observer is on every query's path.
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import AbstractContextManager
from contextvars import ContextVar

from datocms_app.cda import hooks
from datocms_app.cda.hooks import CDAQuery
from datocms_app.cda.response import CDAResponse
from datocms_app.scopes import scoped

__all__ = [
    "PageObserver",
    "TagCollector",
    "collect_tags",
    "current_collector",
    "record_hit",
]


class TagCollector:
    """The cache tags gathered in one scope; ``draft`` is True once a draft query ran.

    ``pins`` maps version keys to the tokens cached parts were validated with; ``conflict``
    turns True when two parts were validated with different tokens for the same key (one of
    them is already stale: whatever they build must not be stored).
    """

    __slots__ = ("_tags", "conflict", "draft", "parent", "pins")

    def __init__(self, parent: TagCollector | None = None) -> None:
        self.parent = parent
        self._tags: dict[str, None] = {}
        self.draft = False
        self.pins: dict[str, str] = {}
        self.conflict = False

    def __repr__(self) -> str:
        return f"<TagCollector {len(self._tags)} tags draft={self.draft}>"

    @property
    def tags(self) -> tuple[str, ...]:
        """The distinct tags, in the order they were first seen."""
        return tuple(self._tags)

    def add(self, tags: Iterable[str]) -> None:
        collector: TagCollector | None = self
        tags = tuple(tags)
        while collector is not None:
            collector._tags.update(dict.fromkeys(tags))
            collector = collector.parent

    def pin(self, tokens: dict[str, str]) -> None:
        collector: TagCollector | None = self
        while collector is not None:
            pins = collector.pins
            for name, token in tokens.items():
                if pins.setdefault(name, token) != token:
                    collector.conflict = True
            collector = collector.parent

    def mark_draft(self) -> None:
        collector: TagCollector | None = self
        while collector is not None:
            collector.draft = True
            collector = collector.parent


_current: ContextVar[TagCollector | None] = ContextVar("datocms_tag_collector", default=None)


def collect_tags() -> AbstractContextManager[TagCollector]:
    """Collect the tags of every DatoCMS query run inside the ``with`` block."""
    return scoped(_current, TagCollector(_current.get()))


def current_collector() -> TagCollector | None:
    """The innermost open collector of this context, if any."""
    return _current.get()


def record_hit(tags: Iterable[str], tokens: dict[str, str] | None) -> None:
    """Add the tags of a cache hit, pinning the tokens it was validated with."""
    collector = _current.get()
    if collector is not None:
        collector.add(tags)
        if tokens:
            collector.pin(tokens)


class PageObserver(hooks.QueryObserver):
    """Tells the open collectors about every query any client runs."""

    def started(self, query: CDAQuery) -> None:
        if query.draft:
            collector = _current.get()
            if collector is not None:
                collector.mark_draft()

    def answered(self, query: CDAQuery, response: CDAResponse) -> None:
        collector = _current.get()
        if collector is not None:
            collector.add(response.cache_tags)


hooks.add_observer(PageObserver())
