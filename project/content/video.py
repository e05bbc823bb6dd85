"""The demo magazine's video: dawn over the open ocean, painted with Pillow, encoded by ffmpeg.

``python -m project.content.video`` paints four seconds of frames (640 x 360, 24 fps) — a
sun rising behind a sailing boat, waves rolling at different speeds, gulls gliding — and
asks ``ffmpeg`` for what a Mux-encoded DatoCMS upload offers:

* ``ocean-dawn.mp4``: H.264 (yuv420p, a keyframe every 2 s) with ``+faststart``, the file
  the upload's ``url`` serves and the MP4 rendition of ``mp4Url``;
* ``hls/index.m3u8`` and its MPEG-TS segments (2 s each), the ``streamingUrl``;
* ``poster.jpg``: the frame at 2 s, where Mux takes a thumbnail by default (the middle).

The committed files under ``project/content/uploads/video-ocean/`` are this script's output:
only whoever changes the animation needs ffmpeg. The emulator and the tests read the files
and never run it. Frames are deterministic (no randomness beyond fixed seeds).
"""

from __future__ import annotations

import argparse
import math
import random
import shutil
import subprocess
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

from PIL import Image, ImageDraw

from project.content.artwork import _fill_below, _gradient, _mix, _wave

__all__ = [
    "DURATION",
    "FPS",
    "HEIGHT",
    "OUTPUT_DIR",
    "POSTER_TIME",
    "WIDTH",
    "encode_video",
    "frames",
    "main",
    "paint_frame",
]

WIDTH, HEIGHT = 640, 360
FPS = 24
#: Seconds of video; every periodic motion completes whole cycles in it, so it loops.
DURATION = 4
#: Mux's default thumbnail time is the middle of the video.
POSTER_TIME = DURATION / 2
OUTPUT_DIR = Path(__file__).resolve().parent / "uploads" / "video-ocean"
#: Frames are painted this many times larger, then reduced: smooth edges.
_SUPERSAMPLE = 2
#: Seconds between keyframes, and so the length of each HLS segment.
_SEGMENT = 2

Color = tuple[int, int, int]


def _ease(t: float) -> float:
    return t * t * (3 - 2 * t)


def _flicker(row: int, frame: int) -> float:
    """A deterministic 0-1 shimmer for sun glitter row ``row`` at ``frame`` (loops)."""
    angle = 2 * math.pi * frame / (FPS * DURATION)
    return 0.5 + 0.5 * math.sin(row * 2.399 + angle * (2 + row % 3))


def _halo(
    canvas: Image.Image, center: tuple[float, float], radius: float, color: Color, strength: float
) -> None:
    """A soft round light that fades to nothing at ``radius`` (no square edge)."""
    size = max(2, round(radius * 2))
    # Pillow's radial gradient is 181 (not 255) half-way along each edge: scale to that.
    falloff = Image.radial_gradient("L").resize((size, size), Image.Resampling.BILINEAR)
    mask = falloff.point(lambda v: round(max(0.0, 1 - v / 181) ** 2 * 255 * strength))
    canvas.paste(color, (round(center[0] - radius), round(center[1] - radius)), mask)


