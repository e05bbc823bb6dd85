"""The second CDN purge: one worker thread, a bounded queue, coalescing, reset on change."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading
import time
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings

from datocms_app.caching import invalidate_all, invalidate_tags
from datocms_app.caching.cdn import FastlyBackend, NoopBackend, build_cdn, get_cdn
from datocms_app.caching.cdn.repurge import WORKER_NAME, RepurgeQueue, repurge_queue
from datocms_app.exceptions import CDNPurgeError, InvalidArgument
from tests.caching.cdn.recording import RecordingBackend, settings_with


@pytest.fixture
def queue() -> Iterator[RepurgeQueue]:
    queue = RepurgeQueue(max_pending=3, max_tags=5)
    yield queue
    queue.reset()


def new_threads(running: set[threading.Thread]) -> list[threading.Thread]:
    return [thread for thread in threading.enumerate() if thread not in running]


def wait_until_sent(queue: RepurgeQueue) -> None:
    deadline = time.monotonic() + 10
    while queue.pending and time.monotonic() < deadline:
        time.sleep(0.01)
    assert queue.pending == 0


def test_only_backends_that_purge_ask_for_a_repurge() -> None:
    assert NoopBackend().repurge_delay == 0
    assert build_cdn({"BACKEND": "datocms_app.caching.cdn.NoopBackend"}).repurge_delay == 0
    assert build_cdn(None).repurge_delay == 0
    assert FastlyBackend(service_id="s", api_token="t").repurge_delay == 5
    assert FastlyBackend(service_id="s", api_token="t", repurge_delay=0).repurge_delay == 0


def test_6000_invalidations_with_a_cdn_use_one_worker_and_every_repurge_arrives() -> None:
    with override_settings(DATOCMS=settings_with(0.2)):
        cdn = get_cdn()
        assert isinstance(cdn, RecordingBackend)
        before, running = threading.active_count(), set(threading.enumerate())
        last: dict[tuple[str, ...], float] = {}
        for n in range(6000):
            tags = (f"tag-{n % 20}",)
            last[tags] = time.monotonic()
            invalidate_tags(list(tags))
        assert threading.active_count() <= before + 1
        assert [t.name for t in new_threads(running)] in ([], [WORKER_NAME])
        wait_until_sent(repurge_queue)
        with cdn._changed:
            purges = list(cdn.purges)
    # Every invalidation's tags were purged again at least REPURGE_DELAY after it was.
    for tags, at in last.items():
        assert [when for when, purged in purges if purged == tags and when >= at + 0.2]
    assert len(purges) < 6000 * 2  # waiting re-purges of the same tags were not repeated


def test_a_repurge_comes_after_the_delay(queue: RepurgeQueue) -> None:
    cdn = RecordingBackend(repurge_delay=0.3)
    started = time.monotonic()
    assert queue.schedule(cdn, ["a", "b"]) is True
    assert queue.pending == 1
    assert cdn.wait_for(1)
    assert cdn.purges[0][0] - started >= 0.3
    assert cdn.purges[0][1] == ("a", "b")


def test_the_same_tags_waiting_are_queued_once_and_purged_after_the_newest(
    queue: RepurgeQueue,
) -> None:
    cdn = RecordingBackend(repurge_delay=0.3)
    for _ in range(100):
        assert queue.schedule(cdn, ["b", "a"]) is True
    newest = time.monotonic()
    assert queue.schedule(cdn, ["a", "b"]) is True  # the same set, in another order
    assert queue.pending == 1
    wait_until_sent(queue)
    # One purge 0.3 s after the first call, and one 0.3 s after the newest unless the first
    # was late enough to cover it: never one per call.
    assert [tags for _, tags in cdn.purges] in ([("b", "a")], [("b", "a"), ("b", "a")])
    assert cdn.purges[-1][0] >= newest + 0.3


def test_everything_is_one_repurge_too(queue: RepurgeQueue) -> None:
    cdn = RecordingBackend(repurge_delay=0.05)
    assert queue.schedule(cdn, None) is True
    assert cdn.wait_for(1)
    assert cdn.purges[0][1] is None


def test_a_full_queue_drops_and_logs(queue: RepurgeQueue, caplog: pytest.LogCaptureFixture) -> None:
    later = RecordingBackend(repurge_delay=60)
    assert queue.schedule(later, ["a"]) is True
    assert queue.schedule(later, ["b", "c"]) is True
    assert queue.schedule(later, ["d", "e", "f"]) is False  # 6 tags > max_tags 5
    assert queue.schedule(later, ["d"]) is True
    assert queue.schedule(later, ["e"]) is False  # 4 re-purges > max_pending 3
    assert queue.schedule(later, ["a"]) is True  # already waiting: nothing to add
    assert queue.schedule(later, None) is False
    assert (queue.pending, repr(queue)) == (3, "<RepurgeQueue pending=3>")
    assert [r.getMessage() for r in caplog.records if r.name == "datocms_app.caching.cdn"] == [
        "The CDN re-purge queue is full (2 re-purges, 3 tags waiting): second purges are "
        "dropped until it drains; the first purges were sent.",
        "The CDN re-purge queue takes second purges again; 1 were dropped.",
        "The CDN re-purge queue is full (3 re-purges, 4 tags waiting): second purges are "
        "dropped until it drains; the first purges were sent.",
    ]
    assert later.purges == []


def test_a_queue_holds_something() -> None:
    with pytest.raises(InvalidArgument) as caught:
        RepurgeQueue(max_pending=0)
    assert str(caught.value) == (
        "A re-purge queue needs max_pending >= 1 and max_tags >= 1, got 0 and 100000."
    )


class FailingOnce(RecordingBackend):
    def __init__(self, error: Exception, **options: Any) -> None:
        super().__init__(**options)
        self.error: Exception | None = error

    def purge_batch(self, keys: list[str]) -> None:
        error, self.error = self.error, None
        if error is not None:
            raise error
        super().purge_batch(keys)


@pytest.mark.parametrize(
    ("error", "logged"),
    [
        (
            CDNPurgeError("FastlyBackend answered HTTP 500", backend="FastlyBackend"),
            "The second CDN purge of 1 tags failed: FastlyBackend answered HTTP 500",
        ),
        (RuntimeError("a bug in a backend"), "The second CDN purge of 1 tags raised"),
    ],
)
def test_a_failed_repurge_is_logged_and_the_worker_goes_on(
    queue: RepurgeQueue, caplog: pytest.LogCaptureFixture, error: Exception, logged: str
) -> None:
    cdn = FailingOnce(error, repurge_delay=0.05)
    queue.schedule(cdn, ["a"])
    wait_until_sent(queue)
    queue.schedule(cdn, ["b"])
    assert cdn.wait_for(1)
    assert [tags for _, tags in cdn.purges] == [("b",)]
    assert [r.getMessage() for r in caplog.records if r.name == "datocms_app.caching.cdn"] == [
        logged
    ]


def test_a_settings_change_drops_what_waits_and_a_new_worker_starts() -> None:
    with override_settings(DATOCMS=settings_with(60)):
        invalidate_tags(["a"])
        invalidate_all()
        assert repurge_queue.pending == 2
        worker = repurge_queue._worker
        assert worker is not None
        assert worker.daemon
    assert repurge_queue.pending == 0
    worker.join(10)
    assert not worker.is_alive()
    with override_settings(DATOCMS=settings_with(0.05)):
        invalidate_tags(["b"])
        cdn = get_cdn()
        assert isinstance(cdn, RecordingBackend)
        assert cdn.wait_for(2)
        assert [tags for _, tags in cdn.purges] == [("b",), ("b",)]


def test_a_forked_child_starts_afresh() -> None:
    cdn = RecordingBackend(repurge_delay=60)
    repurge_queue.schedule(cdn, ["parent"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # fork() with threads (3.12+)
        pid = os.fork()
    if pid == 0:  # the child: nothing of the parent's waits, and its own re-purges arrive
        ok = repurge_queue.pending == 0
        child = RecordingBackend(repurge_delay=0.05)
        ok = ok and repurge_queue.schedule(child, ["child"]) and child.wait_for(1)
        os._exit(0 if ok else 1)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert repurge_queue.pending == 1
    repurge_queue.reset()


def test_a_waiting_repurge_does_not_keep_a_process_alive() -> None:
    script = textwrap.dedent(
        """
        import django
        from django.conf import settings
        settings.configure()
        django.setup()
        from tests.caching.cdn.recording import RecordingBackend
        from datocms_app.caching.cdn.repurge import schedule_repurge
        print(schedule_repurge(RecordingBackend(repurge_delay=3600), ["a"]))
        """
    )
    finished = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=Path(__file__).resolve().parents[3],
    )
    assert (finished.returncode, finished.stdout, finished.stderr) == (0, "True\n", "")
