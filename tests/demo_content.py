"""The demo's content project, named the way a site names its emulator content.

The emulator has no default content project: tests that serve the demo's magazine through
the emulator build their ``settings.DATOCMS`` with ``demo_datocms(...)``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

DEMO_CONTENT_DIR = Path(__file__).resolve().parent.parent / "project" / "content"

#: ``DATOCMS["EMULATOR"]`` of the demo: its content project, and the hook painting its images.
DEMO_EMULATOR: dict[str, Any] = {
    "CONTENT_DIR": str(DEMO_CONTENT_DIR),
    "PREPARE": "project.content.artwork.paint_missing_images",
}


def demo_datocms(**keys: Any) -> dict[str, Any]:
    """A ``DATOCMS`` dict serving the demo content; ``EMULATOR`` keys are merged in."""
    emulator = {**DEMO_EMULATOR, **keys.pop("EMULATOR", {})}
    return {**keys, "EMULATOR": emulator}
