"""Where imgix's size parameters put the pixels: a pure planner, no Pillow, no I/O.

``plan_transform(width, height, options)`` answers, for a source of that size, which source
region is kept (``crop``), what size it is resized to (``size``), and the output canvas
(``canvas``, larger than ``size`` only for fit=fill/fillmax/clamp). The transformer renders
the plan; ``responsive_image`` reads the output size from the same plan, so the width and
height DatoCMS-style ``responsiveImage`` reports always match the served image.

imgix semantics followed (https://docs.imgix.com/apis/rendering/size/fit):

* no ``w``/``h``: the source size (times ``dpr``);
* ``clip`` (default) fits inside the box and may upscale; ``max`` and ``fillmax`` never
  upscale; ``scale`` distorts to the box; ``fill``/``fillmax``/``clamp`` pad to the box;
* ``crop`` fills the box and cuts the excess (upscaling if needed); ``ar`` gives the box's
  shape when only one side (or none) is given; ``min`` is ``crop`` that never upscales;
* ``max-w``/``max-h``/``min-w``/``min-h`` bound the box for fit=crop; ``dpr`` multiplies
  the result; no side exceeds 8192 px (larger requests shrink proportionally);
* sizes are rounded to the nearest pixel, never below 1.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from datocms_app.emulator.exceptions import InvalidImgixParams
from datocms_app.emulator.imgix import ImgixOptions, format_number
from datocms_app.emulator.imgix_params import MAX_OUTPUT_SIDE

__all__ = ["Box", "Plan", "Saliency", "plan_transform"]

#: (left, top, right, bottom) in source pixels, floats.
Box = tuple[float, float, float, float]
#: Content-aware crop placement: (region, crop width, crop height, mode) -> (left, top).
Saliency = Callable[[Box, float, float, str], tuple[float, float]]

_PADDED_FITS = ("fill", "fillmax", "clamp")


@dataclass(frozen=True)
class Plan:
    """How to render one request. ``exact`` is the output size before rounding."""

    crop: Box
    size: tuple[int, int]
    canvas: tuple[int, int]
    offset: tuple[int, int]
    exact: tuple[float, float]
    #: The output width at which the kept region is shown at 1:1 (the ``srcSet`` ceiling).
    natural_width: float

    @property
    def width(self) -> int:
        return self.canvas[0]

    @property
    def height(self) -> int:
        return self.canvas[1]

    @property
    def aspect_ratio(self) -> float:
        return self.exact[0] / self.exact[1]

    def scaled_to_fit(self, box_width: int, box_height: int) -> Plan:
        """The same crop rendered within ``box_width`` x ``box_height`` (the LQIP thumbnail)."""
        factor = min(box_width / self.exact[0], box_height / self.exact[1])
        canvas = (_px(self.exact[0] * factor), _px(self.exact[1] * factor))
        size = (
            min(canvas[0], _px(self.size[0] * canvas[0] / self.canvas[0])),
            min(canvas[1], _px(self.size[1] * canvas[1] / self.canvas[1])),
        )
        offset = ((canvas[0] - size[0]) // 2, (canvas[1] - size[1]) // 2)
        exact = (self.exact[0] * factor, self.exact[1] * factor)
        return Plan(self.crop, size, canvas, offset, exact, self.natural_width * factor)


def _px(value: float) -> int:
    return max(1, math.floor(value + 0.5))


def _source_region(width: int, height: int, options: ImgixOptions) -> Box:
    if options.rect is None:
        return (0.0, 0.0, float(width), float(height))
    x, y, w, h = options.rect
    if options.rect_is_fraction:
        x, w = x * width, w * width
        y, h = y * height, h * height
    left, top = min(x, width), min(y, height)
    right, bottom = min(x + w, width), min(y + h, height)
    if right - left < 1 or bottom - top < 1:
        rect = ",".join(format_number(v) for v in options.rect)
        raise InvalidImgixParams(
            f"imgix parameter rect={rect} lies outside the "
            f"{width}x{height} image; give x,y,w,h inside it.",
            param="rect",
        )
    return (left, top, right, bottom)


def _requested(value: float | None, source: float) -> float | None:
    if value is None:
        return None
    return value * source if value < 1 else value


def plan_transform(
    width: int,
    height: int,
    options: ImgixOptions,
    *,
    focal_point: tuple[float, float] | None = None,
    saliency: Saliency | None = None,
) -> Plan:
    """Plan imgix's geometry for a ``width`` x ``height`` source (see the module docstring).

    ``focal_point`` is the upload's (used by crop=focalpoint without fp-x/fp-y, and, as in
    DatoCMS, by any fit=crop without a crop mode). ``saliency`` places crop=entropy/edges
    windows; without it they are centred.
    """
    if width < 1 or height < 1:
        raise InvalidImgixParams(f"cannot transform a {width}x{height} image.", param="")
    region = _source_region(width, height, options)
    src_w, src_h = region[2] - region[0], region[3] - region[1]
    w = _requested(options.w, src_w)
    h = _requested(options.h, src_h)
    fit, dpr = options.fit, options.dpr

    aspect: float | None = None
    if fit in ("crop", "min"):
        if w is not None and h is not None:
            aspect = w / h
        elif options.ar is not None and fit == "crop":
            aspect = options.ar[0] / options.ar[1]
            if w is not None:
                h = w / aspect
            elif h is not None:
                w = h * aspect
    if aspect is not None:
        return _plan_crop(region, aspect, w, h, options, focal_point, saliency)

    # Everything else keeps the whole region and fits it in the box.
    if w is None and h is None:
        scale_x = scale_y = 1.0
    elif fit == "scale" and w is not None and h is not None:
        scale_x, scale_y = w / src_w, h / src_h
    else:
        scale_x = scale_y = min(
            (w / src_w) if w is not None else math.inf,
            (h / src_h) if h is not None else math.inf,
        )
    logical = (src_w * scale_x, src_h * scale_y)
    if fit == "crop":
        logical = _bounded(logical[0], logical[1], options)
    content = (logical[0] * dpr, logical[1] * dpr)
    if fit in ("max", "fillmax", "min") and content[0] > src_w:
        content = (src_w, src_h)
    frame = content
    if fit in _PADDED_FITS and w is not None and h is not None:
        frame = (w * dpr, h * dpr)
    return _finish(region, content, frame)


def _plan_crop(
    region: Box,
    aspect: float,
    w: float | None,
    h: float | None,
    options: ImgixOptions,
    focal_point: tuple[float, float] | None,
    saliency: Saliency | None,
) -> Plan:
    src_w, src_h = region[2] - region[0], region[3] - region[1]
    if src_w / src_h > aspect:
        crop_w, crop_h = src_h * aspect, src_h
    else:
        crop_w, crop_h = src_w, src_w / aspect
    uses_focal_point = "focalpoint" in options.crop or (
        options.fit == "crop" and not options.crop and focal_point is not None
    )
    if uses_focal_point and options.fp_z > 1:
        crop_w, crop_h = crop_w / options.fp_z, crop_h / options.fp_z
    if w is None or h is None:
        w, h = crop_w, crop_h
    if options.fit == "crop":
        w, h = _bounded(w, h, options)
    dpr = options.dpr
    out_w, out_h = w * dpr, h * dpr
    if options.fit == "min" and out_w > crop_w:
        out_w, out_h = crop_w, crop_h
    left, top = _place(region, crop_w, crop_h, options, focal_point, saliency, uses_focal_point)
    crop = (left, top, left + crop_w, top + crop_h)
    return _finish(crop, (out_w, out_h), (out_w, out_h))


def _bounded(w: float, h: float, options: ImgixOptions) -> tuple[float, float]:
    factor = 1.0
    if options.max_w is not None and w * factor > options.max_w:
        factor = options.max_w / w
    if options.max_h is not None and h * factor > options.max_h:
        factor = options.max_h / h
    if options.min_w is not None and w * factor < options.min_w:
        factor = options.min_w / w
    if options.min_h is not None and h * factor < options.min_h:
        factor = options.min_h / h
    return w * factor, h * factor


def _place(
    region: Box,
    crop_w: float,
    crop_h: float,
    options: ImgixOptions,
    focal_point: tuple[float, float] | None,
    saliency: Saliency | None,
    uses_focal_point: bool,
) -> tuple[float, float]:
    src_w, src_h = region[2] - region[0], region[3] - region[1]
    free_x, free_y = src_w - crop_w, src_h - crop_h
    modes = options.crop
    if uses_focal_point:
        default = focal_point or (0.5, 0.5)
        fx = options.fp_x if options.fp_x is not None else default[0]
        fy = options.fp_y if options.fp_y is not None else default[1]
        x = min(max(fx * src_w - crop_w / 2, 0.0), free_x)
        y = min(max(fy * src_h - crop_h / 2, 0.0), free_y)
    elif saliency is not None and ("entropy" in modes or "edges" in modes):
        mode = "entropy" if "entropy" in modes else "edges"
        x, y = saliency(region, crop_w, crop_h, mode)
        x, y = min(max(x, 0.0), free_x), min(max(y, 0.0), free_y)
    else:
        # crop=faces finds no faces here, so (like imgix) the other modes decide.
        x = 0.0 if "left" in modes else free_x if "right" in modes else free_x / 2
        y = 0.0 if "top" in modes else free_y if "bottom" in modes else free_y / 2
    return (region[0] + x, region[1] + y)


def _finish(crop: Box, content: tuple[float, float], frame: tuple[float, float]) -> Plan:
    largest = max(frame)
    if largest > MAX_OUTPUT_SIDE:
        factor = MAX_OUTPUT_SIDE / largest
        content = (content[0] * factor, content[1] * factor)
        frame = (frame[0] * factor, frame[1] * factor)
    canvas = (_px(frame[0]), _px(frame[1]))
    size = (min(_px(content[0]), canvas[0]), min(_px(content[1]), canvas[1]))
    offset = ((canvas[0] - size[0]) // 2, (canvas[1] - size[1]) // 2)
    crop_w = crop[2] - crop[0]
    natural_width = frame[0] * crop_w / content[0]
    return Plan(crop, size, canvas, offset, frame, natural_width)
