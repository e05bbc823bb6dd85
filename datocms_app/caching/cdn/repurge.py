"""The second CDN purge: one daemon thread sends every re-purge, from a bounded queue.

A CDN edge that fetched a page from the origin just before an invalidation, or a purge still
propagating between shield and edge, can keep a stale copy that the first purge missed; the
backend's ``repurge_delay`` seconds later, ``schedule_repurge`` purges the same tags again.

One worker thread, started on the first re-purge, sleeps until the earliest one is due. A
re-purge of tags that are already waiting is not queued twice: the waiting one also covers
the newer invalidation (it is sent again ``repurge_delay`` after the newest one, at least
every ``repurge_delay`` seconds while they keep coming). When ``MAX_PENDING_REPURGES``
re-purges or ``MAX_PENDING_TAGS`` tags are waiting, a new re-purge is dropped (the first
purge went out already), with one warning when the queue overflows and one when it takes
them again. A change of ``settings.DATOCMS`` (the backend is rebuilt) and a fork drop what
is waiting and stop the worker; the next re-purge starts a new one.

This module must never start more than one thread, let a queue grow without bound, or keep
a process alive (the worker is a daemon).
"""

from __future__ import annotations

import heapq
import logging
import os
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Final

from django.core.signals import setting_changed
from django.dispatch import receiver

from datocms_app.caching.cdn.base import CDNBackend
from datocms_app.exceptions import CDNPurgeError, InvalidArgument

__all__ = [
    "MAX_PENDING_REPURGES",
    "MAX_PENDING_TAGS",
    "RepurgeQueue",
    "repurge_queue",
    "schedule_repurge",
]

logger = logging.getLogger("datocms_app.caching.cdn")

#: Most re-purges waiting at once (one per distinct set of tags and backend).
MAX_PENDING_REPURGES: Final = 1_000
#: Most tags waiting at once, over all waiting re-purges.
MAX_PENDING_TAGS: Final = 100_000
WORKER_NAME: Final = "datocms-repurge"

# What a re-purge is waiting for: a backend and its tags (None: everything).
_Key = tuple[CDNBackend, frozenset[str] | None]


@dataclass(slots=True)
class _Repurge:
    cdn: CDNBackend
    tags: tuple[str, ...] | None
    due: float
    latest: float  # when the newest invalidation it stands for was purged


