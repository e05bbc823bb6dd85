"""Reading a Server-Sent Events stream in tests: events as they arrive, from a thread.

``EventReader(lines)`` parses ``text/event-stream`` lines (``httpx.Response.iter_lines()``)
in a daemon thread: each event is
``(name, data)`` with its JSON data decoded, each comment line ``("comment", text)``, and the
end of the stream ``("end", None)``. ``next(timeout)`` takes the next one; ``events(...)``
skips comments.
"""

from __future__ import annotations

import json
import queue
import threading
import time
from collections.abc import Iterable
from typing import Any

Event = tuple[str, Any]


class EventReader:
    def __init__(self, lines: Iterable[str]) -> None:
        self._queue: queue.Queue[Event] = queue.Queue()
        self._thread = threading.Thread(target=self._read, args=(lines,), daemon=True)
        self._thread.start()

    def _read(self, lines: Iterable[str]) -> None:
        name, data = "message", []
        try:
            for line in lines:
                if line.startswith(":"):
                    self._queue.put(("comment", line[1:].strip()))
                elif line.startswith("event:"):
                    name = line[6:].strip()
                elif line.startswith("data:"):
                    data.append(line[5:].strip())
                elif line == "" and data:
                    self._queue.put((name, json.loads("\n".join(data))))
                    name, data = "message", []
        except Exception as exc:  # the connection was closed under the reader
            self._queue.put(("error", type(exc).__name__))
        self._queue.put(("end", None))

    def next(self, timeout: float = 10.0) -> Event:
        """The next event or comment; ``AssertionError`` if none comes within ``timeout``."""
        try:
            return self._queue.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(f"no event within {timeout} s") from None

    def event(self, timeout: float = 10.0) -> Event:
        """The next event that is not a comment, within ``timeout``."""
        deadline = time.monotonic() + timeout
        while True:
            found = self.next(max(deadline - time.monotonic(), 0.001))
            if found[0] != "comment":
                return found

    def quiet(self, seconds: float) -> list[Event]:
        """Everything that arrives within ``seconds`` (comments included)."""
        seen: list[Event] = []
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            try:
                seen.append(self._queue.get(timeout=left))
            except queue.Empty:
                break
        return seen

    def join(self, timeout: float = 10.0) -> None:
        self._thread.join(timeout)
        assert not self._thread.is_alive(), "the stream did not end"
