"""The content project the settings name, made ready to load.

``DATOCMS["EMULATOR"]["CONTENT_DIR"]`` names the content project; there is no default, the
emulator knows no project of its own. ``DATOCMS["EMULATOR"]["PREPARE"]`` optionally names a
function ``prepare(content_dir: Path)`` that ``content_directory`` calls before the project
loads, each time the emulator loads it from the settings (at first use, after a settings
change, under ``manage.py check``): a project whose files are generated (pictures painted by
code, say) creates the missing ones there. It must be idempotent and quick when nothing is
missing. A directory given explicitly (``manage.py datocms_emulator --content DIR``) is
served as it is.

This module never reads or writes content files itself; the hook is the only code that may
write into the content project.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from django.utils.module_loading import import_string

from datocms_app.emulator.conf import EmulatorSettings
from datocms_app.emulator.exceptions import ContentError
from datocms_app.exceptions import ConfigurationError, DatoCMSError

__all__ = ["content_directory", "import_prepare", "prepare_content"]

Prepare = Callable[[Path], object]


def content_directory(conf: EmulatorSettings) -> Path:
    """``CONTENT_DIR``, prepared by ``PREPARE``; ``ConfigurationError`` if it is no project."""
    if not conf.CONTENT_DIR:
        raise ConfigurationError(
            "No DatoCMS API token is configured, so the embedded emulator would serve content, "
            "but it has no content project: set settings.DATOCMS['EMULATOR']['CONTENT_DIR'] to "
            "a content project directory (see docs/emulator.md), or set "
            "settings.DATOCMS['API_TOKEN'] to a read-only token of your DatoCMS project."
        )
    directory = Path(conf.CONTENT_DIR)
    prepare_content(conf, directory)
    if not (directory / "schema.json").is_file():
        raise ConfigurationError(
            f"settings.DATOCMS['EMULATOR']['CONTENT_DIR'] is {str(directory)!r}, which "
            "holds no schema.json. Point it at a content project (see docs/emulator.md) "
            "or set DATOCMS['API_TOKEN'] to read your real DatoCMS project."
        )
    return directory


def import_prepare(dotted_path: str) -> Prepare:
    """The function ``PREPARE`` names; ``ConfigurationError`` if it is not one."""
    try:
        hook = import_string(dotted_path)
    except ImportError as exc:
        raise ConfigurationError(
            f"settings.DATOCMS['EMULATOR']['PREPARE'] names {dotted_path!r}, which cannot be "
            f"imported ({exc}). Give the dotted path of a function prepare(content_dir), or "
            "remove the key."
        ) from exc
    if not callable(hook):
        raise ConfigurationError(
            f"settings.DATOCMS['EMULATOR']['PREPARE'] names {dotted_path!r}, which is not "
            "callable. Give the dotted path of a function prepare(content_dir)."
        )
    prepare: Prepare = hook
    return prepare


def prepare_content(conf: EmulatorSettings, directory: Path) -> None:
    """Run ``PREPARE`` on ``directory``, if set; its failure is a ``ContentError``."""
    if conf.PREPARE is None:
        return
    prepare = import_prepare(conf.PREPARE)
    try:
        prepare(directory)
    except DatoCMSError:
        raise
    except Exception as exc:
        # Whatever the project's own code raises, the emulator reports it as a content
        # problem (datocms.E031 at check time) naming the hook and the directory.
        raise ContentError(
            f"settings.DATOCMS['EMULATOR']['PREPARE'] ({conf.PREPARE}) failed to prepare "
            f"{str(directory)!r}: {type(exc).__name__}: {exc}"
        ) from exc
