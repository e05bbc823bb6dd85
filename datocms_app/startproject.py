"""``python -m datocms_app startproject NAME [DIR]``: a new Django site built on datocms_app.

A thin layer over Django's own ``startproject --template`` (as ``wagtail start`` is): the
template is ``project_template/`` in this package and Django renders it, so
``{{ project_name }}`` and a fresh ``SECRET_KEY`` are filled in the Python files (shipped as
``.py-tpl``), the README and the content project's ``site.json``; everything else, Django
templates included, is copied as it is. What it writes — settings from the environment, the
page cache and webhook, a starter content project for the embedded emulator, two views and
their templates — is described in the template's own README.

It needs no settings. It never overwrites anything: a name that is not a Python identifier,
clashes with an importable module or with a folder of the template, a ``DIR`` that exists
and is not empty, or a ``NAME`` folder that exists already are refused before anything is
written, with ``InvalidArgument`` saying what to do instead.
"""

from __future__ import annotations

import argparse
import importlib.util
import keyword
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path

from datocms_app.exceptions import InvalidArgument

__all__ = ["TEMPLATE_DIR", "main", "start_project"]

#: The project template Django renders.
TEMPLATE_DIR = Path(__file__).resolve().parent / "project_template"
#: Files rendered by Django's template engine besides the ``.py-tpl`` ones.
RENDERED_FILES = ("README.md", "site.json")
#: What the project's settings import, and which distribution provides it.
REQUIREMENTS = {"environ": "django-environ", "graphql": "graphql-core", "PIL": "Pillow"}
_PROG = "python -m datocms_app"


def _taken_names() -> set[str]:
    """Names the template writes beside the project's package: a project cannot take them."""
    return {entry.name.split(".")[0] for entry in TEMPLATE_DIR.iterdir()} - {"project_name", ""}


def _check_name(name: str) -> None:
    if not isinstance(name, str) or not name.isidentifier() or keyword.iskeyword(name):
        raise InvalidArgument(
            f"{name!r} is not a valid project name: use a Python identifier (letters, digits "
            "and underscores, not starting with a digit), e.g. 'mysite'."
        )
    if name in _taken_names():
        raise InvalidArgument(
            f"{name!r} is the name of a folder the project template writes beside the "
            "project's package; choose another name, e.g. 'mysite'."
        )
    if importlib.util.find_spec(name) is not None:
        raise InvalidArgument(
            f"{name!r} is already the name of an importable Python module, which the "
            "project's package would shadow or be shadowed by; choose another name, e.g. "
            "'mysite'."
        )


def _target(name: str, directory: str | Path | None) -> tuple[Path, bool]:
    """The folder to write into, and whether it must be created."""
    if directory is None:
        target = Path.cwd() / name
        if target.exists():
            raise InvalidArgument(
                f"'{target}' already exists. Choose another name, or give an empty folder: "
                f"{_PROG} startproject {name} path/to/empty-folder"
            )
        return target, True
    target = Path(directory).expanduser().resolve()
    if target.exists() and not target.is_dir():
        raise InvalidArgument(f"'{target}' is a file, not a folder: give a folder for DIR.")
    if target.is_dir() and any(target.iterdir()):
        raise InvalidArgument(
            f"'{target}' is not empty. startproject never overwrites files: give a new or "
            "empty folder."
        )
    return target, not target.exists()


def _remove_written(target: Path, *, created: bool) -> None:
    """Leave nothing half-written behind: the folder was empty, or made for the project."""
    if created:
        shutil.rmtree(target, ignore_errors=True)
        return
    for entry in target.iterdir():
        if entry.is_dir():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)


def start_project(name: str, directory: str | Path | None = None) -> Path:
    """Write the starter project ``name`` into ``directory`` (default ``./name``).

    Returns the project's folder (the one holding ``manage.py``). Raises ``InvalidArgument``
    before writing anything when the name or the folder cannot be used.
    """
    from django.core.management import CommandError, call_command
    from django.core.management.commands.startproject import Command as StartProject

    class _StartProject(StartProject):
        def validate_name(self, name: str, name_or_dir: str = "name") -> None:
            # Checked by _check_name before the folder existed: once created, the folder
            # itself is importable as a namespace package and Django's check would refuse it.
            pass

    _check_name(name)
    target, create = _target(name, directory)
    if create:
        target.mkdir(parents=True)
    try:
        call_command(
            _StartProject(),
            name,
            str(target),
            template=str(TEMPLATE_DIR),
            files=list(RENDERED_FILES),
            verbosity=0,
        )
    except BaseException as exc:
        _remove_written(target, created=create)
        if isinstance(exc, CommandError | OSError):
            raise InvalidArgument(f"Could not write the project into '{target}': {exc}") from exc
        raise
    return target


def missing_requirements() -> list[str]:
    """Distributions the new project needs that this Python does not have."""
    return [
        dist for module, dist in REQUIREMENTS.items() if importlib.util.find_spec(module) is None
    ]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=_PROG, description="Commands of datocms-app that need no Django project yet."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    start = commands.add_parser(
        "startproject",
        help="write a new Django site that reads DatoCMS (offline at first)",
        description=(
            "Write a small working Django site built on datocms-app: settings from the "
            "environment, the page cache and the cache-tags webhook, a starter content project "
            "served offline by the emulator, a list and a detail page, and a README. Then: "
            "cd NAME && python manage.py runserver."
        ),
    )
    start.add_argument("name", metavar="NAME", help="the project's Python package, e.g. mysite")
    start.add_argument(
        "directory",
        metavar="DIR",
        nargs="?",
        help="where to write it: a new or empty folder (default: ./NAME)",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (2 for a refused name or folder)."""
    parser = _parser()
    arguments = parser.parse_args(argv)
    try:
        target = start_project(arguments.name, arguments.directory)
    except InvalidArgument as exc:
        parser.exit(2, f"{_PROG} startproject: error: {exc}\n")
    where = Path(arguments.directory) if arguments.directory else Path(arguments.name)
    sys.stdout.write(
        f"Wrote the project {arguments.name!r} to {target}. Next:\n\n"
        f"    cd {where}\n"
        "    python manage.py runserver\n\n"
        "then open http://127.0.0.1:8000/. Its README.md says how to edit the content offline "
        "and switch to your DatoCMS project.\n"
    )
    missing = missing_requirements()
    if missing:
        sys.stderr.write(
            f"\nIts settings need {', '.join(missing)}, missing from this Python: "
            'pip install "datocms-app[emulator]"\n'
        )
    return 0
