"""The catalogue of DatoCMS's ``ImgixParams`` GraphQL input: every field, its GraphQL type,
and whether (and how) the emulator renders it.

``IMGIX_PARAMS`` are the parameters the emulator renders with Pillow; ``description`` says
how. ``UNSUPPORTED_IMGIX_PARAMS`` are all the other fields of DatoCMS's input, with the reason
they are refused, so the GraphQL schema can declare the very same input type.
``IMGIX_ENUMS`` holds every ``ImgixParams*`` enum. Data only: parsing lives in ``imgix``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

__all__ = [
    "IGNORED_QUERY_PARAMS",
    "IMGIX_ENUMS",
    "IMGIX_PARAMS",
    "MAX_OUTPUT_SIDE",
    "UNSUPPORTED_IMGIX_PARAMS",
    "FocalPointLike",
    "ImgixParam",
    "imgix_name",
]

#: Largest output side imgix renders; bigger requests are scaled down proportionally.
MAX_OUTPUT_SIDE = 8192

Kind = Literal["float", "int", "bool", "string", "enum", "enum_list"]
RGBA = tuple[int, int, int, int]
#: A focal point as the CMA stores it (``{"x": 0.3, "y": 0.6}``) or as an ``(x, y)`` pair.
FocalPointLike = Mapping[str, Any] | Sequence[float] | None

#: Every ``ImgixParams*`` enum of DatoCMS's schema with its values.
_ENUM_SPEC = """
ImgixParamsAuto: compress enhance format redeye
ImgixParamsBgRemoveFgType: auto car
ImgixParamsBlendAlign: bottom center left middle right top
ImgixParamsBlendCrop: bottom faces left right top
ImgixParamsBlendFit: clamp clip crop max scale
ImgixParamsBlendMode: burn color darken difference dodge exclusion hardlight hue lighten
    luminosity multiply normal overlay saturation screen softlight
ImgixParamsBlendSize: inherit
ImgixParamsCh: dpr saveData width
ImgixParamsCrop: bottom edges entropy faces focalpoint left right top
ImgixParamsCs: adobergb1998 origin srgb strip tinysrgb
ImgixParamsFill: blur gen generative gradient solid
ImgixParamsFillGenPos: bottom center left middle right top
ImgixParamsFillGradientCs: hsl lch linear oklab srgb
ImgixParamsFillGradientLinearDirection: bottom left right top
ImgixParamsFillGradientType: linear radial
ImgixParamsFit: clamp clip crop facearea fill fillmax max min scale
ImgixParamsFlip: h hv v
ImgixParamsFm: avif blurhash gif jp2 jpg json jxr mp4 pjpg png png8 png32 webm webp
ImgixParamsIptc: allow block
ImgixParamsMarkAlign: bottom center left middle right top
ImgixParamsMarkFit: clip crop fill max scale
ImgixParamsMarkTile: grid
ImgixParamsPalette: css json
ImgixParamsRotType: pivot straighten
ImgixParamsTransparency: grid
ImgixParamsTrim: alpha auto color
ImgixParamsTxtAlign: bottom center left middle right top
ImgixParamsTxtClip: ellipsis end middle start
ImgixParamsTxtFit: max
"""
IMGIX_ENUMS: dict[str, tuple[str, ...]] = {
    name.strip(): tuple(values.split())
    for name, values in (entry.split(":") for entry in re.split(r"\n(?=\S)", _ENUM_SPEC.strip()))
}


def imgix_name(graphql_field: str) -> str:
    """``maxW`` -> ``max-w``, ``fpX`` -> ``fp-x``: the URL spelling of an ``ImgixParams`` field."""
    return re.sub(r"(?<!^)([A-Z])", r"-\1", graphql_field).lower()


@dataclass(frozen=True)
class ImgixParam:
    """One field of DatoCMS's ``ImgixParams`` GraphQL input.

    ``graphql_type`` is the type DatoCMS declares (``IntType``, ``FloatType``, ``String``,
    ``BooleanType``, an ``ImgixParams*`` enum, or ``[ImgixParamsCrop!]`` for lists).
    ``honoured_values`` is the subset of an enum's values the emulator renders (the others
    raise ``UnsupportedImgixParam``); ``description`` says what the emulator does with it, or
    for unsupported parameters why not.
    """

    field: str
    graphql_type: str
    kind: Kind
    description: str
    minimum: float | None = None
    maximum: float | None = None
    honoured_values: tuple[str, ...] | None = None

    @property
    def name(self) -> str:
        """The imgix (URL) spelling: ``max-w``."""
        return imgix_name(self.field)

    @property
    def enum(self) -> str | None:
        """The GraphQL enum type name for enum and enum-list parameters."""
        return self.graphql_type.strip("[]!") if self.kind in ("enum", "enum_list") else None

    @property
    def values(self) -> tuple[str, ...]:
        """Every value DatoCMS's enum allows (empty for non-enums)."""
        return IMGIX_ENUMS[self.enum] if self.enum else ()


