"""Bench B: the cache-tags webhook invalidating 500 tags, with 1,000 vs 100,000 entries.

Both populations live in Django's Redis cache (database 13, a key prefix per population,
deleted afterwards); every entry is a real tag-versioned entry with 8 tags out of 5,000.
The webhook is called through Django's test client, in alternating rounds on the two
populations; the ratio of median times (100,000 / 1,000) shows that an invalidation costs
O(number of tags), not O(number of entries). Target: <= 1.2.
"""

from __future__ import annotations

import json
import random
import statistics
import time
import uuid
from typing import Any

from django.core.cache import caches
from django.test import Client, override_settings

from benchmarks._harness import Row
from datocms_app.caching.stores import Entry
from datocms_app.caching.versions import (
    ENTRY_FORMAT,
    GENERATION_KEY,
    TagVersionStore,
    new_token,
    tag_key,
)

REDIS = "redis://127.0.0.1:6379/13"
TAG_POOL = [f"t{n:05d}" for n in range(5_000)]
TAGS_PER_ENTRY = 8
INVALIDATED = 500
ROUNDS = 15
PAYLOAD = (200, [("Content-Type", "text/html; charset=utf-8")], b"<p>" + b"x" * 300 + b"</p>")


def settings_for(prefix: str) -> dict[str, Any]:
    return {
        "CACHES": {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": REDIS,
                "KEY_PREFIX": prefix,
            }
        },
        "DATOCMS": {"WEBHOOK_SECRET": "bench"},
        "ROOT_URLCONF": "benchmarks.site.urls",
    }


def populate(entries: int, rng: random.Random) -> list[tuple[str, tuple[str, ...]]]:
    """Write ``entries`` valid entries, as ``TagVersionStore.commit`` would, in bulk."""
    cache = caches["default"]
    store = TagVersionStore("default")
    # One real commit creates the epoch and generation; then all tags get a version.
    assert store.commit("seed", store.begin(), Entry(tuple(TAG_POOL[:1]), PAYLOAD, None))
    tokens = {tag_key(tag): new_token() for tag in TAG_POOL}
    cache.set_many(tokens, None)
    generation = cache.get(GENERATION_KEY)
    written: list[tuple[str, tuple[str, ...]]] = []
    batch: dict[str, Any] = {}
    for n in range(entries):
        tags = tuple(rng.sample(TAG_POOL, TAGS_PER_ENTRY))
        keys = tuple(tag_key(tag) for tag in tags)
        key = f"datocms:p:bench{n}"
        batch[key] = (ENTRY_FORMAT, generation, tags, keys, tuple(tokens[k] for k in keys), PAYLOAD)
        written.append((key, tags))
        if len(batch) == 2_000:
            cache.set_many(batch, None)
            batch = {}
    if batch:
        cache.set_many(batch, None)
    for key, _ in rng.sample(written, 20):
        assert store.read(key).hit, "bench entries must be valid entries"
    return written


def webhook_body(tags: list[str]) -> str:
    return json.dumps(
        {
            "entity_type": "cda_cache_tags",
            "event_type": "invalidate",
            "entity": {"id": "cda_cache_tags", "attributes": {"tags": tags}},
        }
    )


def call_webhook(body: str) -> float:
    started = time.perf_counter()
    response = Client().post(
        "/datocms/webhooks/cache-tags/",
        body,
        content_type="application/json",
        HTTP_X_WEBHOOK_SECRET="bench",
    )
    elapsed = time.perf_counter() - started
    assert response.status_code == 200, response.content
    assert response.json()["invalidated"] == INVALIDATED
    return elapsed


def cleanup(prefix: str) -> None:
    import redis

    client = redis.Redis.from_url(REDIS)
    keys = list(client.scan_iter(match=f"{prefix}:*", count=5_000))
    for start in range(0, len(keys), 5_000):
        client.delete(*keys[start : start + 5_000])
    client.close()


def run() -> list[Row]:
    try:
        import redis

        redis.Redis.from_url(REDIS, socket_connect_timeout=0.5).ping()
    except Exception as exc:  # no Redis on this machine: nothing to measure
        print(f"webhook_scale: skipped, Redis is not reachable ({exc})")
        return []
    rng = random.Random(6)
    run_id = uuid.uuid4().hex[:8]
    small, big = f"datocms-bench-{run_id}-1k", f"datocms-bench-{run_id}-100k"
    populations = {small: 1_000, big: 100_000}
    timings: dict[str, list[float]] = {small: [], big: []}
    written: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
    try:
        for prefix, entries in populations.items():
            with override_settings(**settings_for(prefix)):
                written[prefix] = populate(entries, rng)
        for _ in range(ROUNDS):
            for prefix in (small, big):
                tags = rng.sample(TAG_POOL, INVALIDATED)
                with override_settings(**settings_for(prefix)):
                    timings[prefix].append(call_webhook(webhook_body(tags)))
        # The last invalidation really made the entries with those tags stale.
        with override_settings(**settings_for(big)):
            store = TagVersionStore("default")
            hit_tags = set(tags)
            checked = 0
            for key, entry_tags in written[big][:2_000]:
                if hit_tags & set(entry_tags):
                    assert store.read(key).status == "stale", key
                    checked += 1
            assert checked > 0
    finally:
        cleanup(small)
        cleanup(big)
    small_ms = statistics.median(timings[small]) * 1000
    big_ms = statistics.median(timings[big]) * 1000
    return [
        Row(
            name="B. webhook: invalidate 500 tags, 100,000 vs 1,000 entries (Redis)",
            ours=big_ms,
            anchor=small_ms,
            unit="ms",
            anchor_name="same with 1,000 entries",
            target="ratio <= 1.2",
            higher_is_better=False,
        )
    ]
