"""Loading content projects: the demo content, and every mistake a content editor can make."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from datocms_app.emulator import dast
from datocms_app.emulator.conf import get_emulator_settings
from datocms_app.emulator.content import load_project
from datocms_app.emulator.content_dir import content_directory
from datocms_app.emulator.exceptions import ContentError
from datocms_app.emulator.naming import (
    camel,
    collection_query,
    meta_query,
    pluralize,
    record_type,
)

from .conftest import RECORDS, SCHEMA, SITE, UPLOADS, write_project

# -- the demo content ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo() -> Any:
    # The settings name the demo's project; its PREPARE hook paints the missing pictures.
    return load_project(content_directory(get_emulator_settings()))


def test_demo_content_shape(demo: Any) -> None:
    by_model: dict[str, list[str]] = {}
    for record in demo.records.values():
        by_model.setdefault(record.model, []).append(record.id)
    assert {model: len(ids) for model, ids in by_model.items()} == {
        "article": 8, "author": 3, "category": 4, "home": 1
    }  # fmt: skip
    statuses = {r.id: r.status for r in demo.records.values() if r.model == "article"}
    assert statuses["night-train"] == "draft"
    assert statuses["open-ocean"] == "updated"
    assert statuses["desert-light"] == "updated"
    assert all(r.current.is_valid for r in demo.records.values())
    assert demo.records["code-as-prose"].current.locales == ("en",)
    assert demo.site.locales == ("en", "it")
    assert set(demo.uploads) >= {"hero-harbour", "article-alps", "favicon", "logo"}
    assert all(upload.path.is_file() for upload in demo.uploads.values())
    # One video (committed, made by project/content/video.py); every other upload is a picture.
    videos = {key: upload.video for key, upload in demo.uploads.items() if upload.video}
    assert list(videos) == ["video-ocean-dawn"]
    video = videos["video-ocean-dawn"]
    assert (video.width, video.height, video.duration, video.framerate) == (640, 360, 4.0, 24.0)
    assert sorted(video.hls_files) == ["segment0.ts", "segment1.ts"]


def _walk(node: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield node
    for child in node.get("children", ()):
        yield from _walk(child)


def test_demo_articles_use_every_dast_node_mark_and_block(demo: Any) -> None:
    nodes: set[str] = set()
    levels: set[int] = set()
    marks: set[str] = set()
    link_meta: set[str] = set()
    styles: set[str] = set()
    features: set[str] = set()
    block_models: set[str] = set()
    for record in demo.records.values():
        if record.model != "article":
            continue
        for version in (record.current, record.published):
            if version is None:
                continue
            block_models |= {block.model for block in version.blocks.values()}
            for document in (version.fields["content"] or {}).values():
                for node in _walk(document["document"]):
                    nodes.add(node["type"])
                    levels.add(node.get("level", 0))
                    marks |= set(node.get("marks", ()))
                    styles.add(node.get("style", ""))
                    if node["type"] == "link":
                        link_meta |= {m["id"] for m in node.get("meta", ())}
                    if node["type"] == "blockquote" and node.get("attribution"):
                        features.add("attribution")
                    if node["type"] == "code" and node.get("language"):
                        features.add("code language")
                    if node["type"] == "span" and "\n" in node["value"]:
                        features.add("line break")
    assert nodes == dast.CHILDREN.keys() | dast.LEAVES
    assert {1, 2, 3, 4, 5, 6} <= levels
    assert marks == set(dast.DEFAULT_MARKS)
    assert {"bulleted", "numbered"} <= styles
    assert link_meta >= {"target", "rel", "title"}
    assert features == {"attribution", "code language", "line break"}
    assert block_models == {"image_block", "gallery_block", "video_block", "quote_block",
                            "cta_block", "code_block", "mention_block"}  # fmt: skip


# -- naming ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "plural"),
    [("article", "articles"), ("category", "categories"), ("person", "people"),
     ("box", "boxes"), ("day", "days"), ("wolf", "wolves"), ("knife", "knives"), ("news", "news"),
     ("status", "statuses"), ("analysis", "analyses"), ("quiz", "quizzes")],
)  # fmt: skip
def test_pluralize(word: str, plural: str) -> None:
    assert pluralize(word) == plural


def test_graphql_names() -> None:
    assert record_type("blog_post") == "BlogPostRecord"
    assert collection_query("use_case") == "allUseCases"
    assert collection_query("blog_category") == "allBlogCategories"
    assert meta_query("person") == "_allPeopleMeta"
    assert camel("hero_title") == "heroTitle"
    assert camel("_first_published_at") == "_firstPublishedAt"  # a meta field


# -- mistakes --------------------------------------------------------------------------------


def load_with(tmp_path: Path, **changes: Any) -> Any:
    parts = {"schema": copy.deepcopy(SCHEMA), "site": copy.deepcopy(SITE),
             "uploads": copy.deepcopy(UPLOADS), "records": copy.deepcopy(RECORDS)}  # fmt: skip
    for key, change in changes.items():
        change(parts[key])
    return load_project(write_project(tmp_path / "project", **parts))


def record(records: list[dict[str, Any]], record_id: str) -> dict[str, Any]:
    return next(r for r in records if r["id"] == record_id)


def set_field(record_id: str, key: str, value: Any, version: str = "published") -> Any:
    def change(records: list[dict[str, Any]]) -> None:
        record(records, record_id)[version][key] = value

    return change


def model(schema: dict[str, Any], api_key: str) -> dict[str, Any]:
    return next(m for m in schema["models"] if m["api_key"] == api_key)


BAD_RECORDS = [
    (set_field("p1", "titel", "x"),
     "records/p1.json.published: model 'post' has no field(s) titel; its fields are: title, "
     "slug, body, published, views, score, day, at, color, place, data, seo, author, tags, "
     "cover, photos, content, modules, hero."),
    (set_field("p1", "title", "Alpha"),
     "records/p1.json.published.title: field 'title' is localized: give an object keyed by "
     "locale (en, it, fr), e.g. {\"en\": ...}; got 'Alpha'."),
    (set_field("p1", "slug", {"en": "x"}),
     "records/p1.json.published.slug: a slug field takes a string, got {'en': 'x'}."),
    (set_field("p1", "slug", "Not A Slug"),
     "records/p1.json.published.slug: 'Not A Slug' is not a valid slug (lowercase letters, "
     "digits, '_' and single dashes, e.g. 'my-first-post')."),
    (set_field("p1", "views", 1.5),
     "records/p1.json.published.views: an integer field takes an integer, got 1.5."),
    (set_field("p1", "published", "yes"),
     "records/p1.json.published.published: a boolean field takes true or false, got 'yes'."),
    (set_field("p1", "day", "10/01/2024"),
     "records/p1.json.published.day: expected a date like '2024-05-01', got '10/01/2024'."),
    (set_field("p1", "at", "yesterday"),
     "records/p1.json.published.at: 'yesterday' is not an ISO 8601 date-time "
     "(e.g. 2024-05-01T09:30:00Z)."),
    (set_field("p1", "color", {"red": 300, "green": 0, "blue": 0, "alpha": 255}),
     "records/p1.json.published.color: a color is {'red', 'green', 'blue', 'alpha'} with "
     "integers 0-255, got {'red': 300, 'green': 0, 'blue': 0, 'alpha': 255}."),
    (set_field("p1", "place", {"latitude": 95, "longitude": 0}),
     "records/p1.json.published.place: a geolocation is {'latitude': -90..90, "
     "'longitude': -180..180}, got {'latitude': 95, 'longitude': 0}."),
    (set_field("p1", "author", "nobody"),
     "records/p1.json.published.author: 'nobody' is not the id of a record of this project "
     "(links hold record ids, e.g. \"author-ada\")."),
    (set_field("p1", "author", "t1"),
     "records/p1.json.published.author: record 't1' is a 'tag', but field 'author' links to "
     "person only (its item_item_type/items_item_type validator)."),
    (set_field("p1", "tags", ["t1", "t1"]),
     "records/p1.json.published.tags: the same record is linked twice."),
    (set_field("p1", "cover", {"upload_id": "nope"}),
     "records/p1.json.published.cover.upload_id: 'nope' is not the id of an upload in "
     "uploads.json."),
    (set_field("p1", "cover", {"upload_id": "up1", "focal_point": {"x": 2, "y": 0}}),
     "records/p1.json.published.cover.focal_point: expected {'x': 0..1, 'y': 0..1}."),
    (set_field("p1", "hero", {"item_type": "note", "text": "x"}),
     "records/p1.json.published.hero: field 'hero' does not accept 'note' blocks here; it "
     "accepts pic (see its *_blocks validators)."),
    (set_field("p1", "modules", [{"item_type": "post"}]),
     "records/p1.json.published.modules[0].item_type: 'post' is not a block model; block "
     "models are: note, pic."),
    (set_field("p1", "modules", [{"text": "no type"}]),
     "records/p1.json.published.modules[0]: a block needs an 'item_type' naming its block "
     "model, e.g. {\"item_type\": \"quote_block\", \"quote\": \"...\"}."),
    (set_field("p1", "modules", ["missing-block"]),
     "records/p1.json.published.modules[0]: 'missing-block' is not a block of this record; "
     "embed the block as an object {\"item_type\": \"<block model>\", ...fields} instead."),
    (set_field("p1", "content", {"document": {}}),
     "records/p1.json.published.content: a structured text value must be an object "
     "{\"schema\": \"dast\", \"document\": {\"type\": \"root\", \"children\": [...]}}, "
     "got {'document': {}}."),
    (set_field("p1", "content", {"schema": "dast", "document": {"type": "root", "children": [
        {"type": "para", "children": []}]}}),
     "records/p1.json.published.content.document.children[0]: a 'root' node cannot contain "
     "'para'; it accepts block, blockquote, code, heading, list, paragraph, thematicBreak."),
    (set_field("p1", "content", {"schema": "dast", "document": {"type": "root", "children": [
        {"type": "heading", "level": 7, "children": [{"type": "span", "value": "x"}]}]}}),
     "records/p1.json.published.content.document.children[0]: a heading needs an integer "
     "'level' from 1 to 6."),
    (set_field("p1", "content", {"schema": "dast", "document": {"type": "root", "children": [
        {"type": "paragraph", "children": [{"type": "span", "value": "x", "bold": True}]}]}}),
     "records/p1.json.published.content.document.children[0].children[0]: a 'span' node has "
     "no attribute(s) bold."),
    (set_field("p1", "content", {"schema": "dast", "document": {"type": "root", "children": [
        {"type": "paragraph", "children": [{"type": "inlineItem", "item": "t1"}]}]}}),
     "records/p1.json.published.content.document.children[0].children[0].item: record 't1' is "
     "a 'tag', but field 'content' links to post, person only (its item_item_type/"
     "items_item_type validator)."),
    (set_field("p1", "content", {"schema": "dast", "document": {"type": "root", "children": [
        {"type": "block", "item": {"item_type": "pic"}}]}}),
     "records/p1.json.published.content.document.children[0].item: field 'content' does not "
     "accept 'pic' blocks here; it accepts note (see its *_blocks validators)."),
    (set_field("p2", "body", {"en": "x", "it": "y"}),
     "records/p2.json.published.title: every localized field of a record must have the same "
     "locales; this one has ['en'], others have ['en', 'it']. Add the missing locales (null "
     "is fine) or remove the extra ones."),
]  # fmt: skip


@pytest.mark.parametrize(("change", "message"), BAD_RECORDS)
def test_bad_record_values(tmp_path: Path, change: Any, message: str) -> None:
    with pytest.raises(ContentError) as error:
        load_with(tmp_path, records=change)
    assert str(error.value) == message


def test_record_level_mistakes(tmp_path: Path) -> None:
    def mismatched_status(records: list[dict[str, Any]]) -> None:
        record(records, "p1")["meta"]["status"] = "draft"

    with pytest.raises(ContentError, match=r"meta\.status: says 'draft' but the file holds a "
                       r"'published' record"):  # fmt: skip
        load_with(tmp_path / "a", records=mismatched_status)

    def second_page(records: list[dict[str, Any]]) -> None:
        records.append({**record(records, "page"), "id": "page2"})

    with pytest.raises(ContentError, match="singleton model 'page' has 2 records"):
        load_with(tmp_path / "b", records=second_page)

    def no_versions(records: list[dict[str, Any]]) -> None:
        del record(records, "t1")["published"]

    with pytest.raises(ContentError, match="a record needs 'published' field values"):
        load_with(tmp_path / "c", records=no_versions)

    def unknown_model(records: list[dict[str, Any]]) -> None:
        record(records, "t1")["item_type"] = "note"

    with pytest.raises(ContentError, match="'note' is not a model; models are: post, person"):
        load_with(tmp_path / "d", records=unknown_model)


def test_duplicate_record_ids(tmp_path: Path) -> None:
    directory = write_project(tmp_path / "p")
    (directory / "records" / "copy.json").write_text(
        json.dumps({**RECORDS[0], "published": {"name": "Other"}})
    )
    with pytest.raises(ContentError, match="record id 'ada' is used by another record"):
        load_project(directory)


def test_invalid_json_names_the_file_and_position(tmp_path: Path) -> None:
    directory = write_project(tmp_path / "p")
    (directory / "records" / "broken.json").write_text('{"id": "x",\n  oops}')
    with pytest.raises(ContentError) as error:
        load_project(directory)
    assert str(error.value) == (
        f"{directory / 'records' / 'broken.json'}: invalid JSON at line 2, column 3: "
        "Expecting property name enclosed in double quotes."
    )


def test_not_a_content_project(tmp_path: Path) -> None:
    with pytest.raises(ContentError, match=r"is not a content project: it has no schema\.json"):
        load_project(tmp_path)


BAD_SCHEMAS = [
    (lambda s: model(s, "tag")["fields"].append({"api_key": "x", "field_type": "video"}),
     "field_type: 'video' is not supported"),
    (lambda s: model(s, "tag")["fields"].append({"api_key": "id", "field_type": "string"}),
     "api_key: expected a snake_case API key that is not one of"),
    (lambda s: model(s, "note")["fields"].append(
        {"api_key": "x", "field_type": "string", "localized": True}),
     "a block model cannot be a singleton nor have localized fields"),
    (lambda s: model(s, "post")["fields"][12]["validators"]["item_item_type"].update(
        item_types=["note"]),
     "links can only point to models, 'note' is a block"),
    (lambda s: model(s, "post")["fields"][12]["validators"]["item_item_type"].update(
        item_types=["ghost"]),
     "no model with id or API key 'ghost'"),
    (lambda s: model(s, "post").update(title_field="views"),
     "title_field: 'views' is not a string field of the model"),
    (lambda s: model(s, "post").update(colour="red"), "unknown model attribute(s) colour"),
    (lambda s: s["models"].append({"api_key": "post"}), "two models have the API key 'post'"),
]  # fmt: skip


@pytest.mark.parametrize(("change", "message"), BAD_SCHEMAS)
def test_bad_schemas(tmp_path: Path, change: Any, message: str) -> None:
    with pytest.raises(ContentError, match=message.replace("(", r"\(").replace(")", r"\)")):
        load_with(tmp_path, schema=change)


def test_bad_site_and_uploads(tmp_path: Path) -> None:
    with pytest.raises(ContentError, match="'locales' must be a non-empty list of distinct"):
        load_with(tmp_path / "a", site=lambda site: site.update(locales=["en", "en"]))
    with pytest.raises(ContentError, match=r"\.path: 'missing.png' must name a file inside"):
        load_with(tmp_path / "b", uploads=lambda uploads: uploads[0].update(path="missing.png"))
    with pytest.raises(ContentError, match=r"\.path: '../escape.png' must name a file inside"):
        load_with(tmp_path / "c", uploads=lambda uploads: uploads[0].update(path="../escape.png"))
    with pytest.raises(ContentError, match="favicon 'nope' is not an upload id"):
        load_with(tmp_path / "d", site=lambda site: site.update(favicon="nope"))


# -- blocks: ids and versions ----------------------------------------------------------------


def test_generated_block_ids_are_stable_and_shared_by_versions(tmp_path: Path) -> None:
    def draft_with_same_block(records: list[dict[str, Any]]) -> None:
        p2 = record(records, "p2")
        p2["published"]["modules"] = [{"item_type": "note", "text": "kept"}]
        p2["draft"] = copy.deepcopy(p2["published"])
        p2["draft"]["modules"].append({"item_type": "note", "text": "added"})

    first = load_with(tmp_path / "a", records=draft_with_same_block).records["p2"]
    second = load_with(tmp_path / "b", records=draft_with_same_block).records["p2"]
    published_ids = first.published.fields["modules"]
    draft_ids = first.current.fields["modules"]
    assert len(published_ids[0]) == 22
    assert draft_ids[0] == published_ids[0]
    assert second.current.fields["modules"] == draft_ids
    assert first.current.blocks[draft_ids[1]].fields == {"text": "added"}


def test_draft_may_reference_published_blocks_by_id(tmp_path: Path) -> None:
    def reuse(records: list[dict[str, Any]]) -> None:
        p1 = record(records, "p1")
        p1["draft"] = {**copy.deepcopy(p1["published"]), "modules": ["m2", "m1"], "hero": "h1"}

    p1 = load_with(tmp_path, records=reuse).records["p1"]
    assert p1.status == "updated"
    assert p1.current.fields["modules"] == ["m2", "m1"]
    assert p1.current.blocks["m1"] is p1.published.blocks["m1"]


def test_invalid_records_load_but_are_marked(tmp_path: Path) -> None:
    content = load_with(tmp_path, records=set_field("p2", "title", {"en": None}))
    assert content.records["p2"].current.is_valid is False
