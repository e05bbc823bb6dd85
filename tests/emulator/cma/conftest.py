"""Fixtures of the CMA tests: the seeds' project, an emulator of it, an httpx client.

``api`` is an ``httpx.Client`` talking to the emulator's CMA in-process (the embedded
transport: the emulator's real ``handle``), with the headers a client must send;
``cma_client`` a ``datocms_app.cma.Client`` over the same transport. ``error``
reads the one ``api_error`` of a refusal; ``same_error`` compares a whole error body with the
random ``id`` of each entry checked and left out.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from datocms_app import cma
from datocms_app.emulator.changes import ContentEditor
from datocms_app.emulator.embedded import EmulatorTransport
from datocms_app.emulator.server import Emulator
from datocms_app.emulator.store import ContentStore
from tests.emulator.cma.project import write_cma_project

TOKEN = "cma-token"
ITALIAN_TOKEN = "italian-editor"
HEADERS = {
    "Authorization": f"Bearer {TOKEN}",
    "X-Api-Version": "3",
    "Accept": "application/json",
    "Content-Type": "application/vnd.api+json",
}
BASE = "http://cma.test/cma"


@pytest.fixture(scope="session")
def cma_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_cma_project(tmp_path_factory.mktemp("cma-project"))


@pytest.fixture
def emulator(cma_project: Path) -> Iterator[Emulator]:
    emulator = Emulator(
        ContentStore.from_directory(cma_project),
        tokens=[TOKEN, ITALIAN_TOKEN],
        token_locales={ITALIAN_TOKEN: ["it", "fr"]},
        cma_job_seconds=0.05,
        assets_base="https://assets.test",
    )
    yield emulator
    emulator.close()


@pytest.fixture
def cma_client(emulator: Emulator) -> Iterator[cma.Client]:
    """``datocms_app.cma.Client`` on the emulator's CMA, in-process; jobs polled quickly."""
    with cma.Client(
        api_token=TOKEN, base_url=BASE, transport=EmulatorTransport(emulator), poll_interval=0.02
    ) as client:
        yield client


@pytest.fixture
def api(emulator: Emulator) -> Iterator[httpx.Client]:
    with httpx.Client(
        transport=EmulatorTransport(emulator), base_url=BASE, headers=HEADERS
    ) as client:
        yield client


def item_type_ref(emulator: Emulator, api_key: str) -> dict[str, str]:
    return {"type": "item_type", "id": emulator.store.state.schema.models[api_key].id}


def new_item(api_key: str, emulator: Emulator, **attributes: Any) -> dict[str, Any]:
    """A ``POST /items`` body for a record of ``api_key``."""
    return {
        "data": {
            "type": "item",
            "attributes": attributes,
            "relationships": {"item_type": {"data": item_type_ref(emulator, api_key)}},
        }
    }


def changed_item(item_id: str, **attributes: Any) -> dict[str, Any]:
    return {"data": {"type": "item", "id": item_id, "attributes": attributes}}


def error(response: httpx.Response) -> dict[str, Any]:
    """The attributes of the refusal's only ``api_error``."""
    (entity,) = response.json()["data"]
    assert entity["type"] == "api_error"
    assert re.fullmatch(r"[0-9a-f]{6}", entity["id"])
    attributes: dict[str, Any] = entity["attributes"]
    return attributes


def errors(response: httpx.Response) -> list[dict[str, Any]]:
    """The attributes of every ``api_error`` of a refusal."""
    return [entity["attributes"] for entity in response.json()["data"]]


def api_error(code: str, message: str, /, **details: Any) -> dict[str, Any]:
    """The attributes the emulator answers for ``code``."""
    return {
        "code": code,
        "doc_url": f"https://www.datocms.com/docs/content-management-api/errors#{code}",
        "details": {**details, "message": message},
    }


def job_result(api: httpx.Client, job: httpx.Response, timeout: float = 5.0) -> dict[str, Any]:
    """Poll ``GET /job-results/:id`` as a client must (404 while running): the result."""
    assert job.status_code == 202, job.text
    job_id = job.json()["data"]["id"]
    deadline = time.monotonic() + timeout
    while True:
        answer = api.get(f"/job-results/{job_id}")
        if answer.status_code == 200:
            attributes: dict[str, Any] = answer.json()["data"]["attributes"]
            return attributes
        assert answer.status_code == 404, answer.text
        assert time.monotonic() < deadline, "the job never finished"
        time.sleep(0.01)


NOW = "2025-03-01T12:00:00+00:00"


@pytest.fixture
def frozen(emulator: Emulator) -> Emulator:
    """The emulator, its changes stamped at ``NOW`` (a later save a second after the last)."""
    emulator.changes = ContentEditor(
        emulator.store, clock=lambda: datetime(2025, 3, 1, 12, tzinfo=UTC)
    )
    return emulator
