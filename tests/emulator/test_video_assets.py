"""The emulator's video URLs over HTTP: the HLS playlist and its segments, MP4 renditions
with range requests, thumbnails, and the answers to everything else."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urljoin

import pytest
from PIL import Image, ImageChops

from datocms_app.emulator.http_files import UNSATISFIABLE, parse_range
from datocms_app.emulator.server import Emulator, EmulatorRequest, EmulatorResponse
from datocms_app.emulator.store import ContentStore

from .conftest import PLAYBACK_ID

BASE = f"/video/{PLAYBACK_ID}"
MP4_SIZE = 143759


@pytest.fixture
def served(video_project: Path) -> Iterator[Emulator]:
    """The video project with its URLs on the emulator's own paths (as the server has them)."""
    emulator = Emulator(ContentStore.from_directory(video_project), tokens=["token"])
    yield emulator
    emulator.webhooks.close()


@pytest.fixture
def clip(video_project: Path) -> Path:
    return video_project / "uploads" / "clip"


def get(emulator: Emulator, url: str, method: str = "GET", **headers: str) -> EmulatorResponse:
    path, _, query = url.partition("?")
    request = EmulatorRequest(method, path, query, {k.replace("_", "-"): v for k, v in
                                                    headers.items()})  # fmt: skip
    return emulator.handle(request)


def etag_of(content: bytes) -> str:
    return '"' + hashlib.sha256(content).hexdigest()[:32] + '"'


def without_request_id(response: EmulatorResponse) -> list[tuple[str, str]]:
    assert response.header("x-request-id")
    return [(name, value) for name, value in response.headers if name != "x-request-id"]


def video_urls(emulator: Emulator) -> dict[str, str]:
    result = emulator.execute(
        '{ post(filter: {id: {eq: "p2"}}) { cover { video { streamingUrl '
        "high: mp4Url(res: high) medium: mp4Url(res: medium) low: mp4Url(res: low) "
        "thumbnailUrl } } } }"
    )
    urls: dict[str, str] = result.body["data"]["post"]["cover"]["video"]
    return urls


# -- HLS ---------------------------------------------------------------------------------------


def test_playlist_and_its_segments(served: Emulator, clip: Path) -> None:
    urls = video_urls(served)
    assert urls["streamingUrl"] == f"{BASE}.m3u8"
    response = get(served, urls["streamingUrl"])
    body = (
        "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:2\n#EXT-X-MEDIA-SEQUENCE:0\n"
        "#EXT-X-PLAYLIST-TYPE:VOD\n#EXTINF:2.000000,\n"
        f"{PLAYBACK_ID}/segment0.ts\n#EXTINF:2.000000,\n{PLAYBACK_ID}/segment1.ts\n"
        "#EXT-X-ENDLIST\n"
    ).encode()
    assert response.status == 200
    assert response.body == body
    assert without_request_id(response) == [
        ("Content-Type", "application/vnd.apple.mpegurl"),
        ("Cache-Control", "public, max-age=86400"),
        ("ETag", etag_of(body)),
        ("Access-Control-Allow-Origin", "*"),
        ("Content-Length", str(len(body))),
        ("Accept-Ranges", "bytes"),
    ]
    # Each URI resolves, relative to the playlist's URL, to its segment.
    uris = [line for line in body.decode().splitlines() if not line.startswith("#")]
    for uri, name in zip(uris, ["segment0.ts", "segment1.ts"], strict=True):
        url = urljoin("http://emulator.test" + urls["streamingUrl"], uri)
        assert url == f"http://emulator.test{BASE}/{name}"
        segment = get(served, url.removeprefix("http://emulator.test"))
        content = (clip / "hls" / name).read_bytes()
        assert (segment.status, segment.header("Content-Type")) == (200, "video/mp2t")
        assert segment.body == content
        assert segment.header("ETag") == etag_of(content)
        assert content[0] == 0x47  # an MPEG-TS sync byte


def test_playlist_uris_in_tags_are_rewritten_too() -> None:
    from datocms_app.emulator.hls import prefixed, rewrite_uris

    text = '#EXTM3U\n#EXT-X-MAP:URI="init.mp4"\n#EXTINF:2,\nseg 1.m4s\n#EXT-X-ENDLIST'
    assert rewrite_uris(text, prefixed("Abc")) == (
        '#EXTM3U\n#EXT-X-MAP:URI="Abc/init.mp4"\n#EXTINF:2,\nAbc/seg 1.m4s\n#EXT-X-ENDLIST\n'
    )


