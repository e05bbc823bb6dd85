"""The emulator's images: DatoCMS upload metadata, imgix renditions and ``responsiveImage``.

The emulator serves each upload at a URL it generates (``{ASSETS_BASE}/{id}/{filename}``)
and, like DatoCMS's imgix CDN, renders the imgix parameters of the query string with Pillow.
This module is that renderer plus what the GraphQL side needs about an image:

* ``analyze(path)`` -> ``ImageAnalysis``: size, format, BlurHash, the ``base64`` LQIP, the
  dominant colours. Cached by (path, mtime, size).
* ``transform(path, params, accept=...)`` -> ``TransformedImage``: one rendition, cached in a
  memory LRU and on disk (``emulator.image_cache``).
* ``asset_response(path, query_string, accept=...)``: status, headers and body for the asset
  view (400 with a plain-text reason for bad parameters, 404 for a missing file).
* ``responsive_image(...)``: the CDA's ``ResponsiveImage`` object, computed as DatoCMS does.
* ``imgix_query(params)`` / ``IMGIX_PARAMS`` / ``UNSUPPORTED_IMGIX_PARAMS``: from
  ``emulator.imgix``.

It never downloads anything and never writes outside its cache folder. Honoured parameters,
caching and the differences from imgix are described in ``docs/emulator-images.md``.
"""

from __future__ import annotations

import functools
import hashlib
import math
import mimetypes
import os
import tempfile
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils.http import content_disposition_header
from PIL import Image

from datocms_app.emulator.exceptions import ImageNotFound, InvalidImgixParams, NotAnImage
from datocms_app.emulator.http_files import apply_range, etag_matches, text_answer
from datocms_app.emulator.image_cache import (
    CacheStats,
    TransformCache,
    TransformedImage,
    file_digest,
)
from datocms_app.emulator.image_geometry import Plan, plan_transform
from datocms_app.emulator.image_render import (
    CONTENT_TYPES,
    LQIP_BOX,
    blurhash_of,
    choose_format,
    describe_colors,
    encode,
    load,
    lqip_data_url,
    render,
    saliency_for,
)
from datocms_app.emulator.imgix import (
    ImgixOptions,
    canonical_imgix_params,
    encode_query,
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
    FocalPointLike,
    ImgixParam,
)
from datocms_app.exceptions import InvalidArgument

__all__ = [
    "CACHE_CONTROL",
    "IMGIX_ENUMS",
    "IMGIX_PARAMS",
    "SRCSET_MULTIPLIERS",
    "UNSUPPORTED_IMGIX_PARAMS",
    "CacheStats",
    "ImageAnalysis",
    "ImgixParam",
    "TransformCache",
    "TransformedImage",
    "analyze",
    "asset_response",
    "default_transform_cache",
    "imgix_query",
    "responsive_image",
    "source_format_of",
    "transform",
]

#: ``srcSet`` candidates, as multiples of the output width (DatoCMS's and react-datocms's).
SRCSET_MULTIPLIERS = (0.25, 0.5, 0.75, 1, 1.5, 2, 3, 4)
#: Asset URLs change when an upload is replaced, but the emulator's files can be edited in
#: place during development: a day of caching, revalidated by ETag.
CACHE_CONTROL = "public, max-age=86400"
#: Part of every cache key: bump it when rendering changes so old disk entries are not used.
_RENDER_VERSION = "1"
_PIXEL_ADJUSTMENTS = frozenset(
    ("blur", "sat", "bri", "con", "sharp", "hue", "sepia", "px", "invert", "flip", "bg", "rect")
)

Headers = list[tuple[str, str]]


@dataclass(frozen=True)
class ImageAnalysis:
    """What DatoCMS knows about an image upload (``analyze``)."""

    path: Path
    width: int
    height: int
    #: Pillow's format name, lower case: ``jpeg``, ``png``, ``webp``, ``gif``, ``avif``...
    format: str
    mime_type: str
    #: File size in bytes.
    size: int
    #: 4 x 3 BlurHash (28 characters), like DatoCMS's ``blurhash``.
    blurhash: str
    #: ``data:image/jpeg;base64,...``: a blurred thumbnail within 24 x 24 px (``blurUpThumb``).
    base64: str
    #: The dominant colour, ``#rrggbb`` (``responsiveImage.bgColor``).
    bg_color: str
    #: Up to 5 dominant colours, most frequent first (``colors { hex }``).
    colors: tuple[str, ...]
    has_alpha: bool
    mtime_ns: int


