"""The generated GraphQL schema: DatoCMS's names, types and arguments, and introspection."""

from __future__ import annotations

import dataclasses
from typing import Any

from graphql import build_client_schema, get_introspection_query, print_type

from datocms_app.emulator.execution import compiled_schema
from datocms_app.emulator.project import RecordVersion
from datocms_app.emulator.server import Emulator
from datocms_app.emulator.store import ContentStore

from .conftest import Query


def type_ref(field: dict[str, Any]) -> str:
    """``[TagRecord!]!`` from an introspected ``type`` object."""
    kind = field["kind"]
    if kind == "NON_NULL":
        return type_ref(field["ofType"]) + "!"
    if kind == "LIST":
        return "[" + type_ref(field["ofType"]) + "]"
    return str(field["name"])


TYPE = """query($name: String!) { __type(name: $name) {
  kind name possibleTypes { name } interfaces { name } enumValues { name }
  inputFields { name type { ...T } }
  fields { name args { name defaultValue type { ...T } } type { ...T } } } }
fragment T on __Type { kind name ofType { kind name ofType { kind name ofType { kind name } } } }
"""


def describe(query: Query, name: str, **options: Any) -> dict[str, Any]:
    found: dict[str, Any] = query(TYPE, {"name": name}, **options)["__type"]
    return found


def test_root_query_fields(query: Query) -> None:
    fields = {f["name"]: type_ref(f["type"]) for f in describe(query, "Query")["fields"]}
    assert fields == {
        "post": "PostRecord",
        "allPosts": "[PostRecord!]!",
        "_allPostsMeta": "CollectionMetadata!",
        "person": "PersonRecord",
        "allPeople": "[PersonRecord!]!",
        "_allPeopleMeta": "CollectionMetadata!",
        "tag": "TagRecord",
        "allTags": "[TagRecord!]!",
        "_allTagsMeta": "CollectionMetadata!",
        "page": "PageRecord",
        "upload": "FileField",
        "allUploads": "[FileField!]!",
        "_allUploadsMeta": "CollectionMetadata!",
        "_site": "Site!",
    }


def test_collection_arguments(query: Query) -> None:
    fields = {f["name"]: f for f in describe(query, "Query")["fields"]}
    arguments = {a["name"]: (type_ref(a["type"]), a["defaultValue"])
                 for a in fields["allPosts"]["args"]}  # fmt: skip
    assert arguments == {
        "locale": ("SiteLocale", None),
        "fallbackLocales": ("[SiteLocale!]", None),
        "skip": ("IntType", None),
        "first": ("IntType", "20"),
        "filter": ("PostModelFilter", None),
        "orderBy": ("[PostModelOrderBy]", None),
    }
    assert [a["name"] for a in fields["page"]["args"]] == ["locale", "fallbackLocales"]
    assert [a["name"] for a in fields["_allPostsMeta"]["args"]] == [
        "locale", "fallbackLocales", "filter"
    ]  # fmt: skip


def test_record_type(query: Query) -> None:
    post = describe(query, "PostRecord")
    assert post["interfaces"] == [{"name": "RecordInterface"}]
    fields = {f["name"]: type_ref(f["type"]) for f in post["fields"]}
    assert fields == {
        "id": "ItemId!", "_modelApiKey": "String!", "_status": "ItemStatus!",
        "_isValid": "BooleanType!", "_seoMetaTags": "[Tag!]!", "_createdAt": "DateTime!",
        "_updatedAt": "DateTime!", "_publishedAt": "DateTime", "_firstPublishedAt": "DateTime",
        "_publicationScheduledAt": "DateTime", "_unpublishingScheduledAt": "DateTime",
        "_locales": "[SiteLocale!]!",
        "title": "String", "_allTitleLocales": "[StringMultiLocaleField!]",
        "slug": "String", "body": "String", "_allBodyLocales": "[StringMultiLocaleField!]",
        "published": "BooleanType", "views": "IntType", "score": "FloatType", "day": "Date",
        "at": "DateTime", "color": "ColorField", "place": "LatLonField", "data": "JsonField",
        "seo": "SeoField", "author": "PersonRecord", "tags": "[TagRecord!]!",
        "cover": "FileField", "photos": "[FileField!]!", "content": "PostModelContentField",
        "modules": "[PostModelModulesField!]!", "hero": "PostModelHeroField",
    }  # fmt: skip
    title = next(f for f in post["fields"] if f["name"] == "title")
    assert [a["name"] for a in title["args"]] == ["locale", "fallbackLocales"]


