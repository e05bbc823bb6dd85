from __future__ import annotations

import pytest

from datocms_app.emulator.exceptions import InvalidImgixParams, UnsupportedImgixParam
from datocms_app.emulator.imgix import (
    canonical_imgix_params,
    focal_point_xy,
    format_number,
    imgix_query,
    parse_imgix_params,
    parse_imgix_query,
)
from datocms_app.emulator.imgix_params import (
    IMGIX_ENUMS,
    IMGIX_PARAMS,
    UNSUPPORTED_IMGIX_PARAMS,
    imgix_name,
)
from datocms_app.exceptions import DatoCMSError, InvalidArgument


def test_imgix_query_names_sorting_and_encoding() -> None:
    query = imgix_query(
        {
            "w": 300,
            "fit": "crop",
            "ar": "16:9",
            "auto": ["format", "compress"],
            "maxW": 500,
            "fpX": 0.25,
            "fpY": 0.5,
            "invert": True,
            "dpr": 1.5,
            "h": None,
        }
    )
    assert query == (
        "ar=16%3A9&auto=format%2Ccompress&dpr=1.5&fit=crop&fp-x=0.25&fp-y=0.5&invert=true"
        "&max-w=500&w=300"
    )


def test_imgix_query_matches_datocms_urls() -> None:
    # As in DatoCMS's responses: ...jpg?ar=16%3A9&auto=format&fit=crop&w=900
    assert imgix_query({"fit": "crop", "w": 900, "auto": ["format"], "ar": "16:9"}) == (
        "ar=16%3A9&auto=format&fit=crop&w=900"
    )
    assert imgix_query({}) == ""
    assert imgix_query(None) == ""


def test_numbers_print_like_javascript() -> None:
    assert [format_number(v) for v in (2.0, 2, 0.25, 1.5, 0.1 + 0.2, 1e-3)] == [
        "2",
        "2",
        "0.25",
        "1.5",
        "0.3",
        "0.001",
    ]


def test_focal_point_is_added_to_crops_without_a_crop_mode() -> None:
    point = {"x": 0.61, "y": 0.45}
    assert imgix_query({"fit": "crop", "w": 500, "h": 650}, focal_point=point) == (
        "crop=focalpoint&fit=crop&fp-x=0.61&fp-y=0.45&h=650&w=500"
    )
    # An explicit crop mode, or another fit, is left alone.
    assert imgix_query({"fit": "crop", "w": 5, "crop": ["top"]}, focal_point=point) == (
        "crop=top&fit=crop&w=5"
    )
    assert imgix_query({"fit": "max", "w": 5}, focal_point=(0.1, 0.2)) == "fit=max&w=5"


def test_lists_are_deduplicated_in_order() -> None:
    assert canonical_imgix_params({"crop": ["faces", "top", "faces"]}) == {"crop": "faces,top"}


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"w": -1}, "imgix parameter w (imgixParams.w) must be a number greater than 0"),
        ({"w": 0}, "must be a number greater than 0 and at most 8192, got '0'"),
        ({"w": 9000}, "at most 8192, got '9000'"),
        ({"q": 101}, "q (imgixParams.q) must be a number from 0 to 100, got '101'"),
        ({"q": "high"}, "q (imgixParams.q) must be a whole number from 0 to 100, got 'high'"),
        ({"fit": "stretch"}, "must be one of clamp, clip, crop, facearea, fill, fillmax,"),
        ({"ar": "16x9"}, "ar (imgixParams.ar) must be an aspect ratio 'W:H'"),
        ({"ar": "0:9"}, "an aspect ratio 'W:H' of two positive numbers"),
        ({"fpX": 1.5}, "fp-x (imgixParams.fpX) must be a number from 0 to 1, got '1.5'"),
        ({"bg": "notacolour"}, "bg (imgixParams.bg) must be a colour"),
        ({"rect": "1,2,3"}, "rect (imgixParams.rect) must be 'x,y,w,h'"),
        ({"chromasub": 421}, "chromasub (imgixParams.chromasub) must be 420, 422 or 444"),
        ({"invert": "maybe"}, "invert (imgixParams.invert) must be true or false"),
        ({"w": True}, "w (imgixParams.w) must be a FloatType value"),
        ({"auto": ["format", "sharpen"]}, "auto (imgixParams.auto) must be one of compress,"),
        ({"wdith": 3}, "unknown ImgixParams field 'wdith'"),
    ],
)
def test_bad_values_raise_clear_errors(params: dict[str, object], message: str) -> None:
    with pytest.raises(InvalidImgixParams) as caught:
        imgix_query(params)
    assert message in str(caught.value)
    assert isinstance(caught.value, DatoCMSError)
    assert isinstance(caught.value, InvalidArgument)
    assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize(
    ("params", "name"),
    [
        ({"fit": "facearea"}, "fit"),
        ({"fm": "json"}, "fm"),
        ({"fm": "mp4"}, "fm"),
        ({"auto": ["redeye"]}, "auto"),
        ({"fill": "gen"}, "fill"),
        ({"pad": 10}, "pad"),
        ({"txt": "hello"}, "txt"),
        ({"rot": 90}, "rot"),
    ],
)
def test_unsupported_parameters_are_refused_not_ignored(
    params: dict[str, object], name: str
) -> None:
    with pytest.raises(UnsupportedImgixParam) as caught:
        imgix_query(params)
    assert caught.value.param == name
    assert "not supported by the DatoCMS emulator" in str(caught.value)


