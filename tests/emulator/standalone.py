"""``manage.py datocms_emulator`` in a subprocess, and DatoCMS's npm clients run against it.

``standalone(*arguments)`` starts the real command on a free loopback port (test settings)
and yields its CDA endpoint (``http://127.0.0.1:<port>/``; the CMA is at ``<endpoint>cma``);
``node_script(script, *arguments)`` runs one of ``tests/emulator/node/*.mjs`` with
``tools/node/package.json`` first, once node and ``make node``'s packages are there (skipped
on a laptop without them, failed under ``CI=true``), and returns what it printed as JSON.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.conf import settings

from tests.services import require_service

ROOT = Path(settings.BASE_DIR)
NODE_PACKAGE = ROOT / "tools" / "node" / "package.json"
NODE_SCRIPTS = Path(__file__).parent / "node"


@contextmanager
def standalone(*arguments: str) -> Iterator[str]:
    """``manage.py datocms_emulator --port 0 <arguments>`` running; yields its CDA endpoint."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings", "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "manage.py"), "datocms_emulator", "--port", "0", *arguments],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        assert process.stdout is not None
        endpoint = None
        seen = []
        for line in process.stdout:
            seen.append(line)
            found = re.search(r"CDA endpoint\s+POST (http://127\.0\.0\.1:\d+/)", line)
            if found:
                endpoint = found.group(1)
                break
        assert endpoint, "the emulator did not start:\n" + "".join(seen)
        yield endpoint
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout is not None:
            process.stdout.close()


def node_binary(package: str) -> str:
    """The ``node`` binary, once the npm ``package`` is installed (``make node``)."""
    node = shutil.which("node")
    require_service("node", node is not None, "'node' (v18+) is not installed")
    installed = ROOT / "tools" / "node" / "node_modules" / package / "package.json"
    require_service(
        package, installed.is_file(), "tools/node/node_modules is missing: run `make node`"
    )
    assert node is not None
    return node


def node_script(script: str, *arguments: str, package: str, cwd: Path | None = None) -> Any:
    """Run ``node/<script>`` (which needs the npm ``package``); its JSON output."""
    node = node_binary(package)
    completed = subprocess.run(
        [node, str(NODE_SCRIPTS / script), str(NODE_PACKAGE), *arguments],
        capture_output=True, text=True, timeout=120, check=False, cwd=cwd,
    )  # fmt: skip
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout)
