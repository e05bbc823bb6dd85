"""The HTTP answer for upload URLs: exact statuses, headers and bodies."""

from __future__ import annotations

import hashlib
import re
import tempfile
from pathlib import Path

import pytest

from datocms_app.emulator.images import TransformCache, asset_response, default_transform_cache
from tests.demo_content import demo_datocms


def test_original_file_without_parameters(quadrants_jpg: Path, cache: TransformCache) -> None:
    body = quadrants_jpg.read_bytes()
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    assert asset_response(quadrants_jpg, "", cache=cache) == (
        200,
        [
            ("Content-Type", "image/jpeg"),
            ("Content-Length", str(len(body))),
            ("Cache-Control", "public, max-age=86400"),
            ("ETag", etag),
            ("Access-Control-Allow-Origin", "*"),
            # The file as is answers range requests (tests/emulator/test_videos.py).
            ("Accept-Ranges", "bytes"),
        ],
        body,
    )
    assert cache.stats.renders == 0
    # imgix's client-library marker changes nothing.
    assert asset_response(quadrants_jpg, "ixlib=react-9.0", cache=cache)[2] == body


def test_any_upload_is_served_as_is(tmp_path: Path, cache: TransformCache) -> None:
    path = tmp_path / "brochure.pdf"
    path.write_bytes(b"%PDF-1.4\n")
    status, headers, body = asset_response(path, "", cache=cache)
    assert (status, dict(headers)["Content-Type"], body) == (200, "application/pdf", b"%PDF-1.4\n")
    status, headers, body = asset_response(path, "w=100", cache=cache)
    assert (status, body) == (
        400,
        b"imgix parameters apply to images only; 'brochure.pdf' is not one.\n",
    )


def test_rendition_headers(quadrants_png: Path, cache: TransformCache) -> None:
    status, headers, body = asset_response(
        quadrants_png, "w=100&auto=format", accept="image/webp,*/*", cache=cache
    )
    assert status == 200
    assert body[8:12] == b"WEBP"
    names = [name for name, _ in headers]
    assert names == [
        "Content-Type",
        "Content-Length",
        "Cache-Control",
        "ETag",
        "Vary",
        "Access-Control-Allow-Origin",
    ]
    values = dict(headers)
    assert values["Content-Type"] == "image/webp"
    assert values["Content-Length"] == str(len(body))
    assert values["Vary"] == "Accept"
    assert re.fullmatch(r'"[0-9a-f]{32}"', values["ETag"])
    # Another Accept, another rendition, another ETag.
    _, png_headers, png_body = asset_response(quadrants_png, "w=100&auto=format", cache=cache)
    assert png_body[:4] == b"\x89PNG"
    assert dict(png_headers)["ETag"] != values["ETag"]
    # Without auto=format there is nothing to vary on.
    _, plain_headers, _ = asset_response(quadrants_png, "w=100", cache=cache)
    assert "Vary" not in dict(plain_headers)


def test_download_name(quadrants_png: Path, cache: TransformCache) -> None:
    _, headers, _ = asset_response(quadrants_png, "w=10&dl=my%20photo.png", cache=cache)
    assert dict(headers)["Content-Disposition"] == 'attachment; filename="my photo.png"'


def test_conditional_requests(quadrants_png: Path, cache: TransformCache) -> None:
    _, headers, _ = asset_response(quadrants_png, "w=10", cache=cache)
    etag = dict(headers)["ETag"]
    assert asset_response(quadrants_png, "w=10", if_none_match=etag, cache=cache) == (
        304,
        [("Cache-Control", "public, max-age=86400"), ("ETag", etag)],
        b"",
    )
    assert (
        asset_response(quadrants_png, "w=10", if_none_match=f'"other", W/{etag}', cache=cache)[0]
        == 304
    )
    assert asset_response(quadrants_png, "w=10", if_none_match='"other"', cache=cache)[0] == 200


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (
            "w=wide",
            "Bad imgix parameters: imgix parameter w (imgixParams.w) must be a number greater "
            "than 0 and at most 8192, got 'wide'.",
        ),
        (
            "fm=json",
            "Bad imgix parameters: imgix parameter fm (imgixParams.fm)=json is not supported by "
            "the DatoCMS emulator; supported values: avif, blurhash, gif, jp2, jpg, pjpg, png, "
            "png8, png32, webp. See docs/emulator-images.md.",
        ),
        ("rect=900,0,10,10", "lies outside the 400x300 image; give x,y,w,h inside it."),
        ("w=1&w=2", "'w' is given twice with different values ('1' and '2'); give it once."),
    ],
)
def test_bad_parameters_answer_400(
    quadrants_png: Path, cache: TransformCache, query: str, message: str
) -> None:
    status, headers, body = asset_response(quadrants_png, query, cache=cache)
    assert status == 400
    assert headers == [
        ("Content-Type", "text/plain; charset=utf-8"),
        ("Content-Length", str(len(body))),
        ("Cache-Control", "no-store"),
    ]
    assert message in body.decode()
    assert body.count(b"\n") == 1
    assert body.endswith(b"\n")


def test_missing_file_answers_404(tmp_path: Path, cache: TransformCache) -> None:
    assert asset_response(tmp_path / "gone.jpg", "w=10", cache=cache) == (
        404,
        [
            ("Content-Type", "text/plain; charset=utf-8"),
            ("Content-Length", "47"),
            ("Cache-Control", "no-store"),
        ],
        b"Not found: there is no upload file 'gone.jpg'.\n",
    )


def test_default_cache_follows_the_setting(settings: object, tmp_path: Path) -> None:
    settings.DATOCMS = demo_datocms(EMULATOR_IMAGE_CACHE_DIR=str(tmp_path / "images"))  # type: ignore[attr-defined]
    cache = default_transform_cache()
    assert cache.directory == tmp_path / "images"
    assert default_transform_cache() is cache
    settings.DATOCMS = demo_datocms()  # type: ignore[attr-defined]
    assert (
        default_transform_cache().directory
        == Path(tempfile.gettempdir()) / "datocms-emulator-images"
    )
