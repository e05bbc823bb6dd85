"""Running one GraphQL request against a store snapshot, with cached schemas and documents.

``execute_query`` parses and validates the document (cached per schema generation: a page
sends the same few queries over and over), executes it with a ``RequestContext`` and
returns the GraphQL response body with the cache tags the resolvers collected, plus the
schema tag every response carries.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from graphql import (
    DocumentNode,
    GraphQLError,
    GraphQLSchema,
    execute,
    parse,
    validate,
)

from datocms_app.emulator import cache_tags
from datocms_app.emulator.project import View
from datocms_app.emulator.resolvers import RequestContext
from datocms_app.emulator.schema import build_schema
from datocms_app.emulator.store import StoreState

__all__ = ["GraphQLRequest", "QueryResult", "compiled_schema", "execute_query"]

MAX_CACHED_DOCUMENTS = 512


@dataclass(frozen=True, slots=True)
class QueryResult:
    """A GraphQL response body (``data`` and/or ``errors``) and its cache tags."""

    body: dict[str, Any]
    tags: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return "errors" not in self.body


@dataclass(frozen=True, slots=True)
class GraphQLRequest:
    """What one CDA request asks for: its document and variables, and what its headers chose
    (the content it sees, strict mode, the environment). The Real-time Updates API runs the
    same request again after every change (``listen``)."""

    query: str
    variables: Mapping[str, Any] | None = None
    operation_name: str | None = None
    view: View = "published"
    strict: bool = False
    environment: str = "main"


def compiled_schema(state: StoreState, *, strict: bool = False) -> GraphQLSchema:
    """The GraphQL schema of a snapshot, built once per schema generation."""
    slot = state.slot
    key = ("schema", strict)
    schema = slot.values.get(key)
    if schema is None:
        with slot.lock:
            schema = slot.values.get(key)
            if schema is None:
                schema = build_schema(state.schema, strict=strict)
                slot.values[key] = schema
    assert isinstance(schema, GraphQLSchema)
    return schema


def _document(
    state: StoreState, schema: GraphQLSchema, strict: bool, query: str
) -> DocumentNode | list[GraphQLError]:
    slot = state.slot
    cache: OrderedDict[str, DocumentNode | list[GraphQLError]] = slot.values.setdefault(
        ("documents", strict), OrderedDict()
    )
    with slot.lock:
        found = cache.get(query)
        if found is not None:
            cache.move_to_end(query)
            return found
    document: DocumentNode | list[GraphQLError]
    try:
        parsed = parse(query)
    except GraphQLError as exc:
        document = [exc]
    else:
        errors = validate(schema, parsed)
        document = list(errors) if errors else parsed
    with slot.lock:
        cache[query] = document
        while len(cache) > MAX_CACHED_DOCUMENTS:
            cache.popitem(last=False)
    return document


def execute_query(
    state: StoreState,
    query: str,
    variables: Mapping[str, Any] | None = None,
    operation_name: str | None = None,
    *,
    view: View = "published",
    strict: bool = False,
    assets_base: str = "/assets",
    video_base: str = "/video",
    environment: str = "main",
) -> QueryResult:
    """Run ``query`` against ``state`` the way the CDA would."""
    schema = compiled_schema(state, strict=strict)
    document = _document(state, schema, strict, query)
    if isinstance(document, list):
        return QueryResult({"errors": [error.formatted for error in document]})
    ctx = RequestContext(
        state=state, view=view, strict=strict, assets_base=assets_base, video_base=video_base,
        environment=environment,
    )  # fmt: skip
    result = execute(
        schema,
        document,
        context_value=ctx,
        variable_values=dict(variables) if variables else None,
        operation_name=operation_name,
    )
    assert not hasattr(result, "__await__"), "emulator resolvers are synchronous"
    body: dict[str, Any] = {}
    if result.errors:
        body["errors"] = [error.formatted for error in result.errors]
    if result.data is not None or not result.errors:
        body["data"] = result.data
    ctx.tags.add(cache_tags.schema_tag())
    return QueryResult(body, sorted(ctx.tags))
