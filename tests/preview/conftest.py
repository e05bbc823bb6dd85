"""Fixtures of the preview tests: isolated caches, the fake CDA, a fake listen endpoint."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from datocms_app.cda import hooks
from tests.caching.support import _isolated_caches, cda_settings, fake_cda

__all__ = ["_isolated_caches", "cda_settings", "fake_cda", "fake_listen"]

SECRET = "preview-secret-4f1c"
LISTEN_URL = "http://listen.test/"


@dataclass
class FakeListen:
    """A Real-time Updates API behind an ``httpx.MockTransport``: records what it is sent and
    answers ``answer(request)`` (by default a new channel URL)."""

    requests: list[httpx.Request] = field(default_factory=list)
    answer: Callable[[httpx.Request], httpx.Response] | None = None

    def handler(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if self.answer is not None:
            return self.answer(request)
        channel = f"https://graphql-listen.datocms.com/channels/ch-{len(self.requests)}"
        return httpx.Response(200, json={"url": channel})

    @property
    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handler)

    def bodies(self) -> list[dict[str, Any]]:
        return [json.loads(request.content) for request in self.requests]


@pytest.fixture
def fake_listen() -> Iterator[FakeListen]:
    """A fake listen endpoint installed through ``hooks.install_listen_endpoint_factory``
    (the hook the emulator app fills), for any settings."""
    fake = FakeListen()
    transport = fake.transport

    def factory(conf: Any) -> hooks.ListenEndpoint:
        return hooks.ListenEndpoint(url=LISTEN_URL, api_token="listen-token", transport=transport)

    previous = hooks.install_listen_endpoint_factory(factory)
    try:
        yield fake
    finally:
        hooks.install_listen_endpoint_factory(previous)
