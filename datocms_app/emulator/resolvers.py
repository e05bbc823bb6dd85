"""Resolving GraphQL fields against a store snapshot.

The objects GraphQL resolves are small views over the snapshot: ``ItemNode`` (a record or
block, with the locale the query asked for), ``FileNode`` (an upload as a field value),
``StructuredTextNode`` and ``SiteNode``. Every resolver adds the cache tags of what it read
to ``RequestContext.tags`` (see ``cache_tags``). This module builds no schema (``schema`` does)
and never mutates the store.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeAlias

from graphql import GraphQLError, GraphQLResolveInfo

from datocms_app.emulator import cache_tags, dast
from datocms_app.emulator.naming import record_type
from datocms_app.emulator.project import Block, Field, Model, Record, RecordVersion, Upload, View
from datocms_app.emulator.store import StoreState
from datocms_app.emulator.validation import is_blank

__all__ = [
    "FileNode",
    "Info",
    "ItemNode",
    "RequestContext",
    "SiteNode",
    "StructuredTextNode",
    "field_resolver",
    "localized_value",
]


@dataclass(slots=True)
class RequestContext:
    """What one CDA request sees: a snapshot, a view, strict mode; the tags it collects."""

    state: StoreState
    view: View = "published"
    strict: bool = False
    assets_base: str = "/assets"
    #: Prefix of the video URLs (``streamingUrl``, ``mp4Url``, ``thumbnailUrl``).
    video_base: str = "/video"
    environment: str = "main"
    tags: set[str] = field(default_factory=set)

    def record_node(
        self, record_id: str, locale: str | None, fallbacks: tuple[str, ...]
    ) -> ItemNode | None:
        """The record as this request sees it (None: missing, unpublished, or invalid)."""
        self.tags.add(cache_tags.record_tag(self.view, record_id))
        record = self.state.records.get(record_id)
        if record is None:
            return None
        version = record.version(self.view)
        if version is None or (self.strict and not version.is_valid):
            return None
        return ItemNode.of_record(self.state, record, version, locale, fallbacks)

    def file_node(self, value: Mapping[str, Any], locale: str | None) -> FileNode | None:
        upload_id = value.get("upload_id")
        self.tags.add(cache_tags.upload_tag(str(upload_id)))
        upload = self.state.uploads.get(str(upload_id))
        if upload is None:
            return None
        return FileNode(upload, value, locale or self.state.schema.default_locale)


#: The ``info`` argument of the emulator's resolvers.
Info: TypeAlias = "GraphQLResolveInfo[RequestContext]"


@dataclass(slots=True)
class ItemNode:
    """A record or a block, with the locale and fallbacks its query asked for."""

    model: Model
    id: str
    fields: Mapping[str, Any]
    blocks: Mapping[str, Block]
    locale: str | None
    fallbacks: tuple[str, ...]
    record: Record | None = None
    version: RecordVersion | None = None
    block: Block | None = None

    @classmethod
    def of_record(
        cls,
        state: StoreState,
        record: Record,
        version: RecordVersion,
        locale: str | None,
        fallbacks: tuple[str, ...],
    ) -> ItemNode:
        return cls(
            model=state.schema.models[record.model],
            id=record.id,
            fields=version.fields,
            blocks=version.blocks,
            locale=locale,
            fallbacks=fallbacks,
            record=record,
            version=version,
        )

    def block_node(self, state: StoreState, block_id: str) -> ItemNode | None:
        block = self.blocks.get(block_id)
        if block is None:
            return None
        return ItemNode(
            model=state.schema.models[block.model],
            id=block.id,
            fields=block.fields,
            blocks=self.blocks,
            locale=self.locale,
            fallbacks=self.fallbacks,
            block=block,
        )

    # -- meta fields ----------------------------------------------------------------------

    def meta(self, name: str, view: View) -> Any:
        """A meta field (``_createdAt``, ``_status``...) of the record or block."""
        record, version, block = self.record, self.version, self.block
        if record is not None and version is not None:
            values: dict[str, Any] = {
                "_createdAt": record.created_at,
                "_updatedAt": version.updated_at,
                "_publishedAt": record.published_at,
                "_firstPublishedAt": record.first_published_at,
                "_status": record.status_in(view),
                "_isValid": version.is_valid,
                "_publicationScheduledAt": record.publication_scheduled_at,
                "_unpublishingScheduledAt": record.unpublishing_scheduled_at,
                "_locales": list(version.locales),
            }
            return values[name]
        assert block is not None
        return {
            "_createdAt": block.created_at,
            "_updatedAt": block.updated_at,
            "_publishedAt": None,
            "_firstPublishedAt": None,
            "_status": "published",
            "_isValid": block.is_valid,
            "_publicationScheduledAt": None,
            "_unpublishingScheduledAt": None,
            "_locales": [],
        }[name]


@dataclass(slots=True)
class FileNode:
    """An upload as the value of a file field: field-level ``alt``/``title``... win."""

    upload: Upload
    value: Mapping[str, Any]
    locale: str

    def metadata(self, key: str) -> Any:
        own = self.value.get(key)
        if own not in (None, "", {}):
            return own
        return self.upload.metadata(self.locale, key)


@dataclass(slots=True)
class StructuredTextNode:
    """A structured text value with the item that holds it (to resolve blocks and links)."""

    value: Mapping[str, Any]
    owner: ItemNode


@dataclass(slots=True)
class SiteNode:
    locale: str
    fallbacks: tuple[str, ...]


def context(info: Info) -> RequestContext:
    return info.context


# -- locales -------------------------------------------------------------------------------


def localized_value(
    values: Mapping[str, Any] | None, field: Field, locale: str, fallbacks: tuple[str, ...]
) -> Any:
    """The value for ``locale``, or the first non-blank one among ``fallbacks``."""
    if not values:
        return None
    value = values.get(locale)
    if is_blank(field, value):
        for fallback in fallbacks:
            candidate = values.get(fallback)
            if not is_blank(field, candidate):
                return candidate
    return value


def node_locale(node: ItemNode, state: StoreState, args: Mapping[str, Any]) -> str:
    return str(args.get("locale") or node.locale or state.schema.default_locale)


def raw_value(node: ItemNode, field: Field, state: StoreState, args: Mapping[str, Any]) -> Any:
    """A field's stored value for the node, with locale and fallbacks applied."""
    value = node.fields.get(field.api_key)
    if not field.localized:
        return value
    locale = node_locale(node, state, args)
    fallbacks = tuple(args.get("fallbackLocales") or node.fallbacks)
    return localized_value(value, field, locale, fallbacks)


