"""Emulator images: a rendition through ``transform`` vs the same work in bare Pillow.

Both sides turn the demo's 1800 x 1200 Alps JPEG into 600 x 400 (``fit=crop``, same 3:2 shape)
encoded as JPEG quality 75. The uncached row measures our overhead (parameter validation, planning,
file digest and cache keys; JPEG draft decoding may even make us faster). The cached row is
what every later request for the same URL costs. Targets: uncached ratio <= 1.3, cached
ratio <= 0.05.
"""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

from PIL import Image

from benchmarks._harness import Row, per_second
from datocms_app.emulator.images import TransformCache, transform
from project.content.artwork import paint

PARAMS = {"w": "600", "h": "400", "fit": "crop", "fm": "jpg", "q": "75"}


def run() -> list[Row]:
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "article-alps.jpg"
        path.write_bytes(paint("article-alps.jpg"))

        def bare() -> bytes:
            with Image.open(path) as image:
                image.load()
                cropped = image.resize((600, 400), Image.Resampling.LANCZOS, box=(0, 0, 1800, 1200))
                buffer = io.BytesIO()
                cropped.save(buffer, "JPEG", quality=75)
                return buffer.getvalue()

        def uncached() -> bytes:
            return transform(path, PARAMS, cache=TransformCache(None)).content

        warm = TransformCache(None)

        def cached() -> bytes:
            return transform(path, PARAMS, cache=warm).content

        assert Image.open(io.BytesIO(uncached())).size == Image.open(io.BytesIO(bare())).size
        bare_rate = per_second(bare, rounds=3)
        uncached_rate = per_second(uncached, rounds=3)
        cached_rate = per_second(cached, rounds=3)
    return [
        Row(
            name="emulator image: 1800x1200 JPEG to 600x400 (uncached)",
            ours=1e3 / uncached_rate,
            anchor=1e3 / bare_rate,
            unit="ms",
            anchor_name="bare Pillow open+resize+save",
            target="ratio <= 1.3",
            higher_is_better=False,
        ),
        Row(
            name="emulator image: the same URL again (memory cache)",
            ours=1e3 / cached_rate,
            anchor=1e3 / bare_rate,
            unit="ms",
            anchor_name="bare Pillow open+resize+save",
            target="ratio <= 0.05",
            higher_is_better=False,
        ),
    ]
