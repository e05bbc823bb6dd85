"""Zero configuration: a change to the embedded emulator invalidates this process's caches
directly, with no webhook configured (``site_cache``), unless ``INVALIDATE_SITE`` is off."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache

from datocms_app import cda
from datocms_app.caching.stores import NullTagStore
from datocms_app.emulator.embedded import get_emulator, reset_emulator
from datocms_app.emulator.server import Emulator
from datocms_app.emulator.site_cache import capture_site_invalidations
from datocms_app.exceptions import CacheStoreError

ALPS = '{ article(filter: {slug: {eq: "alps"}}) { title } }'


class FailingTagStore(NullTagStore):
    """A tag store whose invalidations fail, as a Redis that is down would."""

    def invalidate(self, tags: Iterable[str]) -> int:
        raise CacheStoreError("The cache store refused the write (connection refused).")


def embedded_with(settings: Any, project_dir: Path, **emulator: Any) -> Emulator:
    settings.DATOCMS = {"EMULATOR": {"CONTENT_DIR": str(project_dir), **emulator}}
    reset_emulator()
    cache.clear()
    return get_emulator()


@pytest.fixture(autouse=True)
def _forget_the_emulator() -> Iterator[None]:
    yield
    reset_emulator()


def test_a_change_invalidates_this_process_caches_without_a_webhook(
    settings: Any, project_dir: Path
) -> None:
    emulator = embedded_with(settings, project_dir)
    first = cda.execute(ALPS)
    assert cda.execute(ALPS).request_id == first.request_id  # served by the query cache
    emulator.changes.update_record("alps", {"title": "Alpine"}, locale="en", publish=True)
    fresh = cda.execute(ALPS)
    assert fresh.data == {"article": {"title": "Alpine"}}
    assert fresh.request_id != first.request_id
    assert emulator.webhooks.calls == []


def test_invalidate_site_false_leaves_the_caches_to_the_webhooks(
    settings: Any, project_dir: Path
) -> None:
    emulator = embedded_with(settings, project_dir, INVALIDATE_SITE=False)
    first = cda.execute(ALPS)
    emulator.changes.update_record("alps", {"title": "Alpine"}, locale="en", publish=True)
    stale = cda.execute(ALPS)
    assert stale.data == {"article": {"title": "The Alps"}}
    assert stale.request_id == first.request_id


def test_the_capture_collects_what_was_invalidated(settings: Any, project_dir: Path) -> None:
    emulator = embedded_with(settings, project_dir)
    with capture_site_invalidations() as captured:
        result = emulator.changes.update_record("alps", {"views": 3}, publish=True)
        emulator.changes.update_record("alps", {"views": 4}, publish=True)
    assert captured.tags == list(result.tags)  # the same tags twice: counted once
    assert captured.errors == []
    with capture_site_invalidations() as dry:
        emulator.changes.dry_run().update_record("alps", {"views": 5}, publish=True)
    assert (dry.tags, dry.errors) == ([], [])


def test_a_failing_cache_store_is_reported_and_the_change_still_applies(
    settings: Any, project_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    emulator = embedded_with(settings, project_dir)
    settings.DATOCMS = {
        **settings.DATOCMS,
        "TAG_STORE": "tests.emulator.changes.test_site_cache.FailingTagStore",
    }
    with caplog.at_level(logging.WARNING, "datocms_app.emulator"):
        with capture_site_invalidations() as captured:
            emulator.changes.update_record("alps", {"views": 9}, publish=True)
    assert captured.tags == []
    assert captured.errors == ["The cache store refused the write (connection refused)."]
    assert caplog.messages == [
        "The embedded emulator could not invalidate this site's caches after a record change: "
        "The cache store refused the write (connection refused)."
    ]
    assert emulator.store.state.records["alps"].published.fields["views"] == 9  # type: ignore[union-attr]
