"""Fixtures shared by tests/caching, tests/webhooks and tests/cdn (imported by their conftests)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import caches
from django.test import override_settings

from tests.caching.backends import CALLS
from tests.caching.fake_cda import FakeCDA

CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "t"},
    "counting": {"BACKEND": "tests.caching.backends.CountingLocMemCache", "LOCATION": "c"},
    "broken": {"BACKEND": "tests.caching.backends.BrokenCache"},
    "dummy": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
}


@pytest.fixture(autouse=True)
def _isolated_caches() -> Iterator[None]:
    with override_settings(CACHES=CACHES):
        for alias in ("default", "counting"):
            caches[alias].clear()
        CALLS.clear()
        yield
        for alias in ("default", "counting"):
            caches[alias].clear()


@pytest.fixture
def fake_cda() -> Iterator[FakeCDA]:
    with FakeCDA().running() as fake:
        yield fake


@pytest.fixture
def cda_settings(fake_cda: FakeCDA) -> Iterator[dict[str, Any]]:
    """``settings.DATOCMS`` pointing at the fake CDA (module functions use it)."""
    conf = fake_cda.settings()
    with override_settings(DATOCMS=conf):
        yield conf