def _param(
    field_name: str,
    graphql_type: str,
    description: str,
    *,
    minimum: float | None = None,
    maximum: float | None = None,
    honoured: tuple[str, ...] | None = None,
) -> ImgixParam:
    kinds: dict[str, Kind] = {
        "FloatType": "float",
        "IntType": "int",
        "BooleanType": "bool",
        "String": "string",
    }
    kind: Kind = kinds.get(graphql_type) or ("enum_list" if graphql_type[0] == "[" else "enum")
    return ImgixParam(field_name, graphql_type, kind, description, minimum, maximum, honoured)


_HONOURED = [
    _param(
        "w",
        "FloatType",
        "Output width in px; a value below 1 is a fraction of the source width.",
        minimum=0,
        maximum=MAX_OUTPUT_SIDE,
    ),
    _param(
        "h",
        "FloatType",
        "Output height in px; a value below 1 is a fraction of the source height.",
        minimum=0,
        maximum=MAX_OUTPUT_SIDE,
    ),
    _param(
        "fit",
        "ImgixParamsFit",
        "Resize mode: clip (default, fit inside, may upscale), max (clip without upscaling), "
        "crop (fill w x h, then crop), min (crop without upscaling), scale (distort to w x h), "
        "fill / fillmax (fit inside and pad to w x h; fillmax never upscales), clamp (fit "
        "inside, pad by extending the edge pixels). facearea needs face detection.",
        honoured=("clamp", "clip", "crop", "fill", "fillmax", "max", "min", "scale"),
    ),
    _param("ar", "String", "Aspect ratio 'W:H' (e.g. '16:9'); with fit=crop only, as in imgix."),
    _param(
        "dpr", "FloatType", "Device pixel ratio: multiplies the output size.", minimum=0, maximum=10
    ),
    _param(
        "fm",
        "ImgixParamsFm",
        "Output format. jpg, pjpg (progressive), png, png8 (256-colour palette), png32 (RGBA), "
        "webp, avif, gif (first frame), jp2, blurhash (the text hash of the output). json, jxr, "
        "mp4 and webm are not rendered.",
        honoured=("avif", "blurhash", "gif", "jp2", "jpg", "pjpg", "png", "png8", "png32", "webp"),
    ),
    _param(
        "q",
        "IntType",
        "Quality of lossy formats, 0-100 (default 75, or 45 with auto=compress).",
        minimum=0,
        maximum=100,
    ),
    _param(
        "auto",
        "[ImgixParamsAuto!]",
        "format: AVIF or WebP when the request's Accept header lists them (Vary: Accept); "
        "compress: quality 45 unless q is set; enhance: Pillow autocontrast plus a little "
        "colour, an approximation of imgix's enhancement. redeye needs face detection.",
        honoured=("compress", "enhance", "format"),
    ),
    _param(
        "crop",
        "[ImgixParamsCrop!]",
        "Where fit=crop/min cut: top, bottom, left, right (combinable), focalpoint (fp-x, fp-y, "
        "fp-z; defaults to the upload's focal point), entropy and edges (the busiest window), "
        "faces (no face detector: falls back to the other listed modes, then the centre, as "
        "imgix does for an image without faces).",
        honoured=IMGIX_ENUMS["ImgixParamsCrop"],
    ),
    _param("fpX", "FloatType", "Focal point x (0-1) for crop=focalpoint.", minimum=0, maximum=1),
    _param("fpY", "FloatType", "Focal point y (0-1) for crop=focalpoint.", minimum=0, maximum=1),
    _param(
        "fpZ",
        "FloatType",
        "Zoom into the focal point (1-100) for crop=focalpoint.",
        minimum=1,
        maximum=100,
    ),
    _param(
        "maxW",
        "IntType",
        "Upper bound on the width (before dpr); with fit=crop, as in imgix.",
        minimum=1,
    ),
    _param(
        "maxH",
        "IntType",
        "Upper bound on the height (before dpr); with fit=crop, as in imgix.",
        minimum=1,
    ),
    _param(
        "minW",
        "IntType",
        "Lower bound on the width (before dpr); with fit=crop, as in imgix.",
        minimum=1,
    ),
    _param(
        "minH",
        "IntType",
        "Lower bound on the height (before dpr); with fit=crop, as in imgix.",
        minimum=1,
    ),
    _param(
        "rect",
        "String",
        "Source region 'x,y,w,h' cut before anything else: pixels, or fractions of the source "
        "when every value is at most 1 and one has a decimal point (e.g. '0.25,0,0.5,1').",
    ),
    _param(
        "blur",
        "IntType",
        "Gaussian blur 0-2000 (radius = blur / 10 output px).",
        minimum=0,
        maximum=2000,
    ),
    _param("sat", "IntType", "Saturation -100 (greyscale) to 100.", minimum=-100, maximum=100),
    _param("bri", "IntType", "Brightness -100 to 100.", minimum=-100, maximum=100),
    _param("con", "IntType", "Contrast -100 to 100.", minimum=-100, maximum=100),
    _param("sharp", "FloatType", "Unsharp-mask sharpening 0-100.", minimum=0, maximum=100),
    _param("hue", "IntType", "Hue rotation in degrees, -359 to 359.", minimum=-359, maximum=359),
    _param("sepia", "IntType", "Sepia toning 0-100.", minimum=0, maximum=100),
    _param("px", "IntType", "Pixellate: block size 0-100 px.", minimum=0, maximum=100),
    _param("invert", "BooleanType", "Invert the colours (alpha is kept)."),
    _param(
        "flip",
        "ImgixParamsFlip",
        "Mirror horizontally (h), vertically (v) or both (hv).",
        honoured=IMGIX_ENUMS["ImgixParamsFlip"],
    ),
    _param(
        "bg",
        "String",
        "Background colour (hex RGB/ARGB in 3, 4, 6 or 8 digits, or a CSS colour name) for "
        "transparent areas and padding; transparent images flattened to JPEG use white "
        "otherwise.",
    ),
    _param(
        "fill",
        "ImgixParamsFill",
        "Padding for fit=fill/fillmax: solid (fill-color) or blur.",
        honoured=("blur", "solid"),
    ),
    _param("fillColor", "String", "Colour of fill=solid padding (same syntax as bg)."),
    _param("lossless", "BooleanType", "Lossless WebP/AVIF."),
    _param("chromasub", "IntType", "JPEG chroma subsampling: 420, 422 or 444."),
    _param("dl", "String", "Serve as a download: Content-Disposition: attachment with this name."),
]

