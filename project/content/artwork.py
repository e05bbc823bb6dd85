"""The demo magazine's pictures, painted with Pillow (never downloaded).

``paint_missing_images(content_dir)`` is the emulator's ``PREPARE`` hook in the demo's
settings (``DATOCMS["EMULATOR"]["PREPARE"]``): before the emulator loads the content
project, it paints the pictures missing from its ``uploads/`` folder.

``ensure_demo_images(directory)`` writes any of the files in ``DEMO_IMAGES`` that are missing:
landscapes (harbour at sunset, Alps, city at dusk, ocean, forest, desert, four gallery
scenes), three geometric author portraits, a transparent logo and a favicon. Every picture
comes from a fixed seed, so the same Pillow writes the same bytes every time; all of them
take well under two seconds.

Where the subject sits off-centre, ``FOCAL_POINTS`` says where (for the uploads' focal
points, so that crops keep it).
"""

from __future__ import annotations

import itertools
import math
import os
import random
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

__all__ = ["DEMO_IMAGES", "FOCAL_POINTS", "ensure_demo_images", "paint", "paint_missing_images"]

Color = tuple[int, int, int]
Stops = Sequence[tuple[float, Color]]
Painter = Callable[[int, int, random.Random], Image.Image]


# -- small painting helpers --------------------------------------------------------------------


def _mix(a: Color, b: Color, t: float) -> Color:
    return (
        round(a[0] + (b[0] - a[0]) * t),
        round(a[1] + (b[1] - a[1]) * t),
        round(a[2] + (b[2] - a[2]) * t),
    )


def _color_at(stops: Stops, t: float) -> Color:
    for (p0, c0), (p1, c1) in itertools.pairwise(stops):
        if t <= p1:
            return _mix(c0, c1, (t - p0) / (p1 - p0) if p1 > p0 else 0.0)
    return stops[-1][1]


def _gradient(width: int, height: int, stops: Stops) -> Image.Image:
    """A vertical gradient through ``stops`` ((position 0-1, colour), ...)."""
    column = Image.new("RGB", (1, height))
    column.putdata([_color_at(stops, y / max(1, height - 1)) for y in range(height)])
    return column.resize((width, height), Image.Resampling.NEAREST)


def _glow(
    canvas: Image.Image,
    center: tuple[float, float],
    radius: float,
    color: Color,
    strength: float = 1.0,
) -> None:
    """A soft radial light (sun halo, city glow) added onto ``canvas``."""
    size = max(2, round(radius * 2))
    falloff = Image.radial_gradient("L").resize((size, size), Image.Resampling.BILINEAR)
    mask = falloff.point(lambda v: round(max(0.0, 1 - v / 255) ** 2 * 255 * strength))
    canvas.paste(color, (round(center[0] - radius), round(center[1] - radius)), mask)


def _ridge(
    rng: random.Random,
    width: int,
    base: float,
    amplitude: float,
    roughness: float = 0.55,
    detail: int = 7,
) -> list[tuple[float, float]]:
    """A mountain skyline by midpoint displacement: points from x=0 to x=width."""
    heights = [base + rng.uniform(-amplitude, amplitude) * 0.5 for _ in range(2)]
    spread = amplitude
    for _ in range(detail):
        refined: list[float] = []
        for left, right in itertools.pairwise(heights):
            refined += [left, (left + right) / 2 + rng.uniform(-spread, spread)]
        heights = [*refined, heights[-1]]
        spread *= roughness
    step = width / (len(heights) - 1)
    return [(i * step, y) for i, y in enumerate(heights)]


def _fill_below(
    draw: ImageDraw.ImageDraw, outline: list[tuple[float, float]], bottom: int, color: Color
) -> None:
    draw.polygon([*outline, (outline[-1][0], bottom), (outline[0][0], bottom)], fill=color)


def _wave(
    width: int, base: float, amplitude: float, length: float, phase: float
) -> list[tuple[float, float]]:
    return [
        (x, base + amplitude * math.sin(x / length * 2 * math.pi + phase))
        for x in range(0, width + 8, 8)
    ]


