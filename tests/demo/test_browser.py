"""The demo in headless Chromium: no console errors, every image loads, nothing shifts
(total layout shift below 0.01), and images below the fold wait until scrolled to.

The demo runs on pytest-django's ``live_server`` (127.0.0.1, a free port, stopped at the
end of the session) with the embedded emulator; Chromium comes from Debian through
Playwright (``tests.layout_metrics``: skipped on a laptop without it, failing under
``CI=true``). Full-page screenshots land in ``tests/artifacts/`` (ignored by git).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from PIL import Image

from tests.layout_metrics import chromium_page, cumulative_layout_shift, layout_shifts

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
PAGES = {
    "home": "/",
    "article": "/articles/crossing-the-alps-on-foot/",
    "article-it": "/it/articoli/la-citta-dopo-le-due/",
    "article-video": "/articles/notes-from-the-open-ocean/",
}
#: Chromium defers a lazy image until it is about 1250 px below the viewport (more on slow
#: connections); images further down than this must not have been fetched before scrolling.
LAZY_DISTANCE = 2500

ALL_IMAGES_SETTLED = "Array.from(document.images).every((img) => img.complete)"


def watch_for_errors(page: Page) -> list[str]:
    """Console errors, uncaught exceptions, failed requests and HTTP errors, as text."""
    errors: list[str] = []
    page.on("console", lambda m: errors.append(f"console: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(f"exception: {exc}"))
    page.on("requestfailed", lambda r: errors.append(f"failed: {r.url} {r.failure}"))
    page.on(
        "response",
        lambda r: errors.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None,
    )
    return errors


def scroll_through(page: Page) -> None:
    """Scroll to the bottom a screen at a time (lazy images start), then back to the top."""
    page.evaluate(
        """async () => {
            for (let y = 0; y < document.documentElement.scrollHeight; y += innerHeight / 2) {
                window.scrollTo(0, y);
                await new Promise((done) => requestAnimationFrame(() => setTimeout(done, 30)));
            }
        }"""
    )
    page.wait_for_function(ALL_IMAGES_SETTLED, timeout=30_000)
    page.evaluate("window.scrollTo(0, 0)")


def broken_images(page: Page) -> list[dict[str, Any]]:
    images: list[dict[str, Any]] = page.evaluate(
        """Array.from(document.images)
            .filter((img) => !(img.complete && img.naturalWidth > 0))
            .map((img) => ({src: img.currentSrc || img.src, alt: img.alt}))"""
    )
    return images


@pytest.mark.parametrize("name", list(PAGES))
def test_page_loads_cleanly_without_layout_shift(live_server: Any, name: str) -> None:
    with chromium_page(width=1280, height=800) as (page, requests):
        errors = watch_for_errors(page)
        response = page.goto(live_server.url + PAGES[name], wait_until="load")
        assert response is not None
        assert response.status == 200
        scroll_through(page)
        page.wait_for_load_state("networkidle")

        assert errors == []
        assert page.evaluate("document.images.length") >= 4
        assert broken_images(page) == []
        assert cumulative_layout_shift(page) < 0.01, layout_shifts(page)
        # Images come from the emulator's asset view, resized as the query asked.
        assert requests.matching("/datocms/emulator/assets/")
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"demo-{name}.png"), full_page=True)


@pytest.mark.parametrize("name", ["home", "article", "article-video"])
def test_no_layout_shift_on_a_phone(live_server: Any, name: str) -> None:
    with chromium_page(width=390, height=844) as (page, _requests):
        page.goto(live_server.url + PAGES[name], wait_until="load")
        scroll_through(page)
        page.wait_for_load_state("networkidle")
        assert cumulative_layout_shift(page) < 0.01, layout_shifts(page)


def test_below_the_fold_images_stay_lazy_until_scrolled(live_server: Any) -> None:
    with chromium_page(width=1280, height=800) as (page, requests):
        page.goto(live_server.url + PAGES["article"], wait_until="load")
        page.wait_for_load_state("networkidle")
        far: list[dict[str, Any]] = page.evaluate(
            """(distance) => {
                const eager = new Set(Array.from(document.images)
                    .filter((img) => img.loading !== 'lazy').map((img) => img.src));
                return Array.from(document.images)
                    .map((img, index) => ({index, img, top: img.getBoundingClientRect().top}))
                    .filter(({img, top}) => top > innerHeight + distance && !eager.has(img.src))
                    .map(({img, index}) => ({
                        index, src: img.src, loading: img.loading,
                        complete: img.complete, naturalWidth: img.naturalWidth,
                    }));
            }""",
            LAZY_DISTANCE,
        )
        # The "keep reading" cards at the end of the article.
        assert len(far) >= 3
        for image in far:
            assert image["loading"] == "lazy"
            assert (image["complete"], image["naturalWidth"]) == (False, 0), image
            upload = image["src"].split("?")[0].rsplit("/", 1)[0] + "/"
            assert requests.matching(upload) == [], upload

        last = far[-1]["index"]
        page.evaluate("(index) => document.images[index].scrollIntoView()", last)
        page.wait_for_function(
            "(index) => document.images[index].complete && document.images[index].naturalWidth > 0",
            arg=last,
            timeout=30_000,
        )


def is_sun(pixel: Sequence[int]) -> bool:
    """The pale yellow of the demo video's sun."""
    red, green = pixel[0], pixel[1]
    return red > 230 and green > 210


