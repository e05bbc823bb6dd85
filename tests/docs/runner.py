"""Run the runnable blocks of a page (tests/docs/blocks.py), as docs/README.md describes.

- ``PageRun``: a page's Python, template and GraphQL blocks, in this process, in one
  namespace, against the embedded emulator serving the demo content, with ``DEBUG`` on and the
  page's own template folder; its ``sh`` blocks in subprocesses, in the page's folder.
- ``run_shell``: one ``sh`` block (``pip install`` skipped, ``runserver`` on a free port).
- ``build_quickstart``: the README's *Add to an existing project* applied to a fresh
  ``django-admin startproject mysite``.
- ``check_settings_blocks``: a page's settings fragments appended to that project's settings,
  each passing ``manage.py check --fail-level WARNING``.

Subprocesses get this checkout first on ``PYTHONPATH``, a cache folder of their own (the
emulator's registry of running sites goes there, not into the user's ``~/.cache``) and none
of the developer's ``DATOCMS_*``/``DJANGO_SETTINGS_MODULE`` variables. Servers are stopped by
the code that started them.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from django.template import Context, Engine
from django.test import override_settings

from datocms_app import cda
from datocms_app.emulator.embedded import reset_emulator
from tests.caching.servers import free_port, stop_process
from tests.docs.blocks import ROOT, Block, runnable_blocks

#: What a variable that does not resolve renders as in a docs template (and fails the test).
MISSING = "<<missing variable: %s>>"
_PIP_INSTALL = re.compile(r"^\s*pip install\b")
_RUNSERVER = re.compile(r"python manage\.py runserver[^&;|\n]*")
_SERVER_START_SECONDS = 90


def subprocess_env(cache_dir: Path) -> dict[str, str]:
    """The environment of a docs subprocess: this checkout and its Python, nothing of ours."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DATOCMS_", "DJANGO_")) and name != "PYTHONPATH"
    }
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env["PYTHONPATH"] = str(ROOT)
    env["XDG_CACHE_HOME"] = str(cache_dir)
    return env


# -- sh blocks ---------------------------------------------------------------------------------


def shell_script(source: str, port: int) -> tuple[str, bool]:
    """``source`` as a bash script for the tests, and whether it starts a server.

    ``pip install`` lines are skipped (the checkout is installed already); ``python manage.py
    runserver`` is ``exec``'d on ``port`` without the autoreloader, so that the script's
    process is the server.
    """
    script = source.replace("\\\n", " ")
    lines = []
    serves = False
    for line in script.split("\n"):
        if _PIP_INSTALL.match(line):
            lines.append(f": skipped by the docs test: {line.strip()}")
            continue
        if _RUNSERVER.search(line):
            if serves:
                raise AssertionError("a runnable sh block starts one server at most")
            serves = True
            line = _RUNSERVER.sub(
                f"exec python manage.py runserver 127.0.0.1:{port} --noreload", line
            )
        lines.append(line)
    return "\n".join(lines), serves


class Server:
    """A server a runnable block started; ``stop()`` ends it."""

    def __init__(self, process: subprocess.Popen[bytes], port: int, log: Path) -> None:
        self.process, self.port, self.log = process, port, log
        self.url = f"http://127.0.0.1:{port}"

    def stop(self) -> None:
        stop_process(self.process)


def run_shell(block: Block, cwd: Path, env: dict[str, str], log: Path) -> Server | None:
    """Run an ``sh`` block in ``cwd``; the server it started (answering ``/``), if any."""
    port = free_port()
    script, serves = shell_script(block.source, port)
    with log.open("ab") as output:
        output.write(f"\n$ # {block.where}\n".encode())
        process = subprocess.Popen(
            ["bash", "-e", "-c", script], cwd=cwd, env=env, stdout=output, stderr=output
        )
    if not serves:
        try:
            status = process.wait(300)
        except subprocess.TimeoutExpired:
            stop_process(process)
            pytest.fail(f"{block.where} did not finish in 300 s:\n{log.read_text()}")
        assert status == 0, f"{block.where} failed ({status}):\n{log.read_text()}"
        return None
    server = Server(process, port, log)
    deadline = time.monotonic() + _SERVER_START_SECONDS
    while True:
        if process.poll() is not None:
            pytest.fail(
                f"{block.where}: the server exited ({process.returncode}):\n{log.read_text()}"
            )
        try:
            response = httpx.get(f"{server.url}/", timeout=30)
        except httpx.TransportError:
            if time.monotonic() > deadline:
                server.stop()
                pytest.fail(f"{block.where}: no server on port {port}:\n{log.read_text()}")
            time.sleep(0.2)
            continue
        if response.status_code >= 500:
            server.stop()
            pytest.fail(f"{block.where}: / answered {response.status_code}:\n{log.read_text()}")
        return server


# -- a page in this process ----------------------------------------------------------------------


