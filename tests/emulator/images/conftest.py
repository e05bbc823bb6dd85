"""Synthetic images for the emulator image tests (made here, never downloaded)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from datocms_app.emulator.images import TransformCache

RED, BLUE, GREEN, YELLOW = (220, 30, 30), (30, 60, 220), (30, 200, 40), (240, 220, 20)


def quadrants(width: int = 400, height: int = 300) -> Image.Image:
    """Top-left red, top-right blue, bottom-left green, bottom-right yellow."""
    image = Image.new("RGB", (width, height))
    half_w, half_h = width // 2, height // 2
    image.paste(RED, (0, 0, half_w, half_h))
    image.paste(BLUE, (half_w, 0, width, half_h))
    image.paste(GREEN, (0, half_h, half_w, height))
    image.paste(YELLOW, (half_w, half_h, width, height))
    return image


@pytest.fixture
def quadrants_png(tmp_path: Path) -> Path:
    path = tmp_path / "quadrants.png"
    quadrants().save(path)
    return path


@pytest.fixture
def quadrants_jpg(tmp_path: Path) -> Path:
    path = tmp_path / "quadrants.jpg"
    quadrants().save(path, quality=95)
    return path


@pytest.fixture
def cache(tmp_path: Path) -> TransformCache:
    return TransformCache(tmp_path / "cache")
