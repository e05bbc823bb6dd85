"""mypy on files a test writes, run the way a user's project would run it.

In a process of its own: mypy changes interpreter-wide state (the recursion limit). The
library is found on ``MYPYPATH``, as an installed package would be.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_mypy(
    directory: Path, config: str, files: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    """Write ``files`` and ``config`` (a ``mypy.ini``) to ``directory``; check those files."""
    (directory / "mypy.ini").write_text(config)
    for name, text in files.items():
        (directory / name).write_text(text)
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--config-file",
            "mypy.ini",
            "--cache-dir",
            str(directory / "cache"),
            "--no-error-summary",
            "--hide-error-context",
            *files,
        ],
        cwd=directory,
        env={**os.environ, "MYPYPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