class PageRun:
    """The state a page's blocks share: a namespace, a folder, its templates."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.templates = folder / "templates"
        self.templates.mkdir(parents=True, exist_ok=True)
        self.namespace: dict[str, Any] = {"__name__": "docs_page"}
        self.log = folder / "shell.log"
        self.servers: list[Server] = []

    def engine(self) -> Engine:
        return Engine(
            dirs=[str(self.templates)],
            app_dirs=True,
            string_if_invalid=MISSING,
            libraries={"datocms": "datocms_app.templatetags.datocms"},
        )

    def run(self, block: Block) -> None:
        """Run one in-process or shell block (quickstart and settings blocks are not run here)."""
        if block.language == "python":
            if block.target is not None:
                self._write(block)
            exec(compile(block.source, block.where, "exec"), self.namespace)
        elif block.language == "django" and block.target is not None:
            self._write(block)
        elif block.language == "django":
            rendered = self.engine().from_string(block.source).render(Context(self.namespace))
            assert "<<missing variable" not in rendered, f"{block.where}:\n{rendered}"
            self.namespace["rendered"] = rendered
        elif block.language == "graphql":
            self.namespace["response"] = cda.execute(block.source)
        elif block.language == "sh":
            server = run_shell(block, self.folder, subprocess_env(self.folder / "cache"), self.log)
            if server is not None:
                self.servers.append(server)
        else:
            raise AssertionError(f"{block.where}: no runner for {block.kind}")

    def _write(self, block: Block) -> None:
        assert block.target is not None
        path = self.folder / block.target
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(block.source, encoding="utf-8")


def page_templates(folder: Path) -> list[dict[str, Any]]:
    """``TEMPLATES`` of a page: its own folder first, then the apps'."""
    return [
        {
            "BACKEND": "django.template.backends.django.DjangoTemplates",
            "DIRS": [str(folder / "templates")],
            "APP_DIRS": True,
            "OPTIONS": {"context_processors": ["django.template.context_processors.request"]},
        }
    ]


@contextmanager
def running_page(page: Path, folder: Path) -> Iterator[PageRun]:
    """Run ``page``'s in-process and shell blocks in ``folder``; yields the run, whose
    namespace, templates and settings stay in force until the block exits."""
    run = PageRun(folder)
    with ExitStack() as stack:
        stack.enter_context(override_settings(DEBUG=True, TEMPLATES=page_templates(folder)))
        stack.callback(reset_emulator)
        reset_emulator()
        try:
            for block in runnable_blocks(page):
                if "quickstart" in block.flags or "settings" in block.flags:
                    continue
                run.run(block)
            for server in run.servers:
                server.stop()
            run.servers.clear()
            yield run
        finally:
            for server in run.servers:
                server.stop()


# -- the quickstart project ------------------------------------------------------------------------


def build_quickstart(folder: Path) -> tuple[Path, dict[str, str]]:
    """A fresh ``django-admin startproject mysite`` in ``folder`` with the README's *Add to an
    existing project* applied in order; returns the project folder and its environment."""
    env = subprocess_env(folder / "cache")
    project = folder / "mysite"
    project.mkdir(parents=True)
    subprocess.run(
        [sys.executable, "-m", "django", "startproject", "mysite", str(project)],
        env=env, check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    log = folder / "quickstart.log"
    for block in runnable_blocks(ROOT / "README.md"):
        if "quickstart" not in block.flags:
            continue
        if block.language == "sh":
            server = run_shell(block, project, env, log)
            if server is not None:
                server.stop()
            continue
        assert block.target is not None, f"{block.where}: a quickstart block names its file"
        path = project / block.target
        path.parent.mkdir(parents=True, exist_ok=True)
        if block.appends:
            with path.open("a", encoding="utf-8") as file:
                file.write("\n" + block.source)
        else:
            path.write_text(block.source, encoding="utf-8")
    return project, env


def manage(project: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=project, env=env, capture_output=True,
        text=True, timeout=120, check=False,
    )  # fmt: skip


@contextmanager
def serving(project: Path, env: dict[str, str], log: Path) -> Iterator[str]:
    """``manage.py runserver`` for ``project`` on a free port; yields its base URL."""
    block = Block(
        page=ROOT / "README.md", line=0, language="sh", runnable=True, flags=(),
        source="python manage.py runserver\n",
    )  # fmt: skip
    server = run_shell(block, project, env, log)
    assert server is not None
    try:
        yield server.url
    finally:
        server.stop()


def check_settings_blocks(page: Path, quickstart: Path, folder: Path) -> int:
    """Check each settings block of ``page`` against a copy of the quickstart project (with
    the page's file blocks written into it); returns how many were checked."""
    project = folder / "project"
    shutil.copytree(quickstart, project, ignore=shutil.ignore_patterns("db.sqlite3"))
    env = subprocess_env(folder / "cache")
    blocks = runnable_blocks(page)
    for block in blocks:
        if block.language == "python" and block.target and "quickstart" not in block.flags:
            (project / block.target).write_text(block.source, encoding="utf-8")
    checked = 0
    for block in blocks:
        if "settings" not in block.flags:
            continue
        checked += 1
        module = f"docs_settings_{checked}"
        (project / "mysite" / f"{module}.py").write_text(
            f"# {block.where}\nfrom mysite.settings import *  # noqa: F403\n\n{block.source}",
            encoding="utf-8",
        )
        result = manage(
            project, env, "check", "--fail-level", "WARNING", "--settings", f"mysite.{module}"
        )
        assert (result.returncode, result.stdout) == (
            0,
            "System check identified no issues (0 silenced).\n",
        ), f"{block.where}:\n{result.stdout}{result.stderr}"
    return checked
