"""Readers racing content changes and invalidations: no response may be older than the last
invalidation acknowledged (webhook answered 2xx) before the request was sent.

The fake CDA answers with the current content version after a random short delay, so fills
and invalidations interleave in every possible order; the writer changes the content, then
posts the webhook, and records the version once the webhook answered 200. The random delays
come from a seed each test prints (shown with a failure): ``DATOCMS_RACE_SEED=<seed>``
replays the same delays.
"""

from __future__ import annotations

import json
import random
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from django.test import Client, override_settings

from tests.caching.fake_cda import FakeCDA
from tests.caching.servers import gunicorn, redis_cache
from tests.caching.views import ARTICLE, NAV

WEBHOOK = "/datocms/webhooks/cache-tags/"
BODY = json.dumps(
    {
        "entity_type": "cda_cache_tags",
        "event_type": "invalidate",
        "entity": {"attributes": {"tags": ["item:hello"]}},
    }
)
TITLE = re.compile(r"<h1>Hello v(\d+)</h1>")


@dataclass
class Race:
    seed: int
    version: int = 1
    acknowledged: int = 1
    invalidations: int = 0
    responses: int = 0
    hits: int = 0
    stale: list[tuple[int, int]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    done: threading.Event = field(default_factory=threading.Event)
    _random: threading.local = field(default_factory=threading.local)

    def random(self) -> random.Random:
        """This thread's own generator, derived from the seed and the thread's name."""
        generator = getattr(self._random, "generator", None)
        if generator is None:
            name = threading.current_thread().name
            generator = self._random.generator = random.Random(f"{self.seed}:{name}")
        return generator

    def uniform(self, low: float, high: float) -> float:
        return self.random().uniform(low, high)


def versioned_cda(fake_cda: FakeCDA, race: Race) -> None:
    def article(variables: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
        return {"article": {"title": f"Hello v{race.version}"}}, ["item:hello", "model:a"]

    fake_cda.content[ARTICLE] = article
    fake_cda.content[NAV] = ({"allPages": [{"title": "Home"}]}, ["model:p"])
    # The answer leaves after a random delay: fills straddle invalidations.
    fake_cda.before_answer = lambda body: time.sleep(race.uniform(0, 0.004))


def run_race(
    race: Race,
    get: Callable[[], tuple[str, str]],
    post_webhook: Callable[[int], int],
    *,
    readers: int,
    changes: int,
    pause: float,
) -> None:
    def reader() -> None:
        while not race.done.is_set():
            floor = race.acknowledged
            body, status = get()
            match = TITLE.search(body)
            assert match is not None, body
            seen = int(match.group(1))
            with race.lock:
                race.responses += 1
                race.hits += status == "HIT"
                if seen < floor:
                    race.stale.append((seen, floor))

    def writer() -> None:
        try:
            for n in range(changes):
                race.version += 1  # the editor saves in DatoCMS ...
                changed = race.version
                assert post_webhook(n) == 200  # ... DatoCMS calls the webhook
                race.acknowledged = changed
                race.invalidations += 1
                time.sleep(race.uniform(0, pause))
        finally:
            race.done.set()

    threads = [threading.Thread(target=reader, name=f"reader-{n}") for n in range(readers)]
    threads.append(threading.Thread(target=writer, name="writer"))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    print(
        f"race: {race.responses} responses ({race.hits} hits), {race.invalidations} "
        f"invalidations, {len(race.stale)} stale"
    )


def test_threads_in_one_process(fake_cda: FakeCDA, race_seed: int) -> None:
    race = Race(race_seed)
    versioned_cda(fake_cda, race)
    conf = fake_cda.settings(WEBHOOK_SECRET="s")
    with override_settings(DATOCMS=conf, ROOT_URLCONF="tests.caching.urls", MIDDLEWARE=[]):

        def get() -> tuple[str, str]:
            response = Client().get("/article/hello/")
            return response.content.decode(), response["X-DatoCMS-Cache"]

        def post_webhook(n: int) -> int:
            response = Client().post(
                WEBHOOK, BODY, content_type="application/json", HTTP_X_WEBHOOK_SECRET="s"
            )
            return response.status_code

        run_race(race, get, post_webhook, readers=8, changes=60, pause=0.01)
    assert race.stale == []
    assert race.invalidations == 60
    assert race.hits > 0
    assert race.responses > race.hits


@pytest.mark.service
def test_processes_sharing_redis(fake_cda: FakeCDA, race_seed: int) -> None:
    race = Race(race_seed)
    versioned_cda(fake_cda, race)
    with redis_cache() as (cache_url, prefix):
        env = {"CDA_URL": fake_cda.url, "CACHE_URL": cache_url, "CACHE_KEY_PREFIX": prefix}
        with gunicorn(env, workers=2, threads=4) as one, gunicorn(env, workers=2, threads=4) as two:
            servers = [one, two]
            local = threading.local()

            def http() -> httpx.Client:
                if not hasattr(local, "client"):
                    local.client = httpx.Client(timeout=30, headers={"Host": "localhost"})
                    clients.append(local.client)
                client: httpx.Client = local.client
                return client

            clients: list[httpx.Client] = []

            def get() -> tuple[str, str]:
                response = http().get(race.random().choice(servers) + "/article/hello/")
                return response.text, response.headers["X-DatoCMS-Cache"]

            def post_webhook(n: int) -> int:
                response = http().post(
                    servers[n % 2] + WEBHOOK,
                    content=BODY,
                    headers={"X-Webhook-Secret": "test-secret", "Content-Type": "application/json"},
                )
                return response.status_code

            try:
                run_race(race, get, post_webhook, readers=8, changes=40, pause=0.05)
            finally:
                for client in clients:
                    client.close()
    assert race.stale == []
    assert race.invalidations == 40
    assert race.hits > 0
