"""The tag-versioned store: reads, fills that race invalidations, eviction, O(tags) writes."""

from __future__ import annotations

import asyncio
import hashlib
import threading

import pytest
from django.core.cache import caches
from django.test import override_settings

from datocms_app.caching.stores import Entry
from datocms_app.caching.versions import (
    EPOCH_KEY,
    GENERATION_KEY,
    TagVersionStore,
    lock_key,
    tag_key,
)
from datocms_app.exceptions import CacheStoreError
from tests.caching.backends import CALLS
from tests.conftest import CACHES


@pytest.fixture
def store() -> TagVersionStore:
    return TagVersionStore("default")


def fill(store: TagVersionStore, key: str, tags: list[str], payload: object) -> bool:
    epoch = store.begin()
    return store.commit(key, epoch, Entry(tuple(tags), payload, None))


def test_miss_then_hit_with_payload_and_tags(store: TagVersionStore) -> None:
    assert store.read("k").status == "miss"
    assert fill(store, "k", ["a", "b", "a"], {"title": "Hello"})
    found = store.read("k")
    assert found.status == "hit"
    assert found.payload == {"title": "Hello"}
    assert found.tags == ("a", "b")


def test_invalidating_one_tag_makes_only_its_entries_stale(store: TagVersionStore) -> None:
    fill(store, "k1", ["a", "b"], 1)
    fill(store, "k2", ["b"], 2)
    fill(store, "k3", ["c"], 3)
    assert store.invalidate(["a", "a"]) == 1
    assert store.read("k1").status == "stale"
    assert store.read("k2").status == "hit"
    assert store.read("k3").status == "hit"
    assert store.invalidate(["b"]) == 1
    assert store.read("k2").status == "stale"
    assert store.read("k3").status == "hit"


def test_a_fill_overtaken_by_an_invalidation_is_not_stored(store: TagVersionStore) -> None:
    epoch = store.begin()
    # ... the CDA answers with pre-change content, then the webhook arrives:
    store.invalidate(["a"])
    assert store.commit("k", epoch, Entry(("a",), "stale content", None)) is False
    assert store.read("k").status == "miss"


def test_an_invalidation_of_unrelated_tags_also_stops_a_racing_fill(
    store: TagVersionStore,
) -> None:
    # The epoch is global: the fill cannot know which tags its content will carry until
    # the CDA has answered, so any invalidation in between is a reason not to store.
    epoch = store.begin()
    store.invalidate(["zzz"])
    assert store.commit("k", epoch, Entry(("a",), "x", None)) is False


def test_an_invalidation_after_the_commit_makes_the_entry_stale(store: TagVersionStore) -> None:
    assert fill(store, "k", ["a"], "v1")
    store.invalidate(["a"])
    assert store.read("k").status == "stale"
    assert fill(store, "k", ["a"], "v2")
    assert store.read("k").payload == "v2"


def test_an_evicted_tag_version_reads_as_changed(store: TagVersionStore) -> None:
    fill(store, "k", ["a", "b"], 1)
    caches["default"].delete(tag_key("b"))
    assert store.read("k").status == "stale"
    assert fill(store, "k", ["a", "b"], 2)
    assert store.read("k").status == "hit"


def test_an_evicted_epoch_reads_as_changed(store: TagVersionStore) -> None:
    epoch = store.begin()
    assert epoch is not None
    caches["default"].delete(EPOCH_KEY)
    assert store.commit("k", epoch, Entry(("a",), 1, None)) is False
    new_epoch = store.begin()
    assert new_epoch not in (None, epoch)
    assert store.commit("k", new_epoch, Entry(("a",), 1, None)) is True


def test_invalidate_all_replaces_the_generation(store: TagVersionStore) -> None:
    fill(store, "k1", ["a"], 1)
    fill(store, "k2", [], 2)
    generation = caches["default"].get(GENERATION_KEY)
    store.invalidate_all()
    assert caches["default"].get(GENERATION_KEY) not in (None, generation)
    assert store.read("k1").status == "stale"
    assert store.read("k2").status == "stale"


def test_dummy_cache_never_stores() -> None:
    store = TagVersionStore("dummy")
    assert store.begin() is None
    assert store.commit("k", None, Entry(("a",), 1, None)) is False
    assert store.read("k").status == "miss"


def test_uncacheable_marker(store: TagVersionStore) -> None:
    store.mark_uncacheable("k", timeout=30)
    assert store.read("k").status == "uncacheable"


def test_tag_keys_are_hashes_safe_for_any_backend() -> None:
    weird = "!\"#$%&@'()*+-./:;<=>?[\\]^_{|}~"
    assert (
        tag_key(weird)
        == "datocms:tv:" + hashlib.blake2b(weird.encode(), digest_size=16).hexdigest()
    )
    assert lock_key("datocms:q:1") == "datocms:lock:datocms:q:1"


def test_a_warm_read_is_one_get_many() -> None:
    store = TagVersionStore("counting")
    fill(store, "k", ["a", "b", "c"], "x")
    CALLS.clear()
    assert store.read("k").hit
    assert list(CALLS) == [
        ("get_many", ("k", GENERATION_KEY, tag_key("a"), tag_key("b"), tag_key("c"))),
    ]


