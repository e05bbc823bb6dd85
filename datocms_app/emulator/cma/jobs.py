"""Asynchronous jobs of the emulated CMA (Content Management API > Asynchronous jobs).

An endpoint that DatoCMS runs in the background (creating an upload or a field, deleting a
record) answers ``202 {"data": {"type": "job", "id"}}`` at once and hands its work to
``JobRunner.submit``. The work runs ``seconds`` later on the runner's thread; until then
``GET /job-results/:id`` is ``404``, afterwards ``200`` with ``{"status", "payload"}``: the
answer the endpoint would have given, error or not. So clients exercise the polling they
need against DatoCMS, and the change (and its webhooks) happens when the job ends.

One daemon thread per runner, started on demand and ended when idle; ``drain`` waits for
the jobs submitted so far. Results are kept for the last ``MAX_RESULTS`` jobs.
"""

from __future__ import annotations

import heapq
import itertools
import logging
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field

from datocms_app.emulator.cma.errors import error_body
from datocms_app.emulator.cma.exchange import Answer
from datocms_app.emulator.exceptions import CMARefused
from datocms_app.exceptions import InvalidArgument

__all__ = ["MAX_RESULTS", "JobRunner"]

logger = logging.getLogger("datocms_app.emulator.cma")

MAX_RESULTS = 1000
Work = Callable[[], Answer]


@dataclass(order=True)
class _Job:
    due: float
    sequence: int
    id: str = field(compare=False)
    work: Work = field(compare=False)


class JobRunner:
    """Runs submitted work ``seconds`` after submission, one job at a time."""

    def __init__(self, seconds: float) -> None:
        if isinstance(seconds, bool) or not isinstance(seconds, int | float) or seconds < 0:
            raise InvalidArgument(
                f"A job's duration must be a number of seconds >= 0, got {seconds!r}."
            )
        self.seconds = float(seconds)
        self._condition = threading.Condition()
        self._queue: list[_Job] = []
        self._running = 0
        self._results: OrderedDict[str, Answer] = OrderedDict()
        self._sequence = itertools.count()
        self._thread: threading.Thread | None = None
        self._closed = False

    def submit(self, work: Work) -> str:
        """Queue ``work``; the id of its job (``GET /job-results/<id>``)."""
        job_id = secrets.token_hex(8)
        with self._condition:
            if self._closed:
                raise InvalidArgument("This emulator is closed: it runs no more jobs.")
            heapq.heappush(
                self._queue,
                _Job(time.monotonic() + self.seconds, next(self._sequence), job_id, work),
            )
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._run, name="datocms-emulator-cma-jobs", daemon=True
                )
                self._thread.start()
            self._condition.notify_all()
        return job_id

    def result(self, job_id: str) -> Answer | None:
        """The answer of a finished job; None while it runs (or if there is no such job)."""
        with self._condition:
            return self._results.get(job_id)

    def drain(self, timeout: float = 10.0) -> None:
        """Wait until every job submitted so far has finished (``TimeoutError`` after)."""
        deadline = time.monotonic() + timeout
        with self._condition:
            while self._queue or self._running:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(f"CMA jobs still running after {timeout} s.")
                self._condition.wait(remaining)

    def close(self) -> None:
        """Drop the jobs not started yet and stop the thread."""
        with self._condition:
            self._closed = True
            self._queue.clear()
            self._condition.notify_all()
            thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(5)

    def _run(self) -> None:
        while True:
            with self._condition:
                while True:
                    if self._closed or not self._queue:
                        self._thread = None
                        return
                    wait = self._queue[0].due - time.monotonic()
                    if wait <= 0:
                        break
                    self._condition.wait(wait)
                job = heapq.heappop(self._queue)
                self._running += 1
            answer = _perform(job)
            with self._condition:
                self._running -= 1
                self._results[job.id] = answer
                while len(self._results) > MAX_RESULTS:
                    self._results.popitem(last=False)
                self._condition.notify_all()


def _perform(job: _Job) -> Answer:
    try:
        return job.work()
    except CMARefused as exc:
        return Answer(exc.status, error_body(exc))
    except Exception:  # the job's caller is gone: its result must still say it failed
        logger.exception("A CMA job of the emulator failed")
        failure = CMARefused(500, "EXCEPTION", "The emulator failed on this job (see its log).")
        return Answer(500, error_body(failure))