def _as_path(path: Any) -> Path:
    if isinstance(path, Path):
        return path
    if isinstance(path, str | os.PathLike):
        return Path(path)
    raise InvalidArgument(f"path must be a pathlib.Path, got {type(path).__name__}.")


def analyze(path: Path) -> ImageAnalysis:
    """Describe the image at ``path``; raises ``ImageNotFound`` or ``NotAnImage``."""
    path = _as_path(path)
    try:
        stat = path.stat()
    except FileNotFoundError:
        raise ImageNotFound(f"the upload file {path.name!r} does not exist.") from None
    return _analyze(str(path), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=256)
def _analyze(path: str, mtime_ns: int, size: int) -> ImageAnalysis:
    loaded = load(Path(path), max_side=64)
    image = loaded.image
    thumbnail = image.copy()
    thumbnail.thumbnail(LQIP_BOX, Image.Resampling.LANCZOS)
    colors = describe_colors(image)
    width, height = loaded.full_size
    return ImageAnalysis(
        path=Path(path),
        width=width,
        height=height,
        format=loaded.pillow_format.lower(),
        mime_type=Image.MIME.get(loaded.pillow_format, "application/octet-stream"),
        size=size,
        blurhash=blurhash_of(image),
        base64=lqip_data_url(thumbnail),
        bg_color=colors[0],
        colors=tuple(colors),
        has_alpha=image.mode == "RGBA",
        mtime_ns=mtime_ns,
    )


_default_caches: dict[str, TransformCache] = {}
_default_caches_lock = threading.Lock()


def default_transform_cache() -> TransformCache:
    """The shared cache, on disk in ``DATOCMS["EMULATOR_IMAGE_CACHE_DIR"]`` (or a temp dir)."""
    from django.conf import settings

    from datocms_app.emulator.conf import get_image_cache_dir

    configured = get_image_cache_dir() if settings.configured else ""
    directory = (
        Path(configured) if configured else Path(tempfile.gettempdir()) / "datocms-emulator-images"
    )
    with _default_caches_lock:
        cache = _default_caches.get(str(directory))
        if cache is None:
            cache = _default_caches[str(directory)] = TransformCache(directory)
        return cache


def transform(
    path: Path,
    params: Mapping[str, str],
    *,
    accept: str = "",
    focal_point: FocalPointLike = None,
    cache: TransformCache | None = None,
) -> TransformedImage:
    """Render ``path`` with imgix ``params`` (imgix names, text values: ``{"w": "300"}``).

    ``accept`` is the request's Accept header (for ``auto=format``); ``focal_point`` the
    upload's (``{"x": .., "y": ..}``), used by crop=focalpoint without fp-x/fp-y and by any
    fit=crop without a crop mode. Results come from ``cache`` (default: the shared one) when
    possible. Raises ``InvalidImgixParams``/``UnsupportedImgixParam``, ``ImageNotFound``,
    ``NotAnImage``.
    """
    path = _as_path(path)
    if not isinstance(params, Mapping):
        raise InvalidImgixParams(
            f"params must be a mapping of imgix names to text, got {type(params).__name__}."
        )
    options = parse_imgix_params(dict(params))
    point = focal_point_xy(focal_point)
    return _cached_transform(path, options, accept, point, cache or default_transform_cache())[1]


def _cached_transform(
    path: Path,
    options: ImgixOptions,
    accept: str,
    point: tuple[float, float] | None,
    cache: TransformCache,
) -> tuple[str, TransformedImage]:
    """The cache key and the rendition (from ``cache``, or rendered and stored there)."""
    analysis = analyze(path)
    digest = file_digest(path)
    default = source_format_of(analysis)
    fmt = choose_format(options, default, accept)
    key_text = "\0".join((_RENDER_VERSION, digest, repr(options.params), fmt, repr(point)))
    key = hashlib.sha256(key_text.encode()).hexdigest()
    cached = cache.get(key)
    if cached is not None:
        return key, cached
    if not options.changes_pixels and fmt == default:
        # Only download-name or encoder settings that do not apply: imgix's bytes would be a
        # re-encode of the same picture; the original file is the faithful answer.
        result = TransformedImage(
            path.read_bytes(), CONTENT_TYPES[fmt], analysis.width, analysis.height, fmt
        )
    else:
        plan = plan_transform(analysis.width, analysis.height, options, focal_point=point)
        image = _render(path, analysis, options, point, plan)
        result = TransformedImage(
            encode(image, fmt, options), CONTENT_TYPES[fmt], image.width, image.height, fmt
        )
    cache.put(key, result)
    return key, result