def test_a_cold_read_needs_a_second_round_trip_for_the_tags() -> None:
    store = TagVersionStore("counting")
    fill(store, "cold", ["a"], "x")
    fill(store, "cold", ["b"], "y")  # the hint now says ["b"] ...
    caches["counting"].set("cold", caches["counting"].get("other-missing"))  # ... entry gone
    CALLS.clear()
    assert store.read("cold").status == "miss"
    assert list(CALLS) == [("get_many", ("cold", GENERATION_KEY, tag_key("b")))]


def test_invalidation_cost_does_not_depend_on_the_number_of_entries() -> None:
    store = TagVersionStore("counting")
    for n in range(50):
        fill(store, f"k{n}", ["shared", f"own{n}"], n)
    CALLS.clear()
    store.invalidate(["shared", "own1"])
    assert list(CALLS) == [
        ("set", (EPOCH_KEY,)),
        ("set_many", (tag_key("shared"), tag_key("own1"))),
        ("set", (EPOCH_KEY,)),
    ]


def test_store_errors_become_cache_store_error() -> None:
    store = TagVersionStore("broken")
    with pytest.raises(CacheStoreError) as caught:
        store.invalidate(["a"])
    assert str(caught.value) == (
        "The cache 'broken' failed to replace the epoch: StoreDown: Error 111 connecting to "
        "127.0.0.1:1. Connection refused. Check that the cache server in settings.CACHES is "
        "reachable."
    )
    with pytest.raises(CacheStoreError):
        store.read("k")


def test_locks_coalesce(store: TagVersionStore) -> None:
    assert store.acquire("k", timeout=5) is True
    assert store.acquire("k", timeout=5) is False
    store.release("k")
    assert store.acquire("k", timeout=5) is True


def test_near_cache_hit_costs_one_get_of_the_epoch() -> None:
    store = TagVersionStore("counting")
    fill(store, "page", ["a", "b"], "html")
    assert store.read("page", near=True).payload == "html"  # validated, kept near
    CALLS.clear()
    found = store.read("page", near=True)
    assert (found.status, found.payload, found.tags) == ("hit", "html", ("a", "b"))
    assert list(CALLS) == [("get", (EPOCH_KEY,))]


def test_near_cache_is_dropped_by_any_invalidation() -> None:
    store = TagVersionStore("counting")
    fill(store, "page", ["a"], "html")
    store.read("page", near=True)
    store.invalidate(["unrelated"])
    CALLS.clear()
    assert store.read("page", near=True).hit  # still valid, but checked again ...
    assert [call[0] for call in CALLS] == ["get", "get_many"]
    store.invalidate(["a"])
    assert store.read("page", near=True).status == "stale"  # ... and stale when it is


def test_a_hit_validated_halfway_through_an_invalidation_is_not_reused(
    store: TagVersionStore,
) -> None:
    # The writes of ``invalidate`` (checked in the test above): epoch, tokens, epoch. A
    # read between the first two validates the old tokens; the second epoch write makes
    # sure that validation is never trusted again.
    cache = caches["default"]
    fill(store, "page", ["a"], "old html")
    cache.set(EPOCH_KEY, "first-epoch-write", None)
    assert store.read("page", near=True).payload == "old html"  # request still in flight
    cache.set_many({tag_key("a"): "new-token"}, None)
    cache.set(EPOCH_KEY, "second-epoch-write", None)
    assert store.read("page", near=True).status == "stale"


def test_the_connection_is_djangos_for_this_thread_until_caches_change(
    store: TagVersionStore,
) -> None:
    assert store.cache is caches["default"]
    seen: list[object] = []
    thread = threading.Thread(target=lambda: seen.append(store.cache))
    thread.start()
    thread.join()
    assert seen[0] is not store.cache  # each thread its own, as Django's handler gives them
    assert isinstance(seen[0], type(store.cache))
    other = {"default": {"BACKEND": "tests.caching.backends.CountingLocMemCache"}}
    with override_settings(CACHES=other):
        assert type(store.cache).__name__ == "CountingLocMemCache"
        assert store.cache is caches["default"]
    assert store.cache is caches["default"]
    assert type(store.cache).__name__ == "LocMemCache"


@pytest.mark.anyio
async def test_each_async_context_gets_the_connection_django_gives_it(
    store: TagVersionStore,
) -> None:
    async def connections() -> tuple[object, object]:
        await asyncio.sleep(0)
        return store.cache, caches["default"]

    # Fresh settings: no connection yet in this context, so each task makes its own.
    with override_settings(CACHES={"default": {"BACKEND": CACHES["default"]["BACKEND"]}}):
        first, second = await asyncio.gather(connections(), connections())
    assert first[0] is first[1]
    assert second[0] is second[1]
    assert first[0] is not second[0]  # two tasks, two contexts: two connections, as in Django


@pytest.mark.anyio
async def test_a_task_never_hands_its_connections_to_the_context_it_came_from(
    store: TagVersionStore,
) -> None:
    with override_settings(CACHES=CACHES):
        assert store.cache is caches["default"]  # this context now remembers "default"
        counting = TagVersionStore("counting")

        async def in_a_task() -> object:
            await asyncio.sleep(0)
            return counting.cache

        theirs = await asyncio.create_task(in_a_task())
        assert counting.cache is caches["counting"]
        assert counting.cache is not theirs
