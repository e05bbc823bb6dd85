"""Pillow work for the emulator's images: decode, render a ``Plan``, adjust, encode, describe.

Everything here is pure (bytes in, bytes out) and knows nothing about caching or HTTP; the
public API with caches lives in ``emulator.images``. Renders are deterministic: the same
source and parameters give the same bytes.
"""

from __future__ import annotations

import base64
import io
import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from PIL import Image, ImageEnhance, ImageFilter, ImageOps, UnidentifiedImageError, features

from datocms_app.emulator.blurhash import encode_blurhash
from datocms_app.emulator.exceptions import ImageNotFound, NotAnImage, UnsupportedImgixParam
from datocms_app.emulator.image_geometry import Box, Plan, Saliency
from datocms_app.emulator.imgix import ImgixOptions

__all__ = [
    "CONTENT_TYPES",
    "LQIP_BOX",
    "LoadedImage",
    "choose_format",
    "describe_colors",
    "encode",
    "load",
    "lqip_data_url",
    "pixels_of",
    "render",
    "saliency_for",
    "source_format",
]

#: The placeholder thumbnail fits in this box, as DatoCMS's ``base64`` does (24 x 13, ...).
LQIP_BOX = (24, 24)

CONTENT_TYPES = {
    "jpg": "image/jpeg",
    "pjpg": "image/jpeg",
    "png": "image/png",
    "png8": "image/png",
    "png32": "image/png",
    "webp": "image/webp",
    "avif": "image/avif",
    "gif": "image/gif",
    "jp2": "image/jp2",
    "blurhash": "text/plain; charset=utf-8",
}
_PILLOW_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif", "AVIF": "avif"}
_PILLOW_FORMATS["JPEG2000"] = "jp2"
_ORIENTATION_TAG = 0x0112
_WHITE = (255, 255, 255, 255)


@dataclass(frozen=True)
class LoadedImage:
    """A decoded image in RGB or RGBA, upright (EXIF orientation applied).

    ``scale`` is the decoded size over the full size: JPEG draft mode may decode at 1/2, 1/4
    or 1/8 when the output is small, so plans (in full-size pixels) are scaled by it.
    """

    image: Image.Image
    #: Pillow's name of the file format: ``JPEG``, ``PNG``, ``WEBP``...
    pillow_format: str
    full_size: tuple[int, int]

    @property
    def scale(self) -> tuple[float, float]:
        return (self.image.width / self.full_size[0], self.image.height / self.full_size[1])

    @property
    def format(self) -> str:
        """The imgix name of the file format (``jpg``, ``png``...), "" if imgix has none."""
        return _PILLOW_FORMATS.get(self.pillow_format, "")


def load(path: Path, *, needed_scale: float = 1.0, max_side: int | None = None) -> LoadedImage:
    """Decode ``path`` upright in RGB(A).

    A JPEG may be decoded at a reduced size (much faster) when only ``needed_scale`` of its
    resolution is needed, or only enough for ``max_side`` pixels on its longer side.
    """
    try:
        with path.open("rb") as handle:
            image: Image.Image = Image.open(handle)
            pillow_format = image.format or ""
            orientation = image.getexif().get(_ORIENTATION_TAG, 1)
            width, height = image.size
            if max_side is not None:
                needed_scale = min(needed_scale, max_side / max(width, height))
            if pillow_format == "JPEG" and needed_scale < 0.5:
                # Keep twice the needed resolution so the final LANCZOS pass stays sharp.
                wanted = (
                    max(1, math.ceil(width * needed_scale * 2)),
                    max(1, math.ceil(height * needed_scale * 2)),
                )
                image.draft("RGB", wanted)
            image.load()
    except FileNotFoundError:
        raise ImageNotFound(f"the upload file {path.name!r} does not exist.") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise NotAnImage(f"{path.name!r} is not an image the emulator can read ({exc}).") from exc
    if orientation in (5, 6, 7, 8):
        width, height = height, width
    if orientation != 1:
        image = ImageOps.exif_transpose(image)
    has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    wanted_mode = "RGBA" if has_alpha else "RGB"
    if image.mode != wanted_mode:
        image = image.convert(wanted_mode)
    return LoadedImage(image, pillow_format, (width, height))


def source_format(loaded: LoadedImage) -> str:
    """The output format imgix keeps when no ``fm`` is given."""
    if loaded.format:
        return loaded.format
    return "png" if loaded.image.mode == "RGBA" else "jpg"


def _accepts(accept: str, media_type: str) -> bool:
    for part in accept.split(","):
        pieces = [piece.strip() for piece in part.split(";")]
        if pieces[0].lower() != media_type:
            continue
        for piece in pieces[1:]:
            if piece.startswith("q="):
                try:
                    return float(piece[2:]) > 0
                except ValueError:
                    return False
        return True
    return False


