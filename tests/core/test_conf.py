from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from datocms_app.conf import get_settings
from datocms_app.exceptions import ConfigurationError, DatoCMSError


def test_defaults() -> None:
    conf = get_settings()
    assert conf.API_TOKEN == ""
    assert conf.ENVIRONMENT is None
    assert conf.CDA_URL == "https://graphql.datocms.com/"
    assert conf.INCLUDE_DRAFTS is False
    assert conf.EXCLUDE_INVALID is False
    assert conf.TIMEOUT == 10.0
    assert conf.MAX_RETRIES == 3
    assert conf.CACHE_ALIAS == "default"


def test_override_settings_is_seen_and_undone() -> None:
    with override_settings(DATOCMS={"API_TOKEN": "t", "ENVIRONMENT": "dev", "TIMEOUT": 2}):
        conf = get_settings()
        assert (conf.API_TOKEN, conf.ENVIRONMENT, conf.TIMEOUT) == ("t", "dev", 2.0)
    assert get_settings().API_TOKEN == ""


def test_blank_environment_means_primary() -> None:
    with override_settings(DATOCMS={"ENVIRONMENT": ""}):
        assert get_settings().ENVIRONMENT is None


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            {"TIMEOUT": "ten"},
            "settings.DATOCMS['TIMEOUT']: Input should be a valid number (expected float, "
            "got str 'ten').",
        ),
        (
            {"INCLUDE_DRAFTS": "yes"},
            "settings.DATOCMS['INCLUDE_DRAFTS']: Input should be a valid boolean "
            "(expected bool, got str 'yes').",
        ),
        (
            {"MAX_RETRIES": -1},
            "settings.DATOCMS['MAX_RETRIES']: Input should be greater than or equal to 0 "
            "(expected int, got int -1).",
        ),
        (
            {"API_TOKEN": 123},
            "settings.DATOCMS['API_TOKEN']: Input should be a valid string (expected str, "
            "got int (value hidden)).",
        ),
        (
            {"CDA_URL": "graphql.datocms.com"},
            "settings.DATOCMS['CDA_URL']: must be an http(s) URL such as "
            "'https://graphql.datocms.com/', got 'graphql.datocms.com'.",
        ),
        ({"API_TOKN": "x"}, "settings.DATOCMS['API_TOKN']: unknown key; known keys are: API_"),
        (
            {"PAGE_CACHE_QUERY_PARAMETERS": ["page", 2]},
            "settings.DATOCMS['PAGE_CACHE_QUERY_PARAMETERS'][1]: Input should be a valid string "
            "(expected list[str], got int 2).",
        ),
        ("token", "settings.DATOCMS must be a dict, got str."),
    ],
)
def test_bad_values_name_key_and_type(value: Any, message: str) -> None:
    with override_settings(DATOCMS=value), pytest.raises(ConfigurationError) as info:
        get_settings()
    assert str(info.value).startswith(message)
    assert isinstance(info.value, ImproperlyConfigured)
    assert isinstance(info.value, DatoCMSError)


@pytest.mark.parametrize(
    "value", [{"API_TOKEN": ["very-secret"]}, {"API_TOKN": "very-secret"}, {"x": "very-secret"}]
)
def test_secret_values_are_never_echoed(value: dict[str, Any]) -> None:
    with override_settings(DATOCMS=value):
        with pytest.raises(ConfigurationError) as info:
            get_settings()
    assert "very-secret" not in str(info.value)
