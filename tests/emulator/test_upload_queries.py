"""The media area in the CDA: ``upload``, ``allUploads``, ``_allUploadsMeta``.

Uploads of the fixture project: ``up1`` (40 x 30 PNG, author Ann, tag ``a``, alt "Up one" /
"Uno"), ``up2`` (20 x 20 PNG), and here ``doc`` (a PDF, created later, tagged ``a`` and
``b``).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from datocms_app.emulator import cache_tags
from datocms_app.emulator.server import Emulator
from datocms_app.emulator.store import ContentStore
from tests.emulator.conftest import UPLOADS, write_project

DOC = {"id": "doc", "path": "doc.pdf", "tags": ["a", "b"], "notes": "The annual report",
       "created_at": "2024-06-01T10:00:00Z", "updated_at": "2024-06-02T10:00:00Z",
       "default_field_metadata": {"en": {"title": "Report"}}}  # fmt: skip


@pytest.fixture(scope="module")
def uploads_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("uploads-project")
    (directory / "uploads").mkdir()
    (directory / "uploads" / "doc.pdf").write_bytes(b"%PDF-1.4 a tiny document\n")
    return write_project(directory, uploads=[*UPLOADS, DOC])


@pytest.fixture
def media(uploads_project: Path) -> Iterator[Emulator]:
    emulator = Emulator(ContentStore.from_directory(uploads_project), tokens=["t"],
                        assets_base="https://assets.test")  # fmt: skip
    yield emulator
    emulator.close()


def ids(media: Emulator, arguments: str = "", **options: Any) -> list[str]:
    result = media.execute(f"{{ allUploads{arguments} {{ id }} }}", **options)
    assert "errors" not in result.body, result.body
    return [upload["id"] for upload in result.body["data"]["allUploads"]]


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        ("", ["up1", "up2", "doc"]),
        ("(filter: {type: {eq: image}})", ["up1", "up2"]),
        ("(filter: {type: {in: [pdfdocument, video]}})", ["doc"]),
        ('(filter: {format: {eq: "pdf"}})', ["doc"]),
        ('(filter: {filename: {matches: {pattern: "^t"}}})', ["up2"]),
        ('(filter: {basename: {notMatches: {pattern: "e"}}})', ["up2", "doc"]),
        ("(filter: {size: {gt: 25}})", ["up1", "up2"]),
        ("(filter: {width: {gte: 40}})", ["up1"]),
        ("(filter: {height: {eq: 20}})", ["up2"]),
        ("(filter: {orientation: {eq: landscape}})", ["up1"]),
        ('(filter: {tags: {contains: "a"}})', ["up1", "doc"]),
        ('(filter: {tags: {allIn: ["a", "b"]}})', ["doc"]),
        ('(filter: {tags: {notIn: ["b"]}})', ["up1", "up2"]),
        ('(filter: {id: {in: ["up2", "doc"]}})', ["up2", "doc"]),
        ('(filter: {mimeType: {eq: "application/pdf"}})', ["doc"]),
        ("(filter: {author: {exists: true}})", ["up1"]),
        ('(filter: {notes: {matches: {pattern: "annual"}}})', ["doc"]),
        ('(filter: {alt: {eq: "Up one"}})', ["up1"]),
        ('(filter: {alt: {eq: "Uno"}}, locale: it)', ["up1"]),
        ("(filter: {title: {exists: true}})", ["up1", "doc"]),
        ('(filter: {_createdAt: {gt: "2024-03-01T00:00:00Z"}})', ["doc"]),
        ('(filter: {_updatedAt: {lt: "2024-03-01T00:00:00Z"}})', ["up1", "up2"]),
        ('(filter: {OR: [{width: {eq: 20}}, {format: {eq: "pdf"}}]})', ["up2", "doc"]),
        ('(filter: {AND: [{type: {eq: image}}, {tags: {contains: "a"}}]})', ["up1"]),
        ("(orderBy: size_ASC)", ["doc", "up2", "up1"]),
        ("(orderBy: [_createdAt_DESC, id_ASC])", ["doc", "up1", "up2"]),
        ("(orderBy: resolution_DESC)", ["up1", "up2", "doc"]),
        ("(first: 1, skip: 1)", ["up2"]),
    ],
)
def test_all_uploads_filters_order_and_pages(
    media: Emulator, arguments: str, expected: list[str]
) -> None:
    assert ids(media, arguments) == expected


def test_one_upload_and_the_count(media: Emulator) -> None:
    query = """{
      upload(filter: {tags: {contains: "b"}}) { id title filename mimeType size }
      none: upload(filter: {id: {eq: "missing"}}) { id }
      _allUploadsMeta(filter: {type: {eq: image}}) { count }
    }"""
    result = media.execute(query)
    assert result.body == {"data": {
        "upload": {"id": "doc", "title": "Report", "filename": "doc.pdf",
                   "mimeType": "application/pdf", "size": 25},
        "none": None,
        "_allUploadsMeta": {"count": 2},
    }}  # fmt: skip
    assert cache_tags.uploads_tag() in result.tags
    assert cache_tags.upload_tag("doc") in result.tags


def test_responsive_images_of_uploads(media: Emulator) -> None:
    query = """{ upload(filter: {id: {eq: "up1"}}) {
      responsiveImage(imgixParams: {w: 20}) { src width height alt title } } }"""
    result = media.execute(query)
    assert result.body == {"data": {"upload": {"responsiveImage": {
        "src": "https://assets.test/up1/one.png?w=20", "width": 20, "height": 15,
        "alt": "Up one", "title": "One"}}}}  # fmt: skip


def test_unsupported_filters_and_bad_pages(media: Emulator) -> None:
    colors = media.execute("{ allUploads(filter: {colors: {contains: red}}) { id } }")
    assert colors.body["errors"][0]["message"] == (
        "Expected value of type 'UploadFilter' not to include unknown field 'colors', found: "
        "{ colors: { contains: red } }."
    )
    too_many = media.execute("{ allUploads(first: 501) { id } }")
    assert too_many.body["errors"][0]["message"] == (
        "Argument 'first' on field 'allUploads' must be between 0 and 500 (got 501); paginate "
        "with 'skip' to read more uploads."
    )


def test_changing_an_upload_invalidates_the_uploads_tag(media: Emulator) -> None:
    result = media.changes.update_upload("up2", tags=["new"])
    assert cache_tags.uploads_tag() in result.tags
    assert ids(media, '(filter: {tags: {contains: "new"}})') == ["up2"]
