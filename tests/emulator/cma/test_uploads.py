"""Uploads through the CMA: upload request, PUT, create (a job), then the CDA serves them."""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from PIL import Image

from datocms_app.emulator import cache_tags
from datocms_app.emulator.embedded import EmulatorTransport
from datocms_app.emulator.server import Emulator
from datocms_app.emulator.store import ContentStore
from tests.emulator.changes.receiver import Receiver, receiver
from tests.emulator.cma.conftest import BASE, HEADERS, TOKEN, api_error, error, job_result


def png(width: int = 30, height: int = 20) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (10, 120, 200)).save(buffer, format="PNG")
    return buffer.getvalue()


def request_upload(api: httpx.Client, filename: str) -> dict[str, Any]:
    response = api.post("/upload-requests", json={
        "data": {"type": "upload_request", "attributes": {"filename": filename}}})  # fmt: skip
    assert response.status_code == 201
    data: dict[str, Any] = response.json()["data"]
    return data


def put(emulator: Emulator, url: str, content: bytes) -> httpx.Response:
    # No CMA headers and no token: the URL is its own credential.
    with httpx.Client(transport=EmulatorTransport(emulator)) as storage:
        return storage.put(url, content=content, headers={"Content-Type": "image/png"})


def upload(
    api: httpx.Client, emulator: Emulator, content: bytes, **metadata: Any
) -> dict[str, Any]:
    permission = request_upload(api, "Holiday photo.png")
    assert put(emulator, permission["attributes"]["url"], content).status_code == 200
    job = api.post("/uploads", json={"data": {"type": "upload", "attributes": {
        "path": permission["id"], **metadata}}})  # fmt: skip
    result = job_result(api, job)
    assert result["status"] == 201, result
    created: dict[str, Any] = result["payload"]["data"]
    return created


def test_an_upload_request_is_a_put_target_on_the_emulator(api: httpx.Client) -> None:
    permission = request_upload(api, "../Holiday photo.png")
    key, name = permission["id"].strip("/").split("/")
    assert name == "Holiday-photo.png"
    assert permission == {
        "id": f"/{key}/Holiday-photo.png",
        "type": "upload_request",
        "attributes": {
            "url": f"http://cma.test/cma/upload-storage/{key}/Holiday-photo.png",
            "request_headers": {},
        },
    }


def test_upload_request_put_create_poll_then_the_cda(api: httpx.Client, emulator: Emulator) -> None:
    content = png()
    created = upload(
        api, emulator, content, author="Ann", tags=["sea"],
        default_field_metadata={"en": {"alt": "Blue", "title": "Sea"}, "it": {"alt": "Blu"}},
    )  # fmt: skip
    upload_id = created["id"]
    attributes = created["attributes"]
    assert {key: attributes[key] for key in (
        "size", "width", "height", "filename", "basename", "format", "mime_type", "md5",
        "is_image", "author", "tags", "default_field_metadata", "url", "mux_playback_id",
    )} == {
        "size": len(content), "width": 30, "height": 20, "filename": "Holiday-photo.png",
        "basename": "Holiday-photo", "format": "png", "mime_type": "image/png",
        "md5": hashlib.md5(content, usedforsecurity=False).hexdigest(), "is_image": True,
        "author": "Ann", "tags": ["sea"],
        "default_field_metadata": {"en": {"alt": "Blue", "title": "Sea"}, "it": {"alt": "Blu"}},
        "url": f"https://assets.test/{upload_id}/Holiday-photo.png", "mux_playback_id": None,
    }  # fmt: skip
    assert api.get(f"/uploads/{upload_id}").json()["data"] == created
    query = """query ($id: UploadId) {
      upload(filter: {id: {eq: $id}}) { id alt title url width
        responsiveImage(imgixParams: {w: 15}) { src width height alt } }
      allUploads(filter: {tags: {contains: "sea"}}) { id }
      _allUploadsMeta { count }
    }"""
    result = emulator.execute(query, {"id": upload_id})
    assert result.body == {"data": {
        "upload": {"id": upload_id, "alt": "Blue", "title": "Sea", "width": 30,
                   "url": f"https://assets.test/{upload_id}/Holiday-photo.png",
                   "responsiveImage": {
                       "src": f"https://assets.test/{upload_id}/Holiday-photo.png?w=15",
                       "width": 15, "height": 10, "alt": "Blue"}},
        "allUploads": [{"id": upload_id}],
        "_allUploadsMeta": {"count": 2},
    }}  # fmt: skip
    assert cache_tags.uploads_tag() in result.tags
    assert cache_tags.upload_tag(upload_id) in result.tags
    image = emulator.asset(upload_id, "Holiday-photo.png")
    assert image[0] == 200
    assert image[2] == content


