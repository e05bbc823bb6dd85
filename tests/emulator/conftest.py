"""A small content project with every field type, written to disk for each test session.

Models: ``post`` (every field type), ``person``, ``tag``, the singleton ``page``; block
models ``note`` and ``pic``; locales en, it and fr. Records cover the draft/published
system (``p3`` has unpublished changes, ``p4`` is draft-only), an invalid record (``p5``),
missing translations (``p2`` has no Italian) and links in every direction.
``video_project`` adds a video upload (``vid``, ``p2``'s cover): the demo's committed video.
"""

from __future__ import annotations

import copy
import json
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from PIL import Image

from datocms_app.emulator.server import Emulator
from datocms_app.emulator.store import ContentStore


def f(api_key: str, field_type: str, **options: Any) -> dict[str, Any]:
    return {"api_key": api_key, "field_type": field_type, **options}


SCHEMA: dict[str, Any] = {
    "models": [
        {
            "api_key": "post",
            "title_field": "title",
            "fields": [
                f("title", "string", localized=True, validators={"required": {}}),
                f("slug", "slug"),
                f("body", "text", localized=True),
                f("published", "boolean"),
                f("views", "integer"),
                f("score", "float"),
                f("day", "date"),
                f("at", "date_time"),
                f("color", "color"),
                f("place", "lat_lon"),
                f("data", "json"),
                f("seo", "seo"),
                f("author", "link", validators={"item_item_type": {"item_types": ["person"]}}),
                f("tags", "links", validators={"items_item_type": {"item_types": ["tag"]}}),
                f("cover", "file"),
                f("photos", "gallery"),
                f("content", "structured_text", validators={
                    "structured_text_blocks": {"item_types": ["note"]},
                    "structured_text_inline_blocks": {"item_types": ["note"]},
                    "structured_text_links": {"item_types": ["post", "person"]},
                }),
                f("modules", "rich_text", validators={"rich_text_blocks": {
                    "item_types": ["note", "pic"]}}),
                f("hero", "single_block", validators={"single_block_blocks": {
                    "item_types": ["pic"]}}),
            ],
        },
        {"api_key": "person", "fields": [
            f("name", "string", validators={"required": {}}), f("age", "integer")]},
        {"api_key": "tag", "fields": [f("name", "string")]},
        {"api_key": "page", "singleton": True, "fields": [f("title", "string")]},
        {"api_key": "note", "modular_block": True, "fields": [f("text", "text")]},
        {"api_key": "pic", "modular_block": True, "fields": [f("image", "file")]},
    ]
}  # fmt: skip

SITE: dict[str, Any] = {
    "name": "Fixture",
    "locales": ["en", "it", "fr"],
    "environments": ["main", "sandbox"],
    "favicon": "up2",
    "global_seo": {
        "en": {
            "site_name": "Fixture Site",
            "title_suffix": " | Fixture",
            "twitter_account": "@fixture",
            "fallback_seo": {"title": "Fallback", "description": "Fallback description",
                             "image": "up2", "twitter_card": "summary"},
        }
    },
}  # fmt: skip

UPLOADS: list[dict[str, Any]] = [
    {
        "id": "up1",
        "path": "one.png",
        "author": "Ann",
        "tags": ["a"],
        "default_field_metadata": {
            "en": {"alt": "Up one", "title": "One", "focal_point": {"x": 0.25, "y": 0.75},
                   "custom_data": {"k": "v"}},
            "it": {"alt": "Uno"},
        },
    },
    {"id": "up2", "path": "two.png"},
]  # fmt: skip


def dast(*children: dict[str, Any]) -> dict[str, Any]:
    return {"schema": "dast", "document": {"type": "root", "children": list(children)}}


def para(*children: Any) -> dict[str, Any]:
    return {"type": "paragraph", "children": [
        {"type": "span", "value": c} if isinstance(c, str) else c for c in children]}  # fmt: skip


def post(**fields: Any) -> dict[str, Any]:
    return fields


