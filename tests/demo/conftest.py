"""The demo's tests run with the demo's settings (``tests.demo.settings``)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.test import override_settings
from django.utils import translation
from pytest_django.live_server_helper import LiveServer

from tests.demo import settings as demo_settings

# Settings that cannot change while the process runs (databases), or that the root conftest
# already gives every test (its own caches).
_FIXED = frozenset({"DATABASES", "CACHES"})


def demo_overrides() -> dict[str, Any]:
    """The demo's settings that differ from the library tests' ones."""
    overrides = {}
    for name in dir(demo_settings):
        if not name.isupper() or name in _FIXED:
            continue
        value = getattr(demo_settings, name)
        if getattr(settings, name, object()) != value:
            overrides[name] = value
    return overrides


@pytest.fixture(scope="module", autouse=True)
def demo_site() -> Iterator[None]:
    """The demo's settings, for every test of the module (before its servers start)."""
    with override_settings(**demo_overrides()):
        yield


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    """``LocaleMiddleware`` activates each request's language for the rest of the thread: an
    Italian page must not leak into the next test."""
    yield
    translation.deactivate()


@pytest.fixture(scope="module")
def live_server(demo_site: None) -> Iterator[LiveServer]:
    """pytest-django's live server, started under the demo's settings (its handler loads the
    middleware when it starts), one per module."""
    server = LiveServer("127.0.0.1:0")
    yield server
    server.stop()
