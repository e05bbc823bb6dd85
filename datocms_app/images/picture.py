"""``render_image``: the ``<picture>`` of react-datocms' server-side ``<RSCImage>``, in Python.

The markup matches ``RSCImage`` (react-datocms 8, formerly ``SRCImage``) element for element
and attribute for attribute: a ``<source type="image/webp">`` from ``webpSrcSet``, a
``<source>`` from ``srcSet`` (or generated from ``src`` with the same candidate multipliers,
``dpr`` and ``max-w``/``max-h`` handling), and an ``<img>`` with the same ``alt``, ``title``,
``sizes``, ``loading``/``fetchpriority``, placeholder and sizing ``style`` and
``referrerpolicy``. The parity tests in ``tests/images/parity`` compare us with the npm
package's own output. On top of it the ``<img>`` carries ``width``, ``height`` and
``decoding="async"``, and ``render_image_preload`` gives the ``<link rel="preload">`` for an
LCP image. Where the reference writes a degenerate ``aspect-ratio:W / 0`` (no height known),
we leave the ratio out.

This is a hot path (tens of thousands of renders per second): it builds the string directly,
and every dynamic value goes through ``datocms_app.escaping.escape_attr``. It must never put a
value into the markup any other way.
"""

from __future__ import annotations

import functools
import logging
import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

from django.utils.safestring import SafeString
from pydantic import ValidationError

from datocms_app.content_problems import report_content_problem
from datocms_app.escaping import escape_attr
from datocms_app.exceptions import InvalidArgument, InvalidResponsiveImage
from datocms_app.images.imgix import (
    js_number,
    parse_search_params,
    search_params_get,
    search_params_set,
    serialize_search_params,
    split_url,
)
from datocms_app.images.models import ResponsiveImage, parse_image

__all__ = [
    "DEFAULT_SRCSET_CANDIDATES",
    "build_srcset",
    "css_declarations",
    "render_image",
    "render_image_preload",
]

logger = logging.getLogger("datocms_app.images")

# Returned as is on the hot path rather than built for every image that renders nothing.
_EMPTY = SafeString("")

DEFAULT_SRCSET_CANDIDATES: tuple[float, ...] = (0.25, 0.5, 0.75, 1, 1.5, 2, 3, 4)
DEFAULT_REFERRER_POLICY = "no-referrer-when-downgrade"
REFERRER_POLICIES = frozenset(
    {
        "",
        "no-referrer",
        "no-referrer-when-downgrade",
        "origin",
        "origin-when-cross-origin",
        "same-origin",
        "strict-origin",
        "strict-origin-when-cross-origin",
        "unsafe-url",
    }
)
# Lazy images without an explicit ``sizes`` let the browser pick from the rendered width
# ("auto" only works with loading="lazy"); ", 100vw" is the fallback for older browsers.
LAZY_DEFAULT_SIZES = "auto, 100vw"
_MIN_CANDIDATE_WIDTH = 50
_BOGUS_BASE = "https://example.com/"
_LEADING_INT = re.compile(r"\s*([+-]?\d+)")

StyleValue = str | int | float | None
Style = str | Mapping[str, StyleValue] | None


# --- srcset -------------------------------------------------------------------------------


def _js_parse_int(text: str) -> int | None:
    match = _LEADING_INT.match(text)
    return int(match.group(1)) if match else None


def _resolve_like_js(src: str) -> str:
    # react-datocms resolves ``src`` against a throwaway base and strips it again, which turns
    # "a.jpg" into "/a.jpg" and "//host/a.jpg" into "https://host/a.jpg".
    if src.startswith("//"):
        return "https:" + src
    if "://" in src.split("?", 1)[0] or src.startswith(("/", "data:")):
        return src
    return "/" + src


