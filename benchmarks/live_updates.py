"""Live updates on the offline demo: from an emulator change to the editor's refreshed page.

The demo runs as ``make run`` runs it: ``manage.py runserver`` (threaded, no API token: the
embedded emulator serves the content and its Real-time Updates API), with a preview secret.
Headless Chromium enters draft mode through the enable route and opens an article; each
round changes the article's title (a draft) through the emulator's changes endpoint
(``RemoteEditor``) and times, from just before that request:

- the ``update`` event reaching the page (an init script stamps each ``update`` of the page's
  ``EventSource``s with ``Date.now()``);
- the reloaded page's ``DOMContentLoaded`` (its navigation timing, on the same clock).

Medians of ``ROUNDS`` rounds; anchor: the target, 1 s. A third row is the server-side cost of
a registration: the ``/datocms/live-updates/`` endpoint in-process (Django's test client,
the draft-mode middleware, the signed description read, the channel registered with the
embedded emulator through its in-process transport), µs per registration, against a 1 ms
target.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from benchmarks._harness import Row, per_second

ROOT = Path(__file__).resolve().parent.parent
ROUNDS = 7
SECRET = "bench-live-secret"
ARTICLE_ID = "alps-crossing"
ARTICLE = "/articles/crossing-the-alps-on-foot/"
TARGET_MS = 1000.0
TARGET_REGISTRATION_US = 1000.0

#: Stamps every ``update`` event of the page's channels (before the page's own listener).
STAMP_UPDATES = """
(() => {
  const Native = window.EventSource;
  window.__updates = [];
  window.EventSource = function (url, init) {
    const source = new Native(url, init);
    source.addEventListener("update", () => {
      const now = Date.now();
      window.__updates.push(now);
      window.__stampUpdate(now);
    });
    return source;
  };
  window.EventSource.prototype = Native.prototype;
})();
"""
#: When the page's ``DOMContentLoaded`` ended, in ms since the epoch.
LOADED_AT = (
    "performance.timeOrigin"
    " + performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd"
)


@contextmanager
def demo_server() -> Iterator[str]:
    """``manage.py runserver`` of the demo on a free port, offline; yields its base URL."""
    from tests.caching.servers import free_port, stop_process

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as tmp:
        env = {key: value for key, value in os.environ.items() if not key.startswith("DATOCMS_")}
        env.update(
            DJANGO_SETTINGS_MODULE="project.settings",
            PYTHONPATH=str(ROOT),
            DEBUG="True",  # the emulator's changes endpoint
            DATABASE_URL=f"sqlite:///{tmp}/db.sqlite3",
            DATOCMS_PREVIEW_SECRET=SECRET,
            DATOCMS_EMULATOR_WEBHOOK_URL=f"{base}/datocms/webhooks/cache-tags/",
        )
        log = Path(tmp) / "runserver.log"
        with log.open("wb") as output:  # a file: a pipe nobody reads would fill up
            process = subprocess.Popen(
                [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
                cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT,
            )  # fmt: skip
        try:
            deadline = time.monotonic() + 120
            while True:
                try:
                    if httpx.get(base + ARTICLE, timeout=30).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if process.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(f"the demo did not start:\n{log.read_text()}")
                time.sleep(0.2)
            yield base
        finally:
            stop_process(process)


def browser_rounds(base: str) -> tuple[list[float], list[float]]:
    """Per round: ms from the change to the ``update`` event, and to the reloaded page."""
    from playwright.sync_api import sync_playwright

    from datocms_app.emulator.remote import RemoteEditor
    from tests.layout_metrics import CHROMIUM, CHROMIUM_ARGS

    stamped: list[float] = []
    to_update: list[float] = []
    to_page: list[float] = []
    with (
        sync_playwright() as playwright,
        RemoteEditor(f"{base}/datocms/emulator/", token="emulator") as editor,
    ):
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.expose_function("__stampUpdate", lambda stamp: stamped.append(stamp))
            page.add_init_script(STAMP_UPDATES)
            page.goto(f"{base}/datocms/draft-mode/enable/?token={SECRET}&redirect={ARTICLE}")
            for number in range(ROUNDS):
                channels = int(
                    page.locator("script[data-datocms-live-updates]").get_attribute("data-channels")
                    or 0
                )
                # Every channel is connected once it delivered its first update.
                page.wait_for_function(f"window.__updates.length >= {channels}")
                page.evaluate("window.__marker = 1")
                title = f"Crossing the Alps on foot, take {number + 1}"
                changed_at = time.time() * 1000
                editor.update_record(ARTICLE_ID, {"title": {"en": title, "it": title}})
                page.wait_for_function("window.__marker === undefined", timeout=15_000)
                page.wait_for_function(f"document.querySelector('h1')?.innerText === {title!r}")
                loaded_at = float(page.evaluate(LOADED_AT))
                updates = [stamp for stamp in stamped if stamp >= changed_at]
                to_update.append(min(updates) - changed_at)
                to_page.append(loaded_at - changed_at)
        finally:
            browser.close()
    return to_update, to_page


def registration_us() -> float:
    """µs per registration through ``/datocms/live-updates/``, in-process."""
    from django.test import Client, override_settings

    from datocms_app.emulator.embedded import reset_emulator
    from datocms_app.preview.live_updates import describe_queries
    from datocms_app.preview.recording import RecordedQuery
    from tests.demo_content import demo_datocms

    query = RecordedQuery(
        query="query Article($slug: String) { article(filter: {slug: {eq: $slug}}) { title } }",
        variables={"slug": "crossing-the-alps-on-foot"},
        environment=None,
        include_drafts=True,
        exclude_invalid=False,
    )
    with override_settings(
        MIDDLEWARE=["datocms_app.preview.DraftModeMiddleware"],
        ROOT_URLCONF="tests.urls",
        DATOCMS=demo_datocms(PREVIEW_SECRET=SECRET),
    ):
        reset_emulator()
        try:
            client = Client()
            client.get("/datocms/draft-mode/enable/", {"token": SECRET, "redirect": "/"})
            body = json.dumps({"description": describe_queries((query,)), "channel": 0})

            def register() -> Any:
                return client.post("/datocms/live-updates/", body, content_type="application/json")

            answer = register()
            assert answer.status_code == 200, answer.content
            return 1e6 / per_second(register)
        finally:
            reset_emulator()


#: Programs this benchmark runs (checked before any benchmark starts).
REQUIRES = ("chromium",)


def run() -> list[Row]:
    with demo_server() as base:
        to_update, to_page = browser_rounds(base)
    latencies = [
        Row(
            name=f"Live updates: emulator change -> {what} (median of {ROUNDS})",
            ours=statistics.median(times),
            anchor=TARGET_MS,
            unit="ms",
            anchor_name="the target",
            target="< 1 s",
            higher_is_better=False,
        )
        for what, times in (("page's update event", to_update), ("reloaded page", to_page))
    ]
    return [
        *latencies,
        Row(
            name="Live updates: one registration (/datocms/live-updates/, in-process)",
            ours=registration_us(),
            anchor=TARGET_REGISTRATION_US,
            unit="µs",
            anchor_name="the target",
            target="< 1 ms",
            higher_is_better=False,
        ),
    ]
