"""``GET /items``: which records, in which version and order, one page at a time.

Query parameters (*List all records*): ``filter[ids]`` (comma-separated), ``filter[type]``
(model ids or API keys, comma-separated), ``filter[fields]`` (the CDA's record filters with
snake_case names, e.g. ``filter[fields][name][in][]=Rex``, ``[_updated_at][gt]=...``; model
fields need one ``filter[type]``), ``filter[query]`` (words to find in the text of records
and their blocks, in ``locale``), ``filter[only_valid]``, ``order_by``
(``<field>_(ASC|DESC)``, comma-separated; needs one ``filter[type]``; ``_rank`` with a
query), ``page[limit]`` (default 30, at most 500, 30 with ``nested``), ``page[offset]``,
``version`` (``current``, the default, or ``published``), ``nested``, ``locale``. The
answer carries ``meta.total_count``. Without ``order_by``, the newest records come first.

Filters are evaluated by the CDA's own code (``filters``), after the values of the query
string are typed for the field they test. Listing block records is not implemented.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from graphql import GraphQLError

from datocms_app.emulator import dast
from datocms_app.emulator.cma.errors import refused
from datocms_app.emulator.cma.exchange import Answer, CMARequest
from datocms_app.emulator.cma.filter_params import invalid_filter, typed_condition
from datocms_app.emulator.cma.item_payloads import model_named
from datocms_app.emulator.entities import item_entity
from datocms_app.emulator.filters import Pair, compile_filter, sort_records
from datocms_app.emulator.naming import camel
from datocms_app.emulator.project import Model, Record, RecordVersion, View
from datocms_app.emulator.store import StoreState

__all__ = ["cda_filter", "list_items"]

DEFAULT_LIMIT = 30
MAX_LIMIT = 500
MAX_NESTED_LIMIT = 30
_TIMESTAMPS = ("_created_at", "_updated_at", "_published_at", "_first_published_at",
               "_publication_scheduled_at", "_unpublishing_scheduled_at")  # fmt: skip
_META_KINDS = {"id": "id", "_status": "status", "_is_valid": "boolean", "_locales": "locales",
               **dict.fromkeys(_TIMESTAMPS, "datetime"),
               "position": "integer", "parent": "id"}  # fmt: skip
#: Meta fields of ``filter[fields]`` and ``order_by``: CMA name -> (CDA name, kind); the CDA
#: names them in camelCase (``_created_at`` -> ``_createdAt``).
META_FIELDS = {name: (camel(name), kind) for name, kind in _META_KINDS.items()}
_ORDERABLE = frozenset({"string", "text", "slug", "boolean", "integer", "float", "date",
                        "date_time"})  # fmt: skip
_SEARCHED = frozenset({"string", "text", "slug", "structured_text"})


def list_items(request: CMARequest) -> Answer:
    params = request.params
    params.unknown({"filter", "page", "order_by", "locale", "nested", "version"})
    filters = params.mapping("filter")
    unknown = sorted(set(filters) - {"ids", "type", "query", "fields", "only_valid"})
    if unknown:
        raise refused(
            "INVALID_PARAMS",
            f"Unknown filter(s) {', '.join(unknown)}; records are filtered by ids, type, "
            "query, fields and only_valid.",
        )
    nested = params.flag("nested")
    version = params.choice("version", choices=("current", "published"), default="current")
    view: View = "draft" if version == "current" else "published"
    limit = params.number(
        "page", "limit", default=DEFAULT_LIMIT, minimum=0,
        maximum=MAX_NESTED_LIMIT if nested else MAX_LIMIT,
    )  # fmt: skip
    offset = params.number("page", "offset", default=0, minimum=0, maximum=10**9)
    state = request.state
    locale = params.locale(state.site.locales)
    models = _models(state, params.text("filter", "type"))
    ids = params.text("filter", "ids")
    if ids is not None and models is not None:
        raise refused("INVALID_PARAMS", "filter[ids] cannot be combined with filter[type].")
    pairs: list[Pair] = []
    for record in state.records.values():
        shown = record.version(view)
        if shown is None or (models is not None and record.model not in models):
            continue
        pairs.append((record, shown))
    if ids is not None:
        wanted = {one.strip() for one in ids.split(",") if one.strip()}
        pairs = [pair for pair in pairs if pair[0].id in wanted]
    if params.flag("filter", "only_valid"):
        pairs = [pair for pair in pairs if pair[1].is_valid]
    spec = params.mapping("filter", "fields")
    if spec:
        pairs = _filtered(state, pairs, models, spec, view, locale)
    query = params.text("filter", "query")
    ranks: dict[str, int] = {}
    if query:
        ranks = _search(state, pairs, query, locale)
        pairs = [pair for pair in pairs if pair[0].id in ranks]
    pairs = _ordered(state, pairs, models, params.text("order_by"), view, locale, ranks)
    schema = state.schema if nested else None
    data = [
        item_entity(record, state.schema.models[record.model], version=shown, schema=schema)
        for record, shown in pairs[offset : offset + limit]
    ]
    return Answer(200, {"data": data, "meta": {"total_count": len(pairs)}})


def _models(state: StoreState, type_param: str | None) -> dict[str, Model] | None:
    if type_param is None:
        return None
    models: dict[str, Model] = {}
    for reference in (one.strip() for one in type_param.split(",") if one.strip()):
        model = model_named(state.schema, reference)
        if model is None:
            raise refused(
                "ITEM_TYPE_NOT_FOUND",
                f"filter[type]: no model has the id or API key {reference!r}.",
                item_type=reference,
            )
        if model.modular_block:
            raise refused(
                "INVALID_PARAMS",
                f"filter[type]: {reference!r} is a block model; the emulator lists records "
                "only (find blocks in their records with nested=true).",
            )
        models[model.api_key] = model
    return models


# -- filter[fields] ---------------------------------------------------------------------------


def cda_filter(model: Model | None, spec: Mapping[str, Any]) -> dict[str, Any]:
    """A ``filter[fields]`` of the query string as the CDA's ``<Model>ModelFilter`` input:
    names translated, values typed. ``model`` None allows meta fields only."""
    translated: dict[str, Any] = {}
    for name, condition in spec.items():
        if name in ("AND", "OR", "and", "or"):
            parts = condition if isinstance(condition, list) else list(condition.values())
            translated[name.upper()] = [cda_filter(model, part) for part in parts]
            continue
        kind, cda_name = _kind_of(model, name)
        translated[cda_name] = typed_condition(kind, condition, name)
    return translated


def _kind_of(model: Model | None, name: str) -> tuple[str, str]:
    meta = META_FIELDS.get(name) or next(
        ((cda, kind) for cda, kind in META_FIELDS.values() if cda == name), None
    )
    if meta is not None:
        return meta[1], meta[0]
    if model is None:
        raise invalid_filter(
            f"filter[fields][{name}]: filtering on a model's fields needs one model in "
            "filter[type]."
        )
    field = model.fields_by_key.get(name)
    if field is None:
        raise invalid_filter(f"filter[fields][{name}]: model {model.api_key!r} has no such field.")
    return field.field_type, camel(field.api_key)


def _filtered(
    state: StoreState,
    pairs: list[Pair],
    models: Mapping[str, Model] | None,
    spec: Mapping[str, Any],
    view: View,
    locale: str,
) -> list[Pair]:
    single = next(iter(models.values())) if models is not None and len(models) == 1 else None
    predicates: dict[str, Callable[[Record, RecordVersion], bool]] = {}
    kept = []
    for record, shown in pairs:
        if record.model not in predicates:
            model = state.schema.models[record.model]
            try:
                predicate, _ = compile_filter(
                    model, view, locale, (), cda_filter(single if single else None, spec)
                )
            except GraphQLError as exc:
                raise invalid_filter(f"filter[fields]: {exc.message}") from exc
            predicates[record.model] = predicate
        if predicates[record.model](record, shown):
            kept.append((record, shown))
    if not pairs:
        cda_filter(single, spec)  # an empty collection still refuses a bad filter
    return kept


# -- filter[query] and order_by ---------------------------------------------------------------


def _search(state: StoreState, pairs: list[Pair], query: str, locale: str) -> dict[str, int]:
    """Records whose text (fields and blocks, in ``locale``) holds every word: their rank."""
    words = [word.casefold() for word in query.split()]
    ranks = {}
    for record, shown in pairs:
        owners = [(state.schema.models[record.model], shown.fields)]
        owners += [(state.schema.models[b.model], b.fields) for b in shown.blocks.values()]
        text = " ".join(_texts(owners, locale)).casefold()
        counts = [text.count(word) for word in words]
        if all(counts):
            ranks[record.id] = sum(counts)
    return ranks


def _texts(owners: list[tuple[Model, Mapping[str, Any]]], locale: str) -> list[str]:
    texts = []
    for model, fields in owners:
        for field in model.fields:
            if field.field_type not in _SEARCHED:
                continue
            value = fields.get(field.api_key)
            if field.localized:
                value = (value or {}).get(locale)
            if field.field_type == "structured_text":
                value = dast.plain_text(value)
            if isinstance(value, str):
                texts.append(value)
    return texts


def _ordered(
    state: StoreState,
    pairs: list[Pair],
    models: Mapping[str, Model] | None,
    order_by: str | None,
    view: View,
    locale: str,
    ranks: Mapping[str, int],
) -> list[Pair]:
    newest_first = sorted(pairs, key=lambda p: (p[0].created_at, p[0].id), reverse=True)
    specs = [spec.strip() for spec in (order_by or "").split(",") if spec.strip()]
    if ranks and specs in ([], ["_rank_DESC"], ["_rank_ASC"]):
        descending = not specs or specs[0] == "_rank_DESC"
        return sorted(newest_first, key=lambda p: ranks[p[0].id], reverse=descending)
    if not specs:
        return newest_first
    if models is None or len(models) != 1:
        raise refused("INVALID_ORDERING", "order_by needs exactly one model in filter[type].")
    model = next(iter(models.values()))
    cda_specs = []
    for spec in specs:
        name, _, direction = spec.rpartition("_")
        if direction not in ("ASC", "DESC"):
            raise refused("INVALID_ORDERING", f"order_by: {spec!r} is not <field>_ASC or _DESC.")
        cda_specs.append(f"{_order_name(model, name, spec)}_{direction}")
    ordered, _ = sort_records(newest_first, model, view, locale, (), cda_specs)
    return ordered


def _order_name(model: Model, name: str, spec: str) -> str:
    if name in META_FIELDS and name not in ("_locales", "parent"):
        return META_FIELDS[name][0]
    field = model.fields_by_key.get(name)
    if field is None or field.field_type not in _ORDERABLE:
        raise refused(
            "INVALID_ORDERING",
            f"order_by: {spec!r} does not name a sortable field of {model.api_key!r} or a meta "
            "column (id, _created_at, _updated_at, _published_at, _first_published_at, "
            "_status, _is_valid, position...).",
        )
    return camel(field.api_key)
