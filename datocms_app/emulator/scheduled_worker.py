"""One background thread that performs scheduled items, each when it is due.

The emulator does some of its work later, as DatoCMS does: the CMA's asynchronous jobs
(``cma.jobs``) and the webhook calls with their retries (``webhooks``). Both hand their items
to a ``ScheduledWorker``, which keeps them in order of their due time (then of their
scheduling) and passes each to ``perform`` on one daemon thread. The thread is started by
``schedule`` when there is none and ends as soon as nothing is scheduled, so an idle emulator
holds no thread; ``close`` drops what has not started and joins the thread.

Its owner shares ``condition`` (a reentrant lock): the owner's own state (results, the
activity log) is guarded by the same lock, and ``wait`` wakes on every item performed.
This module must never call ``perform`` with the lock held, nor let an exception of
``perform`` end the thread with the counter of items in progress still raised.
"""

from __future__ import annotations

import heapq
import itertools
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

__all__ = ["ScheduledWorker"]

Item = TypeVar("Item")


@dataclass(order=True)
class _Entry(Generic[Item]):
    due: float
    sequence: int
    item: Item = field(compare=False)


class ScheduledWorker(Generic[Item]):
    """Performs each scheduled item ``delay`` seconds after ``schedule``, one at a time.

    ``perform`` runs on the worker thread without the lock; ``thread_name`` names the
    thread (for a debugger or a test looking for it).
    """

    def __init__(self, perform: Callable[[Item], None], *, thread_name: str) -> None:
        self.condition = threading.Condition()
        self.closed = False
        #: Items taken from the schedule whose ``perform`` has not returned yet.
        self.in_progress = 0
        self._perform = perform
        self._thread_name = thread_name
        self._schedule: list[_Entry[Item]] = []
        self._sequence = itertools.count()
        self._thread: threading.Thread | None = None

    @property
    def scheduled(self) -> list[Item]:
        """The items waiting for their turn, in no particular order."""
        with self.condition:
            return [entry.item for entry in self._schedule]

    @property
    def busy(self) -> bool:
        """Something is scheduled or being performed."""
        with self.condition:
            return bool(self._schedule) or self.in_progress > 0

    def schedule(self, item: Item, delay: float = 0.0) -> None:
        """Perform ``item`` ``delay`` seconds from now (the owner checks ``closed`` first)."""
        with self.condition:
            due = time.monotonic() + delay
            heapq.heappush(self._schedule, _Entry(due, next(self._sequence), item))
            # With the lock held, an idle worker cannot be ending right now.
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._run, name=self._thread_name, daemon=True
                )
                self._thread.start()
            self.condition.notify_all()

    def wait(self, busy: Callable[[], bool], timeout: float) -> bool:
        """Wait until ``busy()`` (called with the lock held) is false: True, or False once
        ``timeout`` seconds have passed first."""
        deadline = time.monotonic() + timeout
        with self.condition:
            while busy():
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self.condition.wait(remaining)
        return True

    def close(self, timeout: float, *, dropped: Callable[[Item], None] | None = None) -> None:
        """Drop the items not started (each passed to ``dropped``, with the lock held) and
        wait up to ``timeout`` seconds for the one in progress."""
        with self.condition:
            self.closed = True
            if dropped is not None:
                for entry in self._schedule:
                    dropped(entry.item)
            self._schedule.clear()
            self.condition.notify_all()
            thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)

    def _run(self) -> None:
        while True:
            with self.condition:
                while True:
                    if self.closed or not self._schedule:
                        # Idle: end the thread; the next schedule() starts another one.
                        self._thread = None
                        return
                    wait = self._schedule[0].due - time.monotonic()
                    if wait <= 0:
                        break
                    self.condition.wait(wait)
                entry = heapq.heappop(self._schedule)
                self.in_progress += 1
            try:
                self._perform(entry.item)
            finally:
                with self.condition:
                    self.in_progress -= 1
                    self.condition.notify_all()