class RepurgeQueue:
    """Re-purges waiting for their time, and the one thread that sends them."""

    def __init__(
        self, *, max_pending: int = MAX_PENDING_REPURGES, max_tags: int = MAX_PENDING_TAGS
    ) -> None:
        if max_pending < 1 or max_tags < 1:
            raise InvalidArgument(
                f"A re-purge queue needs max_pending >= 1 and max_tags >= 1, got "
                f"{max_pending} and {max_tags}."
            )
        self.max_pending = max_pending
        self.max_tags = max_tags
        self._start_afresh()

    def _start_afresh(self) -> None:
        self._lock = threading.Condition()
        self._waiting: dict[_Key, _Repurge] = {}
        self._due: list[tuple[float, int, _Key]] = []  # a heap; one entry per waiting key
        self._tags = 0
        self._dropped = 0  # second purges refused since the queue was last not full
        self._sequence = 0
        self._worker: threading.Thread | None = None
        self._generation = 0

    def __repr__(self) -> str:
        return f"<RepurgeQueue pending={len(self._waiting)}>"

    @property
    def pending(self) -> int:
        """How many re-purges are waiting (or being sent)."""
        return len(self._waiting)

    def schedule(self, cdn: CDNBackend, tags: Iterable[str] | None) -> bool:
        """Purge ``tags`` (None: everything) at ``cdn`` again in ``cdn.repurge_delay`` seconds.

        Returns False when the backend asks for no re-purge or the queue is full (logged).
        """
        if cdn.repurge_delay <= 0:
            return False
        listed = None if tags is None else tuple(tags)
        key: _Key = (cdn, None if listed is None else frozenset(listed))
        count = 1 if listed is None else len(listed)
        now = time.monotonic()
        with self._lock:
            waiting = self._waiting.get(key)
            if waiting is not None:
                waiting.latest = now
                return True
            if len(self._waiting) >= self.max_pending or self._tags + count > self.max_tags:
                if not self._dropped:  # once per overflow: a flood must not flood the logs
                    logger.warning(
                        "The CDN re-purge queue is full (%d re-purges, %d tags waiting): "
                        "second purges are dropped until it drains; the first purges were sent.",
                        len(self._waiting),
                        self._tags,
                    )
                self._dropped += 1
                return False
            if self._dropped:
                logger.warning(
                    "The CDN re-purge queue takes second purges again; %d were dropped.",
                    self._dropped,
                )
                self._dropped = 0
            self._waiting[key] = _Repurge(cdn, listed, now + cdn.repurge_delay, now)
            self._tags += count
            self._push(now + cdn.repurge_delay, key)
            self._ensure_worker()
            return True

    def reset(self) -> None:
        """Drop every waiting re-purge and stop the worker (a new one starts when needed)."""
        with self._lock:
            self._generation += 1
            self._waiting.clear()
            self._due.clear()
            self._tags = 0
            self._dropped = 0
            self._worker = None
            self._lock.notify_all()

    def _after_fork(self) -> None:
        # The parent's thread does not exist here and its lock may be held: start afresh.
        self._start_afresh()

    def _push(self, due: float, key: _Key) -> None:
        self._sequence += 1
        heapq.heappush(self._due, (due, self._sequence, key))
        self._lock.notify()

    def _ensure_worker(self) -> None:
        if self._worker is None or not self._worker.is_alive():
            self._worker = threading.Thread(
                target=self._run, args=(self._generation,), name=WORKER_NAME, daemon=True
            )
            self._worker.start()

    def _run(self, generation: int) -> None:
        while True:
            with self._lock:
                key = self._next(generation)
                if key is None:
                    return
                job = self._waiting[key]
                sent_at = time.monotonic()
            self._send(job)
            with self._lock:
                if generation != self._generation:
                    return
                if job.latest + job.cdn.repurge_delay > sent_at:
                    # A newer invalidation of the same tags came while this one waited or was
                    # sent: it gets its own second purge, repurge_delay after it.
                    job.due = job.latest + job.cdn.repurge_delay
                    self._push(job.due, key)
                else:
                    del self._waiting[key]
                    self._tags -= 1 if job.tags is None else len(job.tags)

    def _next(self, generation: int) -> _Key | None:
        """Wait (holding the lock) until a re-purge is due; None when this worker must stop."""
        while generation == self._generation:
            if not self._due:
                self._lock.wait()
                continue
            due, _, key = self._due[0]
            left = due - time.monotonic()
            if left <= 0:
                heapq.heappop(self._due)
                return key
            self._lock.wait(left)
        return None

    @staticmethod
    def _send(job: _Repurge) -> None:
        what = "everything" if job.tags is None else f"{len(job.tags)} tags"
        try:
            if job.tags is None:
                job.cdn.purge_all()
            else:
                job.cdn.purge(job.tags)
        except CDNPurgeError as exc:
            logger.warning("The second CDN purge of %s failed: %s", what, exc)
        except Exception:
            # A backend bug must not end the thread every later re-purge depends on.
            logger.exception("The second CDN purge of %s raised", what)


#: The process's re-purge queue.
repurge_queue = RepurgeQueue()
os.register_at_fork(after_in_child=repurge_queue._after_fork)


def schedule_repurge(cdn: CDNBackend, tags: Iterable[str] | None) -> bool:
    """Purge ``tags`` (None: everything) at ``cdn`` again after its ``repurge_delay``."""
    return repurge_queue.schedule(cdn, tags)


@receiver(setting_changed)
def _drop_on_settings_change(*, setting: str, **kwargs: Any) -> None:
    if setting == "DATOCMS":
        repurge_queue.reset()
