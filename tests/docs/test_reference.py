"""docs/reference.md documents exactly what the code has, both ways.

Every key of ``DatoCMSSettings`` (datocms_app/conf.py) and ``EmulatorSettings``
(datocms_app/emulator/conf.py) has a row in *Settings* whose default is the model's, and no
row names a key that does not exist; every management command of the app and its emulator
app has a ``### manage.py <name>`` section that names each of its options; every tag and
filter of ``{% load datocms %}`` has a section; every exception class the two exception
modules export is in *Errors*' trees, and every name in the trees is a class. The check ids
are compared in tests/core/test_checks.py.
"""

from __future__ import annotations

import ast
import re
from typing import Any

from django.core.management import get_commands, load_command_class

from datocms_app import exceptions
from datocms_app.conf import DEFAULT_TRACKING_PARAMETERS, DatoCMSSettings
from datocms_app.emulator import exceptions as emulator_exceptions
from datocms_app.emulator.conf import EmulatorSettings
from datocms_app.templatetags.datocms import register
from tests.docs.blocks import ROOT, section

REFERENCE = ROOT / "docs" / "reference.md"
# Django's own options of every command (BaseCommand.create_parser).
DJANGO_OPTIONS = {
    "--help",
    "--version",
    "--verbosity",
    "--settings",
    "--pythonpath",
    "--traceback",
    "--no-color",
    "--force-color",
    "--skip-checks",
}


def settings_rows() -> dict[str, tuple[str, str]]:
    """``{key: (type cell, default cell)}`` of the settings table; a row may name several keys."""
    rows: dict[str, tuple[str, str]] = {}
    for line in section(REFERENCE, "Settings").split("\n"):
        cells = [cell.strip() for cell in line.strip().strip("|").split(" | ")]
        if not line.startswith("| `") or len(cells) != 4:
            continue
        for key in re.findall(r"`([^`]+)`", cells[0]):
            rows[key] = (cells[1], cells[2])
    return rows


def model_defaults() -> dict[str, Any]:
    defaults = {
        name: field.get_default(call_default_factory=True)
        for name, field in DatoCMSSettings.model_fields.items()
    }
    for name, field in EmulatorSettings.model_fields.items():
        defaults[f'EMULATOR["{name}"]'] = field.get_default(call_default_factory=True)
    return defaults


def test_every_settings_key_is_documented_and_no_other() -> None:
    assert sorted(settings_rows()) == sorted(model_defaults())


def test_every_documented_default_is_the_models() -> None:
    wrong = {}
    for key, (_type, cell) in settings_rows().items():
        default = model_defaults()[key]
        if key == "PAGE_CACHE_TRACKING_PARAMETERS":
            documented: Any = re.findall(r"`([^`]+)`", cell)
            default = list(DEFAULT_TRACKING_PARAMETERS)
        else:
            (literal,) = re.fullmatch(r"`([^`]+)`", cell).groups()  # type: ignore[union-attr]
            documented = ast.literal_eval(literal)
        if documented != default:
            wrong[key] = (documented, default)
    assert wrong == {}


def test_every_documented_type_is_given() -> None:
    assert [key for key, (type_, _default) in settings_rows().items() if not type_] == []


# -- management commands ---------------------------------------------------------------------


def app_commands() -> dict[str, str]:
    return {name: app for name, app in get_commands().items() if app.startswith("datocms_app")}


def command_sections() -> dict[str, str]:
    text = section(REFERENCE, "Commands")
    parts = re.split(r"(?m)^### manage\.py (\w+)\n", text)
    return {parts[index]: parts[index + 1] for index in range(1, len(parts), 2)}


def test_every_command_is_documented_and_no_other() -> None:
    assert sorted(command_sections()) == sorted(app_commands())


def test_every_option_of_every_command_is_documented() -> None:
    sections = command_sections()
    missing = {}
    for name, app in app_commands().items():
        parser = load_command_class(app, name).create_parser("manage.py", name)
        options = {
            option
            for action in parser._actions
            for option in action.option_strings
            if option.startswith("--") and option not in DJANGO_OPTIONS
        }
        undocumented = sorted(o for o in options if f"`{o}" not in sections.get(name, ""))
        if undocumented:
            missing[name] = undocumented
    assert missing == {}


def test_documented_options_exist() -> None:
    stale = {}
    for name, text in command_sections().items():
        parser = load_command_class(app_commands()[name], name).create_parser("manage.py", name)
        options = {option for action in parser._actions for option in action.option_strings}
        documented = set(re.findall(r"^\| `(--[\w-]+)", text, re.MULTILINE))
        if documented - options:
            stale[name] = sorted(documented - options)
    assert stale == {}


# -- template tags and filters --------------------------------------------------------------------


def test_every_tag_and_filter_is_documented_and_no_other() -> None:
    text = section(REFERENCE, "Template tags and filters")
    documented = re.findall(r"(?m)^### (\w+)$", text)
    assert sorted(documented) == sorted([*register.tags, *register.filters])


# -- errors ------------------------------------------------------------------------------------


def exported_errors() -> set[str]:
    names = set()
    for module in (exceptions, emulator_exceptions):
        for name in module.__all__:
            value = getattr(module, name)
            if isinstance(value, type) and issubclass(value, exceptions.DatoCMSError):
                names.add(name)
    return names


def test_every_error_is_in_the_trees_and_no_other() -> None:
    text = section(REFERENCE, "Errors")
    trees = re.findall(r"```\n(DatoCMSError.*?)```", text, re.DOTALL)
    assert len(trees) == 2
    named = {
        name
        for tree in trees
        for name in re.findall(r"^(?:[ │]*[├└]── )?(\w+)", tree, re.MULTILINE)
        if name[0].isupper()
    }
    assert sorted(named - exported_errors()) == []
    assert sorted(exported_errors() - named) == []
