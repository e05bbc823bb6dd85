from __future__ import annotations

import os
import random

import pytest


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
