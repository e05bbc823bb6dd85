"""The fake CDA, with a switch to make something other than DatoCMS answer at its URL.

``foreign = (status, body, content_type)`` makes every POST get that answer, as from a proxy
or a wrong ``CDA_URL``; ``None`` (the default) answers like DatoCMS. The body's
``Content-Length`` is its own length, so a cut-short JSON body arrives whole as far as HTTP is
concerned (as from a proxy that buffered and truncated it) and only the JSON is broken.
"""

from __future__ import annotations

from typing import Any

from tests.caching.fake_cda import FakeCDA


class ForeignCDA(FakeCDA):
    def __init__(self) -> None:
        super().__init__()
        self.foreign: tuple[int, bytes, str] | None = None
        self.foreign_answers = 0

    def answer(
        self, body: dict[str, Any], headers: dict[str, str]
    ) -> tuple[int, bytes, dict[str, str]]:
        if self.foreign is None:
            return super().answer(body, headers)
        status, content, content_type = self.foreign
        with self.lock:
            self.foreign_answers += 1
        return status, content, {"Content-Type": content_type}