def source_format_of(analysis: ImageAnalysis) -> str:
    """The imgix format an unconverted rendition of ``analysis`` has (``jpg``, ``png``...)."""
    names = {"jpeg": "jpg", "png": "png", "webp": "webp", "gif": "gif", "avif": "avif"}
    names["jpeg2000"] = "jp2"
    return names.get(analysis.format, "png" if analysis.has_alpha else "jpg")


def _render(
    path: Path,
    analysis: ImageAnalysis,
    options: ImgixOptions,
    point: tuple[float, float] | None,
    plan: Plan,
    *,
    thumbnail: bool = False,
) -> Image.Image:
    crop_w, crop_h = plan.crop[2] - plan.crop[0], plan.crop[3] - plan.crop[1]
    final = plan.scaled_to_fit(*LQIP_BOX) if thumbnail else plan
    needed = max(final.size[0] / crop_w, final.size[1] / crop_h)
    loaded = load(path, needed_scale=needed)
    if "entropy" in options.crop or "edges" in options.crop:
        plan = plan_transform(
            analysis.width,
            analysis.height,
            options,
            focal_point=point,
            saliency=saliency_for(loaded),
        )
        final = plan.scaled_to_fit(*LQIP_BOX) if thumbnail else plan
    return render(loaded, final, options)


def asset_response(
    path: Path,
    query_string: str,
    *,
    accept: str = "",
    focal_point: FocalPointLike = None,
    if_none_match: str = "",
    range_header: str = "",
    if_range: str = "",
    cache: TransformCache | None = None,
) -> tuple[int, Headers, bytes]:
    """The HTTP answer for an upload URL: ``(status, headers, body)``.

    Without imgix parameters the file is served as is (any upload, images or not), and
    ``range_header``/``if_range`` (the request's Range and If-Range) answer 206/416 as
    ``http_files.apply_range`` does, so a video upload's ``url`` can play in ``<video>``.
    With them it is rendered by ``transform``. Bad parameters answer 400 with a one-line
    plain-text reason, a missing file 404; ``if_none_match`` (the request's If-None-Match)
    matching the ETag answers 304. ``Vary: Accept`` comes with ``auto=format``.
    """
    path = _as_path(path)
    if not path.is_file():
        return text_answer(404, f"Not found: there is no upload file {path.name!r}.")
    try:
        options = parse_imgix_query(query_string)
        point = focal_point_xy(focal_point)
        if not options.params:
            body = path.read_bytes()
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            etag = f'"{file_digest(path)[:32]}"'
        else:
            key, rendition = _cached_transform(
                path, options, accept, point, cache or default_transform_cache()
            )
            body, content_type = rendition.content, rendition.content_type
            etag = f'"{key[:32]}"'
    except InvalidImgixParams as exc:
        return text_answer(400, f"Bad imgix parameters: {exc}")
    except NotAnImage:
        return text_answer(400, f"imgix parameters apply to images only; {path.name!r} is not one.")
    except ImageNotFound:
        return text_answer(404, f"Not found: there is no upload file {path.name!r}.")
    headers: Headers = [("Cache-Control", CACHE_CONTROL), ("ETag", etag)]
    if "format" in options.auto:
        headers.append(("Vary", "Accept"))
    if etag_matches(if_none_match, etag):
        return 304, headers, b""
    headers = [("Content-Type", content_type), ("Content-Length", str(len(body))), *headers]
    if options.dl:
        headers.append(("Content-Disposition", content_disposition_header(True, options.dl)))
    headers.append(("Access-Control-Allow-Origin", "*"))
    if options.params:
        return 200, headers, body
    # The file as is: ranges, for players and download managers (renditions are small).
    return apply_range(200, headers, body, range_header=range_header, if_range=if_range, etag=etag)


