"""Without any token, ``datocms_app.cma.get_client()`` writes to the embedded emulator.

The emulator app installs its CMA on ``datocms_app.cma.hooks`` in ``ready()``: the module
clients then talk to the embedded emulator in-process (the same one the CDA client reads),
sync and async. With an API token the site reads DatoCMS, so the missing CMA token stays a
configuration error; with the hook uninstalled, so does no token at all.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.test import override_settings

from datocms_app import cda, cma
from datocms_app.cma import hooks
from datocms_app.conf import get_settings
from datocms_app.emulator.embedded import get_emulator, reset_emulator
from datocms_app.exceptions import ConfigurationError, InvalidArgument
from tests.emulator.cma.project import BOOK_ID, write_cma_project

NO_CMA_TOKEN = (
    "No Content Management API token: set settings.DATOCMS['CMA_API_TOKEN'] to a full-access "
    "API token, or one whose role may do what you ask (your DatoCMS project's Settings > API "
    "tokens). DATOCMS['API_TOKEN'] is the read-only token of the Content Delivery API and is "
    "never used to write."
)


@pytest.fixture
def offline(tmp_path: Path) -> Iterator[None]:
    content = write_cma_project(tmp_path / "content")
    with override_settings(DATOCMS={"EMULATOR": {"CONTENT_DIR": str(content),
                                                 "TOKENS": ["offline-token"]}}):  # fmt: skip
        yield
    reset_emulator()


def test_the_module_client_writes_to_the_embedded_emulator(offline: None) -> None:
    client = cma.get_client()
    assert repr(client) == "<Client http://emulator.invalid/cma environment=primary token=***>"
    book = client.items.create({"item_type": {"type": "item_type", "id": BOOK_ID},
                                "title": "Offline", "pages": 12})  # fmt: skip
    assert get_emulator().store.state.records[book["id"]].current.fields["title"] == "Offline"
    assert cda.query(f'{{ book(filter: {{id: {{eq: "{book["id"]}"}}}}) {{ title pages }} }}') == {
        "book": {"title": "Offline", "pages": 12}
    }


def test_the_async_module_client_too(offline: None) -> None:
    async def create() -> str:
        client = cma.get_async_client()
        record = await client.items.create({"item_type": {"type": "item_type", "id": BOOK_ID},
                                            "title": "Async"})  # fmt: skip
        return str(record["id"])

    record_id = asyncio.run(create())
    assert get_emulator().store.state.records[record_id].current.fields["title"] == "Async"


def test_an_api_token_leaves_the_cma_token_required(offline: None) -> None:
    with (
        override_settings(DATOCMS={"API_TOKEN": "read-only"}),
        pytest.raises(ConfigurationError) as refused,
    ):
        cma.get_client()
    assert str(refused.value) == NO_CMA_TOKEN


def test_without_the_hook_no_token_is_a_configuration_error(offline: None) -> None:
    previous = hooks.install_offline_backend(None)
    try:
        with pytest.raises(ConfigurationError) as refused:
            cma.client_options(get_settings())
        assert str(refused.value) == NO_CMA_TOKEN
    finally:
        hooks.install_offline_backend(previous)
    with pytest.raises(InvalidArgument) as refused_hook:
        hooks.install_offline_backend("emulator")  # type: ignore[arg-type]
    assert str(refused_hook.value) == (
        "install_offline_backend() takes a callable factory(conf, *, asynchronous) returning "
        "client options or None, got str."
    )
