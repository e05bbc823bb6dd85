"""Skip-or-fail for tests that need a system service.

On a developer's laptop a missing service (Redis, PostgreSQL, Varnish, Chromium...) skips the
test with a reason; under ``CI=true`` it fails, because ``.ci/run`` installs and starts every
service the suite needs.
"""

from __future__ import annotations

import os
import shutil
import socket

import pytest


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def require_service(name: str, available: bool, reason: str) -> None:
    """Skip (laptop) or fail (CI) the calling test when ``available`` is False."""
    if available:
        return
    message = f"{name} is not available: {reason}"
    if in_ci():
        pytest.fail(f"{message} (CI=true: .ci/run should have installed/started it)")
    pytest.skip(message)


def port_open(host: str, port: int, timeout: float = 0.5) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def require_redis() -> str:
    """The URL of the local Redis, or skip/fail."""
    require_service("Redis", port_open("127.0.0.1", 6379), "nothing listens on 127.0.0.1:6379")
    return "redis://127.0.0.1:6379"


def require_executable(name: str, path_hint: str = "") -> str:
    found = shutil.which(name) or (path_hint if path_hint and os.path.exists(path_hint) else "")
    require_service(name, bool(found), f"{name!r} is not installed (Debian package)")
    return found
