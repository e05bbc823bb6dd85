"""Client overhead: `Client.query` vs a bare `httpx.Client.post` on the same transport.

Both sides send the same query to the same in-process transport and decode the same JSON;
the ratio is the cost of our headers, error handling, retries bookkeeping and cache-tag
parsing. Target: time ratio <= 1.15 (ours / bare).
"""

from __future__ import annotations

import json

import httpx

from benchmarks._harness import Row, per_second
from datocms_app.cda import Client

BODY = json.dumps(
    {"data": {"allArticles": [{"id": str(n), "title": f"Article {n}"} for n in range(20)]}}
).encode()
HEADERS = {"content-type": "application/json", "x-cache-tags": "a1 b2 c3 d4", "x-request-id": "r"}
QUERY = "query { allArticles(first: 20) { id title } }"
URL = "https://graphql.datocms.com/"


def handler(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, content=BODY, headers=HEADERS)


def run() -> list[Row]:
    transport = httpx.MockTransport(handler)
    ours = Client(api_token="bench-token", transport=transport)
    bare = httpx.Client(transport=transport)
    bare_headers = {
        "Authorization": "Bearer bench-token",
        "Content-Type": "application/json",
        "X-Cache-Tags": "true",
    }

    def ours_call() -> object:
        return ours.query(QUERY, {"first": 20})

    def bare_call() -> object:
        response = bare.post(
            URL, json={"query": QUERY, "variables": {"first": 20}}, headers=bare_headers
        )
        return response.json()["data"]

    assert ours_call() == bare_call()
    # Interleave rounds so drift in machine load hits both sides alike.
    ours_rates, bare_rates = [], []
    for _ in range(3):
        ours_rates.append(per_second(ours_call, rounds=3))
        bare_rates.append(per_second(bare_call, rounds=3))
    ours_rate = sorted(ours_rates)[1]
    bare_rate = sorted(bare_rates)[1]
    ours.close()
    bare.close()
    # Report time per query so that the ratio reads "ours costs N x bare".
    return [
        Row(
            name="CDA client: time per query (in-process transport)",
            ours=1e6 / ours_rate,
            anchor=1e6 / bare_rate,
            unit="µs",
            anchor_name="bare httpx.Client.post + .json()",
            target="ratio <= 1.15",
            higher_is_better=False,
        )
    ]
