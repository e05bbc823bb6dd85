"""Whether the environment asks the web server for several worker processes (for W061).

``manage.py check`` runs in a process of its own, not in the server, so only what the
environment says can be seen: ``WEB_CONCURRENCY`` (gunicorn's and uvicorn's default worker
count, set by Heroku and other platforms), ``UVICORN_WORKERS`` and ``--workers``/``-w`` in
``GUNICORN_CMD_ARGS``. A ``--workers`` option on the server's own command line or in a
gunicorn configuration file cannot be seen from here.
"""

from __future__ import annotations

import shlex
from collections.abc import Mapping

__all__ = ["several_workers"]


def several_workers(environ: Mapping[str, str]) -> str | None:
    """What in ``environ`` asks for more than one worker process (``"WEB_CONCURRENCY=4"``),
    or None."""
    gunicorn_args = environ.get("GUNICORN_CMD_ARGS", "")
    gunicorn_workers = _gunicorn_workers(gunicorn_args)
    if gunicorn_workers is not None and gunicorn_workers > 1:
        return f"GUNICORN_CMD_ARGS={gunicorn_args!r}"
    names = ["UVICORN_WORKERS"]
    if gunicorn_workers is None:
        # GUNICORN_CMD_ARGS's --workers wins over WEB_CONCURRENCY for gunicorn.
        names.append("WEB_CONCURRENCY")
    for name in names:
        count = _positive_int(environ.get(name, ""))
        if count is not None and count > 1:
            return f"{name}={environ[name]}"
    return None


def _gunicorn_workers(args: str) -> int | None:
    """The worker count in gunicorn's command-line arguments (the last one given), or None."""
    try:
        words = shlex.split(args)
    except ValueError:
        return None  # gunicorn refuses these arguments itself
    count = None
    for index, word in enumerate(words):
        value = None
        if word in ("-w", "--workers") and index + 1 < len(words):
            value = words[index + 1]
        elif word.startswith("--workers="):
            value = word.removeprefix("--workers=")
        elif word.startswith("-w") and not word.startswith("--"):
            value = word.removeprefix("-w")
        if value is not None:
            count = _positive_int(value) or count
    return count


def _positive_int(text: str) -> int | None:
    try:
        value = int(text.strip())
    except ValueError:
        return None
    return value if value > 0 else None
