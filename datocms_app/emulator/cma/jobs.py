"""Asynchronous jobs of the emulated CMA (Content Management API > Asynchronous jobs).

An endpoint that DatoCMS runs in the background (creating an upload or a field, deleting a
record) answers ``202 {"data": {"type": "job", "id"}}`` at once and hands its work to
``JobRunner.submit``. The work runs ``seconds`` later on the runner's thread; until then
``GET /job-results/:id`` is ``404``, afterwards ``200`` with ``{"status", "payload"}``: the
answer the endpoint would have given, error or not. So clients exercise the polling they
need against DatoCMS, and the change (and its webhooks) happens when the job ends.

One daemon thread per runner (a ``ScheduledWorker``), started on demand and ended when idle;
``drain`` waits for the jobs submitted so far. Results are kept for the last ``MAX_RESULTS`` jobs.
"""

from __future__ import annotations

import logging
import secrets
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from datocms_app.emulator.cma.errors import error_body
from datocms_app.emulator.cma.exchange import Answer
from datocms_app.emulator.exceptions import CMARefused
from datocms_app.emulator.scheduled_worker import ScheduledWorker
from datocms_app.exceptions import InvalidArgument

__all__ = ["MAX_RESULTS", "JobRunner"]

logger = logging.getLogger("datocms_app.emulator.cma")

MAX_RESULTS = 1000
Work = Callable[[], Answer]


@dataclass(frozen=True)
class _Job:
    id: str
    work: Work


class JobRunner:
    """Runs submitted work ``seconds`` after submission, one job at a time."""

    def __init__(self, seconds: float) -> None:
        if isinstance(seconds, bool) or not isinstance(seconds, int | float) or seconds < 0:
            raise InvalidArgument(
                f"A job's duration must be a number of seconds >= 0, got {seconds!r}."
            )
        self.seconds = float(seconds)
        self._worker = ScheduledWorker(self._run_and_keep, thread_name="datocms-emulator-cma-jobs")
        self._results: OrderedDict[str, Answer] = OrderedDict()

    def submit(self, work: Work) -> str:
        """Queue ``work``; the id of its job (``GET /job-results/<id>``)."""
        job_id = secrets.token_hex(8)
        with self._worker.condition:
            if self._worker.closed:
                raise InvalidArgument("This emulator is closed: it runs no more jobs.")
            self._worker.schedule(_Job(job_id, work), self.seconds)
        return job_id

    def result(self, job_id: str) -> Answer | None:
        """The answer of a finished job; None while it runs (or if there is no such job)."""
        with self._worker.condition:
            return self._results.get(job_id)

    def drain(self, timeout: float = 10.0) -> None:
        """Wait until every job submitted so far has finished (``TimeoutError`` after)."""
        worker = self._worker
        if not worker.wait(lambda: worker.busy, timeout):
            raise TimeoutError(f"CMA jobs still running after {timeout} s.")

    def close(self) -> None:
        """Drop the jobs not started yet and stop the thread."""
        self._worker.close(5)

    def _run_and_keep(self, job: _Job) -> None:
        answer = _perform(job)
        with self._worker.condition:
            self._results[job.id] = answer
            while len(self._results) > MAX_RESULTS:
                self._results.popitem(last=False)


def _perform(job: _Job) -> Answer:
    try:
        return job.work()
    except CMARefused as exc:
        return Answer(exc.status, error_body(exc))
    except Exception:  # the job's caller is gone: its result must still say it failed
        logger.exception("A CMA job of the emulator failed")
        failure = CMARefused(500, "EXCEPTION", "The emulator failed on this job (see its log).")
        return Answer(500, error_body(failure))