# -- field resolvers -------------------------------------------------------------------------

Resolver = Callable[..., Any]


def field_resolver(field: Field) -> Resolver:
    """The resolver of one model field (``title``, ``author``, ``content``...)."""
    convert = _CONVERTERS.get(field.field_type, _as_is)

    def resolve(node: ItemNode, info: Info, **args: Any) -> Any:
        ctx = context(info)
        value = raw_value(node, field, ctx.state, args)
        return convert(ctx, node, field, value, args)

    return resolve


def all_locales_resolver(field: Field) -> Resolver:
    """``_all<Field>Locales``: ``[{locale, value}]`` for every locale the record has."""
    convert = _CONVERTERS.get(field.field_type, _as_is)

    def resolve(node: ItemNode, info: Info, **args: Any) -> Any:
        ctx = context(info)
        values = node.fields.get(field.api_key) or {}
        result = []
        for locale in ctx.state.schema.locales:
            if locale not in values:
                continue
            localized = ItemNode(
                node.model, node.id, node.fields, node.blocks, locale, (), node.record,
                node.version, node.block,
            )  # fmt: skip
            value = convert(ctx, localized, field, values[locale], {})
            result.append({"locale": locale, "value": value})
        return result

    return resolve


def _as_is(ctx: RequestContext, node: ItemNode, field: Field, value: Any, args: Any) -> Any:
    return value


def _color(ctx: RequestContext, node: ItemNode, field: Field, value: Any, args: Any) -> Any:
    return color_object(value) if value else None


def color_object(value: Mapping[str, int]) -> dict[str, Any]:
    red, green, blue, alpha = (value[k] for k in ("red", "green", "blue", "alpha"))
    return {
        "red": red,
        "green": green,
        "blue": blue,
        "alpha": alpha,
        "hex": f"#{red:02x}{green:02x}{blue:02x}",
        "cssRgb": f"rgba({red}, {green}, {blue}, {alpha / 255:g})",
    }


