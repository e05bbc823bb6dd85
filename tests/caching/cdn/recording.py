"""A CDN backend that remembers its purges instead of sending them (configured by dotted path)."""

from __future__ import annotations

import threading
import time
from typing import Any

from datocms_app.caching.cdn import CDNBackend

PATH = "tests.caching.cdn.recording.RecordingBackend"


class RecordingBackend(CDNBackend):
    """Purges are recorded as ``(monotonic time, tags or None for everything)``.

    It asks for re-purges like a real CDN backend (``REPURGE_DELAY`` sets the delay).
    """

    tag_header = "Cache-Tag"
    default_hash_tags = False

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.purges: list[tuple[float, tuple[str, ...] | None]] = []
        self._changed = threading.Condition()

    def purge_batch(self, keys: list[str]) -> None:
        self._record(tuple(keys))

    def purge_all(self) -> None:
        self._record(None)

    def _record(self, tags: tuple[str, ...] | None) -> None:
        with self._changed:
            self.purges.append((time.monotonic(), tags))
            self._changed.notify_all()

    def wait_for(self, count: int, timeout: float = 10.0) -> bool:
        """Wait until ``count`` purges were recorded; False if that took over ``timeout``."""
        with self._changed:
            return self._changed.wait_for(lambda: len(self.purges) >= count, timeout)


def settings_with(delay: float, **extra: Any) -> dict[str, Any]:
    """``settings.DATOCMS`` with a recording CDN that re-purges after ``delay`` seconds."""
    return {**extra, "CDN": {"BACKEND": PATH, "REPURGE_DELAY": delay}}
