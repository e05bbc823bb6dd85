"""client.uploads: upload request -> PUT to storage (no token) -> create -> job, from a file or
a URL, and skip_creation_if_already_exists."""

from __future__ import annotations

import asyncio
import hashlib
import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from datocms_app.cma import CMAError
from datocms_app.exceptions import InvalidArgument
from tests.cma.fakes import TOKEN, FakeCMA, answer, api_error, errors, job, job_result

STORAGE = (
    "https://dato-images.s3-eu-west-1.amazonaws.com/7/1455102967-hero.jpg?X-Amz-Signature=secret"
)
UPLOAD = {
    "data": {
        "type": "upload",
        "id": "q0VNpiNQSkG6z0lif_O1zg",
        "attributes": {"path": "/7/1455102967-hero.jpg", "size": 9, "author": "New author!"},
    }
}
PERMISSION = {
    "data": {
        "type": "upload_request",
        "id": "/7/1455102967-hero.jpg",
        "attributes": {"url": STORAGE, "request_headers": {"x-amz-acl": "public-read"}},
    }
}


def upload_cma(stored: list[bytes]) -> FakeCMA:
    def storage(request: httpx.Request) -> httpx.Response:
        stored.append(request.read())
        return httpx.Response(200)

    return (
        FakeCMA()
        .on("POST", "/upload-requests", answer(201, PERMISSION))
        .on("PUT", "/7/1455102967-hero.jpg", storage)
        .on("POST", "/uploads", job("77"))
        .on(
            "GET",
            "/job-results/77",
            errors(404, api_error("NOT_FOUND")),
            job_result(201, UPLOAD, "77"),
        )
    )


METADATA: dict[str, Any] = {
    "author": "New author!",
    "copyright": "New copyright",
    "default_field_metadata": {
        "en": {
            "alt": "New default alt",
            "title": "New default title",
            "focal_point": {"x": 0.3, "y": 0.6},
            "custom_data": {"watermark": True},
        }
    },
}


def test_create_from_local_file_runs_the_four_round_trips(tmp_path: Path) -> None:
    local = tmp_path / "hero.jpg"
    local.write_bytes(b"JPEG-DATA")
    stored: list[bytes] = []
    cma = upload_cma(stored)
    with cma.client() as client:
        upload = client.uploads.create_from_local_file(local, **METADATA)
    assert upload == {
        "id": "q0VNpiNQSkG6z0lif_O1zg",
        "type": "upload",
        "path": "/7/1455102967-hero.jpg",
        "size": 9,
        "author": "New author!",
    }
    assert [(r.method, r.url.host, r.url.path) for r in cma.requests] == [
        ("POST", "site-api.datocms.com", "/upload-requests"),
        ("PUT", "dato-images.s3-eu-west-1.amazonaws.com", "/7/1455102967-hero.jpg"),
        ("POST", "site-api.datocms.com", "/uploads"),
        ("GET", "site-api.datocms.com", "/job-results/77"),
        ("GET", "site-api.datocms.com", "/job-results/77"),
    ]
    request_permission, put, create = cma.requests[:3]
    assert json.loads(request_permission.content) == {
        "data": {"type": "upload_request", "attributes": {"filename": "hero.jpg"}}
    }
    assert stored == [b"JPEG-DATA"]
    assert "authorization" not in put.headers  # the presigned URL is its own credential
    assert "x-api-version" not in put.headers
    assert put.headers["x-amz-acl"] == "public-read"
    assert put.headers["content-type"] == "image/jpeg"
    assert put.headers["content-length"] == "9"
    assert "transfer-encoding" not in put.headers  # S3 refuses chunked uploads
    assert json.loads(create.content) == {
        "data": {"type": "upload", "attributes": {"path": "/7/1455102967-hero.jpg", **METADATA}}
    }


def test_skip_creation_if_already_exists_looks_the_md5_up(tmp_path: Path) -> None:
    local = tmp_path / "hero.jpg"
    local.write_bytes(b"JPEG-DATA")
    existing = {"data": [UPLOAD["data"]], "meta": {"total_count": 1}}
    cma = FakeCMA().on("GET", "/uploads", answer(200, existing))
    with cma.client() as client:
        upload = client.uploads.create_from_local_file(local, skip_creation_if_already_exists=True)
    assert upload["id"] == "q0VNpiNQSkG6z0lif_O1zg"
    (lookup,) = cma.requests
    assert dict(lookup.url.params) == {
        "filter[fields][md5][eq]": hashlib.md5(b"JPEG-DATA").hexdigest(),
        "page[limit]": "1",
    }


