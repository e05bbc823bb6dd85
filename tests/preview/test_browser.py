"""``datocms/live-updates.js`` in headless Chromium, against a fake Real-time Updates API.

The site (``tests.preview.site`` on pytest-django's ``live_server``) reads the fake CDA and
registers channels with ``FakeRealtime`` (``LISTEN_URL``), a loopback SSE server the test
drives: it sends each channel's first ``update`` on connecting and then what the test says.
The editor enters draft mode through the enable route, as from DatoCMS's plugin.

A reload is seen two ways: the page's ``window.__marker`` is gone, and the site rendered the
page again (the fake CDA was asked again: draft pages are never cached).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest
from django.test import override_settings
from pytest_django.live_server_helper import LiveServer

from tests.caching.fake_cda import FakeCDA
from tests.layout_metrics import chromium_page
from tests.preview.conftest import MIDDLEWARE, SECRET
from tests.preview.fake_realtime import FakeRealtime
from tests.preview.site import ITEMS, NAV

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser

#: How long "nothing happens" is watched for: longer than the script's first retry (1 s).
QUIET = 1.5
CHANGED = {"response": {"data": {"v": 1}}}


@pytest.fixture(scope="module")
def live_server() -> Iterator[LiveServer]:
    """pytest-django's live server, started with the draft-mode middleware (its handler loads
    the middleware when it starts), one for the module."""
    with override_settings(MIDDLEWARE=MIDDLEWARE, ROOT_URLCONF="tests.preview.site"):
        server = LiveServer("127.0.0.1:0")
        yield server
        server.stop()


@pytest.fixture
def realtime() -> Iterator[FakeRealtime]:
    with FakeRealtime().running() as fake:
        yield fake


@pytest.fixture
def site(live_server: Any, content: FakeCDA, realtime: FakeRealtime) -> Iterator[str]:
    conf = content.settings(PREVIEW_SECRET=SECRET, LISTEN_URL=realtime.url)
    with override_settings(DATOCMS=conf, ROOT_URLCONF="tests.preview.site"):
        yield str(live_server.url)


def renders(content: FakeCDA) -> int:
    """How many times the site rendered the page (each render asks the CDA for NAV first)."""
    return content.queries().count(NAV) // 2  # the page asks for NAV twice


def open_in_draft_mode(page: Page, site: str, path: str, realtime: FakeRealtime) -> None:
    errors: list[str] = []
    # Errors raised by the site's own scripts (a frame from the site's origin in the stack),
    # kept with their stack: a full run once reported a "reading 'slice'" TypeError that no
    # code of ours contains and that never came back; its stack will say where it is from.
    page.on(
        "pageerror",
        lambda exc: errors.append(f"{exc}\n{exc.stack}") if site in (exc.stack or site) else None,
    )
    page.goto(f"{site}/datocms/draft-mode/enable/?token={SECRET}&redirect={path}")
    assert page.url == f"{site}{path}"
    page.evaluate("window.__marker = 1")
    realtime.wait_for(lambda: len(realtime.connected()) == 2)
    assert errors == []


def channel_of(realtime: FakeRealtime, query: str) -> int:
    """The first channel registered for ``query`` (the page's POSTs race one another)."""
    return next(
        number
        for number, channel in sorted(realtime.channels.items())
        if channel.registration["body"]["query"] == query
    )


def marker(page: Page) -> Any:
    return page.evaluate("window.__marker")


def test_the_first_update_is_not_a_change_and_a_second_reloads(
    site: str, realtime: FakeRealtime, content: FakeCDA
) -> None:
    with chromium_page() as (page, _):
        open_in_draft_mode(page, site, "/page/", realtime)
        html = page.content()
        assert "preview-token" not in html
        assert "fake-token" not in html
        time.sleep(QUIET)  # both channels delivered their first update: nothing happens
        assert marker(page) == 1
        assert renders(content) == 1
        bodies = [r["body"] for r in realtime.registrations]
        assert sorted(bodies, key=str) == [
            {"query": ITEMS, "variables": {"first": 2}},
            {"query": NAV},
        ]
        realtime.send(channel_of(realtime, ITEMS), "update", CHANGED)
        page.wait_for_function("window.__marker === undefined", timeout=10_000)
        assert renders(content) == 2
        # The reloaded page opened channels of its own.
        realtime.wait_for(lambda: len(realtime.connected()) == 4)


def test_swap_mode_replaces_the_live_elements_without_a_reload(
    site: str, realtime: FakeRealtime, content: FakeCDA
) -> None:
    with chromium_page() as (page, _):
        open_in_draft_mode(page, site, "/page/?mode=swap", realtime)
        assert "Home" in page.inner_text("main")
        content.content[NAV] = ({"allPages": [{"title": "Changed"}]}, ["nav-tag"])
        realtime.send(channel_of(realtime, NAV), "update", CHANGED)
        page.wait_for_function(
            "document.querySelector('main').textContent.includes('Changed')", timeout=10_000
        )
        assert marker(page) == 1  # swapped, not reloaded
        assert renders(content) == 2  # the fresh copy
        time.sleep(QUIET)
        assert len(realtime.registrations) == 2  # the same queries: the same channels


def test_a_fatal_channel_error_stops_that_channel(
    site: str, realtime: FakeRealtime, content: FakeCDA
) -> None:
    with chromium_page() as (page, _):
        open_in_draft_mode(page, site, "/page/", realtime)
        nav, items = channel_of(realtime, NAV), channel_of(realtime, ITEMS)
        realtime.send(
            nav,
            "channelError",
            {
                "code": "INVALID_QUERY",
                "message": "The query returned an erroneous response.",
                "fatal": True,
                "response": {"errors": [{"message": "nope"}]},
            },
        )
        realtime.wait_for(lambda: realtime.channels[nav].finished)
        time.sleep(QUIET + 1)  # past the first retries
        assert len(realtime.registrations) == 2
        assert marker(page) == 1
        # The other channel still works.
        realtime.send(items, "update", CHANGED)
        page.wait_for_function("window.__marker === undefined", timeout=10_000)


@pytest.mark.parametrize("how", ["closed", "channel_error"])
def test_a_closed_channel_is_reopened_through_the_endpoint(
    site: str, realtime: FakeRealtime, content: FakeCDA, how: str
) -> None:
    with chromium_page() as (page, _):
        open_in_draft_mode(page, site, "/page/", realtime)
        nav = channel_of(realtime, NAV)
        if how == "closed":
            realtime.close(nav)
        else:
            realtime.send(nav, "channelError", {"code": "NETWORK", "message": "x", "fatal": False})
        realtime.wait_for(lambda: 3 in realtime.connected())
        third = realtime.registrations[2]
        assert third["body"] == {"query": NAV}
        assert third["headers"]["authorization"] == "Bearer fake-token"
        assert third["headers"]["x-include-drafts"] == "true"
        # The new connection's first update is the same result: not a change.
        time.sleep(QUIET)
        assert marker(page) == 1
        assert renders(content) == 1
        # The reopened channel is live.
        realtime.send(3, "update", CHANGED)
        page.wait_for_function("window.__marker === undefined", timeout=10_000)


def test_a_reopened_channel_whose_result_changed_meanwhile_refreshes(
    site: str, realtime: FakeRealtime, content: FakeCDA
) -> None:
    with chromium_page() as (page, _):
        open_in_draft_mode(page, site, "/page/", realtime)
        realtime.initial = CHANGED  # what the next connection reports first
        realtime.close(channel_of(realtime, NAV))
        page.wait_for_function("window.__marker === undefined", timeout=10_000)
        assert renders(content) == 2