def paint_frame(index: int) -> Image.Image:
    """Frame ``index`` (0 to ``FPS * DURATION - 1``) as a 640 x 360 RGB image."""
    total = FPS * DURATION
    if not 0 <= index < total:
        raise ValueError(f"frame index must be between 0 and {total - 1}, got {index}.")
    t = index / total  # 0 -> 1 over the clip
    cycle = 2 * math.pi * t
    w, h = WIDTH * _SUPERSAMPLE, HEIGHT * _SUPERSAMPLE
    horizon = h * 0.56
    dawn = _ease(t)

    # Sky: a night-blue top warming towards the horizon as the sun comes up.
    warm = _mix((244, 162, 132), (252, 196, 142), dawn)
    image = _gradient(
        w,
        h,
        [
            (0, _mix((30, 42, 90), (52, 70, 128), dawn)),
            (0.3, _mix((104, 96, 150), (132, 122, 172), dawn)),
            (0.5, warm),
            (0.56, _mix((250, 206, 160), (255, 222, 176), dawn)),
            (0.5601, (92, 92, 140)),
            (1, (10, 26, 60)),
        ],
    )
    sun_x = w * 0.36
    sun_y = horizon + h * 0.02 - h * 0.1 * dawn
    radius = h * 0.07
    _halo(image, (sun_x, sun_y), radius * 6, (255, 196, 140), 0.5 + 0.15 * dawn)
    sun = ImageDraw.Draw(image)
    sun.ellipse(
        (sun_x - radius, sun_y - radius, sun_x + radius, sun_y + radius), fill=(255, 236, 190)
    )
    # The sea covers the lower part of the disc while it rises.
    sea = _gradient(w, h - round(horizon), [(0, (92, 92, 140)), (1, (10, 26, 60))])
    image.paste(sea, (0, round(horizon)))
    draw = ImageDraw.Draw(image)

    # Waves, far to near: each layer moves left, the nearer the faster (whole cycles).
    boat_layer = 3
    for layer in range(7):
        depth = layer / 6
        base = horizon + h * (0.05 + depth**1.3 * 0.4)
        length = w * (0.1 + depth * 0.26)
        amplitude = h * (0.005 + depth * 0.022)
        phase = layer * 1.3 + cycle * (1 + layer)
        outline = _wave(w, base, amplitude, length, phase)
        color = _mix((70, 78, 128), (14, 36, 78), depth)
        crest = _mix(_mix((150, 140, 180), warm, 0.5), (80, 120, 170), depth)
        _fill_below(draw, outline, h, color)
        draw.line(outline, fill=crest, width=max(2, round(h * 0.003 * (1 + depth * 2))))
        if layer == boat_layer:
            _boat(draw, w, base, amplitude, length, phase, t)
    # Glitter: short strokes under the sun, shimmering.
    for row in range(28):
        y = horizon + (row + 1) ** 1.45 * h * 0.0042
        span = w * (0.012 + row * 0.0032) * (0.45 + 0.55 * _flicker(row, index))
        x = sun_x + math.sin(row * 1.7 + cycle * 2) * row * w * 0.0012
        color = _mix((150, 120, 150), (255, 214, 170), _flicker(row + 7, index))
        draw.line((x - span, y, x + span, y), fill=color, width=max(2, h // 300))

    _gulls(draw, w, h, t)
    return image.resize((WIDTH, HEIGHT), Image.Resampling.LANCZOS)


def _boat(
    draw: ImageDraw.ImageDraw,
    width: int,
    base: float,
    amplitude: float,
    length: float,
    phase: float,
    t: float,
) -> None:
    """A small sailing boat riding the wave line it sits on, drifting right."""
    x = width * (0.62 + 0.04 * t)
    waterline = base + amplitude * math.sin(x / length * 2 * math.pi + phase)
    slope = amplitude * 2 * math.pi / length * math.cos(x / length * 2 * math.pi + phase)
    size = width * 0.028

    def tilted(dx: float, dy: float) -> tuple[float, float]:
        return (x + dx, waterline + dy + dx * slope)

    hull = (34, 28, 48)
    draw.polygon(
        [tilted(-size, -size * 0.1), tilted(size, -size * 0.1), tilted(size * 0.7, size * 0.3),
         tilted(-size * 0.7, size * 0.3)],
        fill=hull,
    )  # fmt: skip
    draw.line([tilted(0, -size * 0.1), tilted(0, -size * 2.1)], fill=hull, width=3)
    draw.polygon(
        [tilted(size * 0.08, -size * 2.0), tilted(size * 0.08, -size * 0.25),
         tilted(size * 0.95, -size * 0.25)],
        fill=(250, 232, 214),
    )  # fmt: skip
    draw.polygon(
        [tilted(-size * 0.08, -size * 1.7), tilted(-size * 0.08, -size * 0.25),
         tilted(-size * 0.7, -size * 0.25)],
        fill=(232, 210, 196),
    )  # fmt: skip


def _gulls(draw: ImageDraw.ImageDraw, width: int, height: int, t: float) -> None:
    """Three gulls gliding along a slow loop, wings beating out of step (whole cycles)."""
    rng = random.Random(7)
    for bird in range(3):
        start = rng.uniform(0, 2 * math.pi)
        cx, cy = width * (0.6 + bird * 0.1), height * (0.2 + bird * 0.05)
        angle = start + 2 * math.pi * t
        x = cx + math.cos(angle) * width * 0.05
        y = cy + math.sin(2 * angle) * height * 0.02
        span = height * (0.024 - bird * 0.004)
        beat = math.sin(2 * math.pi * t * (5 + bird) + start)
        lift = span * (0.2 + 0.45 * beat)
        draw.line(
            [(x - span, y - lift), (x - span * 0.35, y - span * 0.08), (x, y),
             (x + span * 0.35, y - span * 0.08), (x + span, y - lift)],
            fill=(44, 44, 68),
            width=max(3, height // 220),
            joint="curve",
        )  # fmt: skip


def frames() -> Iterator[Image.Image]:
    """Every frame of the clip, in order."""
    for index in range(FPS * DURATION):
        yield paint_frame(index)


def _ffmpeg() -> str:
    found = shutil.which("ffmpeg")
    if found is None:
        raise SystemExit(
            "ffmpeg is needed to regenerate the demo video (Debian/Ubuntu: apt-get install "
            "ffmpeg). The emulator and the tests only read the committed files in "
            f"{OUTPUT_DIR}."
        )
    return found


def _run(command: Sequence[str], stdin: bytes | None = None) -> None:
    result = subprocess.run(command, input=stdin, capture_output=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise SystemExit(
            f"{' '.join(command[:3])}... failed ({result.returncode}):\n"
            f"{result.stderr.decode(errors='replace')[-2000:]}"
        )


def encode_video(directory: Path) -> list[Path]:
    """Write the MP4, the HLS playlist and segments, and the poster into ``directory``.

    Returns the files written. The directory is replaced as a whole, so segments of an
    earlier, longer version do not linger.
    """
    ffmpeg = _ffmpeg()
    directory = Path(directory)
    directory.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".video-", dir=directory.parent))
    try:
        mp4 = staging / "ocean-dawn.mp4"
        raw = b"".join(frame.tobytes() for frame in frames())
        keyframes = str(FPS * _SEGMENT)
        _run(
            [
                ffmpeg, "-hide_banner", "-loglevel", "error", "-y",
                "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", f"{WIDTH}x{HEIGHT}",
                "-r", str(FPS), "-i", "-",
                "-c:v", "libx264", "-preset", "veryslow", "-crf", "22", "-tune", "animation",
                "-profile:v", "main", "-pix_fmt", "yuv420p", "-threads", "1",
                "-g", keyframes, "-keyint_min", keyframes, "-sc_threshold", "0",
                "-movflags", "+faststart", "-map_metadata", "-1", "-fflags", "+bitexact",
                "-flags:v", "+bitexact", "-an", str(mp4),
            ],
            stdin=raw,
        )  # fmt: skip
        hls = staging / "hls"
        hls.mkdir()
        _run(
            [
                ffmpeg, "-hide_banner", "-loglevel", "error", "-y", "-i", str(mp4),
                "-c", "copy", "-f", "hls", "-hls_time", str(_SEGMENT),
                "-hls_playlist_type", "vod", "-hls_segment_type", "mpegts",
                "-hls_segment_filename", str(hls / "segment%d.ts"),
                "-fflags", "+bitexact", str(hls / "index.m3u8"),
            ]
        )  # fmt: skip
        paint_frame(round(POSTER_TIME * FPS)).save(
            staging / "poster.jpg", "JPEG", quality=88, progressive=True, optimize=True
        )
        staging.chmod(0o755)  # mkdtemp's folder is private; the uploads are not
        if directory.exists():
            shutil.rmtree(directory)
        staging.rename(directory)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return sorted(path for path in directory.rglob("*") if path.is_file())


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m project.content.video",
        description="Paint and encode the demo magazine's video (needs ffmpeg).",
    )
    parser.add_argument(
        "--output", type=Path, default=OUTPUT_DIR, help=f"folder to write (default {OUTPUT_DIR})"
    )
    options = parser.parse_args(argv)
    for path in encode_video(options.output):
        print(f"{path.stat().st_size:>8} bytes  {path}")


if __name__ == "__main__":
    main()
