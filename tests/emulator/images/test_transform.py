"""Renditions: sizes, formats, quality, crops, colour parameters, negotiation and caching."""

from __future__ import annotations

import io
import os
from pathlib import Path
from urllib.parse import parse_qsl

import pytest
from PIL import Image, ImageStat

from datocms_app.emulator.exceptions import (
    ImageNotFound,
    InvalidImgixParams,
    NotAnImage,
    UnsupportedImgixParam,
)
from datocms_app.emulator.image_render import pixels_of
from datocms_app.emulator.images import TransformCache, TransformedImage, transform

from .conftest import BLUE, GREEN, RED, YELLOW, quadrants


def render(path: Path, query: str, cache: TransformCache, accept: str = "") -> TransformedImage:
    return transform(path, dict(parse_qsl(query)), accept=accept, cache=cache)


def decoded(result: TransformedImage) -> Image.Image:
    image = Image.open(io.BytesIO(result.content))
    image.load()
    assert image.size == (result.width, result.height)
    return image


def centre(image: Image.Image) -> tuple[int, ...]:
    pixel = image.convert("RGB").getpixel((image.width // 2, image.height // 2))
    assert isinstance(pixel, tuple)
    return pixel


def close(actual: tuple[int, ...], expected: tuple[int, ...], tolerance: int = 12) -> bool:
    return all(abs(a - e) <= tolerance for a, e in zip(actual, expected, strict=True))


@pytest.mark.parametrize(
    ("query", "size"),
    [
        ("w=100", (100, 75)),
        ("h=60", (80, 60)),
        ("w=100&h=100&fit=crop", (100, 100)),
        ("w=100&h=100&fit=clip", (100, 75)),
        ("w=800&fit=max", (400, 300)),
        ("w=800", (800, 600)),
        ("ar=16:9&fit=crop", (400, 225)),
        ("ar=16:9&fit=crop&w=160", (160, 90)),
        ("w=100&dpr=2", (200, 150)),
        ("w=50&h=80&fit=scale", (50, 80)),
        ("w=120&h=120&fit=fill", (120, 120)),
        ("w=120&h=120&fit=clamp", (120, 120)),
        ("w=800&h=800&fit=fillmax", (800, 800)),
        ("w=800&h=800&fit=min", (300, 300)),
        ("ar=16:9&fit=crop&max-w=200", (200, 113)),
        ("rect=200,150,200,150", (200, 150)),
    ],
)
def test_output_dimensions(
    quadrants_png: Path, cache: TransformCache, query: str, size: tuple[int, int]
) -> None:
    result = render(quadrants_png, query, cache)
    assert (result.width, result.height) == size
    assert decoded(result).size == size


@pytest.mark.parametrize(
    ("fm", "magic", "content_type", "offset"),
    [
        ("jpg", b"\xff\xd8\xff", "image/jpeg", 0),
        ("pjpg", b"\xff\xd8\xff", "image/jpeg", 0),
        ("png", b"\x89PNG\r\n\x1a\n", "image/png", 0),
        ("png8", b"\x89PNG\r\n\x1a\n", "image/png", 0),
        ("png32", b"\x89PNG\r\n\x1a\n", "image/png", 0),
        ("webp", b"WEBP", "image/webp", 8),
        ("avif", b"ftypavif", "image/avif", 4),
        ("gif", b"GIF8", "image/gif", 0),
        ("jp2", b"jP  ", "image/jp2", 4),
    ],
)
def test_output_formats(
    quadrants_png: Path,
    cache: TransformCache,
    fm: str,
    magic: bytes,
    content_type: str,
    offset: int,
) -> None:
    result = render(quadrants_png, f"w=40&fm={fm}", cache)
    assert result.content[offset : offset + len(magic)] == magic
    assert (result.content_type, result.format) == (content_type, fm)
    assert centre(decoded(result)) != (0, 0, 0)


def test_png_variants_keep_their_modes(quadrants_png: Path, cache: TransformCache) -> None:
    assert decoded(render(quadrants_png, "w=40&fm=png8", cache)).mode == "P"
    assert decoded(render(quadrants_png, "w=40&fm=png32", cache)).mode == "RGBA"
    assert decoded(render(quadrants_png, "w=40&fm=png", cache)).mode == "RGB"


def test_progressive_jpeg(quadrants_png: Path, cache: TransformCache) -> None:
    assert decoded(render(quadrants_png, "w=40&fm=pjpg", cache)).info.get("progressive") == 1
    assert "progressive" not in decoded(render(quadrants_png, "w=40&fm=jpg", cache)).info


def test_blurhash_format(quadrants_png: Path, cache: TransformCache) -> None:
    result = render(quadrants_png, "fm=blurhash", cache)
    assert result.content_type == "text/plain; charset=utf-8"
    assert result.content == b"LxJk73V:jYt8Ur]MoIJDaQsljsWX"


def test_quality_changes_the_size(tmp_path: Path, cache: TransformCache) -> None:
    path = tmp_path / "noise.png"
    Image.effect_noise((200, 200), 60).convert("RGB").save(path)
    low = render(path, "fm=jpg&q=10", cache)
    high = render(path, "fm=jpg&q=90", cache)
    default = render(path, "fm=jpg", cache)
    compressed = render(path, "fm=jpg&auto=compress", cache)
    assert len(low.content) < len(compressed.content) < len(default.content)
    assert len(default.content) < len(high.content)
    assert render(path, "fm=jpg&q=75", cache).content == default.content
    assert render(path, "fm=jpg&q=45", cache).content == compressed.content


def test_lossless_webp_keeps_every_pixel(quadrants_png: Path, cache: TransformCache) -> None:
    image = decoded(render(quadrants_png, "fm=webp&lossless=true", cache))
    assert pixels_of(image.convert("RGB")) == pixels_of(quadrants())


def test_chroma_subsampling(quadrants_png: Path, cache: TransformCache) -> None:
    from PIL import JpegImagePlugin

    full = decoded(render(quadrants_png, "fm=jpg&chromasub=444", cache))
    half = decoded(render(quadrants_png, "fm=jpg&chromasub=420", cache))
    assert isinstance(full, JpegImagePlugin.JpegImageFile)
    assert isinstance(half, JpegImagePlugin.JpegImageFile)
    assert JpegImagePlugin.get_sampling(full) == 0
    assert JpegImagePlugin.get_sampling(half) == 2


@pytest.mark.parametrize(
    ("query", "focal_point", "colour"),
    [
        ("w=50&h=50&fit=crop&crop=focalpoint&fp-x=0.1&fp-y=0.1&fp-z=2", None, RED),
        ("w=50&h=50&fit=crop&crop=focalpoint&fp-x=0.9&fp-y=0.1&fp-z=2", None, BLUE),
        ("w=50&h=50&fit=crop&crop=focalpoint&fp-x=0.1&fp-y=0.9&fp-z=2", None, GREEN),
        ("w=50&h=50&fit=crop&crop=focalpoint&fp-x=0.9&fp-y=0.9&fp-z=2", None, YELLOW),
        # crop=focalpoint without fp-x/fp-y: the upload's focal point.
        ("w=50&h=50&fit=crop&crop=focalpoint&fp-z=2", {"x": 0.9, "y": 0.9}, YELLOW),
        # Any fit=crop without a crop mode centres on the upload's focal point (DatoCMS).
        ("w=100&h=25&fit=crop", {"x": 0.9, "y": 0.9}, (135, 210, 30)),
        ("w=200&h=50&fit=crop&crop=top", {"x": 0.9, "y": 0.9}, (125, 45, 125)),
        ("w=100&h=100&fit=crop&crop=left", None, (128, 123, 63)),
        ("w=100&h=100&fit=crop&crop=right", None, (132, 132, 92)),
        ("w=40&h=10&fit=crop&crop=bottom,faces", None, (135, 210, 30)),
        ("rect=0.5,0.5,0.5,0.5", None, YELLOW),
        ("rect=0,0,200,150&w=20", None, RED),
    ],
)
def test_crops_pick_the_right_region(
    quadrants_png: Path,
    cache: TransformCache,
    query: str,
    focal_point: dict[str, float] | None,
    colour: tuple[int, int, int],
) -> None:
    image = decoded(
        transform(quadrants_png, dict(parse_qsl(query)), focal_point=focal_point, cache=cache)
    )
    if "fp-z" in query or "rect" in query:
        # A zoomed focal crop shows one quadrant only.
        extrema = image.convert("RGB").getextrema()
        assert all(high - low <= 12 for low, high in extrema), extrema
    mean = tuple(round(v) for v in ImageStat.Stat(image.convert("RGB")).mean)
    assert close(mean, colour, 16), mean


def test_entropy_and_edges_crop_the_busy_side(tmp_path: Path, cache: TransformCache) -> None:
    path = tmp_path / "half.png"
    image = Image.new("L", (400, 200), 128)
    image.paste(Image.effect_noise((150, 200), 80), (250, 0))
    image.convert("RGB").save(path)
    # The 200 px square window can start anywhere from x=0 to x=200; the busiest is x=200.
    # Output columns 30-45 then show source x=260-290 (noise); centred, x=160-190 (flat).
    for mode in ("entropy", "edges"):
        cropped = decoded(render(path, f"w=100&h=100&fit=crop&crop={mode}", cache))
        assert ImageStat.Stat(cropped.crop((30, 0, 45, 100))).stddev[0] > 20, mode
    centred = decoded(render(path, "w=100&h=100&fit=crop", cache))
    assert ImageStat.Stat(centred.crop((30, 0, 45, 100))).stddev[0] < 1


def test_padding_fills(quadrants_png: Path, cache: TransformCache) -> None:
    solid = decoded(render(quadrants_png, "w=200&h=200&fit=fill&fill=solid&fill-color=0f0", cache))
    assert solid.convert("RGB").getpixel((100, 5)) == (0, 255, 0)
    assert close(solid.convert("RGB").getpixel((50, 60)), RED)  # type: ignore[arg-type]
    clear = decoded(render(quadrants_png, "w=200&h=200&fit=fill&fm=png", cache))
    assert clear.mode == "RGBA"
    assert clear.getpixel((100, 5)) == (0, 0, 0, 0)
    flattened = decoded(render(quadrants_png, "w=200&h=200&fit=fill&fm=jpg", cache))
    assert close(flattened.getpixel((100, 5)), (255, 255, 255), 3)  # type: ignore[arg-type]
    clamp = decoded(render(quadrants_png, "w=200&h=200&fit=clamp", cache))
    assert clamp.getpixel((10, 5)) == RED
    assert clamp.getpixel((190, 195)) == YELLOW
    blur = decoded(render(quadrants_png, "w=200&h=200&fit=fill&fill=blur", cache))
    top_left = blur.getpixel((2, 2))
    assert isinstance(top_left, tuple)
    assert top_left[0] > top_left[2]  # reddish: the blurred image itself, not a flat colour


@pytest.mark.parametrize(
    ("query", "check"),
    [
        ("sat=-100", lambda p: p[0] == p[1] == p[2]),
        ("invert=true", lambda p: close(p, (255 - RED[0], 255 - RED[1], 255 - RED[2]))),
        ("flip=h", lambda p: close(p, BLUE)),
        ("flip=v", lambda p: close(p, GREEN)),
        ("flip=hv", lambda p: close(p, YELLOW)),
        ("hue=180", lambda p: p[1] > p[0] and p[2] > p[0]),
        ("bri=50", lambda p: p == (255, 45, 45)),
        ("bri=-100", lambda p: close(p, (0, 0, 0), 2)),
        ("con=-100", lambda p: close(p, (p[0], p[0], p[0]), 2)),
        ("sepia=100", lambda p: p[0] > p[1] > p[2]),
        ("auto=enhance", lambda p: p[0] >= RED[0]),
    ],
)
def test_colour_parameters(
    quadrants_png: Path, cache: TransformCache, query: str, check: object
) -> None:
    image = decoded(render(quadrants_png, f"{query}&fm=png", cache)).convert("RGB")
    top_left = image.getpixel((40, 40))
    assert callable(check)
    assert check(top_left), top_left


def test_blur_sharp_and_pixellate_change_detail(tmp_path: Path, cache: TransformCache) -> None:
    path = tmp_path / "noise.png"
    Image.effect_noise((120, 120), 60).convert("RGB").save(path)

    def spread(query: str) -> float:
        image = decoded(render(path, f"{query}&fm=png", cache)).convert("L")
        return float(ImageStat.Stat(image).stddev[0])

    plain = spread("w=120")
    assert spread("blur=20") < plain * 0.7
    assert spread("sharp=100") > plain
    pixelated = decoded(render(path, "px=10&fm=png", cache)).convert("RGB")
    assert len(set(pixels_of(pixelated))) <= 144


def test_background_flattens_transparency(tmp_path: Path, cache: TransformCache) -> None:
    path = tmp_path / "clear.png"
    image = Image.new("RGBA", (20, 20), (0, 0, 0, 0))
    image.paste((0, 0, 255, 255), (0, 0, 10, 20))
    image.save(path)
    on_red = decoded(render(path, "bg=ff0000&fm=png", cache))
    assert on_red.mode == "RGB"
    assert on_red.getpixel((15, 5)) == (255, 0, 0)
    assert on_red.getpixel((5, 5)) == (0, 0, 255)
    kept = decoded(render(path, "w=20&fm=png", cache))
    assert kept.getpixel((15, 5)) == (0, 0, 0, 0)
    gif = decoded(render(path, "fm=gif", cache))
    assert gif.info["transparency"] == gif.getpixel((15, 5))
    jpeg = decoded(render(path, "fm=jpg", cache))
    assert close(jpeg.getpixel((15, 5)), (255, 255, 255), 3)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("accept", "fm", "expected"),
    [
        ("image/avif,image/webp,image/*,*/*;q=0.8", "", "avif"),
        ("image/webp,*/*", "", "webp"),
        ("text/html,*/*;q=0.8", "", "png"),
        ("", "", "png"),
        ("image/webp;q=0", "", "png"),
        ("image/webp", "&fm=jpg", "webp"),  # auto=format wins over fm when the client can
        ("", "&fm=jpg", "jpg"),  # ... and fm is the fallback
    ],
)
def test_auto_format_negotiates_with_the_accept_header(
    quadrants_png: Path, cache: TransformCache, accept: str, fm: str, expected: str
) -> None:
    result = render(quadrants_png, f"w=40&auto=format{fm}", cache, accept=accept)
    assert result.format == expected


def test_without_auto_format_accept_changes_nothing(
    quadrants_jpg: Path, cache: TransformCache
) -> None:
    assert render(quadrants_jpg, "w=40", cache, accept="image/webp").format == "jpg"


def test_no_pixel_change_serves_the_original_bytes(
    quadrants_jpg: Path, cache: TransformCache
) -> None:
    result = render(quadrants_jpg, "dl=x.jpg", cache)
    assert result.content == quadrants_jpg.read_bytes()
    assert (result.width, result.height, result.content_type) == (400, 300, "image/jpeg")


def test_renditions_are_cached_in_memory_and_on_disk(quadrants_png: Path, tmp_path: Path) -> None:
    directory = tmp_path / "rendered"
    cache = TransformCache(directory)
    first = render(quadrants_png, "w=64&fm=webp", cache)
    assert (cache.stats.renders, cache.stats.memory_hits, cache.stats.disk_hits) == (1, 0, 0)
    entries = [path for path in directory.rglob("*") if path.is_file()]
    assert len(entries) == 1
    assert entries[0].name.startswith(entries[0].parent.name)
    # The same parameters in another order are the same rendition.
    second = transform(quadrants_png, {"fm": "webp", "w": "64"}, cache=cache)
    assert second == first
    assert (cache.stats.renders, cache.stats.memory_hits) == (1, 1)
    # A new process (a fresh cache on the same folder) reads it back from disk.
    fresh = TransformCache(directory)
    assert render(quadrants_png, "w=64&fm=webp", fresh) == first
    assert (fresh.stats.renders, fresh.stats.disk_hits) == (0, 1)
    assert render(quadrants_png, "w=64&fm=webp", fresh) == first
    assert fresh.stats.memory_hits == 1
    # Editing the upload makes new renditions.
    quadrants().transpose(Image.Transpose.FLIP_LEFT_RIGHT).save(quadrants_png)
    os.utime(quadrants_png, ns=(1, 1))
    changed = render(quadrants_png, "w=64&fm=webp", fresh)
    assert changed != first
    assert fresh.stats.renders == 1


def test_corrupt_disk_entries_are_misses(quadrants_png: Path, tmp_path: Path) -> None:
    directory = tmp_path / "rendered"
    first = render(quadrants_png, "w=32", TransformCache(directory))
    (entry,) = [path for path in directory.rglob("*") if path.is_file()]
    entry.write_bytes(b'{"broken": true}\nxx')
    cache = TransformCache(directory)
    assert render(quadrants_png, "w=32", cache) == first
    assert (cache.stats.renders, cache.stats.disk_hits) == (1, 0)


def test_memory_layer_is_bounded(quadrants_png: Path) -> None:
    cache = TransformCache(None, max_memory_entries=2)
    for width in (10, 20, 30):
        render(quadrants_png, f"w={width}", cache)
    render(quadrants_png, "w=10", cache)  # evicted: rendered again
    assert (cache.stats.renders, cache.stats.memory_hits) == (4, 0)
    render(quadrants_png, "w=30", cache)
    assert cache.stats.memory_hits == 1


def test_errors(quadrants_png: Path, tmp_path: Path, cache: TransformCache) -> None:
    with pytest.raises(InvalidImgixParams, match=r"w \(imgixParams.w\) must be a number"):
        render(quadrants_png, "w=big", cache)
    with pytest.raises(
        UnsupportedImgixParam, match=r"fit \(imgixParams.fit\)=facearea is not supported"
    ):
        render(quadrants_png, "fit=facearea", cache)
    with pytest.raises(ImageNotFound, match=r"the upload file 'missing.png' does not exist"):
        render(tmp_path / "missing.png", "w=3", cache)
    text = tmp_path / "notes.txt"
    text.write_text("not an image")
    with pytest.raises(NotAnImage, match=r"'notes.txt' is not an image"):
        render(text, "w=3", cache)
    with pytest.raises(InvalidImgixParams, match=r"params must be a mapping"):
        transform(quadrants_png, "w=3", cache=cache)  # type: ignore[arg-type]
