"""Build the CDA's GraphQL schema from a project's models, with DatoCMS's naming.

For a model ``article``: the type ``ArticleRecord`` (implements ``RecordInterface``), the
queries ``article``, ``allArticles``, ``_allArticlesMeta``, the inputs ``ArticleModelFilter``
and the enum ``ArticleModelOrderBy``; singletons get one field (``home``). Field names are
camelCase; localized fields take ``locale``/``fallbackLocales`` and get an
``_all<Field>Locales`` twin; links, modular content, single blocks and structured text are
typed with the unions DatoCMS generates (``ArticleModelContentField``...). ``strict=True``
builds the ``X-Exclude-Invalid`` variant, where required fields are non-null.

The media area's queries (``upload``, ``allUploads``, ``_allUploadsMeta``) come from
``upload_queries``. ``build_schema`` is pure and fairly slow: callers cache one schema per
schema generation.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from graphql import (
    GraphQLArgument,
    GraphQLEnumType,
    GraphQLField,
    GraphQLInputField,
    GraphQLInputObjectType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLString,
    GraphQLUnionType,
)

from datocms_app.emulator import queries, resolvers
from datocms_app.emulator.meta_fields import META_FIELDS
from datocms_app.emulator.naming import (
    camel,
    collection_query,
    meta_query,
    pascal,
    record_type,
)
from datocms_app.emulator.project import Field, Model, ProjectSchema
from datocms_app.emulator.scalars import BooleanType, Date, DateTime, FloatType, IntType, JsonField
from datocms_app.emulator.shared_types import SharedTypes
from datocms_app.emulator.type_builders import non_null, non_null_list, order_by_enum
from datocms_app.emulator.upload_queries import upload_query_fields

__all__ = ["build_schema"]

_SCALAR_TYPES: dict[str, Any] = {
    "string": GraphQLString,
    "text": GraphQLString,
    "slug": GraphQLString,
    "boolean": BooleanType,
    "integer": IntType,
    "float": FloatType,
    "date": Date,
    "date_time": DateTime,
    "json": JsonField,
}
_FILTERS = {
    "string": "StringFilter", "text": "TextFilter", "slug": "SlugFilter",
    "boolean": "BooleanFilter", "integer": "IntegerFilter", "float": "FloatFilter",
    "date": "DateFilter", "date_time": "DateTimeFilter", "color": "ColorFilter",
    "lat_lon": "LatLonFilter", "json": "JsonFilter", "seo": "SeoFilter", "link": "LinkFilter",
    "links": "LinksFilter", "file": "FileFilter", "gallery": "GalleryFilter",
    "structured_text": "StructuredTextFilter",
}  # fmt: skip
_ORDERABLE = frozenset({"string", "text", "slug", "boolean", "integer", "float", "date",
                        "date_time"})  # fmt: skip
_MULTI_LOCALE_NAMES = {
    "string": "StringMultiLocaleField", "text": "StringMultiLocaleField",
    "slug": "StringMultiLocaleField", "boolean": "BooleanMultiLocaleField",
    "integer": "IntMultiLocaleField", "float": "FloatMultiLocaleField",
    "date": "DateMultiLocaleField", "date_time": "DateTimeMultiLocaleField",
    "json": "JsonMultiLocaleField", "color": "ColorFieldMultiLocaleField",
    "lat_lon": "LatLonFieldMultiLocaleField", "seo": "SeoFieldMultiLocaleField",
    "file": "FileFieldMultiLocaleField",
}  # fmt: skip
_META_ORDER = (
    "_createdAt",
    "id",
    "_firstPublishedAt",
    "_publicationScheduledAt",
    "_unpublishingScheduledAt",
    "_publishedAt",
    "_status",
    "_updatedAt",
    "_isValid",
)


def build_schema(project: ProjectSchema, *, strict: bool = False) -> GraphQLSchema:
    """The GraphQL schema of ``project`` (``strict``: the ``X-Exclude-Invalid`` variant)."""
    return _Builder(project, strict).build()


class _Builder:
    def __init__(self, project: ProjectSchema, strict: bool) -> None:
        self.project = project
        self.strict = strict
        self.shared = SharedTypes(project.locales, strict=strict)
        self.types: dict[str, GraphQLObjectType] = {}
        self.unions: dict[str, GraphQLUnionType] = {}
        for model in project.models.values():
            self.types[model.api_key] = GraphQLObjectType(
                record_type(model.api_key),
                fields=self._fields_thunk(model),
                interfaces=[self.shared.record_interface],
                description=f"Record of type {model.name} ({model.api_key})",
            )

    def build(self) -> GraphQLSchema:
        query: dict[str, GraphQLField] = {}
        locale_args = self.shared.locale_args
        for model in self.project.models.values():
            if model.modular_block:
                continue
            record = self.types[model.api_key]
            if model.singleton:
                query[camel(model.api_key)] = GraphQLField(
                    record, args=dict(locale_args),
                    resolve=queries.singleton_resolver(model),
                )  # fmt: skip
                continue
            model_filter = self._filter_input(model)
            order_by = GraphQLArgument(GraphQLList(self._order_enum(model)))
            query[camel(model.api_key)] = GraphQLField(
                record,
                args={**locale_args, "filter": GraphQLArgument(model_filter),
                      "orderBy": order_by},
                resolve=queries.single_resolver(model),
            )  # fmt: skip
            query[collection_query(model.api_key)] = GraphQLField(
                non_null_list(record),
                args={
                    **locale_args,
                    "skip": GraphQLArgument(IntType),
                    "first": GraphQLArgument(IntType, default_value=20),
                    "filter": GraphQLArgument(model_filter),
                    "orderBy": order_by,
                },
                resolve=queries.collection_resolver(model),
            )
            query[meta_query(model.api_key)] = GraphQLField(
                non_null(self.shared.collection_metadata),
                args={**locale_args, "filter": GraphQLArgument(model_filter)},
                resolve=queries.count_resolver(model),
            )
        query.update(upload_query_fields(self.shared))
        query["_site"] = GraphQLField(
            non_null(self.shared.site), args=dict(locale_args), resolve=queries.site_resolver
        )
        return GraphQLSchema(
            query=GraphQLObjectType("Query", query),
            types=list(self.types.values()),
        )

    # -- record types -----------------------------------------------------------------------

    def _fields_thunk(self, model: Model) -> Callable[[], dict[str, GraphQLField]]:
        return lambda: self._fields(model)

    def _fields(self, model: Model) -> dict[str, GraphQLField]:
        fields = self.shared.meta_fields
        fields["_locales"] = GraphQLField(
            non_null_list(self.shared.site_locale), resolve=resolvers.meta_resolver("_locales")
        )
        for field in model.fields:
            output = self._output_type(model, field)
            args = dict(self.shared.locale_args) if field.localized else {}
            fields[camel(field.api_key)] = GraphQLField(
                output, args=args or None, resolve=resolvers.field_resolver(field)
            )
            if field.localized:
                item = output.of_type if isinstance(output, GraphQLNonNull) else output
                name = _MULTI_LOCALE_NAMES.get(field.field_type) or (
                    f"{pascal(model.api_key)}Model{pascal(field.api_key)}FieldMultiLocaleField"
                )
                fields[f"_all{pascal(field.api_key)}Locales"] = GraphQLField(
                    GraphQLList(non_null(self.shared.multi_locale(name, item))),
                    args=dict(self.shared.locale_args),
                    resolve=resolvers.all_locales_resolver(field),
                )
        return fields

    def _output_type(self, model: Model, field: Field) -> Any:
        kind = field.field_type
        prefix = f"{pascal(model.api_key)}Model{pascal(field.api_key)}"
        required = (
            self.strict and field.required and (not field.localized or model.all_locales_required)
        )
        base: Any
        if kind in _SCALAR_TYPES:
            base = _SCALAR_TYPES[kind]
        elif kind == "color":
            base = self.shared.color
        elif kind == "lat_lon":
            base = self.shared.lat_lon
        elif kind == "seo":
            base = self.shared.seo_field
        elif kind == "file":
            base = self.shared.file_field
        elif kind == "gallery":
            return non_null_list(self.shared.file_field)
        elif kind == "link":
            base = self._target(f"{prefix}Field", field.link_models, links=True)
        elif kind == "links":
            return non_null_list(self._target(f"{prefix}Field", field.link_models, links=True))
        elif kind == "rich_text":
            return non_null_list(self._target(f"{prefix}Field", field.block_models))
        elif kind == "single_block":
            base = self._target(f"{prefix}Field", field.block_models)
        else:
            base = self._structured_text(prefix, field)
        return non_null(base) if required else base

    def _target(self, name: str, models: tuple[str, ...], *, links: bool = False) -> Any:
        """A record type, or a union of them (``RecordInterface`` when unconstrained)."""
        if not models:
            return self.shared.record_interface
        if links and len(models) == 1:
            return self.types[models[0]]
        if name not in self.unions:
            self.unions[name] = GraphQLUnionType(
                name,
                types=self._types_thunk(models),
                resolve_type=resolvers.resolve_item_type,
            )
        return self.unions[name]

    def _types_thunk(self, models: tuple[str, ...]) -> Callable[[], list[GraphQLObjectType]]:
        return lambda: [self.types[m] for m in models]

    def _structured_text(self, prefix: str, field: Field) -> GraphQLObjectType:
        return GraphQLObjectType(
            f"{prefix}Field",
            {
                "value": GraphQLField(non_null(JsonField), resolve=resolvers.resolve_st_value),
                "blocks": GraphQLField(
                    non_null_list(self._target(f"{prefix}BlocksField", field.block_models)),
                    resolve=resolvers.resolve_st_blocks,
                ),
                "inlineBlocks": GraphQLField(
                    non_null_list(
                        self._target(f"{prefix}InlineBlocksField", field.inline_block_models)
                    ),
                    resolve=resolvers.resolve_st_inline_blocks,
                ),
                "links": GraphQLField(
                    non_null_list(self._target(f"{prefix}LinksField", field.link_models)),
                    resolve=resolvers.resolve_st_links,
                ),
            },
        )

    # -- filters and ordering ---------------------------------------------------------------

    def _filter_input(self, model: Model) -> GraphQLInputObjectType:
        filters = self.shared.filters
        name = f"{pascal(model.api_key)}ModelFilter"

        def fields() -> dict[str, GraphQLInputField]:
            found: dict[str, Any] = {
                "id": filters["ItemIdFilter"],
                "_status": filters["StatusFilter"],
                "_isValid": filters["BooleanFilter"],
                "_locales": filters["LocalesFilter"],
            }
            for meta, (_, filter_name) in META_FIELDS.items():
                found[meta] = filters[str(filter_name)]
            if model.sortable or model.tree:
                found["position"] = filters["PositionFilter"]
            if model.tree:
                found["parent"] = filters["ParentFilter"]
            for field in model.fields:
                if field.field_type in _FILTERS:
                    found[camel(field.api_key)] = filters[_FILTERS[field.field_type]]
            found["OR"] = GraphQLList(model_filter)
            found["AND"] = GraphQLList(model_filter)
            return {key: GraphQLInputField(value) for key, value in found.items()}

        model_filter = GraphQLInputObjectType(name, fields)
        return model_filter

    def _order_enum(self, model: Model) -> GraphQLEnumType:
        names = list(_META_ORDER)
        if model.sortable or model.tree:
            names.append("position")
        names += [camel(f.api_key) for f in model.fields if f.field_type in _ORDERABLE]
        return order_by_enum(f"{pascal(model.api_key)}ModelOrderBy", names)