def test_unsupported_parameter_message_gives_the_reason() -> None:
    with pytest.raises(UnsupportedImgixParam) as caught:
        parse_imgix_query("pad=10")
    assert str(caught.value) == (
        "imgix parameter pad (imgixParams.pad) is not supported by the DatoCMS emulator "
        "(borders, padding, masks and rotation change the output size in ways the emulator "
        "does not model). See docs/emulator-images.md for what it renders."
    )


def test_parse_query_types_and_defaults() -> None:
    options = parse_imgix_query(
        "w=0.5&h=200&fit=crop&ar=4%3A3&dpr=2&fm=webp&q=60&auto=format,compress&crop=top,left"
        "&fp-z=2&max-w=300&min-h=10&blur=20&sat=-100&bri=5&con=-5&sharp=10&hue=90&sepia=50"
        "&px=4&invert=1&flip=hv&bg=f00&fill=solid&fill-color=80ff0000&lossless=true"
        "&chromasub=444&dl=photo.jpg&rect=0.25,0,0.5,1&ixlib=python-3.0"
    )
    assert (options.w, options.h, options.fit, options.ar, options.dpr) == (
        0.5,
        200.0,
        "crop",
        (4.0, 3.0),
        2.0,
    )
    assert (options.fm, options.q, options.quality, options.auto) == (
        "webp",
        60,
        60,
        ("format", "compress"),
    )
    assert (options.crop, options.fp_z, options.max_w, options.min_h) == (
        ("top", "left"),
        2,
        300,
        10,
    )
    assert (options.blur, options.sat, options.bri, options.con, options.sharp) == (
        20,
        -100,
        5,
        -5,
        10.0,
    )
    assert (options.hue, options.sepia, options.px, options.invert, options.flip) == (
        90,
        50,
        4,
        True,
        "hv",
    )
    # imgix colours: 3 hex digits RGB, 8 digits ARGB (alpha first).
    assert options.bg == (255, 0, 0, 255)
    assert options.fill_color == (255, 0, 0, 128)
    assert (options.lossless, options.chromasub, options.dl) == (True, 444, "photo.jpg")
    assert (options.rect, options.rect_is_fraction) == ((0.25, 0.0, 0.5, 1.0), True)
    assert "ixlib" not in dict(options.params)
    assert parse_imgix_query("").params == ()
    assert parse_imgix_query("w=10").quality == 75
    assert parse_imgix_query("auto=compress").quality == 45


def test_parse_query_rejects_unknown_and_conflicting_parameters() -> None:
    with pytest.raises(InvalidImgixParams, match=r"unknown imgix parameter 'wdth'; the emulator"):
        parse_imgix_query("wdth=3")
    with pytest.raises(InvalidImgixParams, match=r"'w' is given twice with different values"):
        parse_imgix_query("w=3&w=4")
    assert parse_imgix_query("w=3&w=3").w == 3


def test_canonical_params_round_trip_through_the_url() -> None:
    params = {"rect": "0.5,0,0.5,1", "bg": "#fff", "ar": "1.91:1", "w": 100.0}
    canonical = canonical_imgix_params(params)
    assert canonical == {"ar": "1.91:1", "bg": "fff", "rect": "0.5,0,0.5,1", "w": "100"}
    options = parse_imgix_query(imgix_query(params))
    assert options.params == tuple(sorted(canonical.items()))
    assert options.rect_is_fraction is True
    assert parse_imgix_query("rect=0,0,1,1").rect_is_fraction is False


def test_focal_point_forms() -> None:
    assert focal_point_xy({"x": 0.3, "y": 0.6}) == (0.3, 0.6)
    assert focal_point_xy((0.3, 0.6)) == (0.3, 0.6)
    assert focal_point_xy(None) is None
    with pytest.raises(InvalidImgixParams, match=r"focal_point values must be from 0 to 1"):
        focal_point_xy({"x": 2, "y": 0})
    with pytest.raises(InvalidImgixParams, match=r"focal_point must be \{'x': float"):
        focal_point_xy({"x": 0.2})


def test_catalogue_covers_datocms_imgix_params_once() -> None:
    assert not set(IMGIX_PARAMS) & set(UNSUPPORTED_IMGIX_PARAMS)
    assert len(IMGIX_PARAMS) + len(UNSUPPORTED_IMGIX_PARAMS) == 172
    for param in [*IMGIX_PARAMS.values(), *UNSUPPORTED_IMGIX_PARAMS.values()]:
        assert param.graphql_type.strip("[]!") in {
            "String",
            "IntType",
            "FloatType",
            "BooleanType",
            *IMGIX_ENUMS,
        }, param
        if param.honoured_values is not None:
            assert set(param.honoured_values) <= set(param.values)
    assert IMGIX_PARAMS["maxW"].name == "max-w"
    assert IMGIX_PARAMS["auto"].graphql_type == "[ImgixParamsAuto!]"
    assert IMGIX_PARAMS["auto"].enum == "ImgixParamsAuto"
    assert IMGIX_PARAMS["fit"].values == (
        "clamp",
        "clip",
        "crop",
        "facearea",
        "fill",
        "fillmax",
        "max",
        "min",
        "scale",
    )
    assert imgix_name("markIfMinHeight") == "mark-if-min-height"


def test_parse_params_demands_text_values() -> None:
    with pytest.raises(InvalidImgixParams, match=r"must be given as text, got int"):
        parse_imgix_params({"w": 3})  # type: ignore[dict-item]