RECORDS: list[dict[str, Any]] = [
    {"id": "ada", "item_type": "person", "meta": {"created_at": "2024-01-01T00:00:00Z"},
     "published": {"name": "Ada", "age": 36}},
    {"id": "bob", "item_type": "person", "meta": {"created_at": "2024-01-02T00:00:00Z"},
     "published": {"name": "Bob"}},
    {"id": "t1", "item_type": "tag", "meta": {"created_at": "2024-01-01T00:00:00Z"},
     "published": {"name": "red"}},
    {"id": "t2", "item_type": "tag", "meta": {"created_at": "2024-01-02T00:00:00Z"},
     "published": {"name": "blue"}},
    {"id": "page", "item_type": "page", "meta": {"created_at": "2024-01-01T00:00:00Z"},
     "published": {"title": "The page"}},
    {
        "id": "p1", "item_type": "post",
        "meta": {"created_at": "2024-02-01T10:00:00Z", "updated_at": "2024-02-02T10:00:00Z",
                 "published_at": "2024-02-02T10:00:00Z"},
        "published": post(
            title={"en": "Alpha", "it": "Alfa", "fr": "Alpha FR"}, slug="alpha",
            body={"en": "The first bicycle post", "it": "Il primo", "fr": ""},
            published=True, views=10, score=1.5, day="2024-01-10",
            at="2024-01-10T10:00:30Z",
            color={"red": 255, "green": 0, "blue": 128, "alpha": 255},
            place={"latitude": 45.07, "longitude": 7.69}, data={"a": 1},
            seo={"title": "Alpha SEO", "description": "About alpha", "image": "up1",
                 "twitter_card": "summary_large_image"},
            author="ada", tags=["t1", "t2"],
            cover={"upload_id": "up1", "alt": "Cover alt"},
            photos=[{"upload_id": "up1"}, {"upload_id": "up2", "title": "Two"}],
            content=dast(
                para("Hello ", {"type": "span", "value": "world", "marks": ["strong"]}, " ",
                     {"type": "itemLink", "item": "p2", "children": [
                         {"type": "span", "value": "beta"}]},
                     {"type": "inlineItem", "item": "ada"},
                     {"type": "inlineBlock", "item": {"id": "n-inline", "item_type": "note",
                                                      "text": "inline"}}),
                {"type": "block", "item": {"id": "n-block", "item_type": "note",
                                           "text": "block"}},
            ),
            modules=[{"id": "m1", "item_type": "note", "text": "first"},
                     {"id": "m2", "item_type": "pic", "image": {"upload_id": "up2"}}],
            hero={"id": "h1", "item_type": "pic", "image": {"upload_id": "up1"}},
        ),
    },
    {
        "id": "p2", "item_type": "post",
        "meta": {"created_at": "2024-02-03T10:00:00Z", "published_at": "2024-02-03T11:00:00Z"},
        "published": post(
            title={"en": "Beta"}, slug="beta", body={"en": "Second, about cars"},
            published=False, views=20, score=2.5, day="2024-01-20", at="2024-01-20T10:00:00Z",
            author="bob", tags=["t2"], cover={"upload_id": "up2"},
            content=dast(para("Plain beta text")),
        ),
    },
    {
        "id": "p3", "item_type": "post",
        "meta": {"created_at": "2024-02-05T10:00:00Z", "updated_at": "2024-03-01T10:00:00Z",
                 "published_at": "2024-02-06T10:00:00Z"},
        "published": post(title={"en": "Gamma", "it": "Gamma it"}, slug="gamma", views=30,
                          day="2024-01-30", author="ada"),
        "draft": post(title={"en": "Gamma 2", "it": "Gamma it"}, slug="gamma", views=31,
                      day="2024-01-30", author="ada"),
    },
    {
        "id": "p4", "item_type": "post",
        "meta": {"created_at": "2024-02-07T10:00:00Z"},
        "draft": post(title={"en": "Delta"}, slug="delta", views=40, author="bob"),
    },
    {
        "id": "p5", "item_type": "post",
        "meta": {"created_at": "2024-02-08T10:00:00Z", "published_at": "2024-02-08T10:00:00Z"},
        "published": post(title={"en": ""}, slug="epsilon", views=50),
    },
]  # fmt: skip


