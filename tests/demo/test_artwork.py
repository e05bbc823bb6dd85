"""The demo's generated pictures: the agreed files and sizes, deterministic bytes."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from datocms_app.emulator.images import analyze
from project.content.artwork import DEMO_IMAGES, FOCAL_POINTS, ensure_demo_images, paint

# The names and sizes the demo's uploads.json and templates rely on.
EXPECTED = {
    "hero-harbour.jpg": (2400, 1350),
    "article-alps.jpg": (1800, 1200),
    "article-city.jpg": (1600, 1067),
    "article-ocean.jpg": (2000, 1125),
    "article-forest.jpg": (1200, 1500),
    "article-desert.jpg": (1920, 1080),
    "gallery-1.jpg": (1200, 800),
    "gallery-2.jpg": (1200, 800),
    "gallery-3.jpg": (1200, 800),
    "gallery-4.jpg": (1200, 800),
    "author-ada.jpg": (800, 800),
    "author-linus.jpg": (800, 800),
    "author-grace.jpg": (800, 800),
    "logo.png": (600, 200),
    "favicon.png": (256, 256),
}


@pytest.fixture(scope="module")
def uploads(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("uploads") / "nested"
    ensure_demo_images(directory)
    return directory


def test_every_agreed_file_with_its_size(uploads: Path) -> None:
    assert sorted(path.name for path in uploads.iterdir()) == sorted(EXPECTED)
    for name, size in EXPECTED.items():
        with Image.open(uploads / name) as image:
            assert image.size == size, name
            assert image.format == ("PNG" if name.endswith(".png") else "JPEG"), name


def test_same_bytes_every_time(uploads: Path) -> None:
    for name in DEMO_IMAGES:
        assert paint(name) == (uploads / name).read_bytes(), name


def test_logo_and_favicon_have_transparency(uploads: Path) -> None:
    for name in ("logo.png", "favicon.png"):
        with Image.open(uploads / name) as image:
            assert image.mode == "RGBA"
            alpha = image.getchannel("A")
            assert alpha.getextrema() == (0, 255), name
            assert alpha.getpixel((0, 0)) == 0, name


def test_pictures_are_varied(uploads: Path) -> None:
    colours = {name: analyze(uploads / name).bg_color for name in EXPECTED}
    assert len(set(colours.values())) >= 12, colours


def test_existing_files_are_left_alone(tmp_path: Path) -> None:
    (tmp_path / "logo.png").write_bytes(b"the site's own logo")
    ensure_demo_images(tmp_path)
    assert (tmp_path / "logo.png").read_bytes() == b"the site's own logo"
    assert (tmp_path / "favicon.png").read_bytes() == paint("favicon.png")
    assert not [path for path in tmp_path.iterdir() if path.name.startswith(".")]


def test_focal_points_name_real_files() -> None:
    assert set(FOCAL_POINTS) <= set(EXPECTED)
    for point in FOCAL_POINTS.values():
        assert 0 <= point["x"] <= 1
        assert 0 <= point["y"] <= 1


def test_unknown_name() -> None:
    with pytest.raises(KeyError, match=r"no demo image 'cat.jpg'"):
        paint("cat.jpg")
