"""A CMA answer's JSON is decoded once per call, and not kept on the response afterwards.

The retry loop (is a 2xx answer really JSON?) and the call's flow both read the body:
decoding it twice cost a large record's decoding time again on every call (``make bench``:
the client's overhead over a bare httpx request).
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from datocms_app import cma
from datocms_app.cma import answers

RECORD = {"data": {"id": "hWl-mnkWRYmMCSTq4z_piQ", "type": "item",
                   "attributes": {"title": "Hello"},
                   "relationships": {"item_type": {"data": {"type": "item_type", "id": "44"}}},
                   "meta": {"status": "published"}}}  # fmt: skip


def test_one_decoding_per_call(monkeypatch: pytest.MonkeyPatch) -> None:
    decoded: list[int] = []
    original = answers._decode

    def counting(response: httpx.Response) -> Any:
        decoded.append(1)
        return original(response)

    monkeypatch.setattr(answers, "_decode", counting)
    seen: list[httpx.Response] = []

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=json.dumps(RECORD).encode(),
                              headers={"content-type": "application/json"})  # fmt: skip

    class Keeping(httpx.MockTransport):
        def handle_request(self, request: httpx.Request) -> httpx.Response:
            response = super().handle_request(request)
            seen.append(response)
            return response

    with cma.Client(api_token="t", transport=Keeping(handler)) as client:
        record = client.items.find("hWl-mnkWRYmMCSTq4z_piQ")
    assert record["title"] == "Hello"
    assert decoded == [1]
    assert all("datocms_app.cma.body" not in response.extensions for response in seen)
