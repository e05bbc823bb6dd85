"""Fixtures every test folder shares.

Every test runs with its own, empty caches (``CACHES`` below: a local-memory default, a
counting one, a broken one and a dummy one), so no test sees another's entries.
"""

from __future__ import annotations

import os
import random
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import caches
from django.test import override_settings

from datocms_app.cda import hooks
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
    """A stand-in CDA on a loopback port (``tests.caching.fake_cda``)."""
    with FakeCDA().running() as fake:
        yield fake


@pytest.fixture
def cda_settings(fake_cda: FakeCDA) -> Iterator[dict[str, Any]]:
    """``settings.DATOCMS`` pointing at the fake CDA (module functions use it)."""
    conf = fake_cda.settings()
    with override_settings(DATOCMS=conf):
        yield conf


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def race_seed() -> int:
    """The seed of a race test's random delays, printed so that a failure can be replayed
    with ``DATOCMS_RACE_SEED=<seed>``."""
    seed = int(os.environ.get("DATOCMS_RACE_SEED") or random.SystemRandom().randrange(2**32))
    print(f"race seed {seed} (replay: DATOCMS_RACE_SEED={seed})")
    return seed


@pytest.fixture
def no_offline_backend() -> Iterator[None]:
    """A site without the emulator app: no offline backend on the client's hook."""
    installed = hooks.offline_backend()
    hooks.uninstall_offline_backend()
    try:
        yield
    finally:
        if installed is not None:
            hooks.install_offline_backend(installed)