def _sun(
    canvas: Image.Image, center: tuple[float, float], radius: float, color: Color, halo: Color
) -> None:
    _glow(canvas, center, radius * 4, halo, 0.55)
    x, y = center
    ImageDraw.Draw(canvas).ellipse((x - radius, y - radius, x + radius, y + radius), fill=color)


def _pine(draw: ImageDraw.ImageDraw, x: float, ground: float, height: float, color: Color) -> None:
    width = height * 0.42
    draw.rectangle((x - width * 0.05, ground - height * 0.15, x + width * 0.05, ground), fill=color)
    for tier in range(4):
        top = ground - height + tier * height * 0.2
        half = width * (0.35 + tier * 0.17)
        base_y = top + height * 0.38
        draw.polygon([(x, top), (x + half, base_y), (x - half, base_y)], fill=color)


# -- the scenes ----------------------------------------------------------------------------


def harbour(width: int, height: int, rng: random.Random) -> Image.Image:
    """Sunset over a harbour: hills, a lighthouse on the right, boats, a shimmering sea."""
    horizon = height * 0.62
    image = _gradient(
        width,
        height,
        [
            (0, (38, 48, 102)),
            (0.35, (192, 96, 120)),
            (0.6, (250, 176, 102)),
            (0.62, (86, 98, 140)),
            (1, (24, 36, 72)),
        ],
    )
    _sun(
        image,
        (width * 0.38, horizon - height * 0.06),
        height * 0.07,
        (255, 222, 150),
        (255, 170, 90),
    )
    draw = ImageDraw.Draw(image)
    _fill_below(
        draw,
        _ridge(rng, width, horizon - height * 0.08, height * 0.12),
        round(horizon),
        (92, 62, 98),
    )
    _fill_below(
        draw,
        _ridge(rng, width, horizon - height * 0.02, height * 0.06),
        round(horizon),
        (58, 40, 72),
    )
    # Sun glitter on the water.
    for row in range(40):
        y = horizon + (row + 1) ** 1.5 * height * 0.0045
        span = width * (0.02 + row * 0.004) * rng.uniform(0.6, 1.2)
        x = width * 0.38 + rng.uniform(-1, 1) * row * width * 0.002
        draw.line((x - span, y, x + span, y), fill=(250, 190, 120), width=max(1, height // 400))
    # Pier and lighthouse on the right third.
    pier_y = horizon + height * 0.06
    draw.rectangle((width * 0.6, pier_y, width, pier_y + height * 0.02), fill=(34, 26, 44))
    tower_x, tower_w = width * 0.78, width * 0.03
    draw.polygon(
        [
            (tower_x - tower_w, pier_y),
            (tower_x + tower_w, pier_y),
            (tower_x + tower_w * 0.7, pier_y - height * 0.3),
            (tower_x - tower_w * 0.7, pier_y - height * 0.3),
        ],
        fill=(236, 228, 222),
    )
    for band in range(3):
        y0 = pier_y - height * (0.06 + band * 0.08)
        draw.rectangle(
            (tower_x - tower_w, y0 - height * 0.03, tower_x + tower_w, y0), fill=(196, 58, 62)
        )
    lamp = (tower_x, pier_y - height * 0.33)
    _glow(image, lamp, height * 0.09, (255, 236, 170), 0.9)
    draw.rectangle(
        (
            lamp[0] - tower_w * 0.8,
            lamp[1] - height * 0.03,
            lamp[0] + tower_w * 0.8,
            lamp[1] + height * 0.03,
        ),
        fill=(255, 240, 190),
    )
    # Sailing boats.
    for index in range(5):
        x = width * (0.08 + index * 0.1) + rng.uniform(-20, 20)
        y = horizon + height * rng.uniform(0.08, 0.2)
        size = height * rng.uniform(0.05, 0.08)
        draw.polygon(
            [
                (x - size, y),
                (x + size, y),
                (x + size * 0.7, y + size * 0.3),
                (x - size * 0.7, y + size * 0.3),
            ],
            fill=(30, 24, 40),
        )
        draw.polygon(
            [(x, y - size * 2), (x, y - size * 0.1), (x + size * 0.9, y - size * 0.1)],
            fill=(244, 236, 226),
        )
    return image


def alps(width: int, height: int, rng: random.Random) -> Image.Image:
    """Layered snowy peaks under a clear morning sky."""
    image = _gradient(
        width, height, [(0, (108, 164, 222)), (0.55, (206, 228, 242)), (1, (226, 236, 240))]
    )
    _sun(image, (width * 0.8, height * 0.18), height * 0.05, (255, 252, 236), (255, 244, 210))
    draw = ImageDraw.Draw(image)
    layers = [
        (0.42, 0.3, (150, 166, 196)),
        (0.55, 0.22, (92, 112, 150)),
        (0.7, 0.16, (58, 78, 104)),
        (0.84, 0.1, (36, 56, 60)),
    ]
    for index, (base, amplitude, color) in enumerate(layers):
        outline = _ridge(rng, width, height * base, height * amplitude)
        _fill_below(draw, outline, height, color)
        if index < 2:  # snow on the peaks that rise above the snow line
            snow_line = min(y for _, y in outline) + height * 0.08
            caps = [
                (x, max(y, snow_line + rng.uniform(-1, 1) * height * 0.012)) for x, y in outline
            ]
            draw.polygon(outline + caps[::-1], fill=(246, 248, 252))
    return image


def city(width: int, height: int, rng: random.Random) -> Image.Image:
    """A skyline at dusk with lit windows and a rising moon."""
    image = _gradient(
        width,
        height,
        [(0, (22, 24, 58)), (0.55, (86, 58, 112)), (0.8, (232, 128, 96)), (1, (250, 188, 120))],
    )
    _sun(image, (width * 0.22, height * 0.22), height * 0.045, (250, 246, 226), (180, 170, 220))
    draw = ImageDraw.Draw(image)
    for layer, (color, lit) in enumerate(
        [((64, 52, 92), (150, 120, 150)), ((28, 26, 46), (255, 214, 130))]
    ):
        x = -rng.uniform(0, 40)
        while x < width:
            building_w = width * rng.uniform(0.04, 0.09)
            top = height * (rng.uniform(0.3, 0.55) if layer == 0 else rng.uniform(0.45, 0.75))
            draw.rectangle((x, top, x + building_w, height), fill=color)
            if rng.random() < 0.3:
                draw.rectangle(
                    (x + building_w * 0.45, top - height * 0.05, x + building_w * 0.55, top),
                    fill=color,
                )
            cell = max(6, round(width / 160))
            for wy in range(round(top + cell), height - cell, cell * 2):
                for wx in range(round(x + cell), round(x + building_w - cell), cell * 2):
                    if rng.random() < 0.45:
                        draw.rectangle((wx, wy, wx + cell - 2, wy + cell - 2), fill=lit)
            x += building_w + rng.uniform(0, width * 0.01)
    return image


def ocean(width: int, height: int, rng: random.Random) -> Image.Image:
    """Rolling waves under a high sun, gulls on the left."""
    image = _gradient(
        width,
        height,
        [(0, (120, 190, 230)), (0.45, (214, 236, 246)), (0.46, (40, 120, 170)), (1, (8, 40, 84))],
    )
    _sun(image, (width * 0.7, height * 0.16), height * 0.06, (255, 253, 240), (255, 250, 220))
    draw = ImageDraw.Draw(image)
    for index in range(9):
        t = index / 8
        base = height * (0.5 + t * 0.48)
        color = _mix((70, 150, 196), (10, 52, 100), t)
        crest = _mix((200, 232, 244), (96, 160, 200), t)
        outline = _wave(
            width,
            base,
            height * (0.008 + t * 0.02),
            width * (0.12 + t * 0.2),
            rng.uniform(0, 2 * math.pi),
        )
        _fill_below(draw, outline, height, color)
        draw.line(outline, fill=crest, width=max(2, round(height * 0.004 * (1 + t))))
    for _ in range(6):
        x, y = width * rng.uniform(0.08, 0.4), height * rng.uniform(0.12, 0.32)
        span = height * rng.uniform(0.015, 0.03)
        draw.line(
            [(x - span, y - span * 0.4), (x, y), (x + span, y - span * 0.4)],
            fill=(40, 50, 70),
            width=max(2, height // 300),
        )
    return image


def forest(width: int, height: int, rng: random.Random) -> Image.Image:
    """Misty layers of pines (a portrait picture)."""
    image = _gradient(
        width, height, [(0, (196, 222, 214)), (0.5, (232, 238, 226)), (1, (120, 150, 120))]
    )
    _glow(image, (width * 0.3, height * 0.2), width * 0.7, (255, 250, 226), 0.6)
    draw = ImageDraw.Draw(image)
    layers = [
        (0.45, (150, 184, 170)),
        (0.58, (104, 146, 128)),
        (0.72, (62, 104, 84)),
        (0.9, (28, 60, 46)),
    ]
    for index, (ground_t, color) in enumerate(layers):
        ground = height * ground_t
        draw.rectangle((0, ground - 2, width, height), fill=color)
        x = -rng.uniform(0, 30)
        while x < width + 40:
            tree_h = height * rng.uniform(0.12, 0.2) * (1 + index * 0.35)
            _pine(draw, x, ground + rng.uniform(0, height * 0.02), tree_h, color)
            x += tree_h * rng.uniform(0.22, 0.4)
    return image


def desert(width: int, height: int, rng: random.Random) -> Image.Image:
    """Warm dunes with light and shadow sides under a big sun."""
    image = _gradient(
        width, height, [(0, (238, 150, 96)), (0.5, (252, 212, 150)), (1, (250, 230, 190))]
    )
    _sun(image, (width * 0.3, height * 0.3), height * 0.1, (255, 244, 214), (255, 200, 140))
    draw = ImageDraw.Draw(image)
    for index in range(5):
        t = index / 4
        base = height * (0.5 + t * 0.35)
        light = _mix((232, 170, 110), (214, 132, 70), t)
        shade = _mix((196, 124, 84), (150, 82, 46), t)
        length = width * rng.uniform(0.5, 0.9)
        phase = rng.uniform(0, 2 * math.pi)
        outline = _wave(width, base, height * 0.05, length, phase)
        _fill_below(draw, outline, height, light)
        shadow = [
            (x, y + height * 0.03 * (1 + math.cos(x / length * 2 * math.pi + phase)))
            for x, y in outline
        ]
        _fill_below(draw, shadow, height, shade)
    return image


def geometric(width: int, height: int, rng: random.Random) -> Image.Image:
    """Bauhaus circles and bars on paper."""
    image = Image.new("RGB", (width, height), (242, 234, 218))
    draw = ImageDraw.Draw(image)
    palette = [(214, 72, 58), (32, 84, 150), (240, 186, 60), (30, 30, 36), (96, 150, 130)]
    for _ in range(14):
        color = rng.choice(palette)
        x, y = width * rng.random(), height * rng.random()
        size = height * rng.uniform(0.08, 0.35)
        shape = rng.randrange(3)
        if shape == 0:
            draw.ellipse((x - size, y - size, x + size, y + size), fill=color)
        elif shape == 1:
            draw.rectangle(
                (x - size * 1.5, y - size * 0.12, x + size * 1.5, y + size * 0.12), fill=color
            )
        else:
            draw.pieslice(
                (x - size, y - size, x + size, y + size),
                rng.choice([0, 90, 180]),
                rng.choice([180, 270, 360]),
                fill=color,
            )
    return image


def aurora(width: int, height: int, rng: random.Random) -> Image.Image:
    """Northern lights and stars over a dark lake shore."""
    image = _gradient(width, height, [(0, (6, 12, 32)), (0.7, (16, 40, 70)), (1, (10, 22, 40))])
    draw = ImageDraw.Draw(image)
    for _ in range(260):
        x, y, r = width * rng.random(), height * rng.random() * 0.6, rng.choice([1, 1, 2])
        draw.ellipse((x - r, y - r, x + r, y + r), fill=(230, 236, 255))
    for band in range(3):
        center_y = height * (0.22 + band * 0.1)
        for x in range(0, width, 6):
            y = center_y + height * 0.06 * math.sin(x / width * 5 + band)
            _glow(
                image, (x, y), height * 0.05, (90, 240, 170) if band != 1 else (120, 200, 250), 0.12
            )
    _fill_below(draw, _ridge(rng, width, height * 0.74, height * 0.06), height, (8, 16, 22))
    return image


def lavender(width: int, height: int, rng: random.Random) -> Image.Image:
    """Rows of lavender running to a lone tree at golden hour."""
    image = _gradient(
        width,
        height,
        [
            (0, (250, 208, 160)),
            (0.42, (252, 232, 200)),
            (0.43, (142, 112, 170)),
            (1, (88, 60, 124)),
        ],
    )
    _sun(image, (width * 0.75, height * 0.3), height * 0.06, (255, 248, 226), (255, 214, 160))
    draw = ImageDraw.Draw(image)
    horizon, vanishing = height * 0.43, width * 0.5
    for row in range(-12, 13):
        x_far = vanishing + row * width * 0.012
        x_near = vanishing + row * width * 0.14
        draw.polygon(
            [
                (x_far, horizon),
                (x_far + 2, horizon),
                (x_near + width * 0.05, height),
                (x_near - width * 0.03, height),
            ],
            fill=(168, 132, 200),
        )
    trunk_x, ground = width * 0.3, horizon + 4
    draw.rectangle((trunk_x - 5, ground - height * 0.12, trunk_x + 5, ground), fill=(60, 40, 40))
    canopy = height * 0.07
    for dx, dy in [(-0.6, 0.1), (0.6, 0.1), (0, -0.35), (0, 0.15)]:
        x, y = trunk_x + dx * canopy, ground - height * 0.15 + dy * canopy
        draw.ellipse(
            (x - canopy * 0.7, y - canopy * 0.6, x + canopy * 0.7, y + canopy * 0.6),
            fill=(56, 74, 46),
        )
    return image


def lake(width: int, height: int, rng: random.Random) -> Image.Image:
    """Mountains mirrored in a still lake."""
    image = _gradient(
        width, height, [(0, (150, 196, 230)), (0.5, (226, 238, 244)), (1, (120, 170, 200))]
    )
    sky = Image.new("RGB", (width, height // 2))
    sky.paste(image.crop((0, 0, width, height // 2)))
    draw = ImageDraw.Draw(sky)
    for base, amplitude, color in [(0.55, 0.35, (120, 140, 170)), (0.8, 0.2, (60, 92, 90))]:
        _fill_below(
            draw, _ridge(rng, width, sky.height * base, sky.height * amplitude), sky.height, color
        )
    image.paste(sky, (0, 0))
    mirrored = sky.transpose(Image.Transpose.FLIP_TOP_BOTTOM)
    water = Image.blend(mirrored, Image.new("RGB", mirrored.size, (70, 120, 150)), 0.35)
    image.paste(water, (0, height // 2))
    ImageDraw.Draw(image).line((0, height // 2, width, height // 2), fill=(230, 240, 246), width=2)
    return image


def _portrait(background: Stops, skin: Color, hair: Color, shirt: Color, style: str) -> Painter:
    def paint_portrait(width: int, height: int, rng: random.Random) -> Image.Image:
        image = _gradient(width, height, background)
        draw = ImageDraw.Draw(image)
        cx = width / 2
        unit = width / 100
        draw.ellipse((cx - 34 * unit, 72 * unit, cx + 34 * unit, 140 * unit), fill=shirt)
        neck = _mix(skin, (0, 0, 0), 0.12)
        draw.rectangle((cx - 7 * unit, 58 * unit, cx + 7 * unit, 76 * unit), fill=neck)
        if style == "bun":
            draw.ellipse((cx - 11 * unit, 10 * unit, cx + 11 * unit, 30 * unit), fill=hair)
        if style == "curls":
            for angle in range(0, 360, 30):
                x = cx + 22 * unit * math.cos(math.radians(angle))
                y = 38 * unit + 22 * unit * math.sin(math.radians(angle)) * 0.9
                draw.ellipse((x - 9 * unit, y - 9 * unit, x + 9 * unit, y + 9 * unit), fill=hair)
        draw.ellipse((cx - 20 * unit, 22 * unit, cx + 20 * unit, 66 * unit), fill=skin)
        if style == "bun":
            draw.chord((cx - 21 * unit, 20 * unit, cx + 21 * unit, 56 * unit), 180, 360, fill=hair)
        elif style == "short":
            draw.chord((cx - 21 * unit, 19 * unit, cx + 21 * unit, 50 * unit), 170, 370, fill=hair)
            draw.chord((cx - 20 * unit, 22 * unit, cx + 20 * unit, 66 * unit), 20, 160, fill=hair)
        eye_y = 42 * unit
        for side in (-1, 1):
            ex = cx + side * 8 * unit
            draw.ellipse(
                (ex - 2 * unit, eye_y - 2 * unit, ex + 2 * unit, eye_y + 2 * unit),
                fill=(40, 34, 40),
            )
            if style == "curls":
                draw.ellipse(
                    (ex - 6 * unit, eye_y - 5 * unit, ex + 6 * unit, eye_y + 5 * unit),
                    outline=(50, 40, 60),
                    width=round(unit),
                )
            draw.ellipse(
                (ex - 3 * unit, eye_y + 5 * unit, ex + 3 * unit, eye_y + 8 * unit),
                fill=_mix(skin, (230, 120, 120), 0.35),
            )
        if style == "curls":
            draw.line(
                (cx - 2 * unit, eye_y, cx + 2 * unit, eye_y), fill=(50, 40, 60), width=round(unit)
            )
        mouth = (240, 200, 190) if style == "short" else (120, 60, 60)
        draw.arc(
            (cx - 7 * unit, 46 * unit, cx + 7 * unit, 56 * unit),
            20,
            160,
            fill=mouth,
            width=round(unit * 1.2),
        )
        return image

    return paint_portrait


#: The wordmark's lines: the demo site's name (``site.json``).
LOGO_LINES = ("The Northern", "Review")


def logo(width: int, height: int, rng: random.Random) -> Image.Image:
    """The wordmark: a sun-over-waves mark and the site's name, on transparency."""
    image = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    image.alpha_composite(_mark(height), (0, 0))
    draw = ImageDraw.Draw(image)
    left = round(height * 1.12)
    room = width - left - round(height * 0.05)
    size = round(height * 0.34)
    font = ImageFont.load_default(size=size)
    while size > 10 and max(draw.textlength(line, font=font) for line in LOGO_LINES) > room:
        size -= 2
        font = ImageFont.load_default(size=size)
    line_height = size * 1.15
    top = height / 2 - line_height * (len(LOGO_LINES) - 1) / 2
    for index, line in enumerate(LOGO_LINES):
        draw.text((left, top + index * line_height), line, font=font, fill=(24, 36, 72, 255),
                  anchor="lm")  # fmt: skip
    return image


def favicon(width: int, height: int, rng: random.Random) -> Image.Image:
    """The mark on a rounded square."""
    image = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    ImageDraw.Draw(image).rounded_rectangle(
        (0, 0, width - 1, height - 1), radius=width // 5, fill=(24, 36, 72, 255)
    )
    inset = round(width * 0.1)
    image.alpha_composite(_mark(width - 2 * inset), (inset, inset))
    return image


def _mark(size: int) -> Image.Image:
    """A disc: sun over three waves, transparent outside the circle."""
    scale = 4  # drawn large and reduced, for smooth edges
    big = size * scale
    art = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(art)
    draw.ellipse((0, 0, big - 1, big - 1), fill=(244, 150, 84, 255))
    draw.ellipse((big * 0.3, big * 0.18, big * 0.7, big * 0.58), fill=(255, 226, 140, 255))
    for index, color in enumerate([(64, 132, 186), (40, 96, 156), (24, 60, 116)]):
        outline = _wave(big, big * (0.55 + index * 0.13), big * 0.03, big * 0.5, index * 1.3)
        _fill_below(draw, outline, big, color)
    mask = Image.new("L", (big, big), 0)
    ImageDraw.Draw(mask).ellipse((0, 0, big - 1, big - 1), fill=255)
    art.putalpha(Image.composite(art.getchannel("A"), mask, mask))
    return art.resize((size, size), Image.Resampling.LANCZOS)


# -- the files -----------------------------------------------------------------------------

#: file name -> (width, height, painter, seed)
DEMO_IMAGES: dict[str, tuple[int, int, Painter, int]] = {
    "hero-harbour.jpg": (2400, 1350, harbour, 11),
    "article-alps.jpg": (1800, 1200, alps, 12),
    "article-city.jpg": (1600, 1067, city, 13),
    "article-ocean.jpg": (2000, 1125, ocean, 14),
    "article-forest.jpg": (1200, 1500, forest, 15),
    "article-desert.jpg": (1920, 1080, desert, 16),
    "gallery-1.jpg": (1200, 800, geometric, 21),
    "gallery-2.jpg": (1200, 800, aurora, 22),
    "gallery-3.jpg": (1200, 800, lavender, 23),
    "gallery-4.jpg": (1200, 800, lake, 24),
    "author-ada.jpg": (
        800,
        800,
        _portrait(
            [(0, (250, 214, 186)), (1, (236, 150, 120))],
            (238, 196, 164),
            (60, 40, 36),
            (40, 110, 120),
            "bun",
        ),
        31,
    ),
    "author-linus.jpg": (
        800,
        800,
        _portrait(
            [(0, (190, 220, 244)), (1, (110, 160, 214))],
            (226, 184, 150),
            (150, 96, 56),
            (48, 56, 90),
            "short",
        ),
        32,
    ),
    "author-grace.jpg": (
        800,
        800,
        _portrait(
            [(0, (222, 204, 240)), (1, (150, 120, 200))],
            (180, 130, 100),
            (36, 30, 40),
            (190, 60, 80),
            "curls",
        ),
        33,
    ),
    "logo.png": (600, 200, logo, 41),
    "favicon.png": (256, 256, favicon, 42),
}

#: Where the subject is, for the uploads' focal points ({"x", "y"} from 0 to 1).
FOCAL_POINTS: dict[str, dict[str, float]] = {
    "hero-harbour.jpg": {"x": 0.78, "y": 0.52},
    "article-alps.jpg": {"x": 0.5, "y": 0.42},
    "article-ocean.jpg": {"x": 0.7, "y": 0.3},
    "article-desert.jpg": {"x": 0.3, "y": 0.35},
    "gallery-3.jpg": {"x": 0.3, "y": 0.35},
}


def paint(name: str) -> bytes:
    """The encoded bytes of demo image ``name`` (deterministic)."""
    if name not in DEMO_IMAGES:
        raise KeyError(f"no demo image {name!r}; known: {', '.join(DEMO_IMAGES)}")
    width, height, painter, seed = DEMO_IMAGES[name]
    image = painter(width, height, random.Random(seed))
    if image.size != (width, height):  # pragma: no cover - a painter bug
        raise RuntimeError(f"{name} painted at {image.size}, expected {(width, height)}")
    from io import BytesIO

    buffer = BytesIO()
    if name.endswith(".png"):
        image.save(buffer, "PNG", optimize=True)
    else:
        image.convert("RGB").save(buffer, "JPEG", quality=86, progressive=True, optimize=True)
    return buffer.getvalue()


def ensure_demo_images(directory: Path) -> None:
    """Write the demo images that are missing from ``directory`` (created if needed)."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    for name in DEMO_IMAGES:
        target = directory / name
        if target.exists():
            continue
        # Write beside the target and rename, so a reader never sees half a file.
        handle, temporary = tempfile.mkstemp(dir=directory, prefix=f".{name}.")
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(paint(name))
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise


def paint_missing_images(content_dir: Path) -> None:
    """The emulator's ``PREPARE`` hook: paint the pictures missing from ``content_dir``."""
    ensure_demo_images(Path(content_dir) / "uploads")
