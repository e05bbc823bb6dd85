"""The queries a request ran, recorded for live updates: what to subscribe to, never how.

The draft-mode middleware opens a recorder around each request that may get live updates;
every query any client answers inside it (from the CDA or a cache, in the view or in a
template tag, sync or async) is added through a ``datocms_app.cda.hooks`` observer, as a
``RecordedQuery``: the GraphQL document, its variables, the environment, and whether it read
drafts or excluded invalid records. Identical queries are recorded once, in the order first
run. ::

    with record_queries(endpoint="https://graphql.datocms.com/") as recorder:
        render(...)
    recorder.queries      # (RecordedQuery(query=..., variables=..., ...), ...)

This module must never keep a request header: the API token is one of them.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, Final

from datocms_app.cda import hooks
from datocms_app.cda.hooks import CDAQuery
from datocms_app.cda.response import CDAResponse
from datocms_app.exceptions import InvalidDescription
from datocms_app.scopes import scoped

__all__ = [
    "MAX_RECORDED_QUERIES",
    "QueryRecorder",
    "RecordedQuery",
    "current_recorder",
    "record_queries",
]

logger = logging.getLogger("datocms_app.preview")

#: A page follows at most this many distinct queries (one Real-time Updates channel each;
#: DatoCMS allows 500 open channels per project).
MAX_RECORDED_QUERIES: Final = 20


@dataclass(frozen=True, slots=True)
class RecordedQuery:
    """One query a page was built from, as the Real-time Updates API needs it."""

    query: str
    variables: dict[str, Any] | None
    environment: str | None
    include_drafts: bool
    exclude_invalid: bool

    @classmethod
    def from_cda_query(cls, query: CDAQuery) -> RecordedQuery:
        headers = query.headers
        return cls(
            query=query.query,
            variables=dict(query.variables) if query.variables is not None else None,
            environment=headers.get("X-Environment"),
            include_drafts="X-Include-Drafts" in headers,
            exclude_invalid="X-Exclude-Invalid" in headers,
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "variables": self.variables,
            "environment": self.environment,
            "include_drafts": self.include_drafts,
            "exclude_invalid": self.exclude_invalid,
        }

    @classmethod
    def from_json(cls, data: Any) -> RecordedQuery:
        """The query ``to_json`` gave; ``InvalidDescription`` for anything else."""
        if (
            not isinstance(data, Mapping)
            or set(data) != _FIELDS
            or not isinstance(data["query"], str)
            or not isinstance(data["variables"], dict | None)
            or not isinstance(data["environment"], str | None)
            or not isinstance(data["include_drafts"], bool)
            or not isinstance(data["exclude_invalid"], bool)
        ):
            raise InvalidDescription(
                "A query of the description is not what this site records: "
                f"expected the keys {sorted(_FIELDS)} with their types."
            )
        return cls(**data)

    def key(self) -> str:
        """The same text for the same query, variables and options (variables in any order)."""
        return json.dumps(self.to_json(), sort_keys=True, separators=(",", ":"))


_FIELDS: Final = frozenset(
    {"query", "variables", "environment", "include_drafts", "exclude_invalid"}
)


class QueryRecorder:
    """The distinct queries answered in one scope, in the order first run.

    ``endpoint``: only queries sent there are kept (a view's own client for another DatoCMS
    project is no business of this site's token); None keeps every query.
    """

    __slots__ = ("_queries", "dropped", "endpoint")

    def __init__(self, endpoint: str | None = None) -> None:
        self.endpoint = endpoint
        self._queries: dict[str, RecordedQuery] = {}
        #: Distinct queries beyond ``MAX_RECORDED_QUERIES``, not kept.
        self.dropped = 0

    def __repr__(self) -> str:
        return f"<QueryRecorder {len(self._queries)} queries>"

    @property
    def queries(self) -> tuple[RecordedQuery, ...]:
        return tuple(self._queries.values())

    def add(self, query: CDAQuery) -> None:
        if self.endpoint is not None and query.endpoint != self.endpoint:
            return
        recorded = RecordedQuery.from_cda_query(query)
        key = recorded.key()
        if key in self._queries:
            return
        if len(self._queries) >= MAX_RECORDED_QUERIES:
            if not self.dropped:
                logger.warning(
                    "Live updates follow the first %d distinct queries of a page; this page "
                    "ran more.",
                    MAX_RECORDED_QUERIES,
                )
            self.dropped += 1
            return
        self._queries[key] = recorded


_current: ContextVar[QueryRecorder | None] = ContextVar("datocms_query_recorder", default=None)


class _RecordingObserver(hooks.QueryObserver):
    """Adds every answered query to the open recorder (one ``ContextVar.get`` otherwise)."""

    def answered(self, query: CDAQuery, response: CDAResponse) -> None:
        recorder = _current.get()
        if recorder is not None:
            recorder.add(query)


_OBSERVER: Final = _RecordingObserver()


@contextmanager
def record_queries(*, endpoint: str | None = None) -> Iterator[QueryRecorder]:
    """Record the queries answered inside the ``with`` block (see ``QueryRecorder``)."""
    hooks.add_observer(_OBSERVER)  # once: a no-op after the first recorder
    with scoped(_current, QueryRecorder(endpoint)) as recorder:
        yield recorder


def current_recorder() -> QueryRecorder | None:
    """The recorder open in this context, if any."""
    return _current.get()
