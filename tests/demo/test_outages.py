"""DatoCMS failing (the emulator's injected faults): the demo's cached pages keep serving,
the others get the 503 page with ``Retry-After``, and no traceback ever shows."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.test import Client

from datocms_app.emulator.embedded import get_emulator, reset_emulator
from datocms_app.emulator.faults import Fault


@pytest.fixture
def demo() -> Iterator[Client]:
    """The demo on a fresh embedded emulator (its faults are pushed per test); the site's
    client, built before, talks to whichever emulator is current."""
    reset_emulator()
    try:
        yield Client()
    finally:
        reset_emulator()


@pytest.mark.parametrize(
    ("fault", "retry_after"),
    [
        (Fault.server_error(503), "30"),
        (Fault.server_error(502), "30"),
        (Fault.rate_limit(reset=0), "1"),
        (Fault.disconnect(), "30"),
    ],
    ids=["503", "502", "429", "disconnect"],
)
def test_datocms_failing_cached_pages_stay_others_get_503(
    demo: Client, fault: Fault, retry_after: str
) -> None:
    first = demo.get("/")
    assert (first.status_code, first["X-DatoCMS-Cache"]) == (200, "MISS")
    # Every CDA request fails from now on (retries included).
    get_emulator().faults.push(fault, times=50)
    cached = demo.get("/")
    assert (cached.status_code, cached["X-DatoCMS-Cache"], cached.content) == (
        200,
        "HIT",
        first.content,
    )
    uncached = demo.get("/articles/")
    assert uncached.status_code == 503
    assert uncached["Retry-After"] == retry_after
    assert b"Traceback" not in uncached.content
    get_emulator().faults.clear()
    assert demo.get("/articles/")["X-DatoCMS-Cache"] == "MISS"