def choose_format(options: ImgixOptions, default: str, accept: str) -> str:
    """The output format: ``fm``, overridden by ``auto=format`` when the client accepts it."""
    chosen = options.fm or default
    if "format" in options.auto and chosen != "blurhash":
        if _accepts(accept, "image/avif") and features.check("avif"):
            return "avif"
        if _accepts(accept, "image/webp"):
            return "webp"
    needs = {"avif": "avif", "webp": "webp", "jp2": "jpg_2000"}.get(chosen)
    if needs and not features.check(needs):
        raise UnsupportedImgixParam(
            f"fm={chosen} needs a Pillow built with {needs} support, which this one lacks.",
            param="fm",
        )
    return chosen


def render(
    loaded: LoadedImage, plan: Plan, options: ImgixOptions, *, adjust: bool = True
) -> Image.Image:
    """Cut, resize, pad, mirror and (with ``adjust``) colour-adjust ``loaded`` per ``plan``."""
    sx, sy = loaded.scale
    left, top, right, bottom = plan.crop
    box = (left * sx, top * sy, right * sx, bottom * sy)
    # Cut the whole pixels first: resampling with ``box`` alone would let the filter read
    # pixels outside the crop and bleed them into its edges.
    outer = (
        math.floor(box[0]),
        math.floor(box[1]),
        min(loaded.image.width, math.ceil(box[2])),
        min(loaded.image.height, math.ceil(box[3])),
    )
    inner = (box[0] - outer[0], box[1] - outer[1], box[2] - outer[0], box[3] - outer[1])
    region = loaded.image.crop(outer) if outer != (0, 0, *loaded.image.size) else loaded.image
    image = region.resize(plan.size, Image.Resampling.LANCZOS, box=inner, reducing_gap=3.0)
    if plan.canvas != plan.size:
        image = _pad(loaded.image, box, image, plan, options)
    if options.flip:
        if "h" in options.flip:
            image = image.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
        if "v" in options.flip:
            image = image.transpose(Image.Transpose.FLIP_TOP_BOTTOM)
    return _adjust(image, options) if adjust else image


def _pad(
    source: Image.Image, box: Box, content: Image.Image, plan: Plan, options: ImgixOptions
) -> Image.Image:
    (cw, ch), (ox, oy) = plan.canvas, plan.offset
    if options.fit == "clamp":
        # Extend the edge pixels outwards: first sideways, then up and down.
        row = Image.new(content.mode, (cw, content.height))
        row.paste(content.crop((0, 0, 1, content.height)).resize((ox or 1, content.height)))
        right_width = cw - ox - content.width
        right_edge = content.crop((content.width - 1, 0, content.width, content.height))
        row.paste(right_edge.resize((right_width or 1, content.height)), (ox + content.width, 0))
        row.paste(content, (ox, 0))
        canvas = Image.new(content.mode, (cw, ch))
        canvas.paste(row.crop((0, 0, cw, 1)).resize((cw, oy or 1)))
        bottom_height = ch - oy - content.height
        bottom_edge = row.crop((0, content.height - 1, cw, content.height))
        canvas.paste(bottom_edge.resize((cw, bottom_height or 1)), (0, oy + content.height))
        canvas.paste(row, (0, oy))
        return canvas
    if options.fill == "blur":
        # Cover the canvas with the same region, blurred, then lay the image on top.
        scale = max(cw / (box[2] - box[0]), ch / (box[3] - box[1]))
        cover_w, cover_h = (box[2] - box[0]) * scale, (box[3] - box[1]) * scale
        inset_x, inset_y = (cover_w - cw) / 2 / scale, (cover_h - ch) / 2 / scale
        cover_box = (box[0] + inset_x, box[1] + inset_y, box[2] - inset_x, box[3] - inset_y)
        canvas = source.resize((cw, ch), Image.Resampling.BILINEAR, box=cover_box)
        canvas = canvas.filter(ImageFilter.GaussianBlur(max(cw, ch) / 20))
    else:
        color = options.fill_color or options.bg or (0, 0, 0, 0)
        mode = "RGBA" if color[3] < 255 or content.mode == "RGBA" else "RGB"
        canvas = Image.new(mode, (cw, ch), color if mode == "RGBA" else color[:3])
        if content.mode != mode:
            content = content.convert(mode)
    if content.mode == "RGBA":
        canvas = canvas.convert("RGBA")
        canvas.alpha_composite(content, (ox, oy))
    else:
        canvas.paste(content, (ox, oy))
    return canvas