def test_create_from_url_downloads_without_cma_headers_then_uploads(tmp_path: Path) -> None:
    stored: list[bytes] = []
    cma = (
        upload_cma(stored)
        .on(
            "GET",
            "/800/600",
            httpx.Response(302, headers={"location": "https://fastly.picsum.photos/a/hero.jpg"}),
        )
        .on("GET", "/a/hero.jpg", httpx.Response(200, content=b"REMOTE-JPEG"))
    )
    with cma.client() as client:
        upload = client.uploads.create_from_url(
            "https://picsum.photos/800/600", filename="hero.jpg"
        )
    assert upload["id"] == "q0VNpiNQSkG6z0lif_O1zg"
    download, redirected = cma.requests[:2]
    assert "authorization" not in download.headers
    assert "authorization" not in redirected.headers
    assert stored == [b"REMOTE-JPEG"]
    assert json.loads(cma.requests[2].content)["data"]["attributes"] == {"filename": "hero.jpg"}


def test_a_failed_download_or_storage_put_is_a_cma_error_without_the_signature(
    tmp_path: Path,
) -> None:
    cma = FakeCMA().on(
        "GET",
        "/missing.png",
        httpx.Response(404, content=b"Not Found", headers={"content-type": "text/plain"}),
    )
    with cma.client() as client, pytest.raises(CMAError) as info:
        client.uploads.create_from_url("https://example.com/missing.png")
    assert str(info.value) == (
        "GET https://example.com/missing.png answered HTTP 404 with Content-Type text/plain "
        "(9 bytes, beginning 'Not Found')."
    )

    local = tmp_path / "hero.jpg"
    local.write_bytes(b"x")
    cma = (
        FakeCMA()
        .on("POST", "/upload-requests", answer(201, PERMISSION))
        .on(
            "PUT",
            "/7/1455102967-hero.jpg",
            httpx.Response(
                403,
                content=b"<Error>AccessDenied</Error>",
                headers={"content-type": "application/xml"},
            ),
        )
    )
    with cma.client() as client, pytest.raises(CMAError) as info:
        client.uploads.create_from_local_file(local)
    assert "X-Amz-Signature" not in str(info.value)
    assert TOKEN not in str(info.value)
    assert str(info.value).startswith(
        "PUT https://dato-images.s3-eu-west-1.amazonaws.com/7/1455102967-hero.jpg answered HTTP 403"
    )


def test_the_async_client_streams_the_file(tmp_path: Path) -> None:
    local = tmp_path / "hero.jpg"
    local.write_bytes(b"A" * 200_000)
    stored: list[bytes] = []
    cma = upload_cma(stored)

    async def scenario() -> dict[str, Any]:
        async with cma.async_client() as client:
            return await client.uploads.create_from_local_file(local)

    assert asyncio.run(scenario())["id"] == "q0VNpiNQSkG6z0lif_O1zg"
    assert stored == [b"A" * 200_000]
    assert cma.requests[1].headers["content-length"] == "200000"


def test_bad_upload_arguments(tmp_path: Path) -> None:
    with FakeCMA().client() as client:
        with pytest.raises(InvalidArgument, match="No file at"):
            client.uploads.create_from_local_file(tmp_path / "nope.jpg")
        local = tmp_path / "a.jpg"
        local.write_bytes(b"x")
        with pytest.raises(InvalidArgument) as info:
            client.uploads.create_from_local_file(local, alt="x")
        assert str(info.value) == (
            "An upload takes no alt; it takes copyright, author, notes, default_field_metadata, "
            "tags, upload_collection."
        )
        with pytest.raises(InvalidArgument, match="default_field_metadata is a dict per locale"):
            client.uploads.create_from_local_file(local, default_field_metadata={"alt": "x"})
        with pytest.raises(InvalidArgument, match="url must be an http"):
            client.uploads.create_from_url("ftp://example.com/a.png")
