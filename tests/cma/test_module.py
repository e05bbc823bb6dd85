"""The module-level clients, built from settings.DATOCMS, and the CMA settings."""

from __future__ import annotations

import asyncio

import pytest
from django.test import override_settings

from datocms_app import cma
from datocms_app.conf import get_settings
from datocms_app.exceptions import ConfigurationError


def test_defaults_of_the_cma_settings() -> None:
    conf = get_settings()
    assert (conf.CMA_API_TOKEN, conf.CMA_URL, conf.CMA_TIMEOUT) == (
        "",
        "https://site-api.datocms.com",
        60.0,
    )


def test_get_client_is_built_from_the_settings_and_rebuilt_when_they_change() -> None:
    with override_settings(
        DATOCMS={
            "CMA_API_TOKEN": "write-token",
            "ENVIRONMENT": "staging",
            "CMA_TIMEOUT": 5,
            "MAX_RETRIES": 1,
        }
    ):
        client = cma.get_client()
        assert cma.get_client() is client
        assert repr(client) == "<Client https://site-api.datocms.com environment=staging token=***>"
        assert (client.policy.timeout, client.policy.max_retries) == (5.0, 1)
    with override_settings(
        DATOCMS={"CMA_API_TOKEN": "write-token", "CMA_URL": "http://127.0.0.1:9/cma/"}
    ):
        other = cma.get_client()
        assert other is not client
        assert other.base_url == "http://127.0.0.1:9/cma"

    async def in_a_loop() -> cma.AsyncClient:
        return cma.get_async_client()

    with override_settings(DATOCMS={"CMA_API_TOKEN": "write-token"}):
        assert isinstance(asyncio.run(in_a_loop()), cma.AsyncClient)


def test_no_cma_token_is_a_configuration_error_naming_the_setting() -> None:
    with (
        override_settings(DATOCMS={"API_TOKEN": "read-only"}),
        pytest.raises(ConfigurationError) as info,
    ):
        cma.get_client()
    assert str(info.value) == (
        "No Content Management API token: set settings.DATOCMS['CMA_API_TOKEN'] to a full-access "
        "API token, or one whose role may do what you ask (your DatoCMS project's Settings > API "
        "tokens). DATOCMS['API_TOKEN'] is the read-only token of the Content Delivery API and is "
        "never used to write."
    )


def test_bad_cma_settings_are_named() -> None:
    with (
        override_settings(DATOCMS={"CMA_URL": "site-api.datocms.com"}),
        pytest.raises(ConfigurationError) as info,
    ):
        get_settings()
    assert str(info.value) == (
        "settings.DATOCMS['CMA_URL']: must be an http(s) URL such as "
        "'https://site-api.datocms.com', got 'site-api.datocms.com'."
    )
    with (
        override_settings(DATOCMS={"CMA_API_TOKEN": ["secret-value"]}),
        pytest.raises(ConfigurationError) as info,
    ):
        get_settings()
    assert "secret-value" not in str(info.value)
    with override_settings(DATOCMS={"CMA_TIMEOUT": 0}), pytest.raises(ConfigurationError):
        get_settings()
