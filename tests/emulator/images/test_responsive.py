"""``responsiveImage`` computed as DatoCMS does (compared with real DatoCMS responses)."""

from __future__ import annotations

import base64
import io
from pathlib import Path

import pytest
from PIL import Image

from datocms_app.emulator.exceptions import InvalidImgixParams
from datocms_app.emulator.images import ImageAnalysis, analyze, responsive_image
from datocms_app.exceptions import InvalidArgument

from .conftest import quadrants

BASE = "/datocms/emulator/assets/42/photo.jpg"


def photo(tmp_path: Path, width: int, height: int) -> ImageAnalysis:
    path = tmp_path / "photo.jpg"
    Image.linear_gradient("L").resize((width, height)).convert("RGB").save(path)
    return analyze(path)


def thumbnail_size(data_url: str) -> tuple[int, int]:
    payload = base64.b64decode(data_url.removeprefix("data:image/jpeg;base64,"))
    return Image.open(io.BytesIO(payload)).size


def test_fixed_width_crop_like_datocms(tmp_path: Path) -> None:
    # DatoCMS answered this query, on a source between 1200 and 1600 px wide, with exactly
    # these URLs (host and path aside): srcSet stops at 3x, the last size needing no upscale.
    analysis = photo(tmp_path, 1300, 800)
    result = responsive_image(
        base_url=BASE,
        analysis=analysis,
        imgix_params={"fm": "jpg", "fit": "crop", "w": 400, "ar": "16:9"},
        sizes=None,
        alt="Raising Dion, Dion and Esperanza",
        title=None,
    )
    query = "ar=16%3A9{dpr}&fit=crop&fm={fm}&w=400"

    def srcset(fm: str) -> str:
        steps = [("0.25", 100), ("0.5", 200), ("0.75", 300), ("", 400), ("1.5", 600)]
        steps += [("2", 800), ("3", 1200)]
        return ",".join(
            f"{BASE}?{query.format(dpr=f'&dpr={dpr}' if dpr else '', fm=fm)} {width}w"
            for dpr, width in steps
        )

    base64_url = result.pop("base64")
    assert result == {
        "srcSet": srcset("jpg"),
        "webpSrcSet": srcset("webp"),
        "sizes": "(max-width: 400px) 100vw, 400px",
        "src": f"{BASE}?ar=16%3A9&fit=crop&fm=jpg&w=400",
        "width": 400,
        "height": 225,
        "aspectRatio": 1.7777777777777777,
        "alt": "Raising Dion, Dion and Esperanza",
        "title": None,
        "bgColor": analysis.bg_color,
    }
    assert base64_url.startswith("data:image/jpeg;base64,")
    assert thumbnail_size(base64_url) == (24, 14)


def test_source_sized_crop_like_datocms(tmp_path: Path) -> None:
    # DatoCMS, for ar=4:3 + auto=format + fit=crop on a 569 px wide upload: width 569,
    # height 427, descriptors 142w/284w/426w/569w, aspectRatio exactly 4/3.
    analysis = photo(tmp_path, 569, 427)
    result = responsive_image(
        base_url=BASE,
        analysis=analysis,
        imgix_params={"ar": "4:3", "auto": ["format"], "fit": "crop"},
        sizes=None,
        alt="Workstation setup",
        title="React Context API",
    )
    src = f"{BASE}?ar=4%3A3&auto=format&fit=crop"
    assert result["srcSet"] == (
        f"{BASE}?ar=4%3A3&auto=format&dpr=0.25&fit=crop 142w,"
        f"{BASE}?ar=4%3A3&auto=format&dpr=0.5&fit=crop 284w,"
        f"{BASE}?ar=4%3A3&auto=format&dpr=0.75&fit=crop 426w,"
        f"{src} 569w"
    )
    assert result["webpSrcSet"].endswith(f"{BASE}?ar=4%3A3&auto=format&fit=crop&fm=webp 569w")
    assert (result["src"], result["width"], result["height"]) == (src, 569, 427)
    assert result["aspectRatio"] == 1.3333333333333333
    assert result["sizes"] == "(max-width: 569px) 100vw, 569px"
    assert (result["alt"], result["title"]) == ("Workstation setup", "React Context API")


