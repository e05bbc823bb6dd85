"""Downloading files for a snapshot through the CMA client's own HTTP pool.

The requests carry no token (the client sends its ``Authorization`` header to CMA requests
only), follow redirects and are retried as the client retries; a refusal is a ``CMAError``.
Through the client's transport, an in-process emulator answers them too.
"""

from __future__ import annotations

import math
from pathlib import Path

from datocms_app.cma import Client
from datocms_app.cma.protocol import Download, exchange

__all__ = ["Downloader"]


class Downloader:
    """Fetches URLs to files and counts the bytes."""

    def __init__(self, client: Client) -> None:
        self.client = client
        self.bytes = 0

    def fetch(self, url: str, destination: Path) -> Path:
        """Download ``url`` to ``destination`` (its folder is created)."""
        destination.parent.mkdir(parents=True, exist_ok=True)
        flow = exchange(Download(url=url, destination=destination), self.client.policy, math.inf)
        self.client.run(flow)
        self.bytes += destination.stat().st_size
        return destination