def write_project(
    directory: Path,
    *,
    schema: dict[str, Any] | None = None,
    site: dict[str, Any] | None = None,
    uploads: list[dict[str, Any]] | None = None,
    records: list[dict[str, Any]] | None = None,
) -> Path:
    """Write a content project (the fixture's by default) to ``directory``."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "uploads").mkdir(exist_ok=True)
    Image.new("RGBA", (40, 30), (200, 20, 20, 255)).save(directory / "uploads" / "one.png")
    Image.new("RGB", (20, 20), (20, 20, 200)).save(directory / "uploads" / "two.png")
    files = {
        "schema.json": SCHEMA if schema is None else schema,
        "site.json": SITE if site is None else site,
        "uploads.json": UPLOADS if uploads is None else uploads,
    }
    for name, data in files.items():
        (directory / name).write_text(json.dumps(data, indent=2))
    records_dir = directory / "records"
    records_dir.mkdir(exist_ok=True)
    for record in RECORDS if records is None else records:
        (records_dir / f"{record['id']}.json").write_text(json.dumps(record, indent=2))
    return directory


@pytest.fixture(scope="session")
def project_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_project(tmp_path_factory.mktemp("emulator-project"))


@pytest.fixture
def store(project_path: Path) -> ContentStore:
    return ContentStore.from_directory(project_path)


@pytest.fixture
def emulator(store: ContentStore) -> Iterator[Emulator]:
    emulator = Emulator(store, tokens=["token"], assets_base="https://assets.test")
    yield emulator
    emulator.webhooks.close()


Query = Callable[..., dict[str, Any]]


@pytest.fixture
def query(emulator: Emulator) -> Query:
    """Run a query and return its ``data`` (failing the test on GraphQL errors)."""

    def run(text: str, variables: dict[str, Any] | None = None, **options: Any) -> Any:
        result = emulator.execute(text, variables, **options)
        assert "errors" not in result.body, result.body["errors"]
        return result.body["data"]

    return run


@pytest.fixture
def errors(emulator: Emulator) -> Query:
    """Run a query that must fail and return its error messages."""

    def run(text: str, variables: dict[str, Any] | None = None, **options: Any) -> Any:
        result = emulator.execute(text, variables, **options)
        assert "errors" in result.body, result.body
        return [error["message"] for error in result.body["errors"]]

    return run


def modified(records: list[dict[str, Any]], record_id: str, **changes: Any) -> list[dict[str, Any]]:
    """A deep copy of ``records`` where ``record_id``'s published fields are updated."""
    copied = copy.deepcopy(records)
    for record in copied:
        if record["id"] == record_id:
            record["published"].update(changes)
    return copied


# -- a video upload ---------------------------------------------------------------------------

DEMO_VIDEO = Path(settings.BASE_DIR) / "project" / "content" / "uploads" / "video-ocean"
PLAYBACK_ID = "Clip0123abcXYZ"
VIDEO_UPLOAD: dict[str, Any] = {
    "id": "vid",
    "path": "clip/ocean-dawn.mp4",
    "video": {"mux_playback_id": PLAYBACK_ID, "hls": "clip/hls/index.m3u8",
              "poster": "clip/poster.jpg"},
    "default_field_metadata": {"en": {"alt": "Dawn at sea", "title": "Sunrise"},
                               "it": {"alt": "Alba in mare"}},
    "tags": ["sea"],
}  # fmt: skip


def write_video_project(directory: Path, upload: dict[str, Any] | None = None) -> Path:
    """The fixture project with the video upload ``vid`` as ``p2``'s cover."""
    write_project(
        directory,
        uploads=[*UPLOADS, VIDEO_UPLOAD if upload is None else upload],
        records=modified(RECORDS, "p2", cover={"upload_id": "vid"}),
    )
    shutil.copytree(DEMO_VIDEO, directory / "uploads" / "clip")
    return directory


@pytest.fixture(scope="module")
def video_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_video_project(tmp_path_factory.mktemp("video-project"))


@pytest.fixture
def video_emulator(video_project: Path) -> Iterator[Emulator]:
    emulator = Emulator(
        ContentStore.from_directory(video_project),
        tokens=["token"],
        assets_base="https://assets.test",
        video_base="https://video.test",
    )
    yield emulator
    emulator.webhooks.close()