# -- MP4 ---------------------------------------------------------------------------------------


def test_every_mp4_rendition_is_the_uploaded_file(served: Emulator, clip: Path) -> None:
    content = (clip / "ocean-dawn.mp4").read_bytes()
    urls = video_urls(served)
    for resolution in ("low", "medium", "high"):
        assert urls[resolution] == f"{BASE}/{resolution}.mp4"
        response = get(served, urls[resolution])
        assert response.status == 200
        assert response.body == content
        assert without_request_id(response) == [
            ("Content-Type", "video/mp4"),
            ("Cache-Control", "public, max-age=86400"),
            ("ETag", etag_of(content)),
            ("Access-Control-Allow-Origin", "*"),
            ("Content-Length", str(MP4_SIZE)),
            ("Accept-Ranges", "bytes"),
        ]


@pytest.mark.parametrize(
    ("header", "first", "last"),
    [
        ("bytes=0-99", 0, 99),
        ("bytes=0-", 0, MP4_SIZE - 1),
        ("bytes=100-", 100, MP4_SIZE - 1),
        ("bytes=-10", MP4_SIZE - 10, MP4_SIZE - 1),
        (f"bytes=143700-{MP4_SIZE + 1000}", 143700, MP4_SIZE - 1),
        ("bytes=-999999", 0, MP4_SIZE - 1),
        ("Bytes = 5-5", 5, 5),
    ],
)
def test_range_requests_get_206(served: Emulator, clip: Path, header: str, first: int,
                                last: int) -> None:  # fmt: skip
    content = (clip / "ocean-dawn.mp4").read_bytes()
    response = get(served, f"{BASE}/high.mp4", range=header)
    assert response.status == 206
    assert response.body == content[first : last + 1]
    assert without_request_id(response) == [
        ("Content-Type", "video/mp4"),
        ("Cache-Control", "public, max-age=86400"),
        ("ETag", etag_of(content)),
        ("Access-Control-Allow-Origin", "*"),
        ("Content-Length", str(last - first + 1)),
        ("Accept-Ranges", "bytes"),
        ("Content-Range", f"bytes {first}-{last}/{MP4_SIZE}"),
    ]


@pytest.mark.parametrize(
    "header", [f"bytes={MP4_SIZE}-", "bytes=200000-300000", "bytes=9-2", "bytes=-0",
               "bytes=abc", "bytes=-", "bytes=1-2-3"]
)  # fmt: skip
def test_unsatisfiable_or_invalid_ranges_get_416(served: Emulator, header: str) -> None:
    response = get(served, f"{BASE}/high.mp4", range=header)
    body = f"Range Not Satisfiable: {header!r} of {MP4_SIZE} bytes.\n".encode()
    assert response.status == 416
    assert response.body == body
    assert without_request_id(response) == [
        ("Content-Type", "text/plain; charset=utf-8"),
        ("Content-Length", str(len(body))),
        ("Cache-Control", "no-store"),
        ("Access-Control-Allow-Origin", "*"),
        ("Content-Range", f"bytes */{MP4_SIZE}"),
    ]


@pytest.mark.parametrize("header", ["items=0-1", "bytes=0-1,4-5", ""])
def test_other_ranges_get_the_whole_file(served: Emulator, header: str) -> None:
    response = get(served, f"{BASE}/high.mp4", range=header)
    assert (response.status, len(response.body)) == (200, MP4_SIZE)
    assert response.header("Content-Range") is None


def test_if_range_and_if_none_match(served: Emulator, clip: Path) -> None:
    etag = etag_of((clip / "ocean-dawn.mp4").read_bytes())
    same = get(served, f"{BASE}/high.mp4", range="bytes=0-9", if_range=etag)
    assert (same.status, len(same.body)) == (206, 10)
    changed = get(served, f"{BASE}/high.mp4", range="bytes=0-9", if_range='"other"')
    assert (changed.status, len(changed.body)) == (200, MP4_SIZE)
    weak = get(served, f"{BASE}/high.mp4", range="bytes=0-9", if_range=f"W/{etag}")
    assert weak.status == 200
    cached = get(served, f"{BASE}/high.mp4", if_none_match=etag)
    assert (cached.status, cached.body) == (304, b"")
    assert cached.header("ETag") == etag


