"""Resolvers of the root ``Query`` fields: ``article``, ``allArticles``,
``_allArticlesMeta``, singletons and ``_site``.

Every query over a model tags the response with the model's collection tag (a record can
enter or leave the result), the field tags of what it filtered and sorted on, and the
record tags of what it returned. ``first`` defaults to 20 and may not exceed 500, as on
DatoCMS; ``X-Exclude-Invalid`` hides invalid records everywhere.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graphql import GraphQLError

from datocms_app.emulator import cache_tags
from datocms_app.emulator.filters import Pair, compile_filter, sort_records
from datocms_app.emulator.naming import collection_query
from datocms_app.emulator.project import Model
from datocms_app.emulator.resolvers import Info, ItemNode, RequestContext, SiteNode, context

__all__ = ["DEFAULT_FIRST", "MAX_FIRST", "collection_resolver", "count_resolver",
           "page_window", "single_resolver", "singleton_resolver", "site_resolver"]  # fmt: skip

DEFAULT_FIRST = 20
MAX_FIRST = 500


def _locale(ctx: RequestContext, args: Mapping[str, Any]) -> tuple[str, tuple[str, ...]]:
    locale = args.get("locale") or ctx.state.schema.default_locale
    return str(locale), tuple(args.get("fallbackLocales") or ())


def select(
    ctx: RequestContext, model: Model, args: Mapping[str, Any], *, order: bool = True
) -> list[Pair]:
    """The records of ``model`` this request sees that pass ``filter``, in ``orderBy`` order."""
    view = ctx.view
    locale, fallbacks = _locale(ctx, args)
    ctx.tags.add(cache_tags.collection_tag(view, model.api_key))
    pairs = ctx.state.visible(model.api_key, view)
    used: set[str] = set()
    if ctx.strict:
        pairs = [pair for pair in pairs if pair[1].is_valid]
        used.add("_isValid")
    predicate, filtered_on = compile_filter(model, view, locale, fallbacks, args.get("filter"))
    used |= filtered_on
    if args.get("filter"):
        pairs = [pair for pair in pairs if predicate(*pair)]
    if order:
        pairs, ordered_on = sort_records(pairs, model, view, locale, fallbacks, args.get("orderBy"))
        used |= ordered_on
    ctx.tags.update(cache_tags.field_tag(view, model.api_key, name) for name in used)
    return pairs


def _node(ctx: RequestContext, pair: Pair, args: Mapping[str, Any]) -> ItemNode:
    record, version = pair
    ctx.tags.add(cache_tags.record_tag(ctx.view, record.id))
    locale = args.get("locale")
    return ItemNode.of_record(ctx.state, record, version, locale,
                              tuple(args.get("fallbackLocales") or ()))  # fmt: skip


def page_window(field: str, args: Mapping[str, Any], what: str = "records") -> slice:
    """The slice ``first``/``skip`` ask for (``first`` 20 by default, at most 500)."""
    first = args.get("first")
    first = DEFAULT_FIRST if first is None else first
    skip = args.get("skip") or 0
    if not 0 <= first <= MAX_FIRST:
        raise GraphQLError(
            f"Argument 'first' on field '{field}' must be between 0 and {MAX_FIRST} "
            f"(got {first}); paginate with 'skip' to read more {what}."
        )
    if skip < 0:
        raise GraphQLError(f"Argument 'skip' on field '{field}' cannot be negative.")
    return slice(skip, skip + first)


def collection_resolver(model: Model) -> Any:
    name = collection_query(model.api_key)

    def resolve(root: Any, info: Info, **args: Any) -> list[ItemNode]:
        ctx = context(info)
        window = page_window(name, args)
        pairs = select(ctx, model, args)
        return [_node(ctx, pair, args) for pair in pairs[window]]

    return resolve


def single_resolver(model: Model) -> Any:
    def resolve(root: Any, info: Info, **args: Any) -> ItemNode | None:
        ctx = context(info)
        pairs = select(ctx, model, args)
        return _node(ctx, pairs[0], args) if pairs else None

    return resolve


def singleton_resolver(model: Model) -> Any:
    def resolve(root: Any, info: Info, **args: Any) -> ItemNode | None:
        ctx = context(info)
        pairs = select(ctx, model, args, order=False)
        return _node(ctx, pairs[0], args) if pairs else None

    return resolve


def count_resolver(model: Model) -> Any:
    def resolve(root: Any, info: Info, **args: Any) -> dict[str, int]:
        ctx = context(info)
        return {"count": len(select(ctx, model, args, order=False))}

    return resolve


def site_resolver(root: Any, info: Info, **args: Any) -> SiteNode:
    ctx = context(info)
    ctx.tags.add(cache_tags.site_tag())
    locale, fallbacks = _locale(ctx, args)
    return SiteNode(locale, fallbacks)
