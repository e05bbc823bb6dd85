"""Upload metadata: size, format, BlurHash, the base64 placeholder, dominant colours."""

from __future__ import annotations

import base64
import io
import os
from pathlib import Path

import pytest
from PIL import Image

from datocms_app.emulator.blurhash import encode_blurhash
from datocms_app.emulator.exceptions import ImageNotFound, NotAnImage
from datocms_app.emulator.images import analyze
from datocms_app.exceptions import InvalidArgument


def _pixels(width: int, height: int, colour_at: object) -> list[tuple[int, int, int]]:
    assert callable(colour_at)
    return [colour_at(x, y) for y in range(height) for x in range(width)]


# Produced by Wolt's reference C encoder (the blurhash-python 1.2.2 package) from the same
# pixels. (The TypeScript encoder differs: it takes the largest AC value without abs().)
REFERENCE_VECTORS = [
    (32, 24, lambda x, y: (x * 255 // 31, y * 255 // 23, 128), 4, 3,
     "L$HewF2swxX8l}WDjte;gJfjfQfj"),
    (32, 24, lambda x, y: (x * 255 // 31, y * 255 // 23, 128), 5, 4,
     "V$HewF2swxX8a|l}WDjte;fQgJfjfQfjfQn,WpjtfQfQ"),
    (20, 20, lambda x, y: ((220, 30, 30) if y < 10 else (30, 200, 40)) if x < 10
     else ((30, 60, 220) if y < 10 else (240, 220, 20)), 4, 3, "LxJk74aZawxcY~]3slJDa7sSjsWX"),
    (8, 8, lambda x, y: (0, 0, 0), 4, 3, "L00000fQfQfQfQfQfQfQfQfQfQfQ"),
    (30, 10, lambda x, y: (250, 250, 250) if x % 6 < 3 else (10, 40, 90), 4, 3,
     "LLLETq~qfQ~q_3t7fQt7fQfQfQfQ"),
    (30, 10, lambda x, y: (250, 250, 250) if x % 6 < 3 else (10, 40, 90), 5, 4,
     "VLLETq~qfQ~qfQ_3t7fQt7fQfQfQfQfQfQ_3t7fQt7fQ"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("width", "height", "colour_at", "nx", "ny", "expected"), REFERENCE_VECTORS
)
def test_blurhash_matches_the_reference_encoder(
    width: int, height: int, colour_at: object, nx: int, ny: int, expected: str
) -> None:
    pixels = _pixels(width, height, colour_at)
    assert encode_blurhash(pixels, width, height, x_components=nx, y_components=ny) == expected


def test_blurhash_rejects_bad_input() -> None:
    with pytest.raises(InvalidArgument, match=r"needs width\*height pixels; got 3 for 2x2"):
        encode_blurhash([(0, 0, 0)] * 3, 2, 2)
    with pytest.raises(InvalidArgument, match=r"components must be from 1 to 9"):
        encode_blurhash([(0, 0, 0)], 1, 1, x_components=10)


def test_analyze_a_mostly_red_photo(tmp_path: Path) -> None:
    path = tmp_path / "red.jpg"
    image = Image.new("RGB", (640, 480), (220, 30, 30))
    image.paste((30, 60, 220), (0, 0, 60, 480))
    image.save(path, quality=95)
    analysis = analyze(path)
    assert (analysis.width, analysis.height) == (640, 480)
    assert (analysis.format, analysis.mime_type) == ("jpeg", "image/jpeg")
    assert analysis.size == path.stat().st_size
    assert analysis.has_alpha is False
    red = tuple(int(analysis.bg_color[i : i + 2], 16) for i in (1, 3, 5))
    assert max(abs(a - b) for a, b in zip(red, (220, 30, 30), strict=True)) <= 8, red
    assert analysis.colors[0] == analysis.bg_color
    assert len(analysis.colors) >= 2
    blue = tuple(int(analysis.colors[1][i : i + 2], 16) for i in (1, 3, 5))
    assert max(abs(a - b) for a, b in zip(blue, (30, 60, 220), strict=True)) <= 8, blue
    assert len(analysis.blurhash) == 28
    assert analysis.blurhash[0] == "L"  # 4 x 3 components, as DatoCMS's


def test_analyze_exact_colours_of_a_png(tmp_path: Path) -> None:
    path = tmp_path / "flag.png"
    image = Image.new("RGB", (640, 480), (220, 30, 30))
    image.paste((30, 60, 220), (0, 0, 60, 480))
    image.save(path)
    analysis = analyze(path)
    assert (analysis.format, analysis.mime_type) == ("png", "image/png")
    assert (analysis.bg_color, analysis.colors) == ("#dc1e1e", ("#dc1e1e", "#1e3cdc"))


def test_base64_is_a_tiny_blurred_jpeg(tmp_path: Path) -> None:
    path = tmp_path / "wide.png"
    Image.linear_gradient("L").resize((750, 421)).convert("RGB").save(path)
    data_url = analyze(path).base64
    prefix = "data:image/jpeg;base64,"
    assert data_url.startswith(prefix)
    thumbnail = Image.open(io.BytesIO(base64.b64decode(data_url[len(prefix) :])))
    # Like DatoCMS's: the picture's shape within 24 x 24 (750 x 421 -> 24 x 13).
    assert (thumbnail.format, thumbnail.size) == ("JPEG", (24, 13))
    assert len(data_url) < 1000


def test_transparent_images(tmp_path: Path) -> None:
    path = tmp_path / "logo.png"
    image = Image.new("RGBA", (200, 100), (0, 0, 0, 0))
    image.paste((20, 40, 160, 255), (0, 0, 50, 100))
    image.save(path)
    analysis = analyze(path)
    assert analysis.has_alpha is True
    # Transparent pixels are not a colour: the dominant colour is the logo's blue.
    assert analysis.colors == ("#1428a0",)


def test_exif_orientation_is_applied(tmp_path: Path) -> None:
    path = tmp_path / "rotated.jpg"
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90 degrees clockwise to display
    Image.new("RGB", (300, 100), (10, 200, 10)).save(path, exif=exif)
    analysis = analyze(path)
    assert (analysis.width, analysis.height) == (100, 300)


def test_analysis_is_cached_until_the_file_changes(tmp_path: Path) -> None:
    path = tmp_path / "a.png"
    Image.new("RGB", (10, 10), (255, 0, 0)).save(path)
    first = analyze(path)
    assert analyze(path) is first
    Image.new("RGB", (20, 10), (0, 0, 255)).save(path)
    os.utime(path, ns=(10**9, 10**9))
    second = analyze(path)
    assert (second.width, second.bg_color) == (20, "#0000ff")


def test_errors(tmp_path: Path) -> None:
    with pytest.raises(ImageNotFound, match=r"the upload file 'nope.jpg' does not exist"):
        analyze(tmp_path / "nope.jpg")
    path = tmp_path / "doc.pdf"
    path.write_bytes(b"%PDF-1.4 not really")
    with pytest.raises(NotAnImage, match=r"'doc.pdf' is not an image the emulator can read"):
        analyze(path)
    with pytest.raises(InvalidArgument, match=r"path must be a pathlib.Path, got int"):
        analyze(3)  # type: ignore[arg-type]
