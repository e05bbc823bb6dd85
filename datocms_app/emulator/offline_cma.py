"""What the emulator app installs on the CMA client's hook: its in-process CMA.

With neither ``DATOCMS["API_TOKEN"]`` nor ``["CMA_API_TOKEN"]``, the site reads its content
from the embedded emulator; ``datocms_app.cma.get_client()`` then writes there too, through
the same in-process transport (``<embedded endpoint>/cma``, the first of the emulator's
``TOKENS``), so a form that creates records works offline and in tests. With an API token the
site reads DatoCMS, and writing to the emulator would change nothing it shows: the factory
answers None, and the missing CMA token is the configuration error it should be.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from datocms_app.conf import DatoCMSSettings
from datocms_app.emulator.conf import get_emulator_settings
from datocms_app.emulator.offline_backend import missing_dependencies

__all__ = ["cma_client_options"]

#: How long the client waits before asking for a job's result: the embedded emulator's jobs
#: take ``CMA_JOB_SECONDS`` (0.2 s by default), not the seconds DatoCMS's take.
POLL_INTERVAL = 0.05


def cma_client_options(conf: DatoCMSSettings, *, asynchronous: bool) -> Mapping[str, Any] | None:
    """``api_token``, ``base_url`` and ``transport`` of a client of the embedded emulator's
    CMA when it serves ``conf``'s content; None otherwise."""
    if conf.API_TOKEN or missing_dependencies():
        return None
    from datocms_app.emulator import embedded

    transport = embedded.AsyncEmulatorTransport() if asynchronous else embedded.EmulatorTransport()
    return {
        "api_token": get_emulator_settings().TOKENS[0],
        "base_url": embedded.EMBEDDED_ENDPOINT + "cma",
        "transport": transport,
        "poll_interval": POLL_INTERVAL,
    }
