"""Video uploads: ``FileField.video`` (Mux's ``UploadVideoField``), its schema, cache tags,
and every mistake a content project can make declaring one.

The fixture project (``video_project`` in conftest) is the emulator's usual one plus the
upload ``vid`` (post ``p2``'s cover): the demo's committed video, copied.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from datocms_app.emulator import cache_tags, images
from datocms_app.emulator.content import load_project
from datocms_app.emulator.exceptions import ContentError
from datocms_app.emulator.server import Emulator

from .conftest import PLAYBACK_ID, UPLOADS, VIDEO_UPLOAD, write_video_project
from .test_schema import describe, type_ref

Run = Callable[..., Any]


@pytest.fixture
def run(video_emulator: Emulator) -> Run:
    def query(text: str, variables: dict[str, Any] | None = None, **options: Any) -> Any:
        result = video_emulator.execute(text, variables, **options)
        assert "errors" not in result.body, result.body["errors"]
        return result.body["data"]

    return query


# -- GraphQL -----------------------------------------------------------------------------------


def test_video_upload_fields(run: Run, video_project: Path) -> None:
    data = run(
        """{ post(filter: {id: {eq: "p2"}}) { cover {
            id url filename format mimeType size width height responsiveImage { src }
            blurhash
            video { muxPlaybackId muxAssetId streamingUrl mp4Url
                    high: mp4Url(res: high) medium: mp4Url(res: medium)
                    low: mp4Url(exactRes: low) both: mp4Url(res: high, exactRes: low)
                    thumbnailUrl jpg: thumbnailUrl(format: jpg) png: thumbnailUrl(format: png)
                    gif: thumbnailUrl(format: gif)
                    width height duration framerate alt title thumbhash } } } }"""
    )
    base = f"https://video.test/{PLAYBACK_ID}"
    assert data["post"]["cover"] == {
        "id": "vid",
        "url": "https://assets.test/vid/ocean-dawn.mp4",
        "filename": "ocean-dawn.mp4",
        "format": "mp4",
        "mimeType": "video/mp4",
        "size": 143759,
        "width": 640,
        "height": 360,
        "responsiveImage": None,
        "blurhash": None,
        "video": {
            "muxPlaybackId": PLAYBACK_ID,
            # Not declared: derived from the playback id, stable.
            "muxAssetId": "f29b80e6e12014e645299dcac888eb3c",
            "streamingUrl": f"{base}.m3u8",
            "mp4Url": f"{base}/high.mp4",
            "high": f"{base}/high.mp4",
            "medium": f"{base}/medium.mp4",
            "low": f"{base}/low.mp4",
            "both": f"{base}/low.mp4",
            "thumbnailUrl": f"{base}/thumbnail.jpg",
            "jpg": f"{base}/thumbnail.jpg",
            "png": f"{base}/thumbnail.png",
            "gif": f"{base}/thumbnail.gif",
            "width": 640,
            "height": 360,
            "duration": 4,
            "framerate": 24,
            "alt": "Dawn at sea",
            "title": "Sunrise",
            "thumbhash": None,
        },
    }
    assert (video_project / "uploads" / "clip" / "ocean-dawn.mp4").stat().st_size == 143759


def test_video_placeholders_come_from_the_poster(run: Run, video_project: Path) -> None:
    data = run('{ post(filter: {id: {eq: "p2"}}) { cover { video { blurhash blurUpThumb } } } }')
    poster = images.analyze(video_project / "uploads" / "clip" / "poster.jpg")
    assert data["post"]["cover"]["video"] == {
        "blurhash": poster.blurhash,
        "blurUpThumb": poster.base64,
    }
    assert len(poster.blurhash) == 28
    assert poster.base64.startswith("data:image/jpeg;base64,/9j/")


def test_video_alt_and_title_follow_locales_and_field_overrides(run: Run) -> None:
    data = run(
        '{ post(locale: it, filter: {id: {eq: "p2"}}) { cover { video { alt title '
        "en: alt(locale: en) } } } }"
    )
    assert data["post"]["cover"]["video"] == {"alt": "Alba in mare", "title": None,
                                              "en": "Dawn at sea"}  # fmt: skip


def test_images_have_no_video(run: Run) -> None:
    data = run(
        '{ post(filter: {id: {eq: "p1"}}) { cover { video { muxPlaybackId } } '
        "photos { id video { streamingUrl } } } }"
    )
    assert data == {
        "post": {
            "cover": {"video": None},
            "photos": [{"id": "up1", "video": None}, {"id": "up2", "video": None}],
        }
    }


def test_enum_arguments_are_checked(video_emulator: Emulator) -> None:
    result = video_emulator.execute(
        '{ post(filter: {id: {eq: "p2"}}) { cover { video { mp4Url(res: ultra) '
        "thumbnailUrl(format: webp) } } } }"
    )
    assert [error["message"] for error in result.body["errors"]] == [
        "Value 'ultra' does not exist in 'VideoMp4Res' enum.",
        "Value 'webp' does not exist in 'MuxThumbnailFormatType' enum.",
    ]
    assert "data" not in result.body


def test_upload_video_field_schema(run: Run) -> None:
    video = describe(run, "UploadVideoField")
    fields = {f["name"]: type_ref(f["type"]) for f in video["fields"]}
    assert fields == {
        "muxPlaybackId": "String!", "muxAssetId": "String!", "streamingUrl": "String!",
        "mp4Url": "String", "thumbnailUrl": "String!", "width": "IntType!",
        "height": "IntType!", "duration": "Int", "framerate": "Int", "alt": "String",
        "title": "String", "blurhash": "String", "thumbhash": "String", "blurUpThumb": "String",
    }  # fmt: skip
    arguments = {
        f["name"]: {a["name"]: (type_ref(a["type"]), a["defaultValue"]) for a in f["args"]}
        for f in video["fields"]
        if f["args"]
    }
    assert arguments == {
        "mp4Url": {"res": ("VideoMp4Res", None), "exactRes": ("VideoMp4Res", None)},
        "thumbnailUrl": {"format": ("MuxThumbnailFormatType", "jpg")},
        "alt": {"locale": ("SiteLocale", None), "fallbackLocales": ("[SiteLocale!]", None)},
        "title": {"locale": ("SiteLocale", None), "fallbackLocales": ("[SiteLocale!]", None)},
        "blurUpThumb": {"imgixParams": ("ImgixParams", None), "punch": ("Float!", "0.2"),
                        "quality": ("Int!", "10"), "size": ("Int!", "20")},
    }  # fmt: skip
    enums = {name: [v["name"] for v in describe(run, name)["enumValues"]]
             for name in ("VideoMp4Res", "MuxThumbnailFormatType")}  # fmt: skip
    assert enums == {"VideoMp4Res": ["low", "medium", "high"],
                     "MuxThumbnailFormatType": ["jpg", "png", "gif"]}  # fmt: skip
    file_field = {f["name"]: type_ref(f["type"]) for f in describe(run, "FileField")["fields"]}
    assert file_field["video"] == "UploadVideoField"


def test_a_video_query_carries_the_upload_tag(video_emulator: Emulator) -> None:
    query = '{ post(filter: {id: {eq: "p2"}}) { cover { video { streamingUrl } } } }'
    before = video_emulator.execute(query)
    assert cache_tags.upload_tag("vid") in before.tags
    change = video_emulator.changes.update_upload(
        "vid", default_field_metadata={"en": {"alt": "New alt"}}
    )
    assert cache_tags.upload_tag("vid") in change.tags
    # The video survives metadata edits.
    after = video_emulator.execute(query)
    assert after.body == before.body


# -- content mistakes -------------------------------------------------------------------------


def _load_with(tmp_path: Path, change: Callable[[dict[str, Any], Path], None]) -> None:
    upload = json.loads(json.dumps(VIDEO_UPLOAD))
    directory = write_video_project(tmp_path / "project", upload)
    change(upload, directory / "uploads" / "clip")
    uploads = [*UPLOADS, upload]
    (directory / "uploads.json").write_text(json.dumps(uploads))
    load_project(directory)


def _video(**changes: Any) -> Callable[[dict[str, Any], Path], None]:
    def change(upload: dict[str, Any], clip: Path) -> None:
        for key, value in changes.items():
            if value is None:
                del upload["video"][key]
            else:
                upload["video"][key] = value

    return change


def _file(name: str, content: bytes | str) -> Callable[[dict[str, Any], Path], None]:
    def change(upload: dict[str, Any], clip: Path) -> None:
        target = clip / name
        if isinstance(content, str):
            target.write_text(content)
        else:
            target.write_bytes(content)

    return change


def _upload(**changes: Any) -> Callable[[dict[str, Any], Path], None]:
    def change(upload: dict[str, Any], clip: Path) -> None:
        upload.update(changes)

    return change


def _playlist(text: str) -> Callable[[dict[str, Any], Path], None]:
    return _file("hls/index.m3u8", text)


def _small_poster(upload: dict[str, Any], clip: Path) -> None:
    Image.new("RGB", (320, 180)).save(clip / "poster.jpg")


def _clashing_segment(upload: dict[str, Any], clip: Path) -> None:
    shutil.copy(clip / "hls" / "segment0.ts", clip / "hls" / "high.mp4")
    text = (clip / "hls" / "index.m3u8").read_text().replace("segment0.ts", "high.mp4")
    (clip / "hls" / "index.m3u8").write_text(text)


WHERE = "uploads.json[2]"
VOD = "#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2.0,\n{}\n#EXT-X-ENDLIST\n"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (_video(width=640),
         f"{WHERE}.video: unknown key(s) width; known keys: hls, mux_asset_id, "
         "mux_playback_id, poster (width, height, duration and frame rate are read from the "
         "MP4)."),
        (_upload(video="clip"),
         f"{WHERE}.video: expected an object like {{\"mux_playback_id\": \"AbC123\", \"hls\": "
         "\"clip/hls/index.m3u8\", \"poster\": \"clip/poster.jpg\"}, got 'clip'."),
        (_video(mux_playback_id=None),
         f"{WHERE}.video.mux_playback_id: Mux playback ids are 1-64 ASCII letters and digits; "
         "got None."),
        (_video(mux_playback_id="has-dash"),
         f"{WHERE}.video.mux_playback_id: Mux playback ids are 1-64 ASCII letters and digits; "
         "got 'has-dash'."),
        (_video(mux_asset_id=""),
         f"{WHERE}.video.mux_asset_id: Mux asset ids are 1-64 ASCII letters and digits; got '' "
         "(leave it out for one derived from the playback id)."),
        (_upload(path="one.png"),
         f"{WHERE}.path: 'one.png' is not a video the emulator can read: it does not start "
         "with an 'ftyp' box: it is not an MP4 (ISO base media) file. A video upload's file is "
         "an MP4 with an H.264 video track (ffmpeg -i in.mov -c:v libx264 -pix_fmt yuv420p "
         "-movflags +faststart out.mp4)."),
        (_video(hls=None),
         f"{WHERE}.video.hls: None must name an .m3u8 playlist inside {{uploads}} (a path "
         "relative to uploads/)."),
        (_video(hls="clip/hls/missing.m3u8"),
         f"{WHERE}.video.hls: 'clip/hls/missing.m3u8' must name an .m3u8 playlist inside "
         "{uploads} (a path relative to uploads/)."),
        (_video(hls="clip/hls/segment0.ts"),
         f"{WHERE}.video.hls: 'clip/hls/segment0.ts' is not an .m3u8 playlist."),
        (_video(hls="../schema.json"),
         f"{WHERE}.video.hls: '../schema.json' must name an .m3u8 playlist inside {{uploads}} "
         "(a path relative to uploads/)."),
        (_playlist("segment0.ts\n"),
         f"{WHERE}.video.hls: the playlist 'index.m3u8' does not start with #EXTM3U: it is not "
         "an HLS playlist."),
        (_playlist(VOD.format("https://stream.mux.com/x/segment0.ts")),
         f"{WHERE}.video.hls: the playlist 'index.m3u8' names "
         "'https://stream.mux.com/x/segment0.ts': playlist URIs must be plain relative paths to "
         "files beside the playlist (the emulator serves them itself, offline)."),
        (_playlist(VOD.format("../ocean-dawn.mp4")),
         f"{WHERE}.video.hls: the playlist 'index.m3u8' names '../ocean-dawn.mp4', which is "
         "outside the playlist's folder."),
        (_playlist(VOD.format("segment9.ts")),
         f"{WHERE}.video.hls: the playlist 'index.m3u8' names 'segment9.ts', which does not "
         "exist."),
        (_playlist("#EXTM3U\n#EXTINF:2.0,\nsegment0.ts\n"),
         f"{WHERE}.video.hls: the playlist 'index.m3u8' has no #EXT-X-ENDLIST: a video "
         "upload's playlist is complete (VOD); write it with ffmpeg -hls_playlist_type vod."),
        (_playlist("#EXTM3U\n#EXT-X-ENDLIST\n"),
         f"{WHERE}.video.hls: the playlist 'index.m3u8' names no segments and no renditions."),
        (_clashing_segment,
         f"{WHERE}.video.hls: the playlist names high.mp4, which the emulator serves as the "
         "MP4 renditions and thumbnails; rename those files."),
        (_video(poster="clip/nope.jpg"),
         f"{WHERE}.video.poster: 'clip/nope.jpg' must name an image inside {{uploads}} (a path "
         "relative to uploads/)."),
        (_video(poster="clip/hls/index.m3u8"),
         f"{WHERE}.video.poster: 'index.m3u8' is not an image Pillow can read; the poster is a "
         "frame of the video saved as JPEG or PNG."),
        (_small_poster,
         f"{WHERE}.video.poster: 'poster.jpg' is 320x180, the video 640x360; the poster is a "
         "frame of the video at the video's size."),
    ],
)  # fmt: skip
def test_bad_video_declarations(tmp_path: Path, change: Any, message: str) -> None:
    with pytest.raises(ContentError) as error:
        _load_with(tmp_path, change)
    uploads = tmp_path / "project" / "uploads"
    assert str(error.value) == message.replace("{uploads}", str(uploads))


def test_playback_ids_are_unique(tmp_path: Path) -> None:
    directory = write_video_project(tmp_path)
    twin = {**VIDEO_UPLOAD, "id": "vid2"}
    (directory / "uploads.json").write_text(json.dumps([*UPLOADS, VIDEO_UPLOAD, twin]))
    with pytest.raises(ContentError) as error:
        load_project(directory)
    assert str(error.value) == (
        "uploads.json[3].video.mux_playback_id: 'Clip0123abcXYZ' is also the playback id of "
        "upload 'vid'."
    )


def test_webhook_payloads_carry_the_cma_video_attributes(video_emulator: Emulator) -> None:
    from datocms_app.emulator.events import upload_entity

    uploads = video_emulator.store.state.uploads
    attributes = upload_entity(uploads["vid"])["attributes"]
    assert {key: attributes[key] for key in (
        "width", "height", "duration", "frame_rate", "mux_playback_id", "mux_mp4_highest_res",
        "is_image", "mime_type", "filename", "format", "size",
    )} == {
        "width": 640, "height": 360, "duration": 4, "frame_rate": 24,
        "mux_playback_id": PLAYBACK_ID, "mux_mp4_highest_res": "high", "is_image": False,
        "mime_type": "video/mp4", "filename": "ocean-dawn.mp4", "format": "mp4", "size": 143759,
    }  # fmt: skip
    assert "mux_playback_id" not in upload_entity(uploads["up1"])["attributes"]
