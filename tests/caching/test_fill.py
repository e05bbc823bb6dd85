"""The fill protocol (``caching.fill.fill_flow``), driven by both drivers with one outcome."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from typing import Any

import pytest
from django.test import override_settings

from datocms_app import flows
from datocms_app.caching.fill import (
    BYPASS,
    HIT,
    MISS,
    PRODUCE,
    Effect,
    Filled,
    aperform,
    fill_flow,
    perform,
)
from datocms_app.caching.stores import get_store
from datocms_app.caching.versions import TagVersionStore, lock_key
from datocms_app.exceptions import CDAError

KEY = "datocms:q:test"


def flow(tags: tuple[str, ...] = ("t1",)) -> flows.Flow[Effect, tuple[str, str]]:
    store = get_store()

    def fill() -> flows.Flow[Effect, Filled[str]]:
        value: str = yield PRODUCE
        return Filled(value, key=KEY, payload=value, tags=tags, storable=bool(tags))

    return fill_flow(
        store,
        lookup=functools.partial(store.read, KEY),
        lock=KEY,
        fill=fill,
        from_hit=lambda found: f"hit:{found.payload}",
        timeout=60,
        wait=0.5,
    )


def run_sync(produce: Callable[[], str]) -> tuple[str, str]:
    return flows.run(flow(), perform(produce))


def run_async(produce: Callable[[], str]) -> tuple[str, str]:
    async def aproduce() -> str:
        return produce()

    return asyncio.run(flows.arun(flow(), aperform(aproduce)))


DRIVERS = [pytest.param(run_sync, id="sync"), pytest.param(run_async, id="async")]


@pytest.mark.parametrize("drive", DRIVERS)
def test_a_miss_fills_and_stores_then_the_next_read_hits(drive: Any) -> None:
    assert drive(lambda: "fresh") == ("fresh", MISS)
    assert drive(lambda: pytest.fail("a hit must not produce")) == ("hit:fresh", HIT)


@pytest.mark.parametrize("drive", DRIVERS)
def test_a_failing_fill_releases_its_lock_and_raises(drive: Any) -> None:
    def produce() -> str:
        raise CDAError("the CDA failed")

    with pytest.raises(CDAError, match="the CDA failed"):
        drive(produce)
    store = get_store()
    assert isinstance(store, TagVersionStore)
    cache = store.cache
    assert cache.get(lock_key(KEY)) is None
    # The next caller takes the lock at once and fills.
    assert drive(lambda: "after") == ("after", MISS)


@pytest.mark.parametrize("drive", DRIVERS)
def test_an_entry_without_tags_is_served_but_not_stored(drive: Any) -> None:
    store = get_store()

    def untagged() -> flows.Flow[Effect, tuple[str, str]]:
        def fill() -> flows.Flow[Effect, Filled[str]]:
            value: str = yield PRODUCE
            return Filled(value, key=KEY, storable=False)

        return fill_flow(
            store,
            lookup=functools.partial(store.read, KEY),
            lock=KEY,
            fill=fill,
            from_hit=lambda found: "hit",
            timeout=60,
            wait=0.5,
        )

    if drive is run_sync:
        result = flows.run(untagged(), perform(lambda: "untagged"))
    else:

        async def aproduce() -> str:
            return "untagged"

        result = asyncio.run(flows.arun(untagged(), aperform(aproduce)))
    assert result == ("untagged", BYPASS)
    assert store.read(KEY).status == "miss"


@pytest.mark.parametrize("drive", DRIVERS)
def test_a_store_that_keeps_nothing_fills_once_per_request(drive: Any) -> None:
    # DummyCache: begin() has no epoch to give; the fill is served, never stored, never
    # retried as if an invalidation had overtaken it.
    calls: list[str] = []

    def produce() -> str:
        calls.append("produce")
        return "fresh"

    with override_settings(DATOCMS={"CACHE_ALIAS": "dummy"}):
        assert drive(produce) == ("fresh", BYPASS)
        assert drive(produce) == ("fresh", BYPASS)
    assert calls == ["produce", "produce"]
