"""A small content project for change tests: articles (draft/published), authors, categories
(draft/published disabled), a singleton and a block model; locales en and it. And a registry
of running sites of each test's own, with a live process to stand for a registered server."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from datocms_app.emulator.store import ContentStore

SCHEMA: dict[str, Any] = {
    "models": [
        {
            "id": "m-article",
            "api_key": "article",
            "name": "Article",
            "fields": [
                {"api_key": "title", "field_type": "string", "localized": True,
                 "validators": {"required": {}}},
                {"api_key": "summary", "field_type": "text", "localized": True},
                {"api_key": "slug", "field_type": "slug"},
                {"api_key": "views", "field_type": "integer"},
                {"api_key": "extra", "field_type": "json"},
                {"api_key": "author", "field_type": "link",
                 "validators": {"item_item_type": {"item_types": ["m-author"]}}},
                {"api_key": "categories", "field_type": "links",
                 "validators": {"items_item_type": {"item_types": ["m-category"]}}},
                {"api_key": "content", "field_type": "rich_text",
                 "validators": {"rich_text_blocks": {"item_types": ["m-quote"]}}},
                {"api_key": "cover", "field_type": "file"},
            ],
        },
        {
            "id": "m-author",
            "api_key": "author",
            "name": "Author",
            "fields": [{"api_key": "name", "field_type": "string"}],
        },
        {
            "id": "m-category",
            "api_key": "category",
            "name": "Category",
            "draft_mode_active": False,
            "fields": [{"api_key": "name", "field_type": "string"}],
        },
        {
            "id": "m-home",
            "api_key": "home",
            "name": "Home",
            "singleton": True,
            "fields": [{"api_key": "headline", "field_type": "string"}],
        },
        {
            "id": "m-quote",
            "api_key": "quote_block",
            "name": "Quote",
            "modular_block": True,
            "fields": [{"api_key": "quote", "field_type": "text"}],
        },
    ]
}  # fmt: skip

SITE = {"name": "Change tests", "locales": ["en", "it"]}
UPLOADS = [
    {
        "id": "up-1",
        "path": "pixel.png",
        "default_field_metadata": {"en": {"alt": "A pixel", "title": "Pixel"}},
    }
]
STAMP = "2024-01-01T00:00:00Z"
RECORDS: list[dict[str, Any]] = [
    {"id": "ada", "item_type": "author", "meta": {"created_at": STAMP},
     "published": {"name": "Ada"}},
    {"id": "linus", "item_type": "author", "meta": {"created_at": STAMP},
     "published": {"name": "Linus"}},
    {"id": "travel", "item_type": "category", "meta": {"created_at": STAMP},
     "published": {"name": "Travel"}},
    {"id": "home", "item_type": "home", "meta": {"created_at": STAMP},
     "published": {"headline": "Welcome"}},
    {
        "id": "alps",
        "item_type": "article",
        "meta": {"created_at": STAMP},
        "published": {
            "title": {"en": "The Alps", "it": "Le Alpi"},
            "slug": "alps",
            "views": 1,
            "extra": {"a": 1},
            "author": "ada",
            "categories": ["travel"],
            "content": [{"item_type": "quote_block", "id": "q1", "quote": "High."}],
            "cover": {"upload_id": "up-1"},
        },
    },
    {
        "id": "draft-only",
        "item_type": "article",
        "meta": {"created_at": "2024-01-02T00:00:00Z"},
        "draft": {"title": {"en": "Work in progress", "it": "Lavori in corso"},
                  "slug": "wip", "author": "linus"},
    },
]  # fmt: skip


def write_project(directory: Path) -> Path:
    from PIL import Image

    (directory / "records").mkdir(parents=True)
    (directory / "uploads").mkdir()
    Image.new("RGB", (4, 3), (200, 10, 10)).save(directory / "uploads" / "pixel.png")
    (directory / "schema.json").write_text(json.dumps(SCHEMA))
    (directory / "site.json").write_text(json.dumps(SITE))
    (directory / "uploads.json").write_text(json.dumps(UPLOADS))
    for record in RECORDS:
        (directory / "records" / f"{record['id']}.json").write_text(json.dumps(record))
    return directory


@pytest.fixture(scope="session")
def project_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_project(tmp_path_factory.mktemp("change-project"))


@pytest.fixture
def store(project_dir: Path) -> ContentStore:
    return ContentStore.from_directory(project_dir)


@pytest.fixture
def registry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A registry of running sites of the test's own (never the developer's), this process
    not registered yet; the folder its files go to."""
    from datocms_app.emulator import site_registry

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(site_registry, "_registered_pid", None)
    return tmp_path / "cache" / "datocms-app" / "emulator-sites"


@pytest.fixture
def other_process() -> Iterator[int]:
    """The pid of a live process that is not this one: a registered server's, say."""
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        yield child.pid
    finally:
        child.kill()
        child.wait()