def test_structured_text_and_block_unions(query: Query) -> None:
    content = describe(query, "PostModelContentField")
    assert {f["name"]: type_ref(f["type"]) for f in content["fields"]} == {
        "value": "JsonField!",
        "blocks": "[PostModelContentBlocksField!]!",
        "inlineBlocks": "[PostModelContentInlineBlocksField!]!",
        "links": "[PostModelContentLinksField!]!",
    }
    assert describe(query, "PostModelContentBlocksField")["possibleTypes"] == [
        {"name": "NoteRecord"}
    ]
    assert describe(query, "PostModelContentLinksField")["possibleTypes"] == [
        {"name": "PostRecord"}, {"name": "PersonRecord"}
    ]  # fmt: skip
    assert describe(query, "PostModelModulesField")["possibleTypes"] == [
        {"name": "NoteRecord"}, {"name": "PicRecord"}
    ]  # fmt: skip
    assert describe(query, "NoteRecord")["interfaces"] == [{"name": "RecordInterface"}]


def test_filter_and_order_inputs(query: Query) -> None:
    model_filter = {f["name"]: type_ref(f["type"])
                    for f in describe(query, "PostModelFilter")["inputFields"]}  # fmt: skip
    assert model_filter["title"] == "StringFilter"
    assert model_filter["body"] == "TextFilter"
    assert model_filter["slug"] == "SlugFilter"
    assert model_filter["tags"] == "LinksFilter"
    assert model_filter["photos"] == "GalleryFilter"
    assert model_filter["content"] == "StructuredTextFilter"
    assert model_filter["_status"] == "StatusFilter"
    assert model_filter["_locales"] == "LocalesFilter"
    assert model_filter["OR"] == "[PostModelFilter]"
    assert "modules" not in model_filter
    string_filter = [f["name"] for f in describe(query, "StringFilter")["inputFields"]]
    assert sorted(string_filter) == sorted(["matches", "notMatches", "isBlank", "isPresent",
                                            "exists", "eq", "neq", "in", "notIn"])  # fmt: skip
    values = [v["name"] for v in describe(query, "PostModelOrderBy")["enumValues"]]
    assert {"_createdAt_ASC", "_publishedAt_DESC", "_firstPublishedAt_ASC", "id_ASC",
            "title_ASC", "views_DESC", "day_ASC", "at_DESC"} <= set(values)  # fmt: skip
    assert not {v for v in values if v.startswith(("content", "tags", "color"))}


def test_scalars_and_enums(query: Query) -> None:
    data = query("{ __schema { types { name kind } } }")
    types = {t["name"]: t["kind"] for t in data["__schema"]["types"]}
    for scalar in ("ItemId", "IntType", "FloatType", "BooleanType", "DateTime", "Date",
                   "JsonField", "CustomData", "MetaTagAttributes", "UploadId"):  # fmt: skip
        assert types[scalar] == "SCALAR"
    locales = describe(query, "SiteLocale")["enumValues"]
    assert [v["name"] for v in locales] == ["en", "it", "fr"]
    statuses = describe(query, "ItemStatus")["enumValues"]
    assert [v["name"] for v in statuses] == ["draft", "updated", "published"]


def test_full_introspection_builds_a_client_schema(emulator: Emulator) -> None:
    result = emulator.execute(get_introspection_query(descriptions=True))
    assert "errors" not in result.body
    schema = build_client_schema(result.body["data"])
    assert print_type(schema.get_type("CollectionMetadata")) == (  # type: ignore[arg-type]
        "type CollectionMetadata {\n  count: IntType!\n}"
    )


def test_strict_mode_makes_required_fields_non_null(query: Query) -> None:
    normal = {f["name"]: type_ref(f["type"]) for f in describe(query, "PersonRecord")["fields"]}
    strict = {f["name"]: type_ref(f["type"])
              for f in describe(query, "PersonRecord", exclude_invalid=True)["fields"]}  # fmt: skip
    assert (normal["name"], strict["name"]) == ("String", "String!")
    assert strict["age"] == "IntType"
    strict_file = describe(query, "FileField", exclude_invalid=True)
    file_field = {f["name"]: type_ref(f["type"]) for f in strict_file["fields"]}
    assert file_field["width"] == "IntType!"
    assert file_field["responsiveImage"] == "ResponsiveImage!"


def test_schema_is_built_once_per_schema_generation(store: ContentStore) -> None:
    first = compiled_schema(store.state)
    assert compiled_schema(store.state) is first
    tag = store.state.records["t1"]
    changed = RecordVersion(fields={"name": "crimson"}, updated_at="2025-01-01T00:00:00+00:00")
    store.put_record(tag.replace(current=changed, published=changed))
    assert compiled_schema(store.state) is first
    schema = store.state.schema
    store.commit(schema=dataclasses.replace(schema, models=dict(schema.models)))
    assert compiled_schema(store.state) is first  # equal schema: no change recorded
    models = {k: v for k, v in schema.models.items() if k != "page"}
    store.commit(schema=dataclasses.replace(schema, models=models))
    assert compiled_schema(store.state) is not first
    assert compiled_schema(store.state, strict=True) is not compiled_schema(store.state)