def test_the_uploads_own_url_answers_ranges_too(served: Emulator, clip: Path) -> None:
    content = (clip / "ocean-dawn.mp4").read_bytes()
    response = get(served, "/assets/vid/ocean-dawn.mp4", range="bytes=10-19")
    assert response.status == 206
    assert response.body == content[10:20]
    assert response.header("Content-Range") == f"bytes 10-19/{MP4_SIZE}"
    assert response.header("Content-Type") == "video/mp4"


def test_head_answers_without_a_body(served: Emulator) -> None:
    for url in (f"{BASE}.m3u8", f"{BASE}/high.mp4", f"{BASE}/thumbnail.jpg"):
        head, full = get(served, url, "HEAD"), get(served, url)
        assert (head.status, head.body) == (200, b"")
        assert head.header("Content-Length") == str(len(full.body))
    post = get(served, f"{BASE}/high.mp4", "POST")
    assert post.status == 405
    assert post.json()["data"][0]["attributes"]["details"]["message"] == ("Videos answer GET only.")


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("/video/Unknown42.m3u8", "Not found: no video with playback id 'Unknown42'."),
        ("/video/Unknown42/high.mp4", "Not found: no video with playback id 'Unknown42'."),
        ("/video/Unknown42/thumbnail.jpg", "Not found: no video with playback id 'Unknown42'."),
        (f"{BASE}", f"Not found: '{PLAYBACK_ID}'; the playlist is {PLAYBACK_ID}.m3u8."),
        (f"{BASE}/segment9.ts", f"Not found: the video '{PLAYBACK_ID}' has no file 'segment9.ts'."),
        (f"{BASE}/ultra.mp4", f"Not found: the video '{PLAYBACK_ID}' has no file 'ultra.mp4'."),
        (f"{BASE}/thumbnail.webp",
         f"Not found: the video '{PLAYBACK_ID}' has no file 'thumbnail.webp'."),
        (f"{BASE}/../../assets/up1/one.png",
         f"Not found: the video '{PLAYBACK_ID}' has no file '../../assets/up1/one.png'."),
    ],
)  # fmt: skip
def test_unknown_videos_and_files_are_404(served: Emulator, url: str, message: str) -> None:
    response = get(served, url)
    assert (response.status, response.body) == (404, (message + "\n").encode())
    assert response.header("Content-Type") == "text/plain; charset=utf-8"


# -- thumbnails --------------------------------------------------------------------------------


def image_of(response: EmulatorResponse) -> Image.Image:
    assert response.status == 200, response.body
    image = Image.open(io.BytesIO(response.body))
    image.load()
    return image


@pytest.mark.parametrize(
    ("query", "content_type", "pil_format", "size"),
    [
        ("thumbnail.jpg", "image/jpeg", "JPEG", (640, 360)),
        ("thumbnail.png", "image/png", "PNG", (640, 360)),
        ("thumbnail.gif", "image/gif", "GIF", (640, 360)),
        ("thumbnail.png?width=320", "image/png", "PNG", (320, 180)),
        ("thumbnail.jpg?height=90", "image/jpeg", "JPEG", (160, 90)),
        ("thumbnail.jpg?width=200&height=200", "image/jpeg", "JPEG", (200, 113)),
        ("thumbnail.jpg?width=200&height=200&fit_mode=preserve", "image/jpeg", "JPEG", (200, 113)),
        ("thumbnail.jpg?width=100&height=100&fit_mode=stretch", "image/jpeg", "JPEG", (100, 100)),
        ("thumbnail.jpg?width=100&height=100&fit_mode=crop", "image/jpeg", "JPEG", (100, 100)),
        ("thumbnail.jpg?width=100&height=100&fit_mode=smartcrop", "image/jpeg", "JPEG",
         (100, 100)),
        ("thumbnail.png?width=320&height=320&fit_mode=pad", "image/png", "PNG", (320, 320)),
    ],
)  # fmt: skip
def test_thumbnails(
    served: Emulator, query: str, content_type: str, pil_format: str, size: tuple[int, int]
) -> None:
    response = get(served, f"{BASE}/{query}")
    image = image_of(response)
    assert response.header("Content-Type") == content_type
    assert (image.format, image.size) == (pil_format, size)
    assert response.header("ETag") == etag_of(response.body)
    assert response.header("Cache-Control") == "public, max-age=86400"


