from __future__ import annotations

import pytest
from django.test import override_settings

from datocms_app.checks import check_settings
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
    assert message.hint == "Fix settings.DATOCMS; the README's settings reference lists every key."


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
