"""The CDA's queries of the media area: ``upload``, ``allUploads``, ``_allUploadsMeta``.

``upload_query_fields`` declares them on the ``Query`` type as DatoCMS's schema does —
``allUploads(locale, fallbackLocales, skip, first, filter: UploadFilter, orderBy:
[UploadOrderBy])``, ``upload(locale, fallbackLocales, filter, orderBy)``,
``_allUploadsMeta(locale, fallbackLocales, filter) { count }`` — with the filter inputs of
the filters implemented (``upload_filters.UPLOAD_FILTERS``) under DatoCMS's names
(``TypeFilter``, ``UploadSizeFilter``, ``UploadTagsFilter``...). Each answer is a
``FileField`` (``responsiveImage``, ``url``...), its ``alt``/``title`` the upload's default
metadata in the query's locale, and is tagged with the ``uploads`` cache tag (any upload
change invalidates it) and the tag of every upload it shows.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graphql import (
    GraphQLArgument,
    GraphQLField,
    GraphQLInputField,
    GraphQLInputObjectType,
    GraphQLList,
    GraphQLString,
)

from datocms_app.emulator import cache_tags
from datocms_app.emulator.queries import DEFAULT_FIRST, page_window
from datocms_app.emulator.resolvers import FileNode, Info, context
from datocms_app.emulator.scalars import BooleanType, DateTime, IntType, UploadId
from datocms_app.emulator.shared_types import SharedTypes
from datocms_app.emulator.type_builders import (
    enum_type,
    input_object,
    non_null,
    non_null_list,
    order_by_enum,
)
from datocms_app.emulator.upload_facts import UPLOAD_TYPES
from datocms_app.emulator.upload_filters import (
    UPLOAD_FILTERS,
    UPLOAD_ORDERINGS,
    compile_upload_filter,
    sort_uploads,
)

__all__ = ["upload_query_fields"]

#: The DatoCMS name of each filter's input type.
_INPUT_NAMES = {
    "id": "UploadIdFilter", "type": "TypeFilter", "format": "UploadFormatFilter",
    "md5": "UploadMd5Filter", "mimeType": "UploadMimeTypeFilter",
    "filename": "UploadFilenameFilter", "basename": "UploadBasenameFilter",
    "author": "UploadAuthorFilter", "copyright": "UploadCopyrightFilter",
    "notes": "UploadNotesFilter", "alt": "UploadAltFilter", "title": "UploadTitleFilter",
    "size": "UploadSizeFilter", "width": "UploadWidthFilter", "height": "UploadHeightFilter",
    "tags": "UploadTagsFilter", "smartTags": "UploadTagsFilter",
    "orientation": "OrientationFilter", "_createdAt": "UploadCreatedAtFilter",
    "_updatedAt": "UploadUpdatedAtFilter",
}  # fmt: skip


def upload_query_fields(shared: SharedTypes) -> dict[str, GraphQLField]:
    """``upload``, ``allUploads`` and ``_allUploadsMeta`` for one schema."""
    upload_filter = _filter_input(shared)
    order_by = order_by_enum("UploadOrderBy", UPLOAD_ORDERINGS)
    filter_arg = {"filter": GraphQLArgument(upload_filter)}
    order_arg = {"orderBy": GraphQLArgument(GraphQLList(order_by))}
    locale_args = dict(shared.locale_args)
    return {
        "upload": GraphQLField(
            shared.file_field, args={**locale_args, **filter_arg, **order_arg},
            resolve=_resolve_upload,
        ),
        "allUploads": GraphQLField(
            non_null_list(shared.file_field),
            args={
                **locale_args, **filter_arg, **order_arg,
                "skip": GraphQLArgument(IntType),
                "first": GraphQLArgument(IntType, default_value=DEFAULT_FIRST),
            },
            resolve=_resolve_all_uploads,
        ),
        "_allUploadsMeta": GraphQLField(
            non_null(shared.collection_metadata), args={**locale_args, **filter_arg},
            resolve=_resolve_meta,
        ),
    }  # fmt: skip


def _filter_input(shared: SharedTypes) -> GraphQLInputObjectType:
    matches = shared.filters["StringMatchesFilter"]
    upload_type = enum_type("UploadType", UPLOAD_TYPES)
    orientation = enum_type("UploadOrientation", ("landscape", "portrait", "square"))
    scalars: dict[str, Any] = {
        "id": UploadId, "upload_type": upload_type, "string": GraphQLString,
        "integer": IntType, "datetime": DateTime, "orientation": orientation,
    }  # fmt: skip
    inputs: dict[str, GraphQLInputObjectType] = {}
    for name, (kind, operators) in UPLOAD_FILTERS.items():
        input_name = _INPUT_NAMES[name]
        if input_name in inputs:
            continue
        operands: dict[str, Any] = {}
        for operator in operators:
            if operator in ("matches", "notMatches"):
                operands[operator] = matches
            elif operator == "exists":
                operands[operator] = BooleanType
            elif kind == "tags":
                operands[operator] = (
                    GraphQLString
                    if operator == "contains"
                    else GraphQLList(non_null(GraphQLString))
                )
            elif operator in ("in", "notIn"):
                operands[operator] = GraphQLList(scalars[kind])
            else:
                operands[operator] = scalars[kind]
        inputs[input_name] = input_object(input_name, operands)

    def fields() -> dict[str, GraphQLInputField]:
        found = {name: GraphQLInputField(inputs[_INPUT_NAMES[name]]) for name in UPLOAD_FILTERS}
        found["AND"] = GraphQLInputField(GraphQLList(upload_filter))
        found["OR"] = GraphQLInputField(GraphQLList(upload_filter))
        return found

    upload_filter = GraphQLInputObjectType("UploadFilter", fields)
    return upload_filter


def _selected(info: Info, args: Mapping[str, Any], *, order: bool = True) -> list[FileNode]:
    ctx = context(info)
    ctx.tags.add(cache_tags.uploads_tag())
    locale = str(args.get("locale") or ctx.state.schema.default_locale)
    fallbacks = tuple(args.get("fallbackLocales") or ())
    predicate = compile_upload_filter(args.get("filter"), locale, fallbacks)
    uploads = [u for u in ctx.state.uploads.values() if predicate(u)]
    if order:
        uploads = sort_uploads(uploads, args.get("orderBy"), locale)
    return [FileNode(upload, {}, locale) for upload in uploads]


def _tagged(info: Info, nodes: list[FileNode]) -> list[FileNode]:
    context(info).tags.update(cache_tags.upload_tag(node.upload.id) for node in nodes)
    return nodes


def _resolve_all_uploads(root: Any, info: Info, **args: Any) -> list[FileNode]:
    window = page_window("allUploads", args, "uploads")
    return _tagged(info, _selected(info, args)[window])


def _resolve_upload(root: Any, info: Info, **args: Any) -> FileNode | None:
    found = _tagged(info, _selected(info, args)[:1])
    return found[0] if found else None


def _resolve_meta(root: Any, info: Info, **args: Any) -> dict[str, int]:
    return {"count": len(_selected(info, args, order=False))}
