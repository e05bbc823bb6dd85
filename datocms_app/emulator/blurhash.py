"""The BlurHash encoder (https://blurha.sh), as DatoCMS returns it for uploads.

A straight port of Wolt's reference algorithm: average the image's linear-light colour over a
few cosine components, quantise them, and write them in base 83. DatoCMS uses 4 x 3
components (28 characters). Pure Python on an already small image (callers pass a thumbnail
of about 32 px), so it needs no dependency and takes a few milliseconds.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from datocms_app.exceptions import InvalidArgument

__all__ = ["encode_blurhash"]

_BASE83 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz#$%*+,-.:;=?@[]^_{|}~"
_SRGB_TO_LINEAR = [
    value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4
    for value in (channel / 255 for channel in range(256))
]


def _base83(value: int, length: int) -> str:
    return "".join(_BASE83[(value // 83 ** (length - 1 - i)) % 83] for i in range(length))


def _linear_to_srgb(value: float) -> int:
    value = min(max(value, 0.0), 1.0)
    if value <= 0.0031308:
        return int(value * 12.92 * 255 + 0.5)
    return int((1.055 * value ** (1 / 2.4) - 0.055) * 255 + 0.5)


def _sign_pow(value: float, exponent: float) -> float:
    return math.copysign(abs(value) ** exponent, value)


def encode_blurhash(
    pixels: Sequence[tuple[int, int, int]],
    width: int,
    height: int,
    *,
    x_components: int = 4,
    y_components: int = 3,
) -> str:
    """BlurHash of ``width`` x ``height`` RGB ``pixels`` (row by row, 0-255 each)."""
    if not (1 <= x_components <= 9 and 1 <= y_components <= 9):
        raise InvalidArgument("BlurHash components must be from 1 to 9 in each direction.")
    if width < 1 or height < 1 or len(pixels) != width * height:
        raise InvalidArgument(
            f"encode_blurhash needs width*height pixels; got {len(pixels)} for {width}x{height}."
        )
    linear = [tuple(_SRGB_TO_LINEAR[channel] for channel in pixel) for pixel in pixels]
    cos_x = [[math.cos(math.pi * i * x / width) for x in range(width)] for i in range(x_components)]
    cos_y = [
        [math.cos(math.pi * j * y / height) for y in range(height)] for j in range(y_components)
    ]
    # The basis is separable: sum each row against cos_x once, then the rows against cos_y.
    row_sums = []
    for i in range(x_components):
        sums_i = []
        for y in range(height):
            row = linear[y * width : (y + 1) * width]
            weights = cos_x[i]
            sums_i.append(
                (
                    sum(w * p[0] for w, p in zip(weights, row, strict=True)),
                    sum(w * p[1] for w, p in zip(weights, row, strict=True)),
                    sum(w * p[2] for w, p in zip(weights, row, strict=True)),
                )
            )
        row_sums.append(sums_i)
    factors: list[tuple[float, float, float]] = []
    for j in range(y_components):
        for i in range(x_components):
            scale = (1 if i == 0 and j == 0 else 2) / (width * height)
            weights = cos_y[j]
            factors.append(
                tuple(  # type: ignore[arg-type]
                    scale * sum(w * s[c] for w, s in zip(weights, row_sums[i], strict=True))
                    for c in range(3)
                )
            )
    dc, ac = factors[0], factors[1:]
    blurhash = _base83((x_components - 1) + (y_components - 1) * 9, 1)
    if ac:
        actual_maximum = max(abs(value) for factor in ac for value in factor)
        quantised_maximum = int(max(0, min(82, math.floor(actual_maximum * 166 - 0.5))))
        maximum = (quantised_maximum + 1) / 166
        blurhash += _base83(quantised_maximum, 1)
    else:
        maximum = 1.0
        blurhash += _base83(0, 1)
    r, g, b = (_linear_to_srgb(value) for value in dc)
    blurhash += _base83((r << 16) + (g << 8) + b, 4)
    for factor in ac:
        quantised = [
            int(max(0, min(18, math.floor(_sign_pow(value / maximum, 0.5) * 9 + 9.5))))
            for value in factor
        ]
        blurhash += _base83(quantised[0] * 19 * 19 + quantised[1] * 19 + quantised[2], 2)
    return blurhash