def is_night_sky(pixel: Sequence[int]) -> bool:
    """The dark blue top of the demo video's sky (it brightens a little as the sun rises)."""
    red, blue = pixel[0], pixel[2]
    return blue > red + 30 and red < 100


def test_article_video_shows_its_poster_and_decodes(live_server: Any) -> None:
    """The video block: poster painted, and the emulator's MP4 decodes to 640 x 360 frames."""
    with chromium_page(width=1280, height=800) as (page, _requests):
        errors = watch_for_errors(page)
        media: list[tuple[str, int, str]] = []
        page.on(
            "response",
            lambda r: (
                media.append((r.url, r.status, r.headers.get("content-type", "")))
                if "/datocms/emulator/video/" in r.url
                else None
            ),
        )
        page.goto(live_server.url + PAGES["article-video"], wait_until="load")
        video = page.locator("figure.block--video video")
        assert video.count() == 1
        video.scroll_into_view_if_needed()
        page.wait_for_load_state("networkidle")
        poster = video.get_attribute("poster")
        assert poster == "/datocms/emulator/video/OceanDawn8pQz2vLm5sK7dW01x/thumbnail.jpg"
        # preload="none": the element settles (NETWORK_IDLE, HAVE_NOTHING) having fetched
        # nothing but the poster.
        page.wait_for_function(
            "(video) => video.networkState === HTMLMediaElement.NETWORK_IDLE",
            arg=video.element_handle(),
            timeout=10_000,
        )
        assert video.evaluate("(video) => video.readyState") == 0
        assert media == [(live_server.url + poster, 200, "image/jpeg")]
        # The poster is painted in the video's box: the sun is bright, the sky dark blue.
        shot = Image.open(io.BytesIO(video.screenshot()))
        box = video.bounding_box()
        assert box is not None
        # The column's width (at most the video's 640 px), the video's 16:9 shape.
        assert 300 < box["width"] <= 640
        assert box["width"] / box["height"] == pytest.approx(640 / 360, rel=0.01)
        width, height = shot.size
        sun = shot.getpixel((round(width * 0.36), round(height * 0.47)))
        sky = shot.getpixel((round(width * 0.1), round(height * 0.05)))
        assert is_sun(sun), sun
        assert is_night_sky(sky), sky

        state = page.evaluate(
            """async (video) => {
                video.preload = 'auto';
                video.load();
                await new Promise((done, fail) => {
                    if (video.readyState >= 1) return done();
                    video.addEventListener('loadedmetadata', done, {once: true});
                    video.addEventListener('error', () => fail(video.error), {once: true});
                });
                return {readyState: video.readyState, width: video.videoWidth,
                        height: video.videoHeight, duration: video.duration,
                        source: video.currentSrc};
            }""",
            video.element_handle(),
        )
        assert state["readyState"] >= 1
        assert (state["width"], state["height"]) == (640, 360)
        assert state["duration"] == pytest.approx(4, abs=0.05)
        # Chromium plays HLS natively these days (older versions fell back to the MP4).
        assert state["source"].startswith(live_server.url + "/datocms/emulator/video/")

        # The MP4 rendition on its own: metadata, a seek (a range request), a decoded frame.
        mp4 = page.locator("figure.block--video video source[type='video/mp4']")
        mp4_url = live_server.url + str(mp4.get_attribute("src"))
        frame = page.evaluate(
            """async (url) => {
                const video = document.createElement('video');
                video.muted = true;
                video.preload = 'auto';
                const once = (name) => new Promise((done, fail) => {
                    video.addEventListener(name, done, {once: true});
                    video.addEventListener('error', () => fail(video.error), {once: true});
                });
                const metadata = once('loadedmetadata');
                video.src = url;
                await metadata;
                const seeked = once('seeked');
                video.currentTime = 3;
                await seeked;
                const canvas = document.createElement('canvas');
                canvas.width = video.videoWidth;
                canvas.height = video.videoHeight;
                const context = canvas.getContext('2d');
                context.drawImage(video, 0, 0);
                return {width: video.videoWidth, height: video.videoHeight,
                        duration: video.duration, readyState: video.readyState,
                        sun: Array.from(context.getImageData(230, 178, 1, 1).data),
                        sky: Array.from(context.getImageData(64, 18, 1, 1).data)};
            }""",
            mp4_url,
        )
        assert (frame["width"], frame["height"]) == (640, 360)
        assert frame["duration"] == pytest.approx(4, abs=0.05)
        assert frame["readyState"] >= 2
        assert is_sun(frame["sun"]), frame["sun"]
        assert is_night_sky(frame["sky"]), frame["sky"]
        mp4_answers = {status for url, status, _ in media if url == mp4_url}
        assert mp4_answers <= {200, 206}
        assert 206 in mp4_answers  # the player asked for ranges and got them
        assert errors == []
        ARTIFACTS.mkdir(exist_ok=True)
        page.locator("figure.block--video").screenshot(
            path=str(ARTIFACTS / "demo-article-video-block.png")
        )