def _adjust(image: Image.Image, options: ImgixOptions) -> Image.Image:
    alpha = image.getchannel("A") if image.mode == "RGBA" else None
    rgb = image.convert("RGB") if alpha is not None else image
    steps: list[tuple[bool, Callable[[Image.Image], Image.Image]]] = [
        ("enhance" in options.auto, _enhance),
        (options.bri != 0, lambda im: ImageEnhance.Brightness(im).enhance(1 + options.bri / 100)),
        (options.con != 0, lambda im: ImageEnhance.Contrast(im).enhance(1 + options.con / 100)),
        (options.sat != 0, lambda im: ImageEnhance.Color(im).enhance(1 + options.sat / 100)),
        (options.hue != 0, lambda im: _rotate_hue(im, options.hue)),
        (options.sepia > 0, lambda im: _sepia(im, options.sepia)),
        (options.invert, ImageOps.invert),
        (options.sharp > 0, lambda im: im.filter(_unsharp(options.sharp))),
        (options.px > 1, lambda im: _pixellate(im, options.px)),
        (options.blur > 0, lambda im: im.filter(ImageFilter.GaussianBlur(options.blur / 10))),
    ]
    changed = False
    for wanted, step in steps:
        if wanted:
            rgb, changed = step(rgb), True
    if not changed:
        return image
    if alpha is not None:
        rgb.putalpha(alpha)
    return rgb


def _enhance(image: Image.Image) -> Image.Image:
    return ImageEnhance.Color(ImageOps.autocontrast(image, cutoff=1)).enhance(1.1)


def _rotate_hue(image: Image.Image, degrees: int) -> Image.Image:
    shift = round(degrees / 360 * 256) % 256
    hue, saturation, value = image.convert("HSV").split()
    hue = hue.point(lambda h: (h + shift) % 256)
    return Image.merge("HSV", (hue, saturation, value)).convert("RGB")


def _sepia(image: Image.Image, amount: int) -> Image.Image:
    toned = ImageOps.colorize(ImageOps.grayscale(image), (38, 26, 12), (255, 240, 205))
    return Image.blend(image, toned, amount / 100)


def _unsharp(sharp: float) -> ImageFilter.UnsharpMask:
    return ImageFilter.UnsharpMask(radius=2, percent=round(sharp * 3), threshold=2)


def _pixellate(image: Image.Image, block: int) -> Image.Image:
    small = (max(1, math.ceil(image.width / block)), max(1, math.ceil(image.height / block)))
    reduced = image.resize(small, Image.Resampling.BOX)
    return reduced.resize(image.size, Image.Resampling.NEAREST)


def _flatten(image: Image.Image, color: tuple[int, int, int, int]) -> Image.Image:
    if image.mode != "RGBA":
        return image
    background = Image.new("RGBA", image.size, (*color[:3], 255))
    background.alpha_composite(image)
    return background.convert("RGB")


def encode(image: Image.Image, fmt: str, options: ImgixOptions) -> bytes:
    """Encode a rendered image in imgix format ``fmt`` (``jpg``, ``webp``, ``blurhash``...)."""
    buffer = io.BytesIO()
    quality = options.quality
    if options.bg is not None and image.mode == "RGBA":
        image = _flatten(image, options.bg)
    if fmt in ("jpg", "pjpg"):
        subsampling = {444: 0, 422: 1, 420: 2}.get(options.chromasub or 0, -1)
        _flatten(image, _WHITE).save(
            buffer, "JPEG", quality=quality, progressive=fmt == "pjpg", subsampling=subsampling
        )
    elif fmt == "png":
        image.save(buffer, "PNG")
    elif fmt == "png32":
        image.convert("RGBA").save(buffer, "PNG")
    elif fmt == "png8":
        method = Image.Quantize.FASTOCTREE if image.mode == "RGBA" else Image.Quantize.MEDIANCUT
        image.quantize(256, method=method).save(buffer, "PNG")
    elif fmt == "webp":
        image.save(buffer, "WEBP", quality=quality, lossless=options.lossless, method=4)
    elif fmt == "avif":
        image.save(buffer, "AVIF", quality=100 if options.lossless else quality)
    elif fmt == "gif":
        _to_gif(image).save(buffer, "GIF")
    elif fmt == "jp2":
        rate = 1 + (100 - quality) * 0.4
        _flatten(image, _WHITE).save(
            buffer, "JPEG2000", quality_mode="rates", quality_layers=[rate]
        )
    elif fmt == "blurhash":
        return blurhash_of(image).encode("ascii")
    else:  # pragma: no cover - choose_format only returns the formats above
        raise UnsupportedImgixParam(f"fm={fmt} is not supported by the emulator.", param="fm")
    return buffer.getvalue()


def _to_gif(image: Image.Image) -> Image.Image:
    if image.mode != "RGBA":
        return image.quantize(256, method=Image.Quantize.MEDIANCUT)
    # One palette slot for transparency: quantise to 255 colours, map clear pixels to 255.
    palette_image = _flatten(image, _WHITE).quantize(255, method=Image.Quantize.MEDIANCUT)
    clear = image.getchannel("A").point(lambda a: 255 if a < 128 else 0)
    palette_image.paste(255, mask=clear)
    palette_image.info["transparency"] = 255
    return palette_image