@functools.lru_cache(maxsize=2048)
def _srcset_from_src(src: str, width: int, candidates: tuple[float, ...]) -> str:
    base, query, fragment = split_url(_resolve_like_js(src))
    if base.startswith(_BOGUS_BASE):
        # The reference strips its throwaway base from every URL, real ones included.
        base = "/" + base[len(_BOGUS_BASE) :]
    plain = base + ("?" + query if query else "") + fragment
    entries = []
    for multiplier in candidates:
        final_width = math.floor(width * multiplier)
        if final_width < _MIN_CANDIDATE_WIDTH:
            continue
        if multiplier == 1:
            entries.append(f"{plain} {final_width}w")
            continue
        pairs = parse_search_params(query)
        search_params_set(pairs, "dpr", js_number(multiplier))
        for name in ("max-h", "max-w"):
            limit = search_params_get(pairs, name)
            parsed = _js_parse_int(limit) if limit else None
            if parsed is not None:
                search_params_set(pairs, name, str(math.floor(parsed * multiplier)))
        entries.append(f"{base}?{serialize_search_params(pairs)}{fragment} {final_width}w")
    return ",".join(entries)


def _check_candidates(candidates: object) -> tuple[float, ...]:
    if candidates is DEFAULT_SRCSET_CANDIDATES:
        return DEFAULT_SRCSET_CANDIDATES
    if isinstance(candidates, str) or not isinstance(candidates, Sequence):
        raise InvalidArgument(
            f"srcset_candidates must be a list of positive numbers such as [0.5, 1, 2], "
            f"got {candidates!r}."
        )
    values: tuple[float, ...] = tuple(candidates)
    for value in values:
        if isinstance(value, bool) or not isinstance(value, int | float) or not value > 0:
            raise InvalidArgument(
                f"srcset_candidates must contain positive numbers, got {value!r} in {values!r}."
            )
        if math.isinf(value):
            raise InvalidArgument(f"srcset_candidates cannot contain {value!r}.")
    return values


def build_srcset(
    src: str, width: int, candidates: Sequence[float] = DEFAULT_SRCSET_CANDIDATES
) -> str:
    """The ``srcset`` react-datocms generates from ``src`` when ``srcSet`` was not queried.

    One entry per multiplier ``m``: the URL with ``dpr=m`` (for ``m != 1``) and any
    ``max-w``/``max-h`` scaled by ``m``, described as ``floor(width * m)w``; entries under
    50w are dropped.
    """
    if not isinstance(src, str) or not src:
        raise InvalidArgument(f"build_srcset() needs the image's src URL, got {src!r}.")
    if isinstance(width, bool) or not isinstance(width, int) or width <= 0:
        raise InvalidArgument(f"build_srcset() needs the image's width in pixels, got {width!r}.")
    return _srcset_from_src(src, width, _check_candidates(candidates))


# --- style --------------------------------------------------------------------------------

# React writes numbers without "px" for these properties (react-dom's unitless list).
_UNITLESS_NAMES = (
    "animation-iteration-count aspect-ratio border-image-outset border-image-slice "
    "border-image-width box-flex box-flex-group box-ordinal-group column-count columns flex "
    "flex-grow flex-positive flex-shrink flex-negative flex-order grid-area grid-row "
    "grid-row-end grid-row-span grid-row-start grid-column grid-column-end grid-column-span "
    "grid-column-start font-weight line-clamp line-height opacity order orphans scale "
    "tab-size widows z-index zoom fill-opacity flood-opacity stop-opacity stroke-dasharray "
    "stroke-dashoffset stroke-miterlimit stroke-opacity stroke-width"
)
_UNITLESS = frozenset(_UNITLESS_NAMES.split())
_UPPER = re.compile(r"([A-Z])")
_PROPERTY_NAME = re.compile(r"-{0,2}[A-Za-z][A-Za-z0-9-]*\Z")


def _property_name(key: str) -> str:
    if key.startswith("--"):
        return key
    name = _UPPER.sub(r"-\1", key).lower()
    return "-ms-" + name[3:] if name.startswith("ms-") else name


