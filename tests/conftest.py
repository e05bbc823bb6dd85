from __future__ import annotations

from collections.abc import Iterator

import pytest

from datocms_app.cda import hooks


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


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
