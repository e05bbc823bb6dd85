"""The settings' checks (datocms.E001-E003, W001) and the checks package as a whole."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import override_settings

import datocms_app
from datocms_app.checks import check_settings
from datocms_app.conf import DatoCMSSettings
from tests.demo_content import demo_datocms


def ids() -> list[str]:
    return [message.id or "" for message in check_settings()]


def test_clean_configuration_has_no_messages() -> None:
    with override_settings(DATOCMS={"API_TOKEN": "t"}, DEBUG=False):
        assert check_settings() == []


def test_e001_invalid_settings() -> None:
    with override_settings(DATOCMS={"TIMEOUT": -1}):
        (message,) = check_settings()
    assert message.id == "datocms.E001"
    assert "settings.DATOCMS['TIMEOUT']" in message.msg
    assert message.hint == "Fix settings.DATOCMS; docs/reference.md lists every key."


def test_e002_unknown_cache_alias() -> None:
    caches = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "sessions": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    }
    conf = {"API_TOKEN": "t", "CACHE_ALIAS": "datocms"}
    with override_settings(DATOCMS=conf, CACHES=caches):
        (message,) = check_settings()
    assert message.id == "datocms.E002"
    assert message.msg == (
        "settings.DATOCMS['CACHE_ALIAS'] is 'datocms', which is not a key of settings.CACHES."
    )
    assert message.hint == (
        "Add a 'datocms' cache to CACHES or set CACHE_ALIAS to one of: default, sessions."
    )


def test_w001_no_token_in_production() -> None:
    with override_settings(DATOCMS=demo_datocms(), DEBUG=False):
        assert ids() == ["datocms.W001"]
    with override_settings(DATOCMS=demo_datocms(), DEBUG=True):
        assert ids() == []


@pytest.mark.usefixtures("no_offline_backend")
def test_e003_no_token_and_no_offline_backend() -> None:
    with override_settings(DATOCMS={}, DEBUG=True):
        (message,) = check_settings()
    assert message.id == "datocms.E003"
    assert message.msg == (
        "No DatoCMS API token is configured and no offline backend is installed: every DatoCMS "
        "query would fail."
    )
    assert message.hint == (
        "Set settings.DATOCMS['API_TOKEN'] to a read-only API token, or serve a content project "
        "offline: add 'datocms_app.emulator' to INSTALLED_APPS and "
        "pip install 'datocms-app[emulator]'."
    )
    with override_settings(DATOCMS={}, DEBUG=False):
        assert ids() == ["datocms.E003"]  # not W001: nothing would be served at all
    with override_settings(DATOCMS={"API_TOKEN": "t"}, DEBUG=False):
        assert ids() == []


def test_checks_are_registered() -> None:
    from django.core import checks

    assert check_settings in checks.registry.registry.get_checks()


# -- the checks package --------------------------------------------------------------------------

ROOT = Path(datocms_app.__file__).resolve().parent
ID = re.compile(r'id="(datocms\.[EW]\d{3})"')


def ids_in(files: list[Path]) -> set[str]:
    return {found for path in files for found in ID.findall(path.read_text(encoding="utf-8"))}


def test_the_old_imports_still_work() -> None:
    from datocms_app import checks

    assert checks.check_settings is check_settings
    assert checks.validated_settings(DatoCMSSettings) is not None
    assert {"check_caching", "check_preview", "check_structured_text"} <= set(checks.__all__)


def test_every_core_check_is_registered_by_the_app() -> None:
    from django.core import checks as django_checks

    from datocms_app.checks import CHECKS

    registered = django_checks.registry.registry.get_checks()
    assert [check for check, _tag in CHECKS if check not in registered] == []
    assert len(CHECKS) == 6


def test_every_id_is_listed_in_its_docstring_and_the_reference() -> None:
    from datocms_app import checks
    from datocms_app.emulator import checks as emulator_checks

    emulator_files = sorted((ROOT / "emulator").rglob("*.py"))
    core_files = sorted(set(ROOT.rglob("*.py")) - set(emulator_files))
    core, emulator = ids_in(core_files), ids_in(emulator_files)
    assert {"datocms.W040", "datocms.W063", "datocms.E063", "datocms.W064"} <= core
    assert {"datocms.E034", "datocms.W030", "datocms.W041"} <= emulator
    assert sorted(i for i in core if f"``{i}``" not in (checks.__doc__ or "")) == []
    assert sorted(i for i in emulator if f"``{i}``" not in (emulator_checks.__doc__ or "")) == []
    docs = (ROOT.parent / "docs" / "reference.md").read_text(encoding="utf-8")
    reference = docs.split("\n## Checks\n", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `(datocms\.[EW]\d{3})` \|", reference, re.MULTILINE)
    assert sorted(rows) == sorted(core | emulator)  # one row per id, none stale
