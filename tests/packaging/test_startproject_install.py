"""The first hour, end to end: ``pip install "datocms-app[emulator]"`` in a fresh virtual
environment, ``python -m datocms_app startproject mysite``, ``runserver``, the pages, an
emulator edit from another terminal showing on the next request, and a token switching the
site to DatoCMS.

The package is built from a clean copy of this checkout and installed non-editable with its
``emulator`` extra (with pip's cache), as a new user would install it. The server is Django's
``runserver`` with its autoreloader, as the README says to run it; the change command runs
with no ``--url`` and must find it through the registry (``XDG_CACHE_HOME`` points at a
folder of this test, so the developer's own registry is never read or written). It needs the
package index: a laptop without network skips, CI fails.
"""

from __future__ import annotations

import html
import os
import re
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.packaging.fresh_install import install_checkout
from tests.services import port_open

pytestmark = pytest.mark.service

IMAGE = re.compile(r'<img src="(/datocms/emulator/assets/mountains/mountains\.jpg\?[^"]+)"')


@pytest.fixture(scope="module")
def python(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Python of a fresh venv holding ``pip install "<this checkout>[emulator]"``."""
    return install_checkout(tmp_path_factory.mktemp("starter-install"), "[emulator]")


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("starter-work")


def environment(workdir: Path, **extra: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PYTHON", "DJANGO", "DATOCMS", "VIRTUAL_ENV"))
    }
    # The registry of running servers: this test's own.
    env["XDG_CACHE_HOME"] = str(workdir / "cache")
    return env | extra


def run(python: Path, project: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """``python *args`` in the project's folder, as in a second terminal."""
    return subprocess.run(
        [str(python), *args], cwd=project, env=environment(project.parent, **env),
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def project(python: Path, workdir: Path) -> Path:
    started = subprocess.run(
        [str(python), "-m", "datocms_app", "startproject", "mysite"],
        cwd=workdir, env=environment(workdir), capture_output=True, text=True, timeout=120,
        check=False,
    )  # fmt: skip
    assert started.returncode == 0, started.stderr
    assert started.stdout.startswith(f"Wrote the project 'mysite' to {workdir / 'mysite'}.")
    assert started.stderr == ""
    return workdir / "mysite"


@pytest.fixture(scope="module")
def server(python: Path, project: Path, workdir: Path) -> Iterator[tuple[str, int]]:
    """``python manage.py runserver`` on a free port: its URL and its session id (the
    autoreloader's pid; requests are served by its child)."""
    port = free_port()
    log = (workdir / "runserver.log").open("w")
    process = subprocess.Popen(
        [str(python), "manage.py", "runserver", f"127.0.0.1:{port}"],
        cwd=project, env=environment(workdir), stdout=log, stderr=subprocess.STDOUT,
        start_new_session=True,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while not port_open("127.0.0.1", port, timeout=0.2):
            assert process.poll() is None, (workdir / "runserver.log").read_text()
            assert time.monotonic() < deadline, "runserver did not start in 30 s"
            time.sleep(0.1)
        yield url, process.pid
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(10)
        log.close()


def get(url: str) -> httpx.Response:
    return httpx.get(url, timeout=30, trust_env=False)


def test_the_first_hour(
    python: Path, project: Path, workdir: Path, server: tuple[str, int]
) -> None:
    check = run(python, project, "manage.py", "check")
    assert (check.returncode, check.stdout, check.stderr) == (
        0,
        "System check identified no issues (0 silenced).\n",
        "",
    )
    url, session = server

    # The list: structured text as an excerpt, responsive images whose files answer.
    listing = get(url + "/")
    assert listing.status_code == 200
    assert listing.headers["X-DatoCMS-Cache"] == "MISS"
    assert "<h2>Welcome to your new site</h2>" in listing.text
    assert (
        "<p>This page is a DatoCMS record rendered by a plain Django view. Without an API token "
        "it comes from the offline emulator, which reads…</p>"
    ) in listing.text
    assert listing.text.count("<picture><source srcset=") == 3
    image = IMAGE.search(listing.text)
    assert image is not None
    assert image.group(1) == (
        "/datocms/emulator/assets/mountains/mountains.jpg?auto=format&amp;crop=focalpoint&amp;"
        "fit=crop&amp;fp-x=0.5&amp;fp-y=0.4&amp;h=360&amp;w=640"
    )
    picture = get(url + html.unescape(image.group(1)))
    assert (picture.status_code, picture.headers["Content-Type"]) == (200, "image/jpeg")
    assert picture.content[:3] == b"\xff\xd8\xff"

    # The detail page: structured text with its block, cached on the second request.
    detail = get(url + "/posts/welcome/")
    assert (detail.status_code, detail.headers["X-DatoCMS-Cache"]) == (200, "MISS")
    assert "<h1>Welcome to your new site</h1>" in detail.text
    assert (
        "<p>This page is a <strong>DatoCMS record</strong> rendered by a plain Django view."
    ) in detail.text
    assert '<figure class="image-block">\n  <picture><source srcset=' in detail.text
    assert '<p>Next, read <a href="/posts/edit-content-offline/">how to edit this content</a>' in (
        detail.text
    )
    assert get(url + "/posts/welcome/").headers["X-DatoCMS-Cache"] == "HIT"

    # An edit from another terminal, with no --url: the running server applies it.
    changed = run(python, project, "manage.py", "datocms_emulator_change", "update", "welcome",
                  "--field", "title=Hello from another terminal")  # fmt: skip
    assert changed.returncode == 0, changed.stderr
    assert changed.stderr == ""
    summary, applied, site_caches, webhooks = changed.stdout.splitlines()
    assert summary == (
        "update record welcome (webhook events: update, publish); invalidated 8 cache tag(s)"
    )
    served_by = re.fullmatch(
        rf"Applied to the running site at {re.escape(url)}/datocms/emulator/ \(pid (\d+)\)\.",
        applied,
    )
    assert served_by is not None, applied
    assert os.getsid(int(served_by.group(1))) == session  # runserver's child serves requests
    assert site_caches == "Site caches: invalidated 8 cache tag(s)."
    assert webhooks == "Webhooks: none sent (no configured webhook is triggered by this change)."
    fresh = get(url + "/posts/welcome/")
    assert (fresh.status_code, fresh.headers["X-DatoCMS-Cache"]) == (200, "MISS")
    assert "<h1>Hello from another terminal</h1>" in fresh.text
    assert get(url + "/posts/welcome/").headers["X-DatoCMS-Cache"] == "HIT"
    assert "<h2>Hello from another terminal</h2>" in get(url + "/").text

    # A slug with no post is a 404, not a 500.
    assert get(url + "/posts/no-such-post/").status_code == 404

    # A token switches the site to DatoCMS (no request is made here).
    endpoint = run(python, project, "manage.py", "shell", "-v", "0", "-c",
                   "from datocms_app import cda; print(cda.get_client().endpoint)",
                   DATOCMS_API_TOKEN="x")  # fmt: skip
    assert (endpoint.returncode, endpoint.stdout) == (0, "https://graphql.datocms.com/\n"), (
        endpoint.stderr
    )
