"""Live updates on the offline demo, end to end in headless Chromium: the editor's flow.

The demo runs on pytest-django's live server (threaded, like ``runserver``) with no API token:
the embedded emulator serves the content, and the emulator app's listen endpoint makes it the
Real-time Updates API too. An editor enables draft mode through the enable route (as from
DatoCMS's plugin), opens an article, and the article's title is changed in the emulator
(``ContentEditor``, in this process): the page reloads by itself and shows the new title. A
visitor in another browser context (no draft-mode cookie) sees the published title all
along, and gets no live updates.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest
from django.conf import settings
from django.test import override_settings

from datocms_app.emulator.embedded import get_emulator, reset_emulator
from datocms_app.preview.signing import unsign_description
from tests.layout_metrics import chromium_page

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser

SECRET = "demo-live-secret"
#: The emulator's token: the site registers channels with it, and no page may show it.
TOKEN = "emulator-token-7c1e9a"
ARTICLE = "/articles/crossing-the-alps-on-foot/"
PUBLISHED_TITLE = "Crossing the Alps on foot"
DRAFT_TITLE = "Crossing the Alps on foot, in winter"


@pytest.fixture
def site(live_server: Any) -> Iterator[str]:
    """The demo with a preview secret and an emulator token of its own; its content reloaded
    from disk before and after (the draft change is undone)."""
    emulator = {**settings.DATOCMS["EMULATOR"], "TOKENS": [TOKEN]}
    conf = {**settings.DATOCMS, "PREVIEW_SECRET": SECRET, "EMULATOR": emulator}
    with override_settings(DATOCMS=conf):
        reset_emulator()
        # A left page's stream ends at its next keep-alive comment: do not wait 5 s.
        get_emulator().listen.keep_alive = 0.5
        try:
            yield str(live_server.url)
        finally:
            reset_emulator()


def heading(page: Page) -> str:
    return page.inner_text("h1").strip()


def wait_for_streams(count: int, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while get_emulator().listen.streams != count:
        assert time.monotonic() < deadline, f"{get_emulator().listen.streams} streams, not {count}"
        time.sleep(0.05)


def test_a_draft_page_reloads_itself_when_the_article_changes_and_visitors_never_see_it(
    site: str,
) -> None:
    with chromium_page() as (editor, _):
        errors: list[str] = []
        editor.on("pageerror", lambda exc: errors.append(str(exc)))
        editor.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        editor.goto(f"{site}/datocms/draft-mode/enable/?token={SECRET}&redirect={ARTICLE}")
        assert editor.url == f"{site}{ARTICLE}"
        assert heading(editor) == PUBLISHED_TITLE
        script = editor.locator("script[data-datocms-live-updates]")
        channels = int(script.get_attribute("data-channels") or 0)
        assert channels >= 1
        wait_for_streams(channels)
        editor.evaluate("window.__marker = 1")

        html = editor.content()
        assert TOKEN not in html
        description = unsign_description(script.get_attribute("data-description") or "")
        assert TOKEN not in json.dumps(description)
        assert set(description) == {"v", "queries"}
        for query in description["queries"]:
            assert set(query) == {"query", "variables", "environment", "include_drafts",
                                  "exclude_invalid"}  # fmt: skip
            assert query["include_drafts"] is True

        visitor = editor.context.browser.new_context().new_page()  # type: ignore[union-attr]
        visitor.goto(f"{site}{ARTICLE}")
        assert heading(visitor) == PUBLISHED_TITLE
        assert visitor.locator("script[data-datocms-live-updates]").count() == 0

        get_emulator().changes.update_record(
            "alps-crossing",
            {"title": {"en": DRAFT_TITLE, "it": "Attraversare le Alpi a piedi, d'inverno"}},
        )
        editor.wait_for_function("window.__marker === undefined", timeout=15_000)
        editor.wait_for_load_state("domcontentloaded")
        assert heading(editor) == DRAFT_TITLE
        assert errors == []

        visitor.reload()
        assert heading(visitor) == PUBLISHED_TITLE
        assert DRAFT_TITLE not in visitor.content()
        visitor.context.close()