def responsive_image(
    *,
    base_url: str,
    analysis: ImageAnalysis,
    imgix_params: Mapping[str, Any] | None,
    sizes: str | None,
    alt: str | None,
    title: str | None,
    focal_point: FocalPointLike = None,
) -> dict[str, Any]:
    """The CDA's ``ResponsiveImage`` for an upload, as DatoCMS computes it.

    Matched against DatoCMS's documented and observed responses:

    * ``src`` is ``base_url`` plus the imgix query of ``imgix_params`` (imgix names, keys
      sorted, values percent-encoded: ``?ar=16%3A9&auto=format&fit=crop&w=900``); a
      ``fit: crop`` without a ``crop`` mode on an upload with a focal point gets
      ``crop=focalpoint&fp-x=..&fp-y=..``, as DatoCMS does.
    * ``width``/``height`` are the size the URL renders (the planner the transformer uses);
      ``aspectRatio`` is the unrounded output ratio (16:9 -> 1.7777777777777777).
    * ``srcSet`` lists ``dpr`` 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 4 times that width (``dpr``
      omitted at 1), each with a ``{floor(width * dpr)}w`` descriptor, comma-separated; the
      ones above 1x are kept only while they need no upscaling of the source (a 569 px
      source stops at ``569w``). ``webpSrcSet`` is the same with ``fm=webp``.
    * ``sizes`` defaults to ``(max-width: {width}px) 100vw, {width}px``.
    * ``base64`` is a blurred JPEG thumbnail within 24 x 24 px of the same crop;
      ``bgColor`` the upload's dominant colour; ``alt``/``title`` are returned as given.
    """
    if not isinstance(base_url, str) or not base_url or "?" in base_url:
        raise InvalidArgument(f"base_url must be the upload URL without a query, got {base_url!r}.")
    if not isinstance(analysis, ImageAnalysis):
        raise InvalidArgument("analysis must be the ImageAnalysis of the upload (analyze()).")
    canonical = canonical_imgix_params(imgix_params, focal_point=focal_point)
    options = parse_imgix_params(canonical)
    point = focal_point_xy(focal_point)
    plan = plan_transform(analysis.width, analysis.height, options, focal_point=point)
    width, height = plan.width, plan.height

    def url(params: Mapping[str, str]) -> str:
        query = encode_query(params)
        return f"{base_url}?{query}" if query else base_url

    candidates: list[tuple[dict[str, str], int]] = []
    for multiplier in SRCSET_MULTIPLIERS:
        descriptor = math.floor(width * multiplier)
        if multiplier > 1 and descriptor > plan.natural_width + 0.5:
            break
        params = dict(canonical)
        dpr = options.dpr * multiplier
        params.pop("dpr", None)
        if dpr != 1:
            params["dpr"] = format_number(dpr)
        candidates.append((params, descriptor))
    return {
        "srcSet": ",".join(f"{url(params)} {descriptor}w" for params, descriptor in candidates),
        "webpSrcSet": ",".join(
            f"{url({**params, 'fm': 'webp'})} {descriptor}w" for params, descriptor in candidates
        ),
        "sizes": sizes if sizes is not None else f"(max-width: {width}px) 100vw, {width}px",
        "src": url(canonical),
        "width": width,
        "height": height,
        "aspectRatio": plan.aspect_ratio,
        "alt": alt,
        "title": title,
        "base64": _placeholder(analysis, options, point, plan),
        "bgColor": analysis.bg_color,
    }


def _placeholder(
    analysis: ImageAnalysis,
    options: ImgixOptions,
    point: tuple[float, float] | None,
    plan: Plan,
) -> str:
    whole = plan.crop == (0.0, 0.0, float(analysis.width), float(analysis.height))
    same_shape = whole and plan.canvas == plan.size
    same_ratio = abs(plan.aspect_ratio - analysis.width / analysis.height) < 1e-9
    adjusted = any(name in _PIXEL_ADJUSTMENTS for name, _ in options.params)
    if same_shape and same_ratio and not adjusted and "enhance" not in options.auto:
        return analysis.base64
    return _cropped_placeholder(analysis, options.params, point)


@functools.lru_cache(maxsize=1024)
def _cropped_placeholder(
    analysis: ImageAnalysis,
    params: tuple[tuple[str, str], ...],
    point: tuple[float, float] | None,
) -> str:
    options = parse_imgix_params(dict(params))
    plan = plan_transform(analysis.width, analysis.height, options, focal_point=point)
    image = _render(analysis.path, analysis, options, point, plan, thumbnail=True)
    return lqip_data_url(image)
