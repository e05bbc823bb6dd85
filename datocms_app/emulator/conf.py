"""Typed access to the emulator's keys of ``settings.DATOCMS``.

The emulator owns two keys of the ``DATOCMS`` dict: ``EMULATOR`` (the content project, the
hook that prepares it, tokens, webhooks, the URLs of its files) and
``EMULATOR_IMAGE_CACHE_DIR``. The core's settings model accepts them without looking inside;
this module validates them with its own model (a core ``SettingsModel``) and holds the result
in a core ``SettingsBound``, read again when the settings change. A wrong key or value raises
``ConfigurationError`` naming it (``settings.DATOCMS['EMULATOR']['TOKENS'] ...``), formatted by
the core's one formatter. It never reads settings at import time.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from pydantic import ConfigDict, Field, field_validator, model_validator

from datocms_app.conf import DatoCMSSettings, SettingsBound, SettingsModel, must_be
from datocms_app.exceptions import ConfigurationError

__all__ = [
    "EmulatorKeys",
    "EmulatorSettings",
    "get_emulator_settings",
    "get_image_cache_dir",
    "validate_emulator_keys",
]

_DOTTED_PATH = re.compile(r"[A-Za-z_]\w*(\.[A-Za-z_]\w*)+")
_LISTEN_BASE = re.compile(r"(https?://[^/\s?#]+)?/[^\s?#]*")


class EmulatorSettings(SettingsModel):
    """``settings.DATOCMS["EMULATOR"]``: what the emulator serves and how (docs/reference.md)."""

    #: The content project to serve: required whenever the emulator serves content.
    CONTENT_DIR: str | Path | None = None
    #: Dotted path to a callable(content_dir: Path) run before the content project loads.
    PREPARE: str | None = None
    #: API tokens the emulator accepts; the embedded client uses the first.
    TOKENS: list[str] = Field(default_factory=lambda: ["emulator"], min_length=1)
    #: Webhooks to call on content changes (dicts shaped like DatoCMS's webhook objects).
    WEBHOOKS: list[dict[str, Any]] = Field(default_factory=list)
    #: Multiplies DatoCMS's webhook retry delays (tests use a tiny scale).
    WEBHOOK_RETRY_SCALE: float = Field(default=1.0, gt=0)
    #: Every change to the embedded emulator invalidates this process's own caches
    #: (``datocms_app.caching.invalidate_tags``), with or without webhooks (``site_cache``).
    INVALIDATE_SITE: bool = True
    #: Prefix of upload URLs in the embedded emulator's answers (``datocms_emulator:asset``).
    ASSETS_BASE: str = "/datocms/emulator/assets"
    #: Prefix of video URLs (HLS, MP4, thumbnails) in its answers (``datocms_emulator:video``).
    VIDEO_BASE: str = "/datocms/emulator/video"
    #: The locales some of ``TOKENS`` may write through the CMA (the others write them all).
    #: Values are typed by hand: a type error's location would name the token.
    TOKEN_LOCALES: dict[str, Any] = Field(default_factory=dict)
    #: Seconds an asynchronous CMA job (creating an upload or a field...) takes.
    CMA_JOB_SECONDS: float = Field(default=0.2, ge=0)
    #: Prefix of the Real-time Updates channel URLs in its registration answers
    #: (``datocms_emulator:listen-channel``); a path is on the page's own origin.
    LISTEN_BASE: str = "/datocms/emulator/listen"

    @field_validator("LISTEN_BASE")
    @classmethod
    def _listen_base_is_a_path_or_url(cls, value: str) -> str:
        return must_be(
            value,
            bool(_LISTEN_BASE.fullmatch(value)),
            "a path such as '/datocms/emulator/listen' or an http(s) URL",
        )

    @field_validator("PREPARE")
    @classmethod
    def _prepare_is_a_dotted_path(cls, value: str | None) -> str | None:
        return must_be(
            value,
            value is None or bool(_DOTTED_PATH.fullmatch(value)),
            "the dotted path of a function, e.g. 'myproject.prepare'",
        )

    @field_validator("TOKENS")
    @classmethod
    def _tokens_not_blank(cls, value: list[str]) -> list[str]:
        if not all(token.strip() for token in value):
            raise ValueError("must be a list of non-blank tokens")
        return value

    @field_validator("TOKEN_LOCALES")
    @classmethod
    def _token_locales_are_lists(cls, value: dict[str, Any]) -> dict[str, Any]:
        for index, locales in enumerate(value.values(), start=1):
            if (
                not isinstance(locales, list)
                or not locales
                or not all(isinstance(locale, str) and locale for locale in locales)
            ):
                raise ValueError(
                    f"the locales of key #{index} must be a non-empty list of locale codes, "
                    'e.g. ["en"]'
                )
        return value

    @model_validator(mode="after")
    def _token_locales_name_tokens(self) -> EmulatorSettings:
        for index, token in enumerate(self.TOKEN_LOCALES, start=1):
            if token not in self.TOKENS:
                raise ValueError(
                    f"TOKEN_LOCALES: key #{index} is not one of TOKENS; its keys are tokens the "
                    "emulator accepts"
                )
        return self

    # Check each webhook's keys now, so a mistake shows in ``manage.py check``
    # (datocms.E001) without echoing a password.
    @field_validator("WEBHOOKS")
    @classmethod
    def _webhooks_are_datocms_webhooks(cls, value: list[dict[str, Any]]) -> list[dict[str, Any]]:
        from datocms_app.emulator.webhook_config import coerce_webhooks

        try:
            list(coerce_webhooks(value))
        except ConfigurationError as exc:
            raise ConfigurationError(f"settings.DATOCMS['EMULATOR']['WEBHOOKS']: {exc}") from None
        return value


class EmulatorKeys(SettingsModel):
    """The keys of ``settings.DATOCMS`` the emulator owns (the others are the core's)."""

    model_config = ConfigDict(extra="ignore")

    EMULATOR: EmulatorSettings = Field(default_factory=EmulatorSettings)
    #: Where transformed images are cached on disk; "" means a "datocms-emulator-images"
    #: folder in the system's temporary directory.
    EMULATOR_IMAGE_CACHE_DIR: str = ""


def validate_emulator_keys(raw: Any) -> EmulatorKeys:
    """Validate the emulator's keys of a ``DATOCMS`` dict; ``ConfigurationError`` if wrong."""
    return EmulatorKeys.from_settings(raw)


def _emulator_keys(conf: DatoCMSSettings) -> EmulatorKeys:
    # The core keeps the emulator's keys as they were given, without looking inside.
    return validate_emulator_keys(
        {"EMULATOR": conf.EMULATOR, "EMULATOR_IMAGE_CACHE_DIR": conf.EMULATOR_IMAGE_CACHE_DIR}
    )


_current_keys = SettingsBound(_emulator_keys)


def get_emulator_settings() -> EmulatorSettings:
    """The validated ``settings.DATOCMS["EMULATOR"]``, cached until the setting changes."""
    return _current_keys.get().EMULATOR


def get_image_cache_dir() -> str:
    """``settings.DATOCMS["EMULATOR_IMAGE_CACHE_DIR"]`` ("" when not set)."""
    return _current_keys.get().EMULATOR_IMAGE_CACHE_DIR
