"""imgix's size semantics, planned without touching pixels."""

from __future__ import annotations

import pytest

from datocms_app.emulator.exceptions import InvalidImgixParams
from datocms_app.emulator.image_geometry import plan_transform
from datocms_app.emulator.imgix import parse_imgix_query


def size(query: str, width: int = 400, height: int = 300) -> tuple[int, int]:
    plan = plan_transform(width, height, parse_imgix_query(query))
    return plan.width, plan.height


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", (400, 300)),
        ("w=100", (100, 75)),
        ("h=100", (133, 100)),
        ("w=0.5", (200, 150)),  # below 1: a fraction of the source
        ("w=100&h=100", (100, 75)),  # clip (default): inside the box
        ("w=100&h=100&fit=clip", (100, 75)),
        ("w=800", (800, 600)),  # clip upscales, as imgix's does
        ("w=800&fit=max", (400, 300)),  # max never upscales
        ("w=200&fit=max", (200, 150)),
        ("w=100&h=100&fit=crop", (100, 100)),
        ("w=800&h=100&fit=crop", (800, 100)),  # crop upscales
        ("w=100&fit=crop", (100, 75)),  # one side, no ar: plain resize
        ("ar=16:9&fit=crop", (400, 225)),  # the largest 16:9 region, at source size
        ("ar=1:2&fit=crop", (150, 300)),
        ("ar=16:9&w=160&fit=crop", (160, 90)),
        ("ar=16:9&h=90&fit=crop", (160, 90)),
        ("ar=16:9&w=160", (160, 120)),  # ar needs fit=crop, as in imgix
        ("w=100&h=100&fit=min", (100, 100)),
        ("w=800&h=800&fit=min", (300, 300)),  # min: the crop, never upscaled
        ("w=100&h=100&fit=scale", (100, 100)),
        ("w=100&h=100&fit=fill", (100, 100)),
        ("w=100&fit=fill", (100, 75)),
        ("w=800&h=800&fit=fillmax", (800, 800)),
        ("w=100&h=100&fit=clamp", (100, 100)),
        ("w=100&dpr=2", (200, 150)),
        ("dpr=0.25", (100, 75)),
        ("w=100&h=100&fit=crop&dpr=1.5", (150, 150)),
        ("ar=16:9&fit=crop&max-w=300", (300, 169)),
        ("ar=16:9&fit=crop&max-h=90", (160, 90)),
        ("w=50&h=50&fit=crop&min-w=80", (80, 80)),
        ("w=50&h=25&fit=crop&min-h=50", (100, 50)),
        ("w=200&max-w=100", (200, 150)),  # max-w/min-w apply with fit=crop only
        ("rect=0,0,200,150", (200, 150)),
        ("rect=0.5,0.5,0.5,0.5", (200, 150)),
        ("rect=0,0,200,150&w=100", (100, 75)),
        ("w=8192&h=8192&fit=crop&dpr=2", (8192, 8192)),  # the 8192 px ceiling
        ("w=5000&dpr=4", (8192, 6144)),
    ],
)
def test_output_size(query: str, expected: tuple[int, int]) -> None:
    assert size(query) == expected


def test_padded_fits_centre_the_image() -> None:
    plan = plan_transform(400, 300, parse_imgix_query("w=200&h=200&fit=fill"))
    assert (plan.size, plan.canvas, plan.offset) == ((200, 150), (200, 200), (0, 25))
    fillmax = plan_transform(400, 300, parse_imgix_query("w=800&h=800&fit=fillmax"))
    assert (fillmax.size, fillmax.canvas, fillmax.offset) == ((400, 300), (800, 800), (200, 250))


@pytest.mark.parametrize(
    ("query", "crop"),
    [
        ("w=100&h=100&fit=crop", (50.0, 0.0, 350.0, 300.0)),
        ("w=100&h=100&fit=crop&crop=left", (0.0, 0.0, 300.0, 300.0)),
        ("w=100&h=100&fit=crop&crop=right", (100.0, 0.0, 400.0, 300.0)),
        ("w=400&h=100&fit=crop&crop=top", (0.0, 0.0, 400.0, 100.0)),
        ("w=400&h=100&fit=crop&crop=bottom", (0.0, 200.0, 400.0, 300.0)),
        ("w=400&h=100&fit=crop&crop=faces,bottom", (0.0, 200.0, 400.0, 300.0)),
        ("w=400&h=100&fit=crop&crop=faces", (0.0, 100.0, 400.0, 200.0)),
        ("w=10&h=10&fit=crop&crop=focalpoint&fp-x=0.9&fp-y=0.9", (100.0, 0.0, 400.0, 300.0)),
        ("w=10&h=10&fit=crop&crop=focalpoint&fp-x=0&fp-y=0&fp-z=2", (0.0, 0.0, 150.0, 150.0)),
        ("w=10&h=10&fit=crop&crop=focalpoint&fp-x=1&fp-y=1&fp-z=2", (250.0, 150.0, 400.0, 300.0)),
        ("rect=100,0,300,300&w=10&h=10&fit=crop", (100.0, 0.0, 400.0, 300.0)),
    ],
)
def test_crop_position(query: str, crop: tuple[float, float, float, float]) -> None:
    assert plan_transform(400, 300, parse_imgix_query(query)).crop == crop


def test_focal_point_of_the_upload() -> None:
    options = parse_imgix_query("w=10&h=10&fit=crop")
    # DatoCMS centres any crop without a crop mode on the upload's focal point...
    plan = plan_transform(400, 300, options, focal_point=(0.9, 0.5))
    assert plan.crop == (100.0, 0.0, 400.0, 300.0)
    # ... and crop=focalpoint without fp-x/fp-y uses it too.
    explicit = parse_imgix_query("w=10&h=10&fit=crop&crop=focalpoint&fp-y=0.5")
    assert plan_transform(400, 300, explicit, focal_point=(0.0, 0.9)).crop == (
        0.0,
        0.0,
        300.0,
        300.0,
    )


def test_aspect_ratio_is_unrounded_and_natural_width_caps_srcsets() -> None:
    plan = plan_transform(1300, 800, parse_imgix_query("ar=16:9&fit=crop&w=400"))
    assert (plan.width, plan.height, plan.aspect_ratio) == (400, 225, 16 / 9)
    assert plan.natural_width == pytest.approx(1300)
    thumb = plan.scaled_to_fit(24, 24)
    assert (thumb.width, thumb.height, thumb.crop) == (24, 14, plan.crop)


def test_rect_outside_the_image_is_an_error() -> None:
    with pytest.raises(InvalidImgixParams, match=r"rect=500,0,10,10 lies outside the 400x300"):
        plan_transform(400, 300, parse_imgix_query("rect=500,0,10,10"))
