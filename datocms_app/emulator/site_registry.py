"""Which development server holds the embedded emulator of a content project.

An embedded emulator lives in the memory of the process that serves the site, so a change
made from another terminal must reach that process. Each DEBUG site whose embedded emulator
serves its content (no API token) and that mounts the emulator's URLs registers itself on
the first request it serves: the base URL of its changes endpoint (scheme, host and port of
that request, plus where ``datocms_app.emulator.urls`` is mounted) and its pid, in a small
JSON file named after the content project, in the user's cache folder
(``$XDG_CACHE_HOME`` or ``~/.cache``, ``%LOCALAPPDATA%`` on Windows, then
``datocms-app/emulator-sites/``). ``manage.py datocms_emulator_change`` without ``--url``
asks ``running_sites(content_dir)`` and sends the change to the newest one that answers;
entries whose process is gone are deleted on the way.

Only development servers register: ``DEBUG`` on, no API token, a real WSGI or ASGI server
(never Django's test client), once per process. The files hold a URL and a pid, never a
token. Registering is best effort and must never break a request: a folder that cannot be
written only means the command will not find the server (it says so).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.handlers.asgi import ASGIHandler
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_started
from django.urls import reverse

from datocms_app.conf import get_settings
from datocms_app.emulator.conf import get_emulator_settings
from datocms_app.exceptions import InvalidArgument

__all__ = [
    "RunningSite",
    "connect",
    "forget",
    "project_key",
    "register",
    "registry_dir",
    "running_sites",
]

logger = logging.getLogger("datocms_app.emulator")

#: The path of the changes endpoint under the emulator's URLs (``remote.ADMIN_PATH``).
_CHANGES_PATH = "_emulator/changes"
_registered_pid: int | None = None


@dataclass(frozen=True, slots=True)
class RunningSite:
    """A registered server: the base ``url`` of its emulator's URLs and its ``pid``."""

    url: str
    pid: int
    content_dir: str
    registered_at: float
    path: Path


def registry_dir() -> Path:
    """The folder of the registry files (the user's cache folder)."""
    if os.name == "nt" and os.environ.get("LOCALAPPDATA"):
        base = Path(os.environ["LOCALAPPDATA"])
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "datocms-app" / "emulator-sites"


def project_key(content_dir: str | Path) -> str:
    """The name under which servers of the content project ``content_dir`` register."""
    if not isinstance(content_dir, str | Path) or not str(content_dir):
        raise InvalidArgument(f"content_dir must be a folder path, got {content_dir!r}.")
    resolved = str(Path(content_dir).expanduser().resolve())
    return hashlib.sha256(resolved.encode()).hexdigest()[:16]


def register(url: str, content_dir: str | Path, *, pid: int | None = None) -> Path:
    """Record that process ``pid`` (default: this one) serves ``content_dir``'s emulator at
    ``url``; returns the registry file. Raises ``OSError`` when it cannot be written."""
    if not isinstance(url, str) or not url.startswith(("http://", "https://")):
        raise InvalidArgument(f"url must be an http(s) URL, got {url!r}.")
    pid = os.getpid() if pid is None else pid
    folder = registry_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{project_key(content_dir)}-{pid}.json"
    entry = {
        "url": url,
        "pid": pid,
        "content_dir": str(Path(content_dir).expanduser().resolve()),
        "registered_at": time.time(),
    }
    # Written aside, then renamed: a reader never sees half a file.
    partial = path.with_suffix(".tmp")
    partial.write_text(json.dumps(entry), encoding="utf-8")
    os.replace(partial, path)
    return path


def forget(site: RunningSite) -> None:
    """Delete a registry entry (its server is gone)."""
    site.path.unlink(missing_ok=True)


def running_sites(content_dir: str | Path) -> list[RunningSite]:
    """Registered servers of ``content_dir`` whose process is alive, newest first (never
    this process). Entries of processes that are gone, or unreadable, are deleted."""
    folder = registry_dir()
    found: list[RunningSite] = []
    for path in sorted(folder.glob(f"{project_key(content_dir)}-*.json")):
        try:
            entry = json.loads(path.read_text(encoding="utf-8"))
            site = RunningSite(
                url=str(entry["url"]),
                pid=int(entry["pid"]),
                content_dir=str(entry["content_dir"]),
                registered_at=float(entry["registered_at"]),
                path=path,
            )
        except (OSError, ValueError, KeyError, TypeError):
            path.unlink(missing_ok=True)
            continue
        if site.pid == os.getpid():
            continue
        if not _alive(site.pid):
            forget(site)
            continue
        found.append(site)
    return sorted(found, key=lambda site: site.registered_at, reverse=True)


def _alive(pid: int) -> bool:
    if os.name == "nt":
        # os.kill(pid, 0) would end the process on Windows: the endpoint's answer decides.
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


# -- registering a running server -----------------------------------------------------------


def connect() -> None:
    """Register this process on the first request it serves (the emulator app's ready())."""
    request_started.connect(register_from_request, dispatch_uid="datocms_emulator_site_registry")


def register_from_request(sender: Any, **kwargs: Any) -> None:
    """``request_started`` receiver: the first request of a development server registers it."""
    global _registered_pid
    if _registered_pid == os.getpid() or not _is_server(sender):
        return
    # Once per process, whatever comes of it (a fork registers anew: its pid differs).
    _registered_pid = os.getpid()
    try:
        content_dir = get_emulator_settings().CONTENT_DIR
        if not settings.DEBUG or get_settings().API_TOKEN or content_dir is None:
            return
        origin = _origin(kwargs)
        if origin is None:
            return
        base = reverse("datocms_emulator:changes").removesuffix(_CHANGES_PATH)
        path = register(origin + base, content_dir)
    except Exception:
        # A request must never fail for this; the URLconf's own errors show on the request.
        logger.debug("This server could not register its embedded emulator", exc_info=True)
        return
    logger.debug("Registered the embedded emulator's changes endpoint in %s", path)


def _is_server(sender: Any) -> bool:
    return isinstance(sender, type) and issubclass(sender, WSGIHandler | ASGIHandler)


def _origin(kwargs: dict[str, Any]) -> str | None:
    """``scheme://host:port`` of the request a ``request_started`` signal announces."""
    environ = kwargs.get("environ")
    if isinstance(environ, dict):
        host = environ.get("HTTP_HOST") or (
            f"{environ.get('SERVER_NAME')}:{environ.get('SERVER_PORT')}"
        )
        return f"{environ.get('wsgi.url_scheme', 'http')}://{host}"
    scope = kwargs.get("scope")
    if isinstance(scope, dict):
        headers = dict(scope.get("headers") or [])
        host_header = headers.get(b"host")
        server = scope.get("server")
        if host_header:
            host = host_header.decode("latin-1")
        elif server:
            host = f"{server[0]}:{server[1]}"
        else:
            return None
        return f"{scope.get('scheme', 'http')}://{host}"
    return None
