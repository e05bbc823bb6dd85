"""What a snapshot does with what the emulator cannot represent, against a fake DatoCMS.

``httpx.MockTransport`` plays DatoCMS's CMA (ids, timezone, environments, an external
``video`` field, fieldsets, a default ordering field, smart tags), its asset host and Mux
(a multivariant HLS playlist of absolute, signed URLs; a thumbnail of another size than the
video until asked for one). Each thing left out must be named in the report, and what is
written must load in the emulator.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import httpx
import pytest
from PIL import Image

from datocms_app import cma
from datocms_app.emulator.content import load_project
from datocms_app.emulator.snapshot import SnapshotError, take_snapshot
from tests.demo_content import DEMO_CONTENT_DIR

VIDEO = DEMO_CONTENT_DIR / "uploads" / "video-ocean" / "ocean-dawn.mp4"
SEGMENT = DEMO_CONTENT_DIR / "uploads" / "video-ocean" / "hls" / "segment0.ts"
PAGE, BLOCK = "PageModel1234", "QuoteModel5678"


def linkage(kind: str, identifier: str | None) -> dict[str, Any]:
    return {"data": {"type": kind, "id": identifier} if identifier else None}


def item_type(identifier: str, api_key: str, **attributes: Any) -> dict[str, Any]:
    relationships = {
        name: linkage("field", attributes.pop(name, None))
        for name in (
            "title_field",
            "presentation_title_field",
            "ordering_field",
            "image_preview_field",
        )
    }
    relationships["fieldsets"] = {"data": attributes.pop("fieldsets", [])}
    return {"id": identifier, "type": "item_type", "relationships": relationships,
            "attributes": {"api_key": api_key, "name": api_key.title(), "singleton": False,
                           "modular_block": False, "sortable": False, "tree": False,
                           "draft_mode_active": True, "all_locales_required": False,
                           **attributes}}  # fmt: skip


def field(identifier: str, model: str, api_key: str, field_type: str, position: int,
          **attributes: Any) -> dict[str, Any]:  # fmt: skip
    return {"id": identifier, "type": "field", "relationships": {"item_type": linkage(
        "item_type", model)}, "attributes": {"api_key": api_key, "field_type": field_type,
        "label": api_key, "localized": False, "validators": {}, "position": position,
        "appearance": {"editor": "x", "parameters": {}, "addons": []},
        "appeareance": {"editor": "x", "parameters": {}, "addons": []}, **attributes}}  # fmt: skip


SITE = {
    "data": {"id": "155", "type": "site", "attributes": {
        "name": "Remote", "locales": ["en", "en-GB"], "timezone": "Europe/London",
        "favicon": None, "no_index": True, "global_seo": None,
        "theme": {"type": "custom", "primary_color": {"red": 16, "green": 32, "blue": 48,
                                                       "alpha": 255}}}},
    "included": [
        item_type(PAGE, "page", title_field="F-title", presentation_title_field="F-title",
                  ordering_field="F-title", fieldsets=[{"type": "fieldset", "id": "FS1"}]),
        item_type(BLOCK, "quote", modular_block=True, draft_mode_active=False),
        field("F-body", PAGE, "body", "rich_text", 3, validators={"rich_text_blocks": {
            "item_types": [BLOCK]}}),
        field("F-title", PAGE, "title", "string", 1, localized=True),
        field("F-slug", PAGE, "slug", "slug", 2),
        field("F-promo", PAGE, "promo", "video", 4),
        field("F-clip", PAGE, "clip", "file", 5),
        field("F-quote", BLOCK, "quote", "text", 1),
    ],
}  # fmt: skip
ENVIRONMENTS = {"data": [
    {"id": "feature", "type": "environment", "meta": {"primary": False}},
    {"id": "production", "type": "environment", "meta": {"primary": True}},
]}  # fmt: skip
UPLOADS = {"data": [
    {"id": "9001", "type": "upload", "attributes": {
        "filename": "clip.mp4", "url": "https://www.datocms-assets.com/155/170-clip.mp4",
        "mux_playback_id": "Mux4PlayBack", "width": 640, "height": 360, "smart_tags": ["sea"],
        "tags": [], "default_field_metadata": {"en": {"alt": "Sea", "title": None,
                                                      "custom_data": {}, "focal_point": None},
                                               "fr": {"alt": "Mer"}},
        "created_at": "2024-02-01T10:00:00.123+00:00", "author": None}},
]}  # fmt: skip


def record(identifier: str, slug: str, **extra: Any) -> dict[str, Any]:
    return {"id": identifier, "type": "item",
            "attributes": {"title": {"en": slug.title(), "en-GB": None}, "slug": slug,
                           "promo": {"provider": "youtube", "provider_uid": "x"},
                           "clip": {"upload_id": "9001", "alt": None, "title": None,
                                    "focal_point": None, "custom_data": {}},
                           "body": [{"type": "item", "id": f"{identifier}-q",
                                     "attributes": {"quote": "Hello"},
                                     "relationships": {"item_type": linkage("item_type",
                                                                            BLOCK)}}],
                           **extra},
            "relationships": {"item_type": linkage("item_type", PAGE),
                              "creator": linkage("account", "1")},
            "meta": {"created_at": "2024-03-01T09:00:00.500+01:00", "status": "published",
                     "updated_at": "2024-03-01T09:00:00.500+01:00",
                     "published_at": "2024-03-01T09:00:00.500+01:00",
                     "first_published_at": "2024-03-01T09:00:00.500+01:00",
                     "current_version": "77", "stage": None}}  # fmt: skip


RECORDS = [record("rec-good", "hello-world"), record("rec-bad", "Not A Slug!")]
PLAYLIST = (
    "#EXTM3U\n"
    "#EXT-X-STREAM-INF:BANDWIDTH=800000,RESOLUTION=640x360\n"
    "https://manifest.mux.test/low.m3u8?sig=abc\n"
    "#EXT-X-STREAM-INF:BANDWIDTH=2000000,RESOLUTION=640x360\n"
    "https://manifest.mux.test/high/rendition.m3u8?sig=def\n"
)
RENDITION = (
    "#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXT-X-PLAYLIST-TYPE:VOD\n"
    "#EXTINF:2.0,\nhttps://chunk.mux.test/0.ts?sig=1\n"
    "#EXTINF:2.0,\nhttps://chunk.mux.test/1.ts?sig=2\n#EXT-X-ENDLIST\n"
)


def fake_datocms(tmp_path: Path, seen: list[str]) -> Callable[[httpx.Request], httpx.Response]:
    small, right = tmp_path / "small.jpg", tmp_path / "right.jpg"
    Image.new("RGB", (320, 180), (0, 0, 200)).save(small)
    Image.new("RGB", (640, 360), (0, 0, 200)).save(right)

    def handle(request: httpx.Request) -> httpx.Response:
        url = request.url
        seen.append(f"{request.method} {url.host}{url.path}")
        if url.host == "site-api.datocms.com":
            assert request.headers["authorization"] == "Bearer remote-token"
            query = parse_qs(url.query.decode())
            if url.path == "/site":
                return httpx.Response(200, json=SITE)
            if url.path == "/environments":
                return httpx.Response(200, json=ENVIRONMENTS)
            if url.path == "/uploads":
                return httpx.Response(200, json=UPLOADS)
            if url.path == "/items":
                return httpx.Response(
                    200, json={"data": RECORDS, "meta": {"total_count": len(RECORDS)}}
                )
            raise AssertionError(f"unexpected {url} {query}")
        assert "authorization" not in request.headers  # files never get the token
        if url.host == "www.datocms-assets.com":
            return httpx.Response(200, content=VIDEO.read_bytes())
        if url.host == "stream.mux.com":
            return httpx.Response(200, text=PLAYLIST)
        if url.host == "manifest.mux.test":
            return httpx.Response(200, text=RENDITION)
        if url.host == "chunk.mux.test":
            return httpx.Response(200, content=SEGMENT.read_bytes())
        if url.host == "image.mux.com":
            sized = url.params.get("width") == "640" and url.params.get("height") == "360"
            return httpx.Response(200, content=(right if sized else small).read_bytes())
        raise AssertionError(f"unexpected {url}")

    return handle


@pytest.fixture
def client(tmp_path: Path) -> tuple[cma.Client, list[str]]:
    seen: list[str] = []
    transport = httpx.MockTransport(fake_datocms(tmp_path, seen))
    return cma.Client(api_token="remote-token", transport=transport), seen


def test_what_cannot_be_represented_is_listed_and_the_rest_loads(
    client: tuple[cma.Client, list[str]], tmp_path: Path
) -> None:
    target = tmp_path / "content"
    report = take_snapshot(client[0], target)
    assert report.omissions == [
        "site timezone Europe/London: the emulator serves UTC (date-times keep their instant)",
        "field page.promo (video: external videos (YouTube, Vimeo, Facebook) are not "
        "emulated), and its values in records",
        "model page: records are ordered by 'title' by default on DatoCMS, by creation on the "
        "emulator (pass orderBy)",
        "model page: editor settings fieldsets",
        "upload 9001: smart tags sea",
        "record rec-bad (page): records/page/rec-bad.json.published.slug: 'Not A Slug!' is not "
        "a valid slug (lowercase letters, digits, '_' and single dashes, e.g. "
        "'my-first-post').",
    ]
    assert (report.uploads, report.videos, report.environment) == (1, 1, "production")
    site = json.loads((target / "site.json").read_text())
    assert site == {"name": "Remote", "locales": ["en", "en-GB"],
                    "environments": ["production", "feature"], "no_index": True,
                    "theme_color": "#102030"}  # fmt: skip
    schema = json.loads((target / "schema.json").read_text())
    page = schema["models"][0]
    assert [f["api_key"] for f in page["fields"]] == ["title", "slug", "body", "clip"]
    assert page["title_field"] == "title"
    assert page["fields"][2]["validators"] == {"rich_text_blocks": {"item_types": [BLOCK]}}
    assert "appeareance" not in page["fields"][0]
    good = json.loads((target / "records" / "page" / "rec-good.json").read_text())
    assert good == {
        "id": "rec-good", "item_type": "page",
        "meta": {"created_at": "2024-03-01T09:00:00.500+01:00",
                 "updated_at": "2024-03-01T09:00:00.500+01:00",
                 "published_at": "2024-03-01T09:00:00.500+01:00",
                 "first_published_at": "2024-03-01T09:00:00.500+01:00"},
        "published": {"title": {"en": "Hello-World", "en-GB": None}, "slug": "hello-world",
                      "body": [{"id": "rec-good-q", "item_type": "quote", "quote": "Hello"}],
                      "clip": {"upload_id": "9001", "alt": None, "title": None,
                               "focal_point": None, "custom_data": {}}},
    }  # fmt: skip
    uploads = json.loads((target / "uploads.json").read_text())
    assert uploads == [{
        "id": "9001", "path": "9001/clip.mp4",
        "default_field_metadata": {"en": {"alt": "Sea"}}, "tags": [],
        "created_at": "2024-02-01T10:00:00.123+00:00",
        "video": {"mux_playback_id": "Mux4PlayBack", "hls": "9001/hls/index.m3u8",
                  "poster": "9001/poster.jpg"},
    }]  # fmt: skip
    hls = target / "uploads" / "9001" / "hls"
    assert (hls / "index.m3u8").read_text() == (
        "#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXT-X-PLAYLIST-TYPE:VOD\n"
        "#EXTINF:2.0,\nsegment-0.ts\n#EXTINF:2.0,\nsegment-1.ts\n#EXT-X-ENDLIST\n"
    )
    assert "GET manifest.mux.test/high/rendition.m3u8" in client[1]  # the richest rendition
    assert "GET manifest.mux.test/low.m3u8" not in client[1]
    with Image.open(target / "uploads" / "9001" / "poster.jpg") as poster:
        assert poster.size == (640, 360)
    loaded = load_project(target)
    assert sorted(loaded.records) == ["rec-good"]
    assert loaded.uploads["9001"].video is not None


def test_a_video_whose_stream_cannot_be_fetched_stays_a_plain_file(
    client: tuple[cma.Client, list[str]], tmp_path: Path
) -> None:
    def refuse_mux(request: httpx.Request) -> httpx.Response:
        if request.url.host == "stream.mux.com":
            return httpx.Response(403, text="signed playback")
        return handle(request)

    handle = fake_datocms(tmp_path, [])
    with cma.Client(
        api_token="remote-token", transport=httpx.MockTransport(refuse_mux), max_retries=0
    ) as remote:
        report = take_snapshot(remote, tmp_path / "content")
    assert report.videos == 0
    assert report.omissions[5].startswith(
        "upload 9001: kept as a plain file, not a video: its stream could not be fetched from "
        "https://stream.mux.com ("
    )
    assert report.omissions[5].endswith("); pass the URL where its videos are served")
    assert "video" not in json.loads((tmp_path / "content" / "uploads.json").read_text())[0]


def test_a_dry_run_lists_the_same_and_downloads_nothing(
    client: tuple[cma.Client, list[str]], tmp_path: Path
) -> None:
    report = take_snapshot(client[0], tmp_path / "content", dry_run=True)
    assert len(report.omissions) == 6
    assert not (tmp_path / "content").exists()
    assert [line for line in client[1] if "datocms-assets" in line or "mux" in line] == []


def test_a_target_that_is_a_file_is_refused(
    client: tuple[cma.Client, list[str]], tmp_path: Path
) -> None:
    (tmp_path / "content").write_text("")
    with pytest.raises(SnapshotError) as refused:
        take_snapshot(client[0], tmp_path / "content")
    assert str(refused.value) == (
        f"{tmp_path / 'content'} is a file: name a directory for the content project."
    )
    assert client[1] == []
