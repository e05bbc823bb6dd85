"""imgix parameters for the emulator: how DatoCMS's ``ImgixParams`` input becomes an imgix
query string, and how a query string comes back as validated ``ImgixOptions``.

DatoCMS's GraphQL ``ImgixParams`` input names every imgix parameter in camelCase (``maxW``,
``fpX``); the asset URL spells them the imgix way (``max-w``, ``fp-x``). Which parameters the
emulator renders is in ``emulator.imgix_params`` (re-exported here and in ``images``; see
``docs/emulator-images.md``).

This module only parses, validates and formats: it never opens an image. Every bad value
raises ``InvalidImgixParams`` (``UnsupportedImgixParam`` for real imgix features the
emulator does not do) with a message naming both spellings of the parameter.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, quote

from PIL import ImageColor

from datocms_app.emulator.exceptions import InvalidImgixParams, UnsupportedImgixParam
from datocms_app.emulator.imgix_params import (
    IGNORED_QUERY_PARAMS,
    IMGIX_ENUMS,
    IMGIX_PARAMS,
    UNSUPPORTED_IMGIX_PARAMS,
    FocalPointLike,
    ImgixParam,
    imgix_name,
)

__all__ = [
    "IGNORED_QUERY_PARAMS",
    "IMGIX_ENUMS",
    "IMGIX_PARAMS",
    "UNSUPPORTED_IMGIX_PARAMS",
    "FocalPointLike",
    "ImgixOptions",
    "ImgixParam",
    "canonical_imgix_params",
    "encode_query",
    "focal_point_xy",
    "format_number",
    "imgix_name",
    "imgix_query",
    "parse_imgix_params",
    "parse_imgix_query",
]

RGBA = tuple[int, int, int, int]

_BY_IMGIX_NAME = {param.name: param for param in IMGIX_PARAMS.values()}
_UNSUPPORTED_BY_IMGIX_NAME = {param.name: param for param in UNSUPPORTED_IMGIX_PARAMS.values()}


@dataclass(frozen=True)
class ImgixOptions:
    """Validated imgix parameters, typed, with imgix's defaults (``parse_imgix_params``).

    ``params`` keeps the canonical ``(imgix name, value)`` pairs, sorted: the cache key.
    """

    params: tuple[tuple[str, str], ...] = ()
    w: float | None = None
    h: float | None = None
    fit: str = "clip"
    ar: tuple[float, float] | None = None
    dpr: float = 1.0
    fm: str | None = None
    q: int | None = None
    auto: tuple[str, ...] = ()
    crop: tuple[str, ...] = ()
    fp_x: float | None = None
    fp_y: float | None = None
    fp_z: float = 1.0
    max_w: int | None = None
    max_h: int | None = None
    min_w: int | None = None
    min_h: int | None = None
    rect: tuple[float, float, float, float] | None = None
    rect_is_fraction: bool = False
    blur: int = 0
    sat: int = 0
    bri: int = 0
    con: int = 0
    sharp: float = 0.0
    hue: int = 0
    sepia: int = 0
    px: int = 0
    invert: bool = False
    flip: str | None = None
    bg: RGBA | None = None
    fill: str | None = None
    fill_color: RGBA | None = None
    lossless: bool = False
    chromasub: int | None = None
    dl: str | None = None

    @property
    def quality(self) -> int:
        """The encoder quality imgix would use."""
        if self.q is not None:
            return self.q
        return 45 if "compress" in self.auto else 75

    @property
    def changes_pixels(self) -> bool:
        """True when the output differs from the source (any parameter but ``dl``)."""
        return any(name != "dl" for name, _ in self.params)


def _describe(param: ImgixParam) -> str:
    return f"{param.name} (imgixParams.{param.field})"


def _bad(param: ImgixParam, expected: str, raw: str) -> InvalidImgixParams:
    return InvalidImgixParams(
        f"imgix parameter {_describe(param)} must be {expected}, got {raw!r}.", param=param.name
    )


def _number(param: ImgixParam, raw: str, *, integer: bool) -> float:
    try:
        value = float(raw) if not integer else float(int(raw, 10))
    except ValueError:
        kind = "a whole number" if integer else "a number"
        raise _bad(param, _range_text(param, kind), raw) from None
    if not math.isfinite(value) or (param.minimum is not None and value < param.minimum):
        raise _bad(param, _range_text(param, "a number"), raw)
    if param.maximum is not None and value > param.maximum:
        raise _bad(param, _range_text(param, "a number"), raw)
    if param.field in ("w", "h", "dpr") and value == 0:
        raise _bad(param, _range_text(param, "a number"), raw)
    return value


def _range_text(param: ImgixParam, kind: str) -> str:
    low, high = param.minimum, param.maximum
    if param.field in ("w", "h", "dpr"):
        return f"{kind} greater than 0 and at most {format_number(high or 0)}"
    if low is not None and high is not None:
        return f"{kind} from {format_number(low)} to {format_number(high)}"
    if low is not None:
        return f"{kind} of at least {format_number(low)}"
    return kind


def _color(param: ImgixParam, raw: str) -> RGBA:
    text = raw.strip().lstrip("#")
    if re.fullmatch(r"[0-9a-fA-F]{3,4}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8}", text):
        if len(text) in (3, 4):
            text = "".join(ch * 2 for ch in text)
        if len(text) == 6:
            text = "ff" + text
        # imgix reads 4 and 8 hex digits as ARGB (alpha first), unlike CSS.
        a, r, g, b = (int(text[i : i + 2], 16) for i in range(0, 8, 2))
        return (r, g, b, a)
    if re.fullmatch(r"[a-zA-Z]+", text):
        try:
            rgb = ImageColor.getrgb(text.lower())
        except ValueError:
            pass
        else:
            return (rgb[0], rgb[1], rgb[2], 255 if len(rgb) == 3 else rgb[3])
    raise _bad(param, "a colour: hex RGB/ARGB (3, 4, 6 or 8 digits) or a CSS colour name", raw)


def _enum_values(param: ImgixParam, raw: str) -> tuple[str, ...]:
    values = [part.strip() for part in raw.split(",") if part.strip()]
    if not values or (param.kind == "enum" and len(values) != 1):
        one = "one of" if param.kind == "enum" else "a comma-separated list of"
        raise _bad(param, f"{one} {', '.join(param.values)}", raw)
    for value in values:
        if value not in param.values:
            raise _bad(param, f"one of {', '.join(param.values)}", value)
        if param.honoured_values is not None and value not in param.honoured_values:
            raise UnsupportedImgixParam(
                f"imgix parameter {_describe(param)}={value} is not supported by the DatoCMS "
                f"emulator; supported values: {', '.join(param.honoured_values)}. "
                "See docs/emulator-images.md.",
                param=param.name,
            )
    return tuple(dict.fromkeys(values))


def _parse_value(param: ImgixParam, raw: str) -> tuple[str, Any]:
    """Validate one raw value; return its canonical text and its typed value."""
    raw = raw.strip()
    if param.kind == "float":
        value = _number(param, raw, integer=False)
        return format_number(value), value
    if param.kind == "int":
        number = int(_number(param, raw, integer=True))
        if param.field == "chromasub" and number not in (420, 422, 444):
            raise _bad(param, "420, 422 or 444", raw)
        return str(number), number
    if param.kind == "bool":
        if raw.lower() not in ("true", "false", "1", "0"):
            raise _bad(param, "true or false", raw)
        flag = raw.lower() in ("true", "1")
        return ("true" if flag else "false"), flag
    if param.kind in ("enum", "enum_list"):
        values = _enum_values(param, raw)
        return ",".join(values), values
    return _parse_string(param, raw)


def _parse_string(param: ImgixParam, raw: str) -> tuple[str, Any]:
    if param.field == "ar":
        match = re.fullmatch(r"(\d+(?:\.\d+)?):(\d+(?:\.\d+)?)", raw)
        if not match or float(match[1]) <= 0 or float(match[2]) <= 0:
            raise _bad(param, "an aspect ratio 'W:H' of two positive numbers, e.g. '16:9'", raw)
        width, height = float(match[1]), float(match[2])
        return f"{format_number(width)}:{format_number(height)}", (width, height)
    if param.field == "rect":
        parts = raw.split(",")
        try:
            numbers = tuple(float(part) for part in parts)
        except ValueError:
            numbers = ()
        if len(numbers) != 4 or any(not math.isfinite(n) or n < 0 for n in numbers):
            raise _bad(param, "'x,y,w,h': four non-negative numbers", raw)
        if numbers[2] == 0 or numbers[3] == 0:
            raise _bad(param, "'x,y,w,h' with a width and height greater than 0", raw)
        # Fractions are written with a decimal point ('0.25,0,0.5,1'); keep the text as given
        # so that the URL round-trips to the same meaning.
        fraction = any("." in part for part in parts) and all(n <= 1 for n in numbers)
        return ",".join(part.strip() for part in parts), (numbers, fraction)
    if param.field in ("bg", "fillColor"):
        _color(param, raw)
        return raw.lstrip("#"), _color(param, raw)
    if not raw:
        raise _bad(param, "a non-empty string", raw)
    return raw, raw


def parse_imgix_params(params: Mapping[str, str]) -> ImgixOptions:
    """Validate ``{imgix name: raw value}`` (as in a URL) into ``ImgixOptions``.

    Raises ``UnsupportedImgixParam`` for a real imgix parameter the emulator does not render
    and ``InvalidImgixParams`` for an unknown name or a bad value.
    """
    canonical: dict[str, str] = {}
    typed: dict[str, Any] = {}
    for name, raw in params.items():
        if name in IGNORED_QUERY_PARAMS:
            continue
        param = _BY_IMGIX_NAME.get(name)
        if param is None:
            raise _unknown(name)
        if not isinstance(raw, str):
            raise InvalidImgixParams(
                f"imgix parameter {_describe(param)} must be given as text, got "
                f"{type(raw).__name__}.",
                param=name,
            )
        canonical[name], typed[param.field] = _parse_value(param, raw)
    options: dict[str, Any] = {"params": tuple(sorted(canonical.items()))}
    simple = (
        "w h fit dpr fm q auto crop blur sat bri con sharp hue sepia px invert flip bg fill "
        "lossless chromasub dl"
    )
    for key in simple.split():
        if key in typed:
            value = typed[key]
            options[key] = value[0] if key in ("fit", "fm", "flip", "fill") else value
    renames = {
        "fpX": "fp_x",
        "fpY": "fp_y",
        "fpZ": "fp_z",
        "maxW": "max_w",
        "maxH": "max_h",
        "minW": "min_w",
        "minH": "min_h",
        "fillColor": "fill_color",
        "ar": "ar",
    }
    for key, attribute in renames.items():
        if key in typed:
            options[attribute] = typed[key]
    if "rect" in typed:
        options["rect"], options["rect_is_fraction"] = typed["rect"]
    return ImgixOptions(**options)


def _unknown(name: str) -> InvalidImgixParams:
    unsupported = _UNSUPPORTED_BY_IMGIX_NAME.get(name)
    if unsupported is not None:
        return UnsupportedImgixParam(
            f"imgix parameter {_describe(unsupported)} is not supported by the DatoCMS "
            f"emulator ({unsupported.description[len('Not emulated: ') : -1]}). "
            "See docs/emulator-images.md for what it renders.",
            param=name,
        )
    known = ", ".join(sorted(_BY_IMGIX_NAME))
    return InvalidImgixParams(
        f"unknown imgix parameter {name!r}; the emulator renders: {known}.", param=name
    )


def parse_imgix_query(query_string: str) -> ImgixOptions:
    """Validate an asset URL's query string (``w=300&fit=crop``) into ``ImgixOptions``."""
    if not isinstance(query_string, str):
        raise InvalidImgixParams(
            f"query_string must be a str, got {type(query_string).__name__}.", param=""
        )
    pairs = parse_qsl(query_string.lstrip("?"), keep_blank_values=True)
    params: dict[str, str] = {}
    for name, value in pairs:
        if name in params and params[name] != value:
            raise InvalidImgixParams(
                f"imgix parameter {name!r} is given twice with different values "
                f"({params[name]!r} and {value!r}); give it once.",
                param=name,
            )
        params[name] = value
    return parse_imgix_params(params)


