"""A snapshot of the demo project, taken through the CMA, answers every query of the demo
exactly as the demo project does.

The queries are the ones the demo really runs: every page (home, article index and its pages,
each article and its reader-letter form, author and category, a 404) is rendered in English
and Italian with the Django test client while a ``datocms_app.cda.hooks`` observer records
each query and its variables.
The demo project is then served by an emulator, snapshotted through its CMA with
``datocms_app.cma`` (in-process transport: the CMA's JSON, the upload files and the videos'
HLS renditions all come over HTTP), and the snapshot is loaded by a second emulator. Every
recorded query, published and with drafts, must answer the same JSON through both — exact
equality, upload URLs included (both emulators put them below the same ``/assets``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from datocms_app import cma
from datocms_app.cda import hooks
from datocms_app.cda.hooks import CDAQuery, QueryObserver
from datocms_app.emulator.embedded import EmulatorTransport, get_emulator
from datocms_app.emulator.server import Emulator
from datocms_app.emulator.snapshot import SnapshotReport, VideoURLs, take_snapshot
from tests.demo_content import DEMO_CONTENT_DIR

pytestmark = pytest.mark.django_db


class Recorder(QueryObserver):
    def __init__(self) -> None:
        self.queries: list[tuple[str, dict[str, Any]]] = []

    def started(self, query: CDAQuery) -> None:
        entry = (query.query, dict(query.variables or {}))
        if entry not in self.queries:
            self.queries.append(entry)


def demo_paths() -> list[str]:
    """Every page of the demo, in both languages (slugs from the demo's records)."""
    state = get_emulator().store.state
    paths = []
    for language in ("en", "it"):
        with translation.override(language):
            paths += [reverse("home"), reverse("articles"), reverse("articles") + "?page=2"]
            for record in state.records.values():
                if record.model not in ("article", "author", "category"):
                    continue
                slugs = record.current.fields["slug"]
                if isinstance(slugs, dict):
                    slugs = slugs.get(language) or slugs["en"]
                paths.append(reverse(record.model, args=[slugs]))
                if record.model == "article":
                    paths.append(reverse("letter", args=[slugs]))
            paths.append(reverse("home") + "no-such-page/")
    return paths


@pytest.fixture(scope="module")
def demo_queries(django_db_blocker: Any) -> list[tuple[str, dict[str, Any]]]:
    recorder = Recorder()
    hooks.add_observer(recorder)
    try:
        with django_db_blocker.unblock():
            client = Client()
            for path in demo_paths():
                assert client.get(path).status_code in (200, 404), path
    finally:
        hooks.remove_observer(recorder)
    return recorder.queries


@pytest.fixture(scope="module")
def original(demo_queries: list[Any]) -> Iterator[Emulator]:
    emulator = Emulator.from_directory(DEMO_CONTENT_DIR, tokens=["snapshot-token"])
    yield emulator
    emulator.close()


@pytest.fixture(scope="module")
def snapshot(
    original: Emulator, tmp_path_factory: pytest.TempPathFactory
) -> tuple[SnapshotReport, Path]:
    target = tmp_path_factory.mktemp("snapshot") / "content"
    with cma.Client(
        api_token="snapshot-token",
        base_url="http://emulator.invalid/cma",
        transport=EmulatorTransport(original),
    ) as client:
        report = take_snapshot(
            client, target, video_urls=VideoURLs.below("http://emulator.invalid/video")
        )
    return report, target


def operation(query: str) -> str:
    return query.split("query ", 1)[1].split("(", 1)[0].strip()


def test_the_demo_pages_ran_every_kind_of_query(demo_queries: list[Any]) -> None:
    assert Counter(operation(query) for query, _ in demo_queries) == {
        "Home": 2,
        "ArticleIndex": 4,
        "Article": 16,
        "Author": 6,
        "Category": 8,
        "ArticlesBy": 14,
        "Layout": 2,
        "Letter": 16,
    }


def test_the_snapshot_holds_the_whole_demo_project(
    snapshot: tuple[SnapshotReport, Path],
) -> None:
    report, target = snapshot
    assert report.omissions == []
    assert (report.models, report.block_models, report.fields) == (5, 7, 57)
    assert report.records == {"published": 13, "updated": 2, "draft": 1}
    assert (report.uploads, report.videos) == (16, 1)
    assert report.locales == ("en", "it")
    assert sorted(path.name for path in target.iterdir()) == [
        "records", "schema.json", "site.json", "uploads", "uploads.json",
    ]  # fmt: skip
    assert sorted(p.name for p in (target / "uploads" / "video-ocean-dawn" / "hls").iterdir()) == [
        "index.m3u8", "segment-0.ts", "segment-1.ts",
    ]  # fmt: skip
    originals = DEMO_CONTENT_DIR / "uploads"
    for upload in ("hero-harbour/hero-harbour.jpg", "video-ocean-dawn/ocean-dawn.mp4"):
        copied = (target / "uploads" / upload).read_bytes()
        name = upload.split("/")[1]
        source = originals / name if name != "ocean-dawn.mp4" else originals / "video-ocean" / name
        assert copied == source.read_bytes()


def test_every_demo_query_answers_the_same_through_the_snapshot(
    demo_queries: list[tuple[str, dict[str, Any]]],
    original: Emulator,
    snapshot: tuple[SnapshotReport, Path],
) -> None:
    copy = Emulator.from_directory(snapshot[1], tokens=["snapshot-token"])
    try:
        differing = []
        drafts_differ = 0
        for query, variables in demo_queries:
            published = original.execute(query, variables).body
            drafts = original.execute(query, variables, include_drafts=True).body
            assert "errors" not in published, published
            assert "errors" not in drafts, drafts
            drafts_differ += drafts != published
            if copy.execute(query, variables).body != published:
                differing.append((operation(query), variables, "published"))
            if copy.execute(query, variables, include_drafts=True).body != drafts:
                differing.append((operation(query), variables, "drafts"))
        assert differing == []
        # The drafts (a never-published article, two with unpublished changes) were compared.
        assert drafts_differ == 32
    finally:
        copy.close()
