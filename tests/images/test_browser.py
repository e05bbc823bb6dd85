"""In Chromium: our <picture> reserves its space (no layout shift) and lazy images wait.

A loopback server serves a page and slow images (so the page paints before they arrive).
The control page uses a bare ``<img>`` without dimensions and must shift: it proves that
the measurement can fail.
"""

from __future__ import annotations

import io
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from typing import Any

import pytest

from datocms_app.images import render_image, render_image_preload
from tests.caching.servers import handler_in_thread, server_url
from tests.layout_metrics import chromium_page, cumulative_layout_shift, image_states

pytestmark = pytest.mark.browser

IMAGE_DELAY = 0.4  # seconds: long enough for the text to paint first


def png(width: int, height: int) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (40, 90, 140)).save(buffer, format="PNG")
    return buffer.getvalue()


class Site:
    def __init__(self) -> None:
        self.pages: dict[str, str] = {}
        self.image = png(800, 450)


@pytest.fixture
def site() -> Iterator[tuple[Site, str]]:
    state = Site()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            path = self.path.split("?", 1)[0]
            if path.startswith("/img/"):
                time.sleep(IMAGE_DELAY)
                body, content_type = state.image, "image/png"
            elif path in state.pages:
                body, content_type = state.pages[path].encode(), "text/html; charset=utf-8"
            else:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    with handler_in_thread(Handler) as server:
        yield state, server_url(server)


def page_html(head: str, hero: str, below: str) -> str:
    return (
        "<!doctype html><html><head><meta charset=utf-8>"
        "<style>body{margin:0;font:16px/1.5 sans-serif}main{max-width:800px}</style>"
        f"{head}</head><body><main><h1>Harbour</h1>{hero}<p id=after>After the hero.</p>"
        f'<div style="height:4000px"></div>{below}<p>End.</p></main></body></html>'
    )


def image(name: str) -> dict[str, Any]:
    return {
        "src": f"/img/{name}.png?w=800",
        "srcSet": f"/img/{name}.png?w=400 400w,/img/{name}.png?w=800 800w",
        "width": 800,
        "height": 450,
        "alt": name,
        "bgColor": "#28598c",
    }


def test_picture_does_not_shift_and_lazy_image_waits(site: tuple[Site, str]) -> None:
    state, base = site
    hero, below = image("hero"), image("below")
    state.pages["/"] = page_html(
        render_image_preload(hero, sizes="(max-width: 800px) 100vw, 800px"),
        render_image(hero, priority=True, sizes="(max-width: 800px) 100vw, 800px"),
        render_image(below),
    )

    with chromium_page() as (page, requests):
        page.goto(base + "/", wait_until="load")
        page.wait_for_timeout(300)

        assert cumulative_layout_shift(page) == 0
        assert requests.matching("/img/hero.png")
        assert not requests.matching("/img/below.png")
        hero_state = image_states(page)[0]
        assert hero_state["complete"]
        assert (hero_state["width"], hero_state["height"]) == (800, 450)

        page.locator("img[alt=below]").scroll_into_view_if_needed()
        page.wait_for_function("document.images[1].complete && document.images[1].naturalWidth")

        assert requests.matching("/img/below.png")
        assert image_states(page)[1]["loading"] == "lazy"
        assert cumulative_layout_shift(page) == 0


def test_control_image_without_dimensions_shifts(site: tuple[Site, str]) -> None:
    state, base = site
    state.pages["/control"] = page_html("", '<img src="/img/bare.png" alt="">', "")

    with chromium_page() as (page, _requests):
        page.goto(base + "/control", wait_until="load")
        page.wait_for_timeout(300)

        assert cumulative_layout_shift(page) > 0