def format_number(value: float) -> str:
    """Numbers as JavaScript prints them: ``2`` not ``2.0``, ``0.25``, ``1.5``."""
    value = float(value)
    if value.is_integer():
        return str(int(value))
    return repr(round(value, 10))


def focal_point_xy(focal_point: FocalPointLike) -> tuple[float, float] | None:
    """Normalise a focal point (``{"x", "y"}`` mapping or ``(x, y)``) to a validated pair."""
    if focal_point is None:
        return None
    try:
        if isinstance(focal_point, Mapping):
            x, y = float(focal_point["x"]), float(focal_point["y"])
        else:
            x, y = (float(part) for part in focal_point)
    except (KeyError, TypeError, ValueError):
        raise InvalidImgixParams(
            "focal_point must be {'x': float, 'y': float} or an (x, y) pair with values from "
            f"0 to 1, got {focal_point!r}.",
            param="focal_point",
        ) from None
    if not (0 <= x <= 1 and 0 <= y <= 1):
        raise InvalidImgixParams(
            f"focal_point values must be from 0 to 1, got x={x}, y={y}.", param="focal_point"
        )
    return (x, y)


def _graphql_text(param: ImgixParam, value: Any) -> str:
    if isinstance(value, bool):
        if param.kind != "bool":
            raise _bad(param, f"a {param.graphql_type} value", str(value).lower())
        return "true" if value else "false"
    if isinstance(value, int | float):
        return format_number(value)
    if isinstance(value, str):
        return value
    if isinstance(value, Sequence) and param.kind == "enum_list":
        return ",".join(str(item) for item in value)
    raise _bad(param, f"a {param.graphql_type} value", repr(value))


