"""The standalone emulator on a loopback socket, and ``manage.py datocms_emulator``."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from django.core.management import CommandError, call_command

from datocms_app.emulator.faults import Fault
from datocms_app.emulator.httpserver import EmulatorHTTPServer, running
from datocms_app.emulator.server import Emulator
from datocms_app.emulator.store import ContentStore

AUTH = {"Authorization": "Bearer token", "X-Cache-Tags": "true"}


@pytest.fixture
def server(store: ContentStore) -> Iterator[EmulatorHTTPServer]:
    emulator = Emulator(store, tokens=["token"])
    try:
        with running(emulator) as started:
            yield started
    finally:
        emulator.webhooks.close()


def test_serves_the_cda_and_assets_on_a_free_port(server: EmulatorHTTPServer) -> None:
    assert server.url == f"http://127.0.0.1:{server.port}/"
    assert server.emulator.assets_base == f"http://127.0.0.1:{server.port}/assets"
    with httpx.Client() as http:
        response = http.post(server.url, json={"query": "{ page { title } }"}, headers=AUTH)
        assert response.status_code == 200
        assert response.json() == {"data": {"page": {"title": "The page"}}}
        assert len(response.headers["x-cache-tags"].split()) == 3
        assert response.headers["x-request-id"]
        # Same connection (keep-alive), next request.
        cover = http.post(
            server.url, headers=AUTH,
            json={"query": '{ post(filter: {id: {eq: "p2"}}) { cover { url(imgixParams: {w: 10}) } } }'},  # noqa: E501
        ).json()["data"]["post"]["cover"]["url"]  # fmt: skip
        assert cover == f"{server.emulator.assets_base}/up2/two.png?w=10"
        image = http.get(cover)
        assert image.status_code == 200
        assert image.headers["content-type"] == "image/png"
        assert http.head(cover).content == b""
        denied = http.post(server.url, json={"query": "{ page { id } }"})
        assert denied.status_code == 401
        assert denied.json()["data"][0]["attributes"]["code"] == "INVALID_AUTHORIZATION_HEADER"


def test_serves_videos(video_project: Path) -> None:
    emulator = Emulator(ContentStore.from_directory(video_project), tokens=["token"])
    try:
        with running(emulator) as server, httpx.Client() as http:
            assert emulator.video_base == f"http://127.0.0.1:{server.port}/video"
            query = '{ post(filter: {id: {eq: "p2"}}) { cover { video { streamingUrl } } } }'
            response = http.post(server.url, json={"query": query}, headers=AUTH)
            url = response.json()["data"]["post"]["cover"]["video"]["streamingUrl"]
            assert url == f"{emulator.video_base}/Clip0123abcXYZ.m3u8"
            playlist = http.get(url)
            assert playlist.headers["content-type"] == "application/vnd.apple.mpegurl"
            segment = http.get(httpx.URL(url).join("Clip0123abcXYZ/segment1.ts"))
            assert (segment.status_code, len(segment.content)) == (200, 80652)
            part = http.get(f"{emulator.video_base}/Clip0123abcXYZ/low.mp4",
                            headers={"Range": "bytes=-4"})  # fmt: skip
            assert (part.status_code, part.headers["content-range"]) == (
                206, "bytes 143755-143758/143759"
            )  # fmt: skip
    finally:
        emulator.webhooks.close()


def test_dropped_connection(server: EmulatorHTTPServer) -> None:
    server.emulator.faults.push(Fault.disconnect())
    with httpx.Client() as http:
        with pytest.raises(httpx.RemoteProtocolError):
            http.post(server.url, json={"query": "{ page { id } }"}, headers=AUTH)
        ok = http.post(server.url, json={"query": "{ page { id } }"}, headers=AUTH)
    assert ok.status_code == 200


def test_latency_meets_a_real_socket_timeout(server: EmulatorHTTPServer) -> None:
    server.emulator.faults.push(Fault.latency(1.0))
    with httpx.Client(timeout=0.1) as http, pytest.raises(httpx.ReadTimeout):
        http.post(server.url, json={"query": "{ page { id } }"}, headers=AUTH)


def test_oversized_and_malformed_requests(server: EmulatorHTTPServer) -> None:
    with httpx.Client() as http:
        response = http.post(server.url, content=b"{", headers=AUTH)
        assert response.status_code == 422
        assert response.json()["data"][0]["attributes"]["code"] == "INVALID_JSON_BODY"
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as raw:
        raw.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000000\r\n\r\n")
        assert raw.recv(100).startswith(b"HTTP/1.1 413 ")


def test_command_rejects_bad_arguments(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match=r"is not a content project: it has no schema\.json"):
        call_command("datocms_emulator", "--content", str(tmp_path), "--port", "0")
    with pytest.raises(CommandError, match="--port must be between 0 and 65535"):
        call_command("datocms_emulator", "--port", "70000")
    with pytest.raises(CommandError, match="--token cannot be blank"):
        call_command("datocms_emulator", "--token", " ")


def test_command_reports_a_busy_port(project_path: Path, server: EmulatorHTTPServer) -> None:
    with pytest.raises(CommandError, match=f"Cannot listen on 127.0.0.1:{server.port}"):
        call_command("datocms_emulator", "--content", str(project_path), "--port",
                     str(server.port))  # fmt: skip