def test_default_thumbnail_is_the_poster(served: Emulator, clip: Path) -> None:
    poster = (clip / "poster.jpg").read_bytes()
    assert get(served, f"{BASE}/thumbnail.jpg").body == poster
    # Mux's time picks a frame; there is one poster frame.
    assert get(served, f"{BASE}/thumbnail.jpg?time=1.5").body == poster


def test_pad_crop_and_flip(served: Emulator) -> None:
    padded = image_of(get(served, f"{BASE}/thumbnail.png?width=320&height=320&fit_mode=pad"))
    assert padded.convert("RGB").getpixel((5, 5)) == (0, 0, 0)
    assert padded.convert("RGB").getpixel((160, 310)) == (0, 0, 0)
    assert padded.convert("RGB").getpixel((160, 160)) != (0, 0, 0)
    plain = image_of(get(served, f"{BASE}/thumbnail.png")).convert("RGB")
    mirrored = image_of(get(served, f"{BASE}/thumbnail.png?flip_h=true")).convert("RGB")
    assert ImageChops.difference(mirrored, plain.transpose(Image.Transpose.FLIP_LEFT_RIGHT))\
        .getbbox() is None  # fmt: skip
    both = image_of(get(served, f"{BASE}/thumbnail.png?flip_h=true&flip_v=true")).convert("RGB")
    assert ImageChops.difference(both, plain.transpose(Image.Transpose.ROTATE_180))\
        .getbbox() is None  # fmt: skip
    cropped = image_of(get(served, f"{BASE}/thumbnail.png?width=360&height=360&fit_mode=crop"))
    # A centred square: the middle 360 columns of the 640 x 360 frame.
    assert ImageChops.difference(cropped.convert("RGB"), plain.crop((140, 0, 500, 360)))\
        .getbbox() is None  # fmt: skip


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("rotate=90", "'rotate' is not a thumbnail parameter the emulator renders; it renders "
         "width, height, fit_mode, time, flip_v, flip_h."),
        ("width=0", "width must be a whole number of pixels from 1 to 8192, got '0'."),
        ("width=12.5", "width must be a whole number of pixels from 1 to 8192, got '12.5'."),
        ("height=9000", "height must be a whole number of pixels from 1 to 8192, got '9000'."),
        ("width=10&width=20", "'width' is given more than once."),
        ("fit_mode=zoom", "fit_mode must be one of preserve, stretch, crop, smartcrop, pad, got "
         "'zoom'."),
        ("time=-1", "time must be a number of seconds, 0 or more, got '-1'."),
        ("time=soon", "time must be a number of seconds, 0 or more, got 'soon'."),
        ("flip_h=yes", "flip_h must be true or false, got 'yes'."),
    ],
)  # fmt: skip
def test_bad_thumbnail_parameters_are_400(served: Emulator, query: str, message: str) -> None:
    response = get(served, f"{BASE}/thumbnail.jpg?{query}")
    assert response.status == 400
    assert response.body == f"Bad thumbnail parameters: {message}\n".encode()


# -- parse_range -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "size", "expected"),
    [
        ("", 10, None), ("bytes=0-4", 10, (0, 4)), ("bytes=4-", 10, (4, 9)),
        ("bytes=-3", 10, (7, 9)), ("bytes=8-20", 10, (8, 9)), ("bytes=10-", 10, UNSATISFIABLE),
        ("bytes=0-0", 0, UNSATISFIABLE), ("bytes=-1", 0, UNSATISFIABLE),
        ("bytes=3-1", 10, UNSATISFIABLE), ("bytes=x", 10, UNSATISFIABLE),
        ("pages=1-2", 10, None), ("bytes=0-1, 3-4", 10, None),
    ],
)  # fmt: skip
def test_parse_range(header: str, size: int, expected: object) -> None:
    assert parse_range(header, size) == expected
