"""The starter project in Chromium: its pages fit the window, from a phone to a desktop.

The project is written by ``startproject`` into a temporary folder and served by its own
``manage.py runserver`` (this checkout's ``datocms_app``, the embedded emulator).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from datocms_app import startproject
from datocms_app.startproject import start_project
from tests.caching.servers import free_port, stop_process
from tests.layout_metrics import chromium_page, image_states

ROOT = Path(startproject.__file__).resolve().parent.parent

#: Elements whose right edge passes their card's or the page's column (a long word that does
#: not wrap, an image wider than its box): "tag.class: its right edge vs the limit". What
#: scrolls inside its own box (a ``<pre>`` with ``overflow-x: auto``) is not counted.
OVERFLOWS = """
() => {
  const found = [];
  const column = document.body.getBoundingClientRect();
  const scrolls = (element) => {
    for (let up = element.parentElement; up; up = up.parentElement) {
      if (getComputedStyle(up).overflowX !== "visible") return true;
    }
    return false;
  };
  for (const element of document.querySelectorAll("body *")) {
    const box = element.getBoundingClientRect();
    if (box.width === 0 || scrolls(element)) continue;
    const card = element.closest(".post-card");
    const limit = card && card !== element ? card.getBoundingClientRect().right : column.right;
    if (box.right > limit + 0.5) {
      found.push(`${element.tagName.toLowerCase()}.${element.className}: ${box.right} > ${limit}`);
    }
  }
  if (document.documentElement.scrollWidth > window.innerWidth) {
    found.push(`page scrolls sideways: ${document.documentElement.scrollWidth}px`);
  }
  return found;
}
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    project = start_project("mysite", tmp_path_factory.mktemp("starter") / "mysite")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO", "DATOCMS"))}
    env["PYTHONPATH"] = str(ROOT)
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=project, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            assert process.poll() is None, "runserver exited"
            try:
                if httpx.get(base + "/", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "runserver did not answer in 30 s"
            time.sleep(0.1)
        yield base
    finally:
        stop_process(process)


@pytest.mark.parametrize("width", [360, 768, 1280])
@pytest.mark.parametrize("path", ["/", "/posts/welcome/", "/posts/going-live/"])
def test_every_page_fits_its_column_and_its_images_load(site: str, path: str, width: int) -> None:
    with chromium_page(width=width, height=800) as (page, _requests):
        page.goto(site + path)
        page.wait_for_load_state("networkidle")
        assert page.evaluate(OVERFLOWS) == []
        images = image_states(page)
        assert images
        assert [image["currentSrc"] for image in images if not image["complete"]] == []