def _seo(ctx: RequestContext, node: ItemNode, field: Field, value: Any, args: Any) -> Any:
    if value is None:
        return None
    image = ctx.file_node({"upload_id": value["image"]}, node.locale) if value["image"] else None
    return {
        "title": value["title"],
        "description": value["description"],
        "image": image,
        "twitterCard": value["twitter_card"],
        "noIndex": value["no_index"],
    }


def _file(ctx: RequestContext, node: ItemNode, field: Field, value: Any, args: Any) -> Any:
    return ctx.file_node(value, _locale_of(ctx, node, args)) if value else None


def _gallery(ctx: RequestContext, node: ItemNode, field: Field, value: Any, args: Any) -> Any:
    locale = _locale_of(ctx, node, args)
    files = (ctx.file_node(item, locale) for item in value or ())
    return [f for f in files if f is not None]


def _locale_of(ctx: RequestContext, node: ItemNode, args: Mapping[str, Any]) -> str:
    return node_locale(node, ctx.state, args)


def _link(ctx: RequestContext, node: ItemNode, field: Field, value: Any, args: Any) -> Any:
    if not value:
        return None
    return ctx.record_node(value, node.locale, node.fallbacks)


def _links(ctx: RequestContext, node: ItemNode, field: Field, value: Any, args: Any) -> Any:
    found = (ctx.record_node(record_id, node.locale, node.fallbacks) for record_id in value or ())
    return [item for item in found if item is not None]


def _rich_text(ctx: RequestContext, node: ItemNode, field: Field, value: Any, args: Any) -> Any:
    blocks = (node.block_node(ctx.state, block_id) for block_id in value or ())
    return [block for block in blocks if block is not None]


def _single_block(ctx: RequestContext, node: ItemNode, field: Field, value: Any, args: Any) -> Any:
    return node.block_node(ctx.state, value) if value else None


def _structured_text(
    ctx: RequestContext, node: ItemNode, field: Field, value: Any, args: Any
) -> Any:
    return StructuredTextNode(value, node) if value else None


_CONVERTERS: dict[str, Callable[[RequestContext, ItemNode, Field, Any, Any], Any]] = {
    "color": _color,
    "seo": _seo,
    "file": _file,
    "gallery": _gallery,
    "link": _link,
    "links": _links,
    "rich_text": _rich_text,
    "single_block": _single_block,
    "structured_text": _structured_text,
}


# -- structured text -------------------------------------------------------------------------


def resolve_st_value(node: StructuredTextNode, info: Info) -> Any:
    return node.value


def resolve_st_blocks(node: StructuredTextNode, info: Info) -> Any:
    return _st_blocks(node, info, "block")


def resolve_st_inline_blocks(node: StructuredTextNode, info: Info) -> Any:
    return _st_blocks(node, info, "inlineBlock")


def _st_blocks(node: StructuredTextNode, info: Info, kind: str) -> list[ItemNode]:
    state = context(info).state
    found = (node.owner.block_node(state, block_id) for block_id in
             dast.referenced_ids(node.value)[kind])  # fmt: skip
    return [block for block in found if block is not None]


def resolve_st_links(node: StructuredTextNode, info: Info) -> Any:
    ctx = context(info)
    owner = node.owner
    found = (
        ctx.record_node(record_id, owner.locale, owner.fallbacks)
        for record_id in dast.referenced_ids(node.value)["record"]
    )
    return [item for item in found if item is not None]


# -- meta fields and types -------------------------------------------------------------------


def meta_resolver(name: str) -> Resolver:
    def resolve(node: ItemNode, info: Info, **args: Any) -> Any:
        return node.meta(name, context(info).view)

    return resolve


def resolve_id(node: ItemNode, info: Info) -> str:
    return node.id


def resolve_model_api_key(node: ItemNode, info: Info) -> str:
    return node.model.api_key


def resolve_item_type(node: Any, info: Info, abstract_type: Any) -> str:
    if not isinstance(node, ItemNode):
        raise GraphQLError(f"Cannot resolve the type of {node!r}.")
    return record_type(node.model.api_key)
