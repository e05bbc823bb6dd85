"""``datocms_app.cma.Client`` against the emulated CMA, in-process (``EmulatorTransport``).

The same seeds' flows as DatoCMS's JS client runs in ``test_node_cma``: schema-checked
creates with blocks, an upload from a local file (request, PUT, job polling), optimistic
locking with ``update_with_retry``, paging, and the CMA's refusals as ``CMAError``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from datocms_app import cma
from datocms_app.emulator.embedded import EmulatorTransport
from datocms_app.emulator.server import Emulator
from datocms_app.exceptions import CMAError, InvalidPayload
from tests.emulator.cma.conftest import BASE, ITALIAN_TOKEN
from tests.emulator.cma.project import BOOK_ID, HERO_ID


@pytest.fixture
def client(cma_client: cma.Client) -> cma.Client:
    return cma_client


def test_create_with_blocks_and_an_upload(
    client: cma.Client, emulator: Emulator, tmp_path: Path
) -> None:
    picture = tmp_path / "2018-10-17-194326.jpg"
    Image.new("RGB", (80, 60), (10, 100, 200)).save(picture)
    upload = client.uploads.create_from_local_file(
        picture, default_field_metadata={"en": {"alt": "A blue picture"}}
    )
    assert upload["url"].endswith(f"/{upload['id']}/2018-10-17-194326.jpg")
    record = client.items.create({
        "item_type": {"type": "item_type", "id": emulator.store.state.schema.models[
            "landing_page"].id},
        "title": "Product Launch Landing Page",
        "sections": [
            cma.build_block_record(HERO_ID, headline="Revolutionary New Product",
                                   background_image={"upload_id": upload["id"]}),
        ],
    })  # fmt: skip
    nested = client.items.find(record["id"], nested=True)
    (hero,) = nested["sections"]
    assert hero["attributes"]["headline"] == "Revolutionary New Product"
    again = client.uploads.create_from_local_file(picture, skip_creation_if_already_exists=True)
    assert again["id"] == upload["id"]


def test_payloads_are_checked_against_the_emulators_schema(client: cma.Client) -> None:
    with pytest.raises(InvalidPayload):
        client.items.create({"item_type": {"type": "item_type", "id": BOOK_ID}, "titel": "x"})
    with pytest.raises(CMAError) as refused:
        client.items.create(
            {"item_type": {"type": "item_type", "id": BOOK_ID}, "titel": "x"}, validate=False
        )
    assert refused.value.find_error("INVALID_ATTRIBUTES") is not None


def test_update_with_retry_and_paging(client: cma.Client, emulator: Emulator) -> None:
    reads: list[int] = []

    def increment(record: cma.types.Record) -> dict[str, int]:
        reads.append(record["counter"])
        if len(reads) == 1:  # someone else saves in between, once: the first try is stale
            emulator.changes.update_record("counter", {"counter": 20})
        return {"counter": record["counter"] + 1}

    updated = client.items.update_with_retry("counter", increment)
    assert reads == [10, 20]
    assert updated["counter"] == 21
    authors = list(client.items.iterate(per_page=1, type="author"))
    assert [author["name"] for author in authors] == ["Cy", "Bob", "Ada"]


def test_a_limited_token_through_the_python_client(emulator: Emulator) -> None:
    with cma.Client(
        api_token=ITALIAN_TOKEN, base_url=BASE, transport=EmulatorTransport(emulator)
    ) as italian:
        with pytest.raises(CMAError) as refused:
            italian.items.update("blog", {"title": {"en": "No"}}, validate=False)
    assert refused.value.find_error("INSUFFICIENT_PERMISSIONS", field="title") is not None