def css_declarations(style: Mapping[str, StyleValue]) -> list[tuple[str, str]]:
    """A style mapping as ``(property, value)`` pairs, the way React writes a ``style`` prop.

    Keys may be CSS names (``object-fit``) or React's camelCase (``objectFit``); numbers get
    ``px`` unless zero or unitless (``opacity``, ``z-index``...); ``None``, booleans and
    empty strings are left out.
    """
    declarations = []
    for key, value in style.items():
        if not isinstance(key, str) or not _PROPERTY_NAME.match(key):
            raise InvalidArgument(f"{key!r} is not a CSS property name (e.g. 'object-fit').")
        name = _property_name(key)
        if value is None or isinstance(value, bool) or value == "":
            continue
        if isinstance(value, int | float):
            text = js_number(value)
            if value != 0 and name not in _UNITLESS and not name.startswith("--"):
                text += "px"
        elif isinstance(value, str):
            text = value.strip()
        else:
            raise InvalidArgument(
                f"The CSS value of {key!r} must be a string or a number, got {value!r}."
            )
        declarations.append((name, text))
    return declarations


def _check_style(style: object, option: str) -> None:
    if style is not None and not isinstance(style, str | Mapping):
        raise InvalidArgument(
            f"{option} must be CSS text ('object-fit: cover') or a mapping "
            f"({{'object-fit': 'cover'}}), got {type(style).__name__}."
        )


def _style_text(style: Style, option: str) -> str:
    if style is None:
        return ""
    if isinstance(style, str):
        return style.strip().strip(";").strip()
    _check_style(style, option)
    return ";".join(f"{name}:{value}" for name, value in css_declarations(style))


def _merge_styles(generated: list[tuple[str, str]], user: Mapping[str, StyleValue]) -> str:
    # Object.assign semantics: a user property replaces the generated one in place, and a
    # user None removes it; new properties come last.
    merged = dict(generated)
    for key, value in user.items():
        if isinstance(key, str) and (value is None or isinstance(value, bool) or value == ""):
            merged.pop(_property_name(key), None)
    for name, text in css_declarations(user):
        merged[name] = text
    return ";".join(f"{name}:{value}" for name, value in merged.items())


def _css_string(text: str) -> str:
    # The placeholder goes into url("..."): escape what would end the CSS string.
    if '"' in text or "\\" in text or "\n" in text or "\r" in text:
        text = (
            text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\a ").replace("\r", "")
        )
    return text


def _placeholder_declarations(image: ResponsiveImage) -> list[tuple[str, str]]:
    if image.base64:
        return [
            ("background-image", f'url("{_css_string(image.base64)}")'),
            ("background-size", "cover"),
            ("background-repeat", "no-repeat"),
            ("background-position", "50% 50%"),
            ("color", "transparent"),
        ]
    if image.bg_color:
        return [("background-color", image.bg_color), ("color", "transparent")]
    return []


def _height(image: ResponsiveImage) -> int:
    if image.height is not None:
        return image.height
    if image.aspect_ratio:
        return math.floor(image.width / image.aspect_ratio + 0.5)  # JS Math.round
    return 0


def _sizing_declarations(width: int, height: int) -> list[tuple[str, str]]:
    ratio = [("aspect-ratio", f"{width} / {height}")] if height else []
    return [*ratio, ("width", "100%"), ("max-width", f"{width}px"), ("height", "auto")]


# --- options --------------------------------------------------------------------------------


def _check_text(value: object, option: str) -> None:
    if value is not None and not isinstance(value, str):
        raise InvalidArgument(f"{option} must be a string or None, got {value!r}.")


def _check_referrer_policy(value: object) -> None:
    if value is not None and value not in REFERRER_POLICIES:
        allowed = ", ".join(sorted(policy for policy in REFERRER_POLICIES if policy))
        raise InvalidArgument(
            f"referrer_policy must be one of {allowed} (or None to leave it out), got {value!r}."
        )


_validate_image = ResponsiveImage.__pydantic_validator__.validate_python


def _parse_or_report(data: object) -> ResponsiveImage | None:
    if type(data) is dict:
        # The common case (a GraphQL result) straight to pydantic-core; any failure goes
        # through parse_image below for the explanatory message.
        try:
            image: ResponsiveImage = _validate_image(data)
            return image
        except ValidationError:
            pass
    try:
        return parse_image(data)
    except InvalidResponsiveImage as exc:
        report_content_problem(exc, logger)
        return None


# --- rendering ------------------------------------------------------------------------------

