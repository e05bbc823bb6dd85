"""The demo's pictures: painted by its PREPARE hook, served by the emulator app's asset view.

``make run`` serves the demo with no picture on disk until first use: the content project
names no painter, the demo's settings do (``DATOCMS["EMULATOR"]["PREPARE"]``).
"""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path
from typing import Any

from django.test import Client

from datocms_app.emulator.embedded import reset_emulator
from tests.demo_content import DEMO_CONTENT_DIR, demo_datocms


def _unpainted_copy(target: Path) -> Path:
    """The demo's content project without its painted pictures (as in a fresh checkout) and
    without its Python modules (the painter among them)."""

    def skipped(folder: str, names: list[str]) -> list[str]:
        painted_here = Path(folder) == DEMO_CONTENT_DIR / "uploads"
        return [
            name
            for name in names
            if name.endswith(".py") or (painted_here and name.endswith((".jpg", ".png")))
        ]

    shutil.copytree(DEMO_CONTENT_DIR, target, ignore=skipped)
    return target


def test_demo_pictures_are_painted_and_served_as_jpeg(settings: Any, tmp_path: Path) -> None:
    content = _unpainted_copy(tmp_path / "content")
    assert not list((content / "uploads").glob("*.jpg"))
    assert not (content / "artwork.py").exists()
    settings.DATOCMS = demo_datocms(
        RECORD_URL_RESOLVER="project.records.record_url", EMULATOR={"CONTENT_DIR": str(content)}
    )
    reset_emulator()
    try:
        page = Client().get("/")
        assert page.status_code == 200
        sources = sorted(
            {html.unescape(src) for src in re.findall(r'<img [^>]*src="([^"]+)"', page.text)}
        )
        assert len(sources) >= 5, sources
        for source in sources:
            assert source.startswith("/datocms/emulator/assets/"), source
            assert ".jpg?" in source, source
            answer = Client().get(source)
            assert (answer.status_code, answer["Content-Type"]) == (200, "image/jpeg"), source
            assert answer.content.startswith(b"\xff\xd8"), source
        assert len(list((content / "uploads").glob("*.jpg"))) == 13
    finally:
        reset_emulator()
