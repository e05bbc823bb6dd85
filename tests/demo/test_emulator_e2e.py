"""End to end with the emulator playing DatoCMS: the demo site, cached, kept fresh by the
emulator's cache-tags webhook.

In one process (the embedded emulator, Django's live server): page MISS -> HIT -> an editor
changes the record -> the emulator delivers the webhook -> the next request shows the change.
Then readers race changes, in threads and in processes: two gunicorn servers running the
demo on a shared Redis, in front of a standalone emulator.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator

import httpx
import pytest
from django.conf import settings
from django.test import override_settings

from datocms_app.emulator.embedded import get_emulator, reset_emulator
from datocms_app.emulator.httpserver import running
from datocms_app.emulator.server import Emulator
from tests.caching.servers import django_in_thread, free_port, gunicorn, redis_cache
from tests.caching.test_races import Race
from tests.demo_content import demo_datocms

WEBHOOK = "/datocms/webhooks/cache-tags/"
HERO = re.compile(r'<h1 id="hero-title">([^<]*)</h1>')
SECRET = "e2e-secret"


def hero_title(html: str) -> str:
    match = HERO.search(html)
    assert match is not None, html[:2000]
    return match.group(1)


@pytest.fixture
def demo() -> Iterator[str]:
    """The demo (cached by PageCacheMiddleware) on a local server, the embedded emulator
    sending its cache-tags webhook to it."""
    assert "datocms_app.caching.PageCacheMiddleware" in settings.MIDDLEWARE
    reset_emulator()
    try:
        with override_settings(ROOT_URLCONF="project.urls"), django_in_thread() as url:
            conf = demo_datocms(
                WEBHOOK_SECRET=SECRET,
                EMULATOR={
                    "WEBHOOKS": [{"url": url + WEBHOOK, "headers": {"X-Webhook-Secret": SECRET}}],
                    "WEBHOOK_RETRY_SCALE": 0.001,
                },
            )
            with override_settings(DATOCMS=conf):
                try:
                    yield url
                finally:
                    get_emulator().webhooks.close()  # its keep-alive connection to us
    finally:
        reset_emulator()


def test_change_in_the_emulator_reaches_the_next_request(demo: str) -> None:
    with httpx.Client(timeout=30) as http:
        first = http.get(demo + "/")
        assert (first.status_code, first.headers["X-DatoCMS-Cache"]) == (200, "MISS")
        assert hero_title(first.text) == "Go somewhere. Pay attention."
        second = http.get(demo + "/")
        assert (second.headers["X-DatoCMS-Cache"], second.text) == ("HIT", first.text)

        emulator = get_emulator()
        started = time.perf_counter()
        result = emulator.changes.update_record(
            "home", {"hero_title": "Fresh news"}, locale="en", publish=True
        )
        assert result.tags  # the change invalidates some cache tags ...
        emulator.webhooks.drain(10)  # ... which the emulator delivered: acknowledged
        fresh = http.get(demo + "/")
        elapsed = time.perf_counter() - started
        assert fresh.headers["X-DatoCMS-Cache"] == "MISS"
        assert hero_title(fresh.text) == "Fresh news"
        (call,) = [c for c in emulator.webhooks.calls if c.entity_type == "cda_cache_tags"]
        assert call.status == "success"
        assert call.attempts[-1].response_status == 200
        print(f"e2e: change -> webhook -> fresh page in {elapsed * 1000:.0f} ms")

        # Pages that do not show the changed record keep their cache.
        http.get(demo + "/articles/")
        assert http.get(demo + "/articles/").headers["X-DatoCMS-Cache"] == "HIT"
        emulator.changes.update_record("home", {"hero_title": "Again"}, locale="en", publish=True)
        emulator.webhooks.drain(10)
        assert http.get(demo + "/articles/").headers["X-DatoCMS-Cache"] == "HIT"
        assert hero_title(http.get(demo + "/").text) == "Again"


def race_against(
    emulator: Emulator,
    race: Race,
    servers: list[str],
    *,
    readers: int,
    changes: int,
    pause: float,
) -> None:
    """Readers GET the home page; the writer changes its title and waits for the webhook."""
    clients: list[httpx.Client] = []
    local = threading.local()

    def http() -> httpx.Client:
        if not hasattr(local, "client"):
            local.client = httpx.Client(timeout=30, headers={"Host": "localhost"})
            clients.append(local.client)
        client: httpx.Client = local.client
        return client

    def reader(index: int) -> None:
        n = 0
        while not race.done.is_set():
            floor = race.acknowledged
            response = http().get(servers[(index + n) % len(servers)] + "/")
            n += 1
            title = hero_title(response.text)
            seen = int(title.rsplit("v", 1)[1]) if title.startswith("Title v") else 0
            with race.lock:
                race.responses += 1
                race.hits += response.headers.get("X-DatoCMS-Cache") == "HIT"
                if seen < floor:
                    race.stale.append((seen, floor))

    def writer() -> None:
        try:
            for n in range(1, changes + 1):
                emulator.changes.update_record(
                    "home", {"hero_title": f"Title v{n}"}, locale="en", publish=True
                )
                emulator.webhooks.drain(20)
                race.acknowledged = n
                race.invalidations += 1
                time.sleep(pause)
        finally:
            race.done.set()

    race.acknowledged = 0
    for server in servers:  # warm every server (and worker) up before the race
        for _ in range(4):
            http().get(server + "/")
    threads = [threading.Thread(target=reader, args=(i,)) for i in range(readers)]
    threads.append(threading.Thread(target=writer))
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(120)
    finally:
        for client in clients:
            client.close()
    calls = [c for c in emulator.webhooks.calls if c.entity_type == "cda_cache_tags"]
    assert [c.status for c in calls] == ["success"] * changes
    print(
        f"emulator race: {race.responses} responses ({race.hits} hits), "
        f"{race.invalidations} invalidations, {len(race.stale)} stale"
    )


def test_threads_race_the_emulator(demo: str, race_seed: int) -> None:
    race = Race(race_seed)
    race_against(get_emulator(), race, [demo], readers=6, changes=15, pause=0.1)
    assert race.stale == []
    assert race.invalidations == 15
    assert race.hits > 0


@pytest.mark.service
def test_processes_race_the_emulator(race_seed: int) -> None:
    from datocms_app.emulator.conf import get_emulator_settings
    from datocms_app.emulator.content_dir import content_directory

    port = free_port()
    # DatoCMS calls one URL: here, the first server's webhook.
    webhook = {
        "url": f"http://127.0.0.1:{port}{WEBHOOK}",
        "headers": {"X-Webhook-Secret": SECRET},
    }
    emulator = Emulator.from_directory(
        content_directory(get_emulator_settings()),
        tokens=["e2e-token"],
        webhooks=[webhook],
        webhook_retry_scale=0.001,
    )
    with redis_cache() as (cache_url, prefix), running(emulator) as cda:
        env = {
            "DEBUG": "false",
            "ALLOWED_HOSTS": "localhost,127.0.0.1",
            "CACHE_URL": cache_url,
            "CACHE_KEY_PREFIX": prefix,
            "DATOCMS_API_TOKEN": "e2e-token",
            "DATOCMS_CDA_URL": cda.url,
            "DATOCMS_MAX_RETRIES": "0",
            "DATOCMS_WEBHOOK_SECRET": SECRET,
        }
        demo = {"app": "project.wsgi:application", "settings": "project.settings"}
        with gunicorn(env, workers=2, port=port, **demo) as one, gunicorn(env, **demo) as two:
            race = Race(race_seed)
            try:
                race_against(emulator, race, [one, two], readers=6, changes=20, pause=0.1)
            finally:
                emulator.webhooks.close()
    assert race.stale == []
    assert race.invalidations == 20
    assert race.hits > 0