# The placeholder declarations around the (escaped) data URL, already attribute-escaped.
_BASE64_BEFORE = "background-image:url(&quot;"
_BASE64_AFTER = (
    "&quot;);background-size:cover;background-repeat:no-repeat;"
    "background-position:50% 50%;color:transparent;"
)


def _placeholder_css(image: ResponsiveImage) -> str:
    """The escaped placeholder declarations (base64 first, else the background colour)."""
    if image.base64:
        return f"{_BASE64_BEFORE}{escape_attr(_css_string(image.base64))}{_BASE64_AFTER}"
    if image.bg_color:
        return f"background-color:{escape_attr(image.bg_color)};color:transparent;"
    return ""


def _merged_img_style(
    image: ResponsiveImage,
    width: int,
    height: int,
    use_placeholder: bool,
    img_style: Mapping[str, StyleValue],
) -> str:
    """The escaped ``style`` when ``img_style`` is a mapping: React's ``Object.assign``."""
    _check_style(img_style, "img_style")
    generated = _placeholder_declarations(image) if use_placeholder else []
    generated += _sizing_declarations(width, height)
    return escape_attr(_merge_styles(generated, img_style))


def render_image(
    data: ResponsiveImage | Mapping[str, Any] | None,
    *,
    sizes: str | None = None,
    priority: bool = False,
    use_placeholder: bool = True,
    srcset_candidates: Sequence[float] = DEFAULT_SRCSET_CANDIDATES,
    referrer_policy: str | None = DEFAULT_REFERRER_POLICY,
    picture_class: str | None = None,
    img_class: str | None = None,
    picture_style: Style = None,
    img_style: Style = None,
    alt: str | None = None,
) -> SafeString:
    """The ``<picture>`` for a CDA ``responsiveImage`` (markup of react-datocms' ``RSCImage``).

    - ``sizes``: the ``sizes`` attribute; default ``data.sizes``, else ``"auto, 100vw"`` for
      lazy images and none for ``priority`` ones.
    - ``priority``: an above-the-fold (LCP) image: ``fetchpriority="high"`` instead of
      ``loading="lazy"``. Pair it with ``render_image_preload`` in ``<head>``.
    - ``use_placeholder``: paint ``base64`` (else ``bgColor``) behind the image while it loads.
    - ``srcset_candidates``: multipliers used when ``data`` has no ``srcSet``.
    - ``referrer_policy``: ``referrerpolicy`` of the ``<img>`` (``None`` leaves it out).
    - ``picture_class``/``img_class``, ``picture_style``/``img_style``: extra classes and CSS
      (text, appended; or a mapping that overrides the generated declarations like React's
      ``style`` prop).
    - ``alt``: overrides ``data.alt``; ``alt`` is always written, empty when unknown.

    ``None`` renders nothing. Data without ``src`` or ``width`` raises
    ``InvalidResponsiveImage`` under ``DEBUG``; otherwise it logs a warning and renders ``""``.
    """
    if data is None:
        return _EMPTY
    if type(data) is ResponsiveImage:
        image = data
    else:
        parsed = _parse_or_report(data)
        if parsed is None:
            return _EMPTY
        image = parsed
    if sizes is not None:
        _check_text(sizes, "sizes")
    if alt is not None:
        _check_text(alt, "alt")
    if referrer_policy is not DEFAULT_REFERRER_POLICY:
        _check_referrer_policy(referrer_policy)
    candidates = (
        DEFAULT_SRCSET_CANDIDATES
        if srcset_candidates is DEFAULT_SRCSET_CANDIDATES
        else _check_candidates(srcset_candidates)
    )

    # Each element is built by one f-string: repeated += on a growing string would copy the
    # (base64-heavy) markup over and over.
    resolved_sizes = sizes if sizes is not None else image.sizes
    if resolved_sizes is None and not priority:
        resolved_sizes = LAZY_DEFAULT_SIZES
    sizes_attr = "" if resolved_sizes is None else f' sizes="{escape_attr(resolved_sizes)}"'

    if picture_class is None and picture_style is None:
        picture = "<picture>"
    else:
        picture = f"<picture{_class_and_style(picture_class, picture_style, 'picture')}>"
    webp = (
        f'<source srcset="{escape_attr(image.webp_src_set)}"{sizes_attr} type="image/webp">'
        if image.webp_src_set
        else ""
    )
    srcset = image.src_set
    if srcset is None:
        srcset = _srcset_from_src(image.src, image.width, candidates)

    width = image.width
    height = image.height if image.height is not None else _height(image)
    image_alt = alt if alt is not None else image.alt
    title = "" if image.title is None else f' title="{escape_attr(image.title)}"'
    dimensions = f' width="{width}" height="{height}"' if height else f' width="{width}"'
    loading = ' fetchpriority="high"' if priority else ' loading="lazy"'
    if img_class is None:
        class_attr = ""
    else:
        _check_text(img_class, "img_class")
        class_attr = f' class="{escape_attr(img_class)}"'
    if img_style is None or isinstance(img_style, str):
        # Escaped pieces concatenated: the same bytes as escaping the whole declaration list.
        placeholder = _placeholder_css(image) if use_placeholder else ""
        ratio = f"aspect-ratio:{width} / {height};" if height else ""
        extra = _style_text(img_style, "img_style") if img_style else ""
        extra = f";{escape_attr(extra)}" if extra else ""
        style = f"{placeholder}{ratio}width:100%;max-width:{width}px;height:auto{extra}"
    else:
        style = _merged_img_style(image, width, height, use_placeholder, img_style)
    referrer = f' referrerpolicy="{escape_attr(referrer_policy)}"' if referrer_policy else ""
    return SafeString(
        f'{picture}{webp}<source srcset="{escape_attr(srcset)}"{sizes_attr}>'
        f'<img src="{escape_attr(image.src)}" alt="{escape_attr(image_alt or "")}"{title}'
        f'{dimensions}{sizes_attr}{loading} decoding="async"{class_attr} style="{style}"'
        f"{referrer}></picture>"
    )


