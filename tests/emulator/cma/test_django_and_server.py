"""The CMA where a site and the standalone server serve it, and its settings.

``/datocms/emulator/cma/...`` (``datocms_app.emulator.urls``) answers with the embedded
emulator while ``DEBUG`` is True and no API token is set; ``manage.py datocms_emulator``'s
server answers at ``/cma``, takes the upload storage's PUTs with a length or chunked, and
hands out upload URLs on itself.
"""

from __future__ import annotations

import http.client
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from django.test import Client
from PIL import Image

from datocms_app.emulator.conf import validate_emulator_keys
from datocms_app.emulator.embedded import get_emulator, reset_emulator
from datocms_app.emulator.httpserver import running
from datocms_app.emulator.server import Emulator
from datocms_app.emulator.store import ContentStore
from datocms_app.exceptions import ConfigurationError, InvalidArgument
from tests.emulator.cma.conftest import HEADERS, TOKEN, job_result

CMA_HEADERS = {
    "HTTP_AUTHORIZATION": f"Bearer {TOKEN}",
    "HTTP_X_API_VERSION": "3",
    "HTTP_ACCEPT": "application/json",
}


@pytest.fixture
def embedded(settings: Any, cma_project: Path) -> Iterator[Emulator]:
    settings.DATOCMS = {
        "EMULATOR": {"CONTENT_DIR": str(cma_project), "TOKENS": [TOKEN, "limited"],
                     "TOKEN_LOCALES": {"limited": ["it"]}, "CMA_JOB_SECONDS": 0.01},
    }  # fmt: skip
    reset_emulator()
    yield get_emulator()
    reset_emulator()


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (12, 8), (1, 2, 3)).save(buffer, format="PNG")
    return buffer.getvalue()


def test_the_site_serves_the_cma_in_development(embedded: Emulator, settings: Any) -> None:
    client = Client()
    assert client.get("/datocms/emulator/cma/site", **CMA_HEADERS).status_code == 404
    settings.DEBUG = True
    site = client.get("/datocms/emulator/cma/site", **CMA_HEADERS)
    assert site.status_code == 200
    assert site["X-Api-Version"] == "3"
    assert site.json()["data"]["attributes"]["name"] == "CMA tests"
    anonymous = client.get("/datocms/emulator/cma/site", HTTP_X_API_VERSION="3")
    assert anonymous.status_code == 401
    author = {"type": "item_type", "id": "author"}
    body = json.dumps({"data": {"type": "item", "attributes": {"name": "Dee"},
                                "relationships": {"item_type": {"data": author}}}})  # fmt: skip
    created = client.post("/datocms/emulator/cma/items", body,
                          content_type="application/vnd.api+json", **CMA_HEADERS)  # fmt: skip
    assert created.status_code == 201
    assert created.json()["data"]["id"] in embedded.store.state.records
    limited = client.put(
        "/datocms/emulator/cma/items/blog",
        json.dumps({"data": {"type": "item", "attributes": {"title": {"en": "x"}}}}),
        content_type="application/json", **{**CMA_HEADERS, "HTTP_AUTHORIZATION": "Bearer limited"},
    )  # fmt: skip
    assert limited.status_code == 403


def test_upload_urls_point_at_the_site(embedded: Emulator, settings: Any) -> None:
    settings.DEBUG = True
    client = Client()
    request = client.post(
        "/datocms/emulator/cma/upload-requests",
        json.dumps({"data": {"type": "upload_request", "attributes": {"filename": "a.png"}}}),
        content_type="application/json", **CMA_HEADERS,
    )  # fmt: skip
    permission = request.json()["data"]
    url = permission["attributes"]["url"]
    assert url.startswith("http://testserver/datocms/emulator/cma/upload-storage/")
    stored = client.put(url.removeprefix("http://testserver"), png(), content_type="image/png")
    assert stored.status_code == 200
    job = client.post(
        "/datocms/emulator/cma/uploads",
        json.dumps({"data": {"type": "upload", "attributes": {"path": permission["id"]}}}),
        content_type="application/json", **CMA_HEADERS,
    )  # fmt: skip
    assert job.status_code == 202
    embedded.cma.jobs.drain(5)
    (new,) = [u for u in embedded.store.state.uploads.values() if u.filename == "a.png"]
    result = client.get(f"/datocms/emulator/cma/uploads/{new.id}", **CMA_HEADERS).json()
    assert result["data"]["attributes"]["url"] == (
        f"http://testserver/datocms/emulator/assets/{new.id}/a.png"
    )


def test_the_standalone_server_serves_the_cma(cma_project: Path) -> None:
    emulator = Emulator(ContentStore.from_directory(cma_project), tokens=[TOKEN],
                        cma_job_seconds=0.01)  # fmt: skip
    with running(emulator) as server, httpx.Client(base_url=f"{server.url}cma",
                                                   headers=HEADERS) as api:  # fmt: skip
        wanted = {"data": {"type": "upload_request", "attributes": {"filename": "b.png"}}}
        permission = api.post("/upload-requests", json=wanted).json()
        url = permission["data"]["attributes"]["url"]
        assert url.startswith(f"{server.url}cma/upload-storage/")
        content = png()
        # A chunked PUT (what a streamed upload without a length sends).
        connection = http.client.HTTPConnection(server.host, server.port, timeout=10)
        connection.putrequest("PUT", url.removeprefix(server.url.rstrip("/")))
        connection.putheader("Transfer-Encoding", "chunked")
        connection.endheaders()
        for piece in (content[:10], content[10:]):
            connection.send(b"%x\r\n%s\r\n" % (len(piece), piece))
        connection.send(b"0\r\n\r\n")
        assert connection.getresponse().status == 200
        connection.close()
        job = api.post("/uploads", json={"data": {"type": "upload", "attributes": {
            "path": permission["data"]["id"]}}})  # fmt: skip
        created = job_result(api, job)["payload"]["data"]
        assert created["attributes"]["size"] == len(content)
        assert created["attributes"]["url"] == f"{server.url}assets/{created['id']}/b.png"
        assert httpx.get(created["attributes"]["url"]).content == content
    emulator.close()


def test_token_locales_settings_never_echo_a_token() -> None:
    with pytest.raises(ConfigurationError) as not_a_token:
        validate_emulator_keys({"EMULATOR": {"TOKENS": ["a"], "TOKEN_LOCALES": {"s3cr3t": ["en"]}}})
    assert "s3cr3t" not in str(not_a_token.value)
    assert "TOKEN_LOCALES: key #1 is not one of TOKENS" in str(not_a_token.value)
    with pytest.raises(ConfigurationError) as not_a_list:
        validate_emulator_keys({"EMULATOR": {"TOKENS": ["s3cr3t"],
                                             "TOKEN_LOCALES": {"s3cr3t": "en"}}})  # fmt: skip
    assert "s3cr3t" not in str(not_a_list.value)
    assert "the locales of key #1 must be a non-empty list of locale codes" in str(not_a_list.value)
    with pytest.raises(ConfigurationError):
        validate_emulator_keys({"EMULATOR": {"CMA_JOB_SECONDS": -1}})


def test_token_locales_must_be_the_projects(cma_project: Path) -> None:
    with pytest.raises(InvalidArgument) as caught:
        Emulator(ContentStore.from_directory(cma_project), tokens=["s3cr3t"],
                 token_locales={"s3cr3t": ["es"]})  # fmt: skip
    assert str(caught.value) == (
        "TOKEN_LOCALES: the locales of its key #1 must be a non-empty list of the project's "
        "locales (en, it, fr, de); got ['es']."
    )