def test_no_params_serves_the_original_size(tmp_path: Path) -> None:
    analysis = photo(tmp_path, 800, 451)
    result = responsive_image(
        base_url=BASE, analysis=analysis, imgix_params=None, sizes="50vw", alt=None, title=None
    )
    assert result["src"] == BASE
    assert result["srcSet"] == (
        f"{BASE}?dpr=0.25 200w,{BASE}?dpr=0.5 400w,{BASE}?dpr=0.75 600w,{BASE} 800w"
    )
    assert result["webpSrcSet"] == (
        f"{BASE}?dpr=0.25&fm=webp 200w,{BASE}?dpr=0.5&fm=webp 400w,"
        f"{BASE}?dpr=0.75&fm=webp 600w,{BASE}?fm=webp 800w"
    )
    assert (result["width"], result["height"], result["sizes"]) == (800, 451, "50vw")
    assert result["aspectRatio"] == 800 / 451
    # Same picture, same shape: the upload's own placeholder.
    assert result["base64"] == analysis.base64


def test_focal_point_goes_into_the_urls_and_the_placeholder(tmp_path: Path) -> None:
    path = tmp_path / "quadrants.png"
    quadrants().save(path)
    analysis = analyze(path)
    result = responsive_image(
        base_url="/a/1/quadrants.png",
        analysis=analysis,
        imgix_params={"w": 100, "h": 100, "fit": "crop"},
        sizes=None,
        alt=None,
        title=None,
        focal_point={"x": 0.9, "y": 0.9},
    )
    assert (
        result["src"] == "/a/1/quadrants.png?crop=focalpoint&fit=crop&fp-x=0.9&fp-y=0.9&h=100&w=100"
    )
    # 100 px wide from a 300 px crop: 1.5x, 2x and 3x need no upscaling; 4x would.
    assert [entry.rsplit(" ", 1)[1] for entry in result["srcSet"].split(",")] == [
        "25w", "50w", "75w", "100w", "150w", "200w", "300w",
    ]  # fmt: skip
    thumbnail = Image.open(
        io.BytesIO(base64.b64decode(result["base64"].removeprefix("data:image/jpeg;base64,")))
    ).convert("RGB")
    assert thumbnail.size == (24, 24)
    # The right two thirds of the picture: blue above yellow, no red at the right edge.
    pixel = thumbnail.getpixel((22, 20))
    assert isinstance(pixel, tuple)
    assert (pixel[0] > 150, pixel[1] > 150, pixel[2] < 100) == (True, True, True), pixel


def test_user_dpr_is_multiplied(tmp_path: Path) -> None:
    analysis = photo(tmp_path, 1000, 1000)
    result = responsive_image(
        base_url=BASE,
        analysis=analysis,
        imgix_params={"w": 200, "dpr": 2},
        sizes=None,
        alt=None,
        title=None,
    )
    assert (result["width"], result["src"]) == (400, f"{BASE}?dpr=2&w=200")
    assert result["srcSet"].split(",")[:2] == [f"{BASE}?dpr=0.5&w=200 100w", f"{BASE}?w=200 200w"]
    assert result["srcSet"].split(",")[3] == f"{BASE}?dpr=2&w=200 400w"
    assert result["srcSet"].split(",")[-1] == f"{BASE}?dpr=4&w=200 800w"


def test_bad_arguments(tmp_path: Path) -> None:
    analysis = photo(tmp_path, 10, 10)
    with pytest.raises(InvalidArgument, match=r"base_url must be the upload URL without a query"):
        responsive_image(
            base_url="/x.jpg?w=1",
            analysis=analysis,
            imgix_params={},
            sizes=None,
            alt=None,
            title=None,
        )
    with pytest.raises(InvalidImgixParams, match=r"unknown ImgixParams field 'width'"):
        responsive_image(
            base_url=BASE,
            analysis=analysis,
            imgix_params={"width": 3},
            sizes=None,
            alt=None,
            title=None,
        )
