"""A fresh virtual environment holding this checkout, installed as a user installs it.

``install_checkout(folder, extras)`` builds the package from a clean copy of this checkout (a
``build/`` folder left in the checkout could add stale modules), creates a venv without
system site-packages and ``pip install``s the copy, not editable, with ``extras`` (pip's
cache makes it 10-60 s). It needs the package index: a laptop without network skips, CI
fails (``tests.services``).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import datocms_app
from tests.services import port_open, require_service

ROOT = Path(datocms_app.__file__).resolve().parent.parent


def install_checkout(folder: Path, extras: str = "") -> Path:
    """The Python of a new venv in ``folder`` holding ``pip install "<checkout><extras>"``."""
    require_service(
        "The Python package index", port_open("pypi.org", 443), "pypi.org:443 does not answer"
    )
    source = folder / "source"
    shutil.copytree(ROOT / "datocms_app", source / "datocms_app",
                    ignore=shutil.ignore_patterns("__pycache__"))  # fmt: skip
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    venv = folder / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    installed = subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
         f"{source}{extras}"],
        capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert installed.returncode == 0, installed.stdout + installed.stderr
    return python
