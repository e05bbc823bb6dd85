"""Browser helpers for layout-shift and lazy-loading tests (Chromium through Playwright).

Usage::

    from tests.layout_metrics import chromium_page, cumulative_layout_shift, image_states

    def test_no_layout_shift(live_server):
        with chromium_page() as (page, requests):
            page.goto(live_server.url + "/")
            page.wait_for_load_state("networkidle")
            assert cumulative_layout_shift(page) == 0
            assert not requests.matching("/gallery-4.jpg")  # lazy, below the fold

``chromium_page`` skips on a laptop without Chromium and fails under ``CI=true`` (see
``tests/services.py``). The page records every layout shift from the first paint (a
``PerformanceObserver`` installed before any script of the page runs) and every image
request, so a test can assert that below-the-fold images are not fetched until scrolled to.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tests.services import require_service

if TYPE_CHECKING:
    from playwright.sync_api import Page, Request

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]

# Sums layout-shift entries the way Lighthouse's CLS does for a single session window
# (shifts right after user input excluded). Installed before the page's own scripts.
LAYOUT_SHIFT_OBSERVER = """
(() => {
  window.__layoutShifts = [];
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (entry.hadRecentInput) continue;
      window.__layoutShifts.push({
        value: entry.value,
        sources: (entry.sources || []).map((s) => s.node ? s.node.outerHTML.slice(0, 120) : ''),
      });
    }
  }).observe({ type: 'layout-shift', buffered: true });
})();
"""


@dataclass
class ImageRequests:
    """Every image the page asked the network for, in order."""

    urls: list[str] = field(default_factory=list)

    def record(self, request: Request) -> None:
        if request.resource_type == "image":
            self.urls.append(request.url)

    def matching(self, fragment: str) -> list[str]:
        return [url for url in self.urls if fragment in url]


def chromium_available() -> bool:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return False
    return os.access(CHROMIUM, os.X_OK)


@contextmanager
def chromium_page(*, width: int = 1024, height: int = 768) -> Iterator[tuple[Page, ImageRequests]]:
    """A fresh Chromium page (and its image-request log) with the layout-shift observer."""
    require_service(
        "Chromium", chromium_available(), f"{CHROMIUM} or the playwright package is missing"
    )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": width, "height": height})
            page.add_init_script(LAYOUT_SHIFT_OBSERVER)
            requests = ImageRequests()
            page.on("request", requests.record)
            yield page, requests
        finally:
            browser.close()


def cumulative_layout_shift(page: Page) -> float:
    """The sum of the page's layout shifts so far (0 when nothing moved)."""
    return float(page.evaluate("window.__layoutShifts.reduce((sum, s) => sum + s.value, 0)"))


def layout_shifts(page: Page) -> list[dict[str, Any]]:
    """Each shift with its value and the start of the HTML of the elements that moved."""
    shifts: list[dict[str, Any]] = page.evaluate("window.__layoutShifts")
    return shifts


def image_states(page: Page) -> list[dict[str, Any]]:
    """For each ``<img>``: ``currentSrc``, ``complete``, natural and rendered sizes, loading."""
    states: list[dict[str, Any]] = page.evaluate(
        """Array.from(document.images, (img) => ({
            currentSrc: img.currentSrc,
            complete: img.complete,
            naturalWidth: img.naturalWidth,
            width: img.getBoundingClientRect().width,
            height: img.getBoundingClientRect().height,
            loading: img.loading,
        }))"""
    )
    return states
