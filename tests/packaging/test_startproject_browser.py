"""The starter project in Chromium: its pages fit the window, from a phone to a desktop.

The project is written by ``startproject`` into a temporary folder and served by its own
``manage.py runserver`` (this checkout's ``datocms_app``, the embedded emulator).
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator

import pytest

from datocms_app.startproject import start_project
from tests.caching.servers import free_port, stop_process, wait_until_listening
from tests.layout_metrics import chromium_page, image_states
from tests.packaging.test_startproject import project_env

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
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=project, env=project_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        # --noreload: the server listens once its checks have passed and it can answer.
        wait_until_listening(process, port, "the starter's runserver")
        yield f"http://127.0.0.1:{port}"
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