def test_uploads_can_be_used_in_records(api: httpx.Client, emulator: Emulator) -> None:
    created = upload(api, emulator, png())
    portfolio = {"type": "item_type", "id": "portfolio"}
    body = {"data": {"type": "item", "attributes": {
        "title": "Pictures", "featured_image": {"upload_id": created["id"]},
        "gallery": [{"upload_id": created["id"], "alt": "Modern",
                     "focal_point": {"x": 0.3, "y": 0.2}, "custom_data": {"add_watermark": True}}]},
        "relationships": {"item_type": {"data": portfolio}}}}  # fmt: skip
    response = api.post("/items", json=body)
    assert response.status_code == 201
    assert response.json()["data"]["attributes"]["gallery"] == [
        {"upload_id": created["id"], "alt": "Modern", "title": None,
         "focal_point": {"x": 0.3, "y": 0.2}, "custom_data": {"add_watermark": True}}
    ]  # fmt: skip


def test_listing_uploads_with_filters(api: httpx.Client, emulator: Emulator) -> None:
    content = png(40, 40)
    created = upload(api, emulator, content, notes="square sea")
    digest = hashlib.md5(content, usedforsecurity=False).hexdigest()

    def ids(**params: str) -> list[str]:
        response = api.get("/uploads", params=params)
        assert response.status_code == 200, response.text
        return [entity["id"] for entity in response.json()["data"]]

    assert ids(**{"filter[fields][md5][eq]": digest}) == [created["id"]]
    assert ids(**{"filter[fields][type][eq]": "image", "order_by": "_created_at_DESC"}) == [
        created["id"], "photo"
    ]  # fmt: skip
    assert ids(**{"filter[fields][width][gt]": "50"}) == ["photo"]
    assert ids(**{"filter[fields][mime_type][eq]": "image/png", "order_by": "size_ASC"})[0] in (
        created["id"], "photo"
    )  # fmt: skip
    assert ids(**{"filter[query]": "square"}) == [created["id"]]
    assert ids(**{"filter[ids]": "photo"}) == ["photo"]
    counted = api.get("/uploads", params={"page[limit]": "1"})
    assert counted.json()["meta"] == {"total_count": 2}
    bad = api.get("/uploads", params={"filter[fields][colors][eq]": "red"})
    assert error(bad) == api_error(
        "INVALID_FILTER_FIELDS_PARAM",
        "Uploads cannot be filtered by 'colors' in the emulator; filters are: id, type, format, "
        "md5, mimeType, filename, basename, author, copyright, notes, alt, title, size, width, "
        "height, tags, smartTags, orientation, _createdAt, _updatedAt, AND, OR.",
    )


def test_upload_refusals(api: httpx.Client, emulator: Emulator) -> None:
    unknown = api.post("/uploads", json={"data": {"type": "upload", "attributes": {
        "path": "/nope/x.png"}}})  # fmt: skip
    assert unknown.status_code == 422
    assert error(unknown) == api_error(
        "INVALID_FIELD",
        "path '/nope/x.png' is not the id of an upload request whose file was PUT to its url: "
        "POST /upload-requests, PUT the file, then create the upload.",
        field="path",
        code="VALIDATION_INVALID",
    )
    permission = request_upload(api, "a.png")
    not_put = api.post("/uploads", json={"data": {"type": "upload", "attributes": {
        "path": permission["id"]}}})  # fmt: skip
    assert error(not_put)["details"]["field"] == "path"
    put(emulator, permission["attributes"]["url"], png())
    bad_metadata = api.post("/uploads", json={"data": {"type": "upload", "attributes": {
        "path": permission["id"], "default_field_metadata": {"es": {"alt": "x"}}}}})  # fmt: skip
    assert error(bad_metadata)["details"]["field"] == "default_field_metadata"
    stranger = put(emulator, "http://cma.test/cma/upload-storage/guessed/a.png", b"x")
    assert stranger.status_code == 404
    assert api.get("/uploads/nope").status_code == 404


@pytest.fixture
def hooked_emulator(cma_project: Path) -> Iterator[tuple[Emulator, Receiver]]:
    with receiver(200) as endpoint:
        emulator = Emulator(
            ContentStore.from_directory(cma_project), tokens=[TOKEN], cma_job_seconds=0.01,
            webhooks=[{"url": endpoint.url, "events": [
                {"entity_type": "upload", "event_types": ["create"]},
                {"entity_type": "cda_cache_tags", "event_types": ["invalidate"]}]}],
        )  # fmt: skip
        try:
            yield emulator, endpoint
        finally:
            emulator.close()


def test_creating_an_upload_sends_its_webhooks(hooked_emulator: tuple[Emulator, Receiver]) -> None:
    emulator, endpoint = hooked_emulator
    with httpx.Client(transport=EmulatorTransport(emulator), base_url=BASE, headers=HEADERS) as api:
        created = upload(api, emulator, png())
    emulator.webhooks.drain(5)
    calls = [json.loads(request.body) for request in endpoint.requests]
    assert [(c["entity_type"], c["event_type"]) for c in calls] == [
        ("upload", "create"), ("cda_cache_tags", "invalidate")
    ]  # fmt: skip
    assert calls[0]["entity"]["id"] == created["id"]
    assert sorted(calls[1]["entity"]["attributes"]["tags"]) == sorted(
        [cache_tags.upload_tag(created["id"]), cache_tags.uploads_tag()]
    )
