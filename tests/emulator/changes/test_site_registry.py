"""The registry of development servers: a DEBUG site registers where its emulator takes
changes on its first request, and the change command finds it there."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.handlers.asgi import ASGIHandler
from django.core.handlers.wsgi import WSGIHandler
from django.test import Client
from django.test.client import ClientHandler

from datocms_app.emulator import site_registry
from datocms_app.emulator.site_registry import (
    forget,
    project_key,
    register,
    register_from_request,
    registry_dir,
    running_sites,
)
from datocms_app.exceptions import InvalidArgument


@pytest.fixture(autouse=True)
def _own_registry(registry: Path) -> None:
    """Every test here reads and writes a registry of its own (``registry``)."""


def dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_the_registry_lives_in_the_user_cache_folder(registry: Path) -> None:
    assert registry_dir() == registry


def test_register_and_find_a_running_site(
    registry: Path, project_dir: Path, other_process: int
) -> None:
    path = register("http://127.0.0.1:8000/datocms/emulator/", project_dir, pid=other_process)
    assert path == registry / f"{project_key(project_dir)}-{other_process}.json"
    (site,) = running_sites(project_dir)
    assert (site.url, site.pid, site.content_dir, site.path) == (
        "http://127.0.0.1:8000/datocms/emulator/",
        other_process,
        str(project_dir.resolve()),
        path,
    )
    assert running_sites(project_dir.parent) == []  # another content project
    forget(site)
    assert running_sites(project_dir) == []


def test_newest_first_and_never_this_process(project_dir: Path, other_process: int) -> None:
    register("http://127.0.0.1:8000/old/", project_dir, pid=other_process)
    register("http://127.0.0.1:8001/mine/", project_dir)  # this process: never its own target
    sites = running_sites(project_dir)
    assert [site.url for site in sites] == ["http://127.0.0.1:8000/old/"]
    second = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        register("http://127.0.0.1:8002/new/", project_dir, pid=second.pid)
        assert [site.url for site in running_sites(project_dir)] == [
            "http://127.0.0.1:8002/new/",
            "http://127.0.0.1:8000/old/",
        ]
    finally:
        second.kill()
        second.wait()


def test_entries_of_dead_processes_and_broken_files_are_deleted(
    registry: Path, project_dir: Path
) -> None:
    gone = register("http://127.0.0.1:8000/", project_dir, pid=dead_pid())
    broken = registry / f"{project_key(project_dir)}-123.json"
    broken.write_text("{not json")
    assert running_sites(project_dir) == []
    assert not gone.exists()
    assert not broken.exists()


def test_register_refuses_what_is_not_a_url_or_a_folder(project_dir: Path) -> None:
    with pytest.raises(InvalidArgument, match=r"url must be an http\(s\) URL, got 'ftp://x/'\."):
        register("ftp://x/", project_dir)
    with pytest.raises(InvalidArgument, match=r"content_dir must be a folder path, got ''\."):
        project_key("")


# -- registering from the first request -----------------------------------------------------


@pytest.fixture
def debug_site(settings: Any, project_dir: Path) -> Path:
    settings.DEBUG = True
    settings.DATOCMS = {"EMULATOR": {"CONTENT_DIR": str(project_dir)}}
    return project_dir


def registered(project_dir: Path) -> list[dict[str, Any]]:
    folder = registry_dir()
    return [
        json.loads(path.read_text())
        for path in sorted(folder.glob(f"{project_key(project_dir)}-*.json"))
    ]


def test_the_first_request_of_a_wsgi_server_registers_it(debug_site: Path) -> None:
    environ = {"HTTP_HOST": "127.0.0.1:8123", "wsgi.url_scheme": "http"}
    register_from_request(WSGIHandler, environ=environ)
    (entry,) = registered(debug_site)
    assert entry["url"] == "http://127.0.0.1:8123/datocms/emulator/"
    assert entry["pid"] == os.getpid()
    assert entry["content_dir"] == str(debug_site.resolve())
    # Once per process: a later request with another host changes nothing.
    register_from_request(
        WSGIHandler, environ={"HTTP_HOST": "localhost:9", "wsgi.url_scheme": "http"}
    )
    assert [e["url"] for e in registered(debug_site)] == ["http://127.0.0.1:8123/datocms/emulator/"]


def test_an_asgi_server_registers_from_its_scope(debug_site: Path) -> None:
    scope = {"type": "http", "scheme": "https", "headers": [(b"host", b"site.test:8443")]}
    register_from_request(ASGIHandler, scope=scope)
    assert [e["url"] for e in registered(debug_site)] == [
        "https://site.test:8443/datocms/emulator/"
    ]


@pytest.mark.parametrize(
    "change",
    [
        {"DEBUG": False},
        {"DATOCMS": {"API_TOKEN": "real-token", "EMULATOR": {"CONTENT_DIR": "x"}}},
        {"DATOCMS": {}},
    ],
    ids=["production", "a token", "no content project"],
)
def test_only_debug_sites_served_by_the_emulator_register(
    debug_site: Path, settings: Any, change: dict[str, Any]
) -> None:
    for name, value in change.items():
        setattr(settings, name, value)
    register_from_request(
        WSGIHandler, environ={"HTTP_HOST": "127.0.0.1:1", "wsgi.url_scheme": "http"}
    )
    assert not registry_dir().exists()


def test_django_test_client_never_registers(debug_site: Path) -> None:
    register_from_request(ClientHandler, environ={"HTTP_HOST": "testserver"})
    Client().get("/datocms/emulator/_emulator/changes")
    assert not registry_dir().exists()


def test_a_registry_that_cannot_be_written_never_breaks_the_request(
    debug_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "file").write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "file"))  # a file: no folder under it
    register_from_request(
        WSGIHandler, environ={"HTTP_HOST": "127.0.0.1:1", "wsgi.url_scheme": "http"}
    )
    assert isinstance(site_registry._registered_pid, int)