def canonical_imgix_params(
    params: Mapping[str, Any] | None, *, focal_point: FocalPointLike = None
) -> dict[str, str]:
    """GraphQL ``ImgixParams`` input (camelCase keys) -> validated ``{imgix name: value}``.

    Keys come out sorted, as DatoCMS's URLs have them. Like DatoCMS, a crop (``fit: crop``)
    with no ``crop`` mode on an upload that has a focal point gets
    ``crop=focalpoint&fp-x=..&fp-y=..``.
    """
    if params is None:
        params = {}
    if not isinstance(params, Mapping):
        raise InvalidImgixParams(
            f"imgixParams must be a mapping of ImgixParams fields, got {type(params).__name__}."
        )
    raw: dict[str, str] = {}
    for field_name, value in params.items():
        if value is not None:
            param = _param_of_field(field_name)
            raw[param.name] = _graphql_text(param, value)
    point = focal_point_xy(focal_point)
    if point is not None and raw.get("fit") == "crop" and "crop" not in raw:
        raw["crop"] = "focalpoint"
        raw.setdefault("fp-x", format_number(point[0]))
        raw.setdefault("fp-y", format_number(point[1]))
    return dict(parse_imgix_params(raw).params)


def _param_of_field(field_name: str) -> ImgixParam:
    """The parameter an ``ImgixParams`` field sets; refuses unknown and unsupported ones."""
    param = IMGIX_PARAMS.get(field_name)
    if param is not None:
        return param
    unsupported = UNSUPPORTED_IMGIX_PARAMS.get(field_name)
    if unsupported is not None:
        raise _unknown(unsupported.name)
    raise InvalidImgixParams(
        f"unknown ImgixParams field {field_name!r}; DatoCMS's fields are camelCase imgix "
        f"parameters such as w, h, fit, fm, maxW, fpX (the emulator renders: "
        f"{', '.join(sorted(IMGIX_PARAMS))}).",
        param=field_name,
    )


def encode_query(params: Mapping[str, str]) -> str:
    """``{"ar": "16:9", "w": "300"}`` -> ``ar=16%3A9&w=300`` (sorted, values percent-encoded)."""
    return "&".join(f"{name}={quote(value, safe='')}" for name, value in sorted(params.items()))


def imgix_query(params: Mapping[str, Any] | None, *, focal_point: FocalPointLike = None) -> str:
    """GraphQL ``ImgixParams`` input -> the imgix query string DatoCMS would put in the URL.

    ``{"w": 300, "fit": "crop", "ar": "16:9", "auto": ["format"]}`` ->
    ``ar=16%3A9&auto=format&fit=crop&w=300``. Names become imgix's (``maxW`` -> ``max-w``),
    lists are joined with commas, booleans are ``true``/``false``, numbers print like
    JavaScript's, keys are sorted. ``focal_point`` is the upload's, applied like DatoCMS
    (see ``canonical_imgix_params``). Bad values raise ``InvalidImgixParams``; parameters the
    emulator cannot render raise ``UnsupportedImgixParam``.
    """
    return encode_query(canonical_imgix_params(params, focal_point=focal_point))