def _class_and_style(class_name: str | None, style: Style, element: str) -> str:
    _check_text(class_name, f"{element}_class")
    attrs = "" if class_name is None else f' class="{escape_attr(class_name)}"'
    css = _style_text(style, f"{element}_style")
    return attrs + (f' style="{escape_attr(css)}"' if css else "")


def render_image_preload(
    data: ResponsiveImage | Mapping[str, Any] | None,
    *,
    sizes: str | None = None,
    srcset_candidates: Sequence[float] = DEFAULT_SRCSET_CANDIDATES,
    referrer_policy: str | None = DEFAULT_REFERRER_POLICY,
) -> SafeString:
    """``<link rel="preload" as="image">`` for the ``priority`` image of a page (its LCP).

    Put it in ``<head>`` with the same ``sizes`` as the ``render_image(..., priority=True)``
    it announces. It preloads the candidate set the browser will pick from the ``<picture>``:
    ``webpSrcSet`` (with ``type="image/webp"``) when the image has one, else ``srcSet`` (or
    the generated one). ``href`` is left out when there is a srcset, so that browsers that
    do not understand ``imagesrcset`` download nothing rather than the wrong file.
    """
    if data is None:
        return _EMPTY
    image = data if type(data) is ResponsiveImage else _parse_or_report(data)
    if image is None:
        return _EMPTY
    _check_text(sizes, "sizes")
    if referrer_policy is not DEFAULT_REFERRER_POLICY:
        _check_referrer_policy(referrer_policy)
    candidates = _check_candidates(srcset_candidates)

    resolved_sizes = sizes if sizes is not None else image.sizes
    srcset = image.webp_src_set or image.src_set
    if srcset is None:
        srcset = _srcset_from_src(image.src, image.width, candidates)
    html = '<link rel="preload" as="image"'
    if srcset:
        html += f' imagesrcset="{escape_attr(srcset)}"'
        if resolved_sizes:
            html += f' imagesizes="{escape_attr(resolved_sizes)}"'
        if image.webp_src_set:
            html += ' type="image/webp"'
    else:
        html += f' href="{escape_attr(image.src)}"'
    html += ' fetchpriority="high"'
    if referrer_policy:
        html += f' referrerpolicy="{escape_attr(referrer_policy)}"'
    return SafeString(html + ">")