def pixels_of(image: Image.Image) -> list[Any]:
    """Every pixel, row by row (``get_flattened_data`` where Pillow has it, else ``getdata``)."""
    flattened = getattr(image, "get_flattened_data", None)
    return list(flattened() if flattened is not None else image.getdata())


def blurhash_of(image: Image.Image) -> str:
    """The 4 x 3 BlurHash of ``image`` (computed on a 32 px thumbnail, white under alpha)."""
    thumb = _flatten(image, _WHITE).copy()
    if thumb.mode != "RGB":
        thumb = thumb.convert("RGB")
    thumb.thumbnail((32, 32), Image.Resampling.BOX)
    return encode_blurhash(pixels_of(thumb), thumb.width, thumb.height)


def lqip_data_url(thumbnail: Image.Image) -> str:
    """``data:image/jpeg;base64,...`` of a tiny, blurred JPEG (DatoCMS's ``base64``)."""
    image = _flatten(thumbnail, _WHITE)
    blurred = image.filter(ImageFilter.GaussianBlur(1))
    buffer = io.BytesIO()
    blurred.save(buffer, "JPEG", quality=50, optimize=True)
    return "data:image/jpeg;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def describe_colors(image: Image.Image, count: int = 5) -> list[str]:
    """The ``count`` dominant colours as ``#rrggbb``, most frequent first (opaque pixels only)."""
    thumb = image.copy()
    thumb.thumbnail((64, 64), Image.Resampling.BOX)
    if thumb.mode == "RGBA":
        rgba = cast("list[tuple[int, int, int, int]]", pixels_of(thumb))
        pixels = [p[:3] for p in rgba if p[3] >= 128] or [(255, 255, 255)]
        thumb = Image.new("RGB", (len(pixels), 1))
        thumb.putdata(pixels)
    quantised = thumb.quantize(8, method=Image.Quantize.MEDIANCUT)
    palette = quantised.getpalette() or []
    counts = sorted(quantised.getcolors() or [], key=lambda entry: (-entry[0], entry[1]))
    colors: list[str] = []
    for _, entry in counts:
        index = int(cast(int, entry))
        hex_color = "#{:02x}{:02x}{:02x}".format(*palette[index * 3 : index * 3 + 3])
        if hex_color not in colors:
            colors.append(hex_color)
    return colors[:count]


def saliency_for(loaded: LoadedImage) -> Saliency:
    """Crop placement for crop=entropy/edges: the window with the most detail."""

    def place(region: Box, crop_w: float, crop_h: float, mode: str) -> tuple[float, float]:
        sx, sy = loaded.scale
        region_w, region_h = region[2] - region[0], region[3] - region[1]
        scaled = (region[0] * sx, region[1] * sy, region[2] * sx, region[3] * sy)
        factor = 64 / max(region_w, region_h)
        size = (max(1, round(region_w * factor)), max(1, round(region_h * factor)))
        grey = loaded.image.convert("L").resize(size, Image.Resampling.BOX, box=scaled)
        score = _entropy
        if mode == "edges":
            grey, score = grey.filter(ImageFilter.FIND_EDGES), _mean
        horizontal = region_w - crop_w >= region_h - crop_h
        if horizontal:
            window = max(1, round(crop_w * factor))
            best = _best_window(grey, window, 0, score)
            return (best / factor, (region_h - crop_h) / 2)
        window = max(1, round(crop_h * factor))
        best = _best_window(grey, window, 1, score)
        return ((region_w - crop_w) / 2, best / factor)

    return place


def _best_window(
    grey: Image.Image, window: int, axis: int, score: Callable[[list[int]], float]
) -> int:
    """Offset along ``axis`` (0: x, 1: y) of the window with the highest ``score``."""
    width, height = grey.size
    data = cast("list[int]", pixels_of(grey))
    length = width if axis == 0 else height
    lines = [
        [data[y * width + i] for y in range(height)]
        if axis == 0
        else data[i * width : (i + 1) * width]
        for i in range(length)
    ]
    best_offset, best_score = 0, -1.0
    for offset in range(0, max(1, length - window + 1)):
        values = [value for line in lines[offset : offset + window] for value in line]
        value = score(values)
        if value > best_score + 1e-9:
            best_offset, best_score = offset, value
    return best_offset


def _mean(values: list[int]) -> float:
    return sum(values) / len(values)


def _entropy(values: list[int]) -> float:
    histogram = [0] * 16
    for value in values:
        histogram[value >> 4] += 1
    total = len(values)
    return -sum(c / total * math.log2(c / total) for c in histogram if c)