#: Every ``ImgixParams`` field the emulator renders, by GraphQL field name.
IMGIX_PARAMS: dict[str, ImgixParam] = {param.field: param for param in _HONOURED}

_UNSUPPORTED_SPEC = {
    "needs face detection": "faceBlur:IntType facePixel:IntType faceindex:IntType "
    "facepad:FloatType faces:IntType",
    "generative AI features": "bgRemove:BooleanType bgRemoveFallback:BooleanType "
    "bgRemoveFgType:[ImgixParamsBgRemoveFgType!] bgRemoveSemiTransparency:BooleanType "
    "bgReplace:String bgReplaceFallback:BooleanType bgReplaceNegPrompt:String "
    "fillGenFallback:BooleanType fillGenNegPrompt:String fillGenPos:[ImgixParamsFillGenPos!] "
    "fillGenPrompt:String fillGenSeed:IntType objectRemovalNegativePrompt:String "
    "objectRemovalPrompt:String objectRemovalRect:String objectRemovalSeed:IntType "
    "upscale:BooleanType upscaleFallback:BooleanType",
    "compositing (blend, watermark and text overlays) is not implemented": "blend:String "
    "blendAlign:[ImgixParamsBlendAlign!] blendAlpha:IntType blendColor:String "
    "blendCrop:[ImgixParamsBlendCrop!] blendFit:ImgixParamsBlendFit blendH:FloatType "
    "blendMode:ImgixParamsBlendMode blendPad:IntType blendSize:ImgixParamsBlendSize "
    "blendW:FloatType blendX:IntType blendY:IntType mark:String "
    "markAlign:[ImgixParamsMarkAlign!] markAlpha:IntType markBase:String "
    "markFit:ImgixParamsMarkFit markH:FloatType markIfMinHeight:IntType "
    "markIfMinWidth:IntType markPad:IntType markRot:FloatType markScale:IntType "
    "markTile:ImgixParamsMarkTile markW:FloatType markX:IntType markY:IntType txt:String "
    "txtAlign:[ImgixParamsTxtAlign!] txtClip:[ImgixParamsTxtClip!] txtColor:String "
    "txtFit:ImgixParamsTxtFit txtFont:String txtLead:IntType txtLine:IntType "
    "txtLineColor:String txtPad:IntType txtShad:FloatType txtSize:IntType txtTrack:IntType "
    "txtWidth:IntType txtX:IntType txtY:IntType",
    "borders, padding, masks and rotation change the output size in ways the emulator does "
    "not model": "border:String borderBottom:IntType borderLeft:IntType borderRadius:String "
    "borderRadiusInner:String borderRight:IntType borderTop:IntType cornerRadius:String "
    "mask:String maskBg:String pad:IntType padBottom:IntType padLeft:IntType "
    "padRight:IntType padTop:IntType rot:FloatType rotType:ImgixParamsRotType orient:IntType "
    "trim:ImgixParamsTrim trimAlpha:FloatType trimColor:String trimMd:FloatType "
    "trimPad:IntType trimSd:FloatType trimTol:FloatType",
    "colour and tone adjustments the emulator does not implement": "colorquant:IntType "
    "duotone:String duotoneAlpha:IntType exp:IntType gam:IntType high:IntType htn:IntType "
    "monochrome:String nr:IntType nrs:IntType shad:FloatType usm:IntType usmrad:FloatType "
    "vib:IntType lpBlur:IntType transparency:ImgixParamsTransparency",
    "fill gradients are not implemented": "fillGradientCs:ImgixParamsFillGradientCs "
    "fillGradientLinear:String "
    "fillGradientLinearDirection:[ImgixParamsFillGradientLinearDirection!] "
    "fillGradientRadial:String fillGradientRadialRadius:String fillGradientRadialX:FloatType "
    "fillGradientRadialY:FloatType fillGradientType:ImgixParamsFillGradientType",
    "output metadata, colour profiles, palettes and client hints are not modelled": "ch:"
    "[ImgixParamsCh!] colors:IntType cs:ImgixParamsCs dpi:IntType expires:IntType "
    "fpDebug:BooleanType gridColors:String gridSize:IntType iptc:ImgixParamsIptc "
    "palette:ImgixParamsPalette prefix:String skipDefaultOptimizations:BooleanType "
    "svgSanitize:BooleanType rasterizeBypass:BooleanType",
    "animation, video and PDF pages are not rendered": "fps:IntType frame:String "
    "gifQ:IntType interval:IntType loop:IntType page:IntType pdfAnnotation:BooleanType "
    "reverse:BooleanType skip:IntType",
}

#: Every other field of DatoCMS's ``ImgixParams``, by GraphQL field name; ``description``
#: says why the emulator refuses it.
UNSUPPORTED_IMGIX_PARAMS: dict[str, ImgixParam] = {
    spec.split(":")[0]: _param(spec.split(":")[0], spec.split(":")[1], f"Not emulated: {reason}.")
    for reason, specs in _UNSUPPORTED_SPEC.items()
    for spec in specs.split()
}

#: Query parameters that never change the image (imgix's client-library marker).
IGNORED_QUERY_PARAMS = frozenset({"ixlib"})
