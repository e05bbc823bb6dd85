from __future__ import annotations

import os
import random
from collections.abc import Iterator

import pytest

from datocms_app.cda import hooks


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
