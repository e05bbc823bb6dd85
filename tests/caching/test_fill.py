"""The fill protocol (``caching.fill.fill_flow``): the same outcome through every driver.

Four drivers run it: ``flows.run``/``flows.arun`` on the bare flow, and ``get_or_fill``/
``aget_or_fill``, which make the first lookup themselves and answer a hit without the flow.
"""

from __future__ import annotations

import asyncio
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
    aget_or_fill,
    aperform,
    fill_flow,
    get_or_fill,
    perform,
)
from datocms_app.caching.stores import Lookup, TagStore, get_store
from datocms_app.caching.versions import TagVersionStore, lock_key
from datocms_app.exceptions import CacheStoreError, CDAError

KEY = "datocms:q:test"


class Plan:
    """A ``FillPlan`` storing what ``produce`` returns under ``KEY`` (with ``tags``)."""

    def __init__(self, tags: tuple[str, ...] = ("t1",), store: TagStore | None = None) -> None:
        self.tags = tags
        self.store = store or get_store()
        self.lock = KEY
        self.timeout = 60
        self.wait = 0.5

    def lookup(self) -> Lookup:
        return self.store.read(KEY)

    def fill(self) -> flows.Flow[Effect, Filled[str]]:
        value: str = yield PRODUCE
        return Filled(value, key=KEY, payload=value, tags=self.tags, storable=bool(self.tags))

    def from_hit(self, found: Lookup) -> str:
        return f"hit:{found.payload}"


def run_flow(plan: Plan, produce: Callable[[], str]) -> tuple[str, str]:
    return flows.run(fill_flow(plan), perform(produce))


def arun_flow(plan: Plan, produce: Callable[[], str]) -> tuple[str, str]:
    async def aproduce() -> str:
        return produce()

    return asyncio.run(flows.arun(fill_flow(plan), aperform(aproduce)))


def run_driver(plan: Plan, produce: Callable[[], str]) -> tuple[str, str]:
    return get_or_fill(plan, produce)


def arun_driver(plan: Plan, produce: Callable[[], str]) -> tuple[str, str]:
    async def aproduce() -> str:
        return produce()

    return asyncio.run(aget_or_fill(plan, aproduce))


DRIVERS = [
    pytest.param(run_flow, id="flow-sync"),
    pytest.param(arun_flow, id="flow-async"),
    pytest.param(run_driver, id="get_or_fill"),
    pytest.param(arun_driver, id="aget_or_fill"),
]


@pytest.mark.parametrize("drive", DRIVERS)
def test_a_miss_fills_and_stores_then_the_next_read_hits(drive: Any) -> None:
    assert drive(Plan(), lambda: "fresh") == ("fresh", MISS)
    assert drive(Plan(), lambda: pytest.fail("a hit must not produce")) == ("hit:fresh", HIT)


@pytest.mark.parametrize("drive", DRIVERS)
def test_a_failing_fill_releases_its_lock_and_raises(drive: Any) -> None:
    def produce() -> str:
        raise CDAError("the CDA failed")

    with pytest.raises(CDAError, match="the CDA failed"):
        drive(Plan(), produce)
    store = get_store()
    assert isinstance(store, TagVersionStore)
    assert store.cache.get(lock_key(KEY)) is None
    # The next caller takes the lock at once and fills.
    assert drive(Plan(), lambda: "after") == ("after", MISS)


@pytest.mark.parametrize("drive", DRIVERS)
def test_an_entry_without_tags_is_served_but_not_stored(drive: Any) -> None:
    assert drive(Plan(tags=()), lambda: "untagged") == ("untagged", BYPASS)
    assert get_store().read(KEY).status == "miss"


@pytest.mark.parametrize("drive", DRIVERS)
def test_a_store_that_keeps_nothing_fills_once_per_request(drive: Any) -> None:
    # DummyCache: begin() has no epoch to give; the fill is served, never stored, never
    # retried as if an invalidation had overtaken it.
    calls: list[str] = []

    def produce() -> str:
        calls.append("produce")
        return "fresh"

    with override_settings(DATOCMS={"CACHE_ALIAS": "dummy"}):
        assert drive(Plan(), produce) == ("fresh", BYPASS)
        assert drive(Plan(), produce) == ("fresh", BYPASS)
    assert calls == ["produce", "produce"]


class BrokenStore(TagVersionStore):
    def read(self, key: str, *, near: bool = False) -> Lookup:
        raise CacheStoreError("the store is down")


@pytest.mark.parametrize("drive", DRIVERS)
def test_a_failing_first_lookup_serves_the_fill_uncached(drive: Any) -> None:
    plan = Plan(store=BrokenStore("default"))
    assert drive(plan, lambda: "fresh") == ("fresh", BYPASS)
    assert get_store().read(KEY).status == "miss"
