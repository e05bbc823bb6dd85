"""The embedded emulator: the default client with no token, the asset and video views,
settings."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from django.core.cache import cache
from django.test import Client

from datocms_app import cda
from datocms_app.cda import AsyncClient
from datocms_app.cda import Client as CDAClient
from datocms_app.emulator.changes import ContentEditor
from datocms_app.emulator.embedded import (
    EMBEDDED_ENDPOINT,
    AsyncEmulatorTransport,
    EmulatorTransport,
    client_options,
    get_emulator,
    reset_emulator,
)
from datocms_app.emulator.faults import Fault
from datocms_app.exceptions import ConfigurationError, ServiceUnavailable
from tests.demo_content import demo_datocms

HOME = "{ home { heroTitle heroArticle { slug } featuredArticles { slug } } }"


@pytest.fixture(autouse=True)
def fresh_emulator() -> Iterator[None]:
    reset_emulator()
    cache.clear()
    yield
    reset_emulator()


def test_default_client_without_token_reads_the_demo_content(settings: Any) -> None:
    settings.DATOCMS = demo_datocms()
    assert cda.query(HOME) == {
        "home": {
            "heroTitle": "Go somewhere. Pay attention.",
            "heroArticle": {"slug": "a-field-guide-to-harbour-towns"},
            "featuredArticles": [
                {"slug": "crossing-the-alps-on-foot"},
                {"slug": "a-field-guide-to-harbour-towns"},
                {"slug": "notes-from-the-open-ocean"},
            ],
        }
    }
    response = cda.execute("{ _allArticlesMeta { count } }")
    assert response.data == {"_allArticlesMeta": {"count": 7}}
    assert len(response.cache_tags) == 2
    assert response.request_id


def test_default_client_with_drafts_and_locale(settings: Any) -> None:
    settings.DATOCMS = demo_datocms(INCLUDE_DRAFTS=True)
    data = cda.query('{ article(locale: it, filter: {id: {eq: "open-ocean"}}) { title _status } }')
    assert data == {"article": {"title": "Appunti dall'oceano aperto (con balene)",
                                "_status": "updated"}}  # fmt: skip


@pytest.mark.anyio
async def test_async_default_client(settings: Any) -> None:
    settings.DATOCMS = demo_datocms()
    data = await cda.aquery('{ author(filter: {id: {eq: "ada"}}) { name } }')
    assert data == {"author": {"name": "Ada Fernández"}}


def test_client_options(settings: Any) -> None:
    settings.DATOCMS = demo_datocms(EMULATOR={"TOKENS": ["first", "second"]})
    sync = client_options(asynchronous=False)
    assert sync["api_token"] == "first"
    assert sync["endpoint"] == EMBEDDED_ENDPOINT
    assert isinstance(sync["transport"], EmulatorTransport)
    assert isinstance(client_options(asynchronous=True)["transport"], AsyncEmulatorTransport)
    assert get_emulator().tokens == ("first", "second")


ADA = '{ author(filter: {id: {eq: "ada"}}) { name } }'


def _rename_ada_in_the_current_emulator() -> None:
    ContentEditor(get_emulator().store).update_record("ada", {"name": "Ada F."}, publish=True)


def test_a_client_built_before_a_reset_talks_to_the_new_emulator(settings: Any) -> None:
    settings.DATOCMS = demo_datocms()
    with CDAClient(**client_options(asynchronous=False), max_retries=0) as client:
        assert client.query(ADA) == {"author": {"name": "Ada Fernández"}}
        reset_emulator()
        _rename_ada_in_the_current_emulator()
        assert client.query(ADA) == {"author": {"name": "Ada F."}}
        reset_emulator()
        get_emulator().faults.push(Fault.server_error(503))
        with pytest.raises(ServiceUnavailable):
            client.query(ADA)
        assert client.query(ADA) == {"author": {"name": "Ada Fernández"}}


@pytest.mark.anyio
async def test_an_async_client_built_before_a_reset_talks_to_the_new_emulator(
    settings: Any,
) -> None:
    settings.DATOCMS = demo_datocms()
    async with AsyncClient(**client_options(asynchronous=True), max_retries=0) as client:
        assert await client.query(ADA) == {"author": {"name": "Ada Fernández"}}
        reset_emulator()
        _rename_ada_in_the_current_emulator()
        assert await client.query(ADA) == {"author": {"name": "Ada F."}}
        reset_emulator()
        get_emulator().faults.push(Fault.server_error(503))
        with pytest.raises(ServiceUnavailable):
            await client.query(ADA)


def test_emulator_is_shared_and_follows_settings(settings: Any, tmp_path: Path) -> None:
    settings.DATOCMS = demo_datocms()
    first = get_emulator()
    assert get_emulator() is first
    assert first.assets_base == "/datocms/emulator/assets"
    assert first.video_base == "/datocms/emulator/video"
    settings.DATOCMS = demo_datocms(
        EMULATOR={"ASSETS_BASE": "https://cdn.test/assets", "VIDEO_BASE": "https://stream.test"}
    )
    second = get_emulator()
    assert second is not first
    assert second.assets_base == "https://cdn.test/assets"
    assert second.video_base == "https://stream.test"


def test_missing_content_dir_is_a_configuration_error(settings: Any, tmp_path: Path) -> None:
    settings.DATOCMS = {"EMULATOR": {"CONTENT_DIR": str(tmp_path)}}
    with pytest.raises(ConfigurationError) as error:
        get_emulator()
    assert str(error.value) == (
        f"settings.DATOCMS['EMULATOR']['CONTENT_DIR'] is {str(tmp_path)!r}, which holds no "
        "schema.json. Point it at a content project (see docs/emulator.md) or set "
        "DATOCMS['API_TOKEN'] to read your real DatoCMS project."
    )


def test_content_dir_is_required_even_beside_the_demo(settings: Any) -> None:
    # BASE_DIR is the demo's, which has project/content: the emulator must not serve it
    # unless the settings name it.
    assert (Path(settings.BASE_DIR) / "project" / "content" / "schema.json").is_file()
    settings.DATOCMS = {}
    with pytest.raises(ConfigurationError) as error:
        get_emulator()
    assert str(error.value) == (
        "No DatoCMS API token is configured, so the embedded emulator would serve content, but "
        "it has no content project: set settings.DATOCMS['EMULATOR']['CONTENT_DIR'] to a "
        "content project directory (see docs/emulator.md), or set settings.DATOCMS['API_TOKEN'] "
        "to a read-only token of your DatoCMS project."
    )
    with pytest.raises(ConfigurationError, match="it has no content project"):
        cda.query(HOME)


def test_asset_view_serves_demo_images(settings: Any) -> None:
    settings.DATOCMS = demo_datocms()
    data = cda.query(
        '{ upload: author(filter: {id: {eq: "ada"}}) { avatar { url(imgixParams: {w: 64}) } } }'
    )
    url = data["upload"]["avatar"]["url"]
    assert url == "/datocms/emulator/assets/author-ada/author-ada.jpg?w=64"
    response = Client().get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response.content.startswith(b"\xff\xd8")
    etag = response["ETag"]
    assert Client().get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert Client().head(url).content == b""
    assert Client().get("/datocms/emulator/assets/author-ada/other.jpg").status_code == 404
    bad = Client().get("/datocms/emulator/assets/author-ada/author-ada.jpg?w=x")
    assert bad.status_code == 400
    assert Client().post(url).status_code == 405


def test_video_view_serves_the_demo_video(settings: Any) -> None:
    settings.DATOCMS = demo_datocms()
    data = cda.query(
        '{ article(filter: {id: {eq: "open-ocean"}}) { content { blocks { '
        "... on VideoBlockRecord { video { video { streamingUrl mp4Url thumbnailUrl } } } } } } }"
    )
    (block,) = [b for b in data["article"]["content"]["blocks"] if b]
    base = "/datocms/emulator/video/OceanDawn8pQz2vLm5sK7dW01x"
    assert block["video"]["video"] == {
        "streamingUrl": f"{base}.m3u8",
        "mp4Url": f"{base}/high.mp4",
        "thumbnailUrl": f"{base}/thumbnail.jpg",
    }
    playlist = Client().get(f"{base}.m3u8")
    assert playlist.status_code == 200
    assert playlist["Content-Type"] == "application/vnd.apple.mpegurl"
    assert b"\nOceanDawn8pQz2vLm5sK7dW01x/segment0.ts\n" in playlist.content
    segment = Client().get(f"{base}/segment0.ts")
    assert (segment.status_code, segment["Content-Type"]) == (200, "video/mp2t")
    part = Client().get(f"{base}/high.mp4", HTTP_RANGE="bytes=0-7")
    assert part.status_code == 206
    assert part["Content-Range"] == "bytes 0-7/143759"
    assert part.content == b"\0\0\0\x20ftyp"
    assert Client().get(f"{base}/high.mp4", HTTP_RANGE="bytes=200000-").status_code == 416
    assert Client().get(f"{base}/high.mp4", HTTP_IF_NONE_MATCH=part["ETag"]).status_code == 304
    assert Client().head(f"{base}/high.mp4").content == b""
    thumbnail = Client().get(f"{base}/thumbnail.png?width=64")
    assert (thumbnail.status_code, thumbnail["Content-Type"]) == (200, "image/png")
    assert Client().get(f"{base}/thumbnail.png?width=x").status_code == 400
    assert Client().get("/datocms/emulator/video/Nope.m3u8").status_code == 404
    assert Client().post(f"{base}.m3u8").status_code == 405


def test_asset_view_is_off_with_a_real_token(settings: Any) -> None:
    # A loopback CDA that refuses connections: the demo's 404 page may query it.
    settings.DATOCMS = {"API_TOKEN": "real", "CDA_URL": "http://127.0.0.1:9/", "MAX_RETRIES": 0}
    response = Client().get("/datocms/emulator/assets/author-ada/author-ada.jpg")
    assert response.status_code == 404
    video = Client().get("/datocms/emulator/video/OceanDawn8pQz2vLm5sK7dW01x.m3u8")
    assert video.status_code == 404


def test_transport_reads_request_bodies_once(settings: Any) -> None:
    settings.DATOCMS = demo_datocms()
    transport = EmulatorTransport(get_emulator())
    with httpx.Client(transport=transport) as http:
        response = http.post(
            EMBEDDED_ENDPOINT, json={"query": "{ _site { locales } }"},
            headers={"Authorization": "Bearer emulator"},
        )  # fmt: skip
    assert response.json() == {"data": {"_site": {"locales": ["en", "it"]}}}


def test_checks(settings: Any, tmp_path: Path) -> None:
    from datocms_app.emulator.checks import check_content_project

    settings.DATOCMS = demo_datocms()
    assert check_content_project() == []
    settings.DATOCMS = {"API_TOKEN": "real", "EMULATOR": {"CONTENT_DIR": str(tmp_path)}}
    assert check_content_project() == []
    settings.DATOCMS = {}
    (unnamed,) = check_content_project()
    assert unnamed.id == "datocms.E030"
    assert unnamed.hint == (
        "Set DATOCMS['EMULATOR']['CONTENT_DIR'] to a content project, or DATOCMS['API_TOKEN'] "
        "to a read-only token."
    )
    settings.DATOCMS = {"EMULATOR": {"CONTENT_DIR": str(tmp_path)}}
    (missing,) = check_content_project()
    assert missing.id == "datocms.E030"
    (tmp_path / "schema.json").write_text('{"models": [{"api_key": "Bad"}]}')
    (broken,) = check_content_project()
    assert broken.id == "datocms.E031"
    assert broken.msg == (
        f"The emulator's content project {str(tmp_path)!r} does not load: schema.json: "
        "models[0].api_key: expected a snake_case API key, got 'Bad'."
    )


def test_checks_are_registered_by_the_app() -> None:
    from django.core import checks

    from datocms_app.emulator.checks import check_content_project, check_emulator_settings

    registered = checks.registry.registry.get_checks()
    assert check_content_project in registered
    assert check_emulator_settings in registered


def test_the_app_installs_its_offline_backend() -> None:
    from datocms_app.cda import hooks
    from datocms_app.emulator import offline_backend

    assert hooks.offline_backend() is offline_backend.client_options
