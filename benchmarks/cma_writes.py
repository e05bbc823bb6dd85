"""The CMA client: records created per second against the emulator, and its overhead.

Three rows:

- **Records created per second** through ``datocms_app.cma`` (``client.items.create``, the
  payload checked against the schema) against an emulator of the CMA tests' project, over
  its in-process transport; anchor: the same JSON:API body POSTed with a bare
  ``httpx.Client`` on the same transport, its JSON decoded. The emulator's own work (checking
  and storing the record, webhooks off) is in both; the ratio is what the client adds.
- **Client overhead, GET /items/:id**: ``client.items.find`` against a bare ``httpx.Client``
  GET with the CMA's headers and ``.json()``, both on an ``httpx.MockTransport`` answering
  the record the emulator answers: a small book (4 fields) and one of the demo's articles
  (structured text, two locales), as the CDA client's row answers 20 articles. Why this
  call: it is the client's most frequent request (``find``, and the read of every
  ``update_with_retry``), it is not checked against the
  schema, so it is the same work on both sides — one request, one JSON decoding — plus what
  the client adds (its flow, error and retry bookkeeping, the simple shape), as the CDA
  client's row measures a query; and a mock transport keeps the server's cost out of the
  ratio. Target: ratio <= 1.15, like the CDA client.
- **Client overhead, create (schema-checked)**: the same comparison for ``items.create``,
  for information: the schema check is work the bare request does not do.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import httpx

from benchmarks._harness import Row, per_second
from datocms_app import cma
from datocms_app.emulator.embedded import EmulatorTransport
from datocms_app.emulator.server import Emulator
from project.content.artwork import paint_missing_images
from tests.demo_content import DEMO_CONTENT_DIR
from tests.emulator.cma.project import BOOK_ID, write_cma_project

TOKEN = "bench-cma-token"
BASE = "http://emulator.invalid/cma"
HEADERS = {
    "Authorization": f"Bearer {TOKEN}",
    "Accept": "application/json",
    "X-Api-Version": "3",
    "Content-Type": "application/vnd.api+json",
}
#: A magazine article of the demo: structured text with blocks, two locales.
ARTICLE = "alps-crossing"
PAYLOAD = {"title": "The JavaScript Guide", "genre": "Programming", "pages": 450,
           "synopsis": "A comprehensive guide to modern JavaScript."}  # fmt: skip


def _median_of_interleaved(ours: Any, bare: Any) -> tuple[float, float]:
    """Median rates of three interleaved rounds (machine drift hits both sides alike)."""
    ours_rates, bare_rates = [], []
    for _ in range(3):
        ours_rates.append(per_second(ours, rounds=3, seconds=0.2))
        bare_rates.append(per_second(bare, rounds=3, seconds=0.2))
    return sorted(ours_rates)[1], sorted(bare_rates)[1]


def creates_against_the_emulator(content: Path) -> Row:
    emulator = Emulator.from_directory(content, tokens=[TOKEN], cma_job_seconds=0.01)
    transport = EmulatorTransport(emulator)
    client = cma.Client(api_token=TOKEN, base_url=BASE, transport=transport)
    bare = httpx.Client(transport=transport, headers=HEADERS)
    item_type = {"type": "item_type", "id": BOOK_ID}
    body = json.dumps({"data": {"type": "item", "attributes": PAYLOAD,
                                "relationships": {"item_type": {"data": item_type}}}})  # fmt: skip

    def ours() -> object:
        return client.items.create({"item_type": item_type, **PAYLOAD})

    def plain() -> object:
        response = bare.post(f"{BASE}/items", content=body)
        assert response.status_code == 201
        return response.json()

    ours()
    ours_rate, bare_rate = _median_of_interleaved(ours, plain)
    client.close()
    bare.close()
    emulator.close()
    return Row(
        name="CMA: records created per second (emulator, in-process transport)",
        ours=ours_rate,
        anchor=bare_rate,
        unit="/s",
        anchor_name="bare httpx POST /items + .json(), same emulator",
        target="informational (the emulator's work is in both)",
        higher_is_better=True,
    )


def overhead_rows(content: Path) -> list[Row]:
    emulator = Emulator.from_directory(content, tokens=[TOKEN])
    with cma.Client(api_token=TOKEN, base_url=BASE, transport=EmulatorTransport(emulator)) as c:
        record = c.items.create({"item_type": {"type": "item_type", "id": BOOK_ID}, **PAYLOAD})
        schema = c.schema()
    emulator.close()
    paint_missing_images(DEMO_CONTENT_DIR)  # the demo's pictures are not committed
    demo = Emulator.from_directory(DEMO_CONTENT_DIR, tokens=[TOKEN])
    with cma.Client(api_token=TOKEN, base_url=BASE, transport=EmulatorTransport(demo)) as c:
        article = c.call("GET", f"/items/{ARTICLE}")
    demo.close()
    answers = {
        record["id"]: json.dumps({"data": {
            "id": record["id"], "type": "item",
            "attributes": {key: record[key] for key in PAYLOAD},
            "relationships": {"item_type": {"data": record["item_type"]},
                              "creator": {"data": record["creator"]}},
            "meta": record["meta"],
        }}).encode(),
        ARTICLE: json.dumps(article).encode(),
    }  # fmt: skip

    def handler(request: httpx.Request) -> httpx.Response:
        status = 201 if request.method == "POST" else 200
        answer = answers.get(request.url.path.rpartition("/")[2], answers[record["id"]])
        return httpx.Response(status, content=answer, headers={"content-type": "application/json"})

    transport = httpx.MockTransport(handler)
    client = cma.Client(api_token=TOKEN, base_url=BASE, transport=transport, schema=schema)
    bare = httpx.Client(transport=transport, headers=HEADERS)
    item_type = {"type": "item_type", "id": BOOK_ID}
    body = json.dumps({"data": {"type": "item", "attributes": PAYLOAD,
                                "relationships": {"item_type": {"data": item_type}}}})  # fmt: skip
    sizes = {key: f"{len(answer) / 1000:.1f} kB" for key, answer in answers.items()}
    rows = []
    for what, ours, plain, target in (
        (f"GET /items/:id, a book ({sizes[record['id']]})",
         lambda: client.items.find(record["id"]),
         lambda: bare.get(f"{BASE}/items/{record['id']}").json(), "ratio <= 1.15"),
        (f"GET /items/:id, an article ({sizes[ARTICLE]})",
         lambda: client.items.find(ARTICLE),
         lambda: bare.get(f"{BASE}/items/{ARTICLE}").json(), "ratio <= 1.15"),
        ("create, schema-checked (a book)",
         lambda: client.items.create({"item_type": item_type, **PAYLOAD}),
         lambda: bare.post(f"{BASE}/items", content=body).json(), "informational"),
    ):  # fmt: skip
        ours()
        ours_rate, bare_rate = _median_of_interleaved(ours, plain)
        rows.append(
            Row(
                name=f"CMA client: time per {what} (mock transport)",
                ours=1e6 / ours_rate,
                anchor=1e6 / bare_rate,
                unit="µs",
                anchor_name="bare httpx.Client request + .json()",
                target=target,
                higher_is_better=False,
            )
        )
    client.close()
    bare.close()
    return rows


def run() -> list[Row]:
    with tempfile.TemporaryDirectory(prefix="bench-cma-") as directory:
        content = write_cma_project(Path(directory))
        return [creates_against_the_emulator(content), *overhead_rows(content)]
