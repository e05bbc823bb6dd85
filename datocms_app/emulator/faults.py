"""Faults to inject into the emulator's CDA endpoint, for tests of failure handling.

::

    emulator.faults.push(Fault.rate_limit(reset=2))           # next request: 429
    emulator.faults.push(Fault.server_error(503), times=2)     # next two: 503
    emulator.faults.push(Fault.latency(0.5))                  # next: answered 0.5 s late
    emulator.faults.push(Fault.disconnect())                  # next: connection dropped

Faults are consumed in order, one per CDA request (``POST /``); asset requests are never
affected. A latency fault delays the request and then lets the next fault (or the normal
answer) through. Dropped connections and latencies longer than the client's read timeout
surface as ``SimulatedDisconnect``/``SimulatedTimeout`` from ``Emulator.handle``, which the
embedded transports turn into httpx's own errors and the standalone server into a closed
socket or a late answer.
"""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import dataclass
from typing import Literal

from datocms_app.exceptions import InvalidArgument

__all__ = ["Fault", "FaultQueue"]

FaultKind = Literal["rate_limit", "server_error", "latency", "disconnect"]


@dataclass(frozen=True, slots=True)
class Fault:
    """One injected fault; build it with the class methods."""

    kind: FaultKind
    status: int = 0
    seconds: float = 0.0
    reset: int = 1

    @classmethod
    def rate_limit(cls, reset: int = 1) -> Fault:
        """HTTP 429 with ``X-RateLimit-Reset: reset`` (seconds, as DatoCMS sends it)."""
        if isinstance(reset, bool) or not isinstance(reset, int) or reset < 0:
            raise InvalidArgument(f"reset must be a whole number of seconds >= 0, got {reset!r}.")
        return cls("rate_limit", status=429, reset=reset)

    @classmethod
    def server_error(cls, status: int = 503) -> Fault:
        """An HTTP 5xx answer from the edge (plain text body, like a CDN's)."""
        if isinstance(status, bool) or not isinstance(status, int) or not 500 <= status <= 599:
            raise InvalidArgument(f"status must be a 5xx status code, got {status!r}.")
        return cls("server_error", status=status)

    @classmethod
    def latency(cls, seconds: float) -> Fault:
        """Answer ``seconds`` late (a timeout if the client gives up first)."""
        if isinstance(seconds, bool) or not isinstance(seconds, int | float) or seconds < 0:
            raise InvalidArgument(f"seconds must be a number >= 0, got {seconds!r}.")
        return cls("latency", seconds=float(seconds))

    @classmethod
    def disconnect(cls) -> Fault:
        """Close the connection without answering."""
        return cls("disconnect")


class FaultQueue:
    """A thread-safe queue of pending faults (``emulator.faults``)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pending: deque[Fault] = deque()

    def push(self, fault: Fault, *, times: int = 1) -> None:
        """Inject ``fault`` into the next ``times`` CDA requests (after those already queued)."""
        if not isinstance(fault, Fault):
            raise InvalidArgument(
                f"push() takes a Fault such as Fault.rate_limit(), got {fault!r}."
            )
        if isinstance(times, bool) or not isinstance(times, int) or times < 1:
            raise InvalidArgument(f"times must be a positive integer, got {times!r}.")
        with self._lock:
            self._pending.extend([fault] * times)

    def take(self) -> Fault | None:
        """The next fault, removed from the queue (None when there is none)."""
        with self._lock:
            return self._pending.popleft() if self._pending else None

    def clear(self) -> None:
        with self._lock:
            self._pending.clear()

    @property
    def pending(self) -> list[Fault]:
        with self._lock:
            return list(self._pending)

    def __len__(self) -> int:
        return len(self._pending)
