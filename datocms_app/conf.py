"""Typed access to ``settings.DATOCMS``.

``get_settings()`` merges the project's ``DATOCMS`` dict over the defaults below, validates it
once with pydantic and caches the result until Django sends ``setting_changed`` for
``DATOCMS`` (so ``override_settings`` works in tests). It never reads settings at import time.
A wrong key or value raises ``ConfigurationError`` naming the key and the expected type.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
)

from datocms_app.exceptions import ConfigurationError
from datocms_app.validation_errors import Location, describe_validation_error

__all__ = [
    "DEFAULT_CDA_URL",
    "DEFAULT_TRACKING_PARAMETERS",
    "DatoCMSSettings",
    "EmulatorSettings",
    "get_settings",
]

DEFAULT_CDA_URL = "https://graphql.datocms.com/"

#: Query parameters that analytics and ad platforms append to links (Google, Meta,
#: Microsoft, Yandex, TikTok, LinkedIn, X, Mailchimp, HubSpot, Marketo, Klaviyo). A page
#: never renders them, so the page cache drops them from its keys; ``*`` ends a prefix.
DEFAULT_TRACKING_PARAMETERS = (
    "utm_*",
    "gclid",
    "gclsrc",
    "dclid",
    "gbraid",
    "wbraid",
    "srsltid",
    "_ga",
    "_gl",
    "fbclid",
    "igshid",
    "msclkid",
    "yclid",
    "ttclid",
    "twclid",
    "li_fat_id",
    "ref_src",
    "mc_cid",
    "mc_eid",
    "_hsenc",
    "_hsmi",
    "hsa_*",
    "mkt_tok",
    "_kx",
)
#: A query parameter's name as the page cache takes it: no blanks, "&", "=", "#" or "*".
PARAMETER_NAME = re.compile(r"[^\s&=#*]+")


class EmulatorSettings(BaseModel):
    """``settings.DATOCMS["EMULATOR"]``: the offline emulator (``datocms_app.emulator``)."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    #: The content project to serve; None means ``<BASE_DIR>/project/content`` (the demo's).
    CONTENT_DIR: str | Path | None = None
    #: API tokens the emulator accepts; the embedded client uses the first.
    TOKENS: list[str] = Field(default_factory=lambda: ["emulator"], min_length=1)
    #: Webhooks to call on content changes (dicts shaped like DatoCMS's webhook objects).
    WEBHOOKS: list[dict[str, Any]] = Field(default_factory=list)
    #: Multiplies DatoCMS's webhook retry delays (tests use a tiny scale).
    WEBHOOK_RETRY_SCALE: float = Field(default=1.0, gt=0)
    #: Prefix of upload URLs in the embedded emulator's answers (a view in datocms_app.urls).
    ASSETS_BASE: str = "/datocms/emulator/assets"
    #: Prefix of video URLs (HLS, MP4, thumbnails) in its answers (a view in datocms_app.urls).
    VIDEO_BASE: str = "/datocms/emulator/video"

    @field_validator("TOKENS")
    @classmethod
    def _tokens_not_blank(cls, value: list[str]) -> list[str]:
        if not all(token.strip() for token in value):
            raise ValueError("must be a list of non-blank tokens")
        return value

    # emulator webhooks (datocms_app.emulator.webhooks): check each webhook's keys now, so a
    # mistake shows in ``manage.py check`` (datocms.E001) without echoing a password.
    @field_validator("WEBHOOKS")
    @classmethod
    def _webhooks_are_datocms_webhooks(cls, value: list[dict[str, Any]]) -> list[dict[str, Any]]:
        from datocms_app.emulator.webhook_config import coerce_webhooks

        try:
            list(coerce_webhooks(value))
        except ConfigurationError as exc:
            raise ConfigurationError(f"settings.DATOCMS['EMULATOR']['WEBHOOKS']: {exc}") from None
        return value


class DatoCMSSettings(BaseModel):
    """Every key of ``settings.DATOCMS`` with its type and default (see the README)."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    API_TOKEN: str = ""
    ENVIRONMENT: str | None = None
    CDA_URL: str = DEFAULT_CDA_URL
    INCLUDE_DRAFTS: bool = False
    EXCLUDE_INVALID: bool = False
    TIMEOUT: float = Field(default=10.0, gt=0)
    MAX_RETRIES: int = Field(default=3, ge=0, le=10)
    CACHE_ALIAS: str = "default"
    # structured text (datocms_app.structured_text): dotted paths, imported on first use and
    # checked by ``manage.py check`` (datocms.E040, datocms.E041).
    RECORD_URL_RESOLVER: str | None = None
    STRUCTURED_TEXT_RENDERERS: dict[str, str] = Field(default_factory=dict)
    # caching, the cache-tags webhook and CDN purges (datocms_app.caching, .webhooks); checked
    # by ``manage.py check`` (datocms.E060-E061, datocms.W060-W061).
    QUERY_CACHE: bool = True
    PAGE_CACHE: bool = True
    CACHE_TIMEOUT: int | None = Field(default=86_400, gt=0)
    # page-cache keys (datocms_app.caching.query_parameters): the query parameters pages are
    # keyed on and those dropped from every key (others bypass the cache).
    PAGE_CACHE_QUERY_PARAMETERS: list[str] = Field(default_factory=list)
    PAGE_CACHE_TRACKING_PARAMETERS: list[str] = Field(
        default_factory=lambda: list(DEFAULT_TRACKING_PARAMETERS)
    )
    WEBHOOK_USERNAME: str = ""
    WEBHOOK_PASSWORD: str = ""
    WEBHOOK_SECRET_HEADER: str = Field(default="X-Webhook-Secret", pattern=r"^[A-Za-z0-9-]+$")
    WEBHOOK_SECRET: str = ""
    CDN: dict[str, Any] | None = None
    # emulator images (datocms_app.emulator.images): where transformed images are cached on
    # disk; "" means a "datocms-emulator-images" folder in the system's temporary directory.
    EMULATOR_IMAGE_CACHE_DIR: str = ""
    # the emulator (datocms_app.emulator): content project, tokens, webhooks, asset URLs.
    EMULATOR: EmulatorSettings = Field(default_factory=EmulatorSettings)

    @field_validator("CDA_URL")
    @classmethod
    def _check_url(cls, value: str) -> str:
        if not value.startswith(("https://", "http://")):
            raise ValueError("must be an http(s) URL such as 'https://graphql.datocms.com/'")
        return value

    @field_validator("PAGE_CACHE_TRACKING_PARAMETERS")
    @classmethod
    def _check_tracking_patterns(cls, value: list[str]) -> list[str]:
        for pattern in value:
            if pattern != "*" and not PARAMETER_NAME.fullmatch(pattern.removesuffix("*")):
                raise ValueError(
                    "must list query parameter names such as 'gclid', or prefixes ending "
                    "with '*' such as 'utm_*' (no blanks, '&', '=' or '#')"
                )
        return value

    @field_validator("PAGE_CACHE_QUERY_PARAMETERS")
    @classmethod
    def _check_parameter_names(cls, value: list[str]) -> list[str]:
        if not all(PARAMETER_NAME.fullmatch(name) for name in value):
            raise ValueError(
                "must list query parameter names such as 'page' (no blanks, '&', '=', '#' or '*')"
            )
        return value

    @field_validator("ENVIRONMENT")
    @classmethod
    def _blank_environment_is_primary(cls, value: str | None) -> str | None:
        return value or None


def _settings_key(location: Location) -> str:
    return "settings.DATOCMS" + "".join(f"[{part!r}]" for part in location)


def validate_settings(raw: Any) -> DatoCMSSettings:
    """Validate a ``DATOCMS`` dict; raise ``ConfigurationError`` saying what is wrong."""
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise ConfigurationError(
            f"settings.DATOCMS must be a dict, got {type(raw).__name__}. "
            'Example: DATOCMS = {"API_TOKEN": env("DATOCMS_API_TOKEN")}.'
        )
    try:
        return DatoCMSSettings.model_validate(raw)
    except ValidationError as exc:
        problems = describe_validation_error(exc, where=_settings_key, model=DatoCMSSettings)
        raise ConfigurationError(f"{problems}.") from None


@functools.cache
def get_settings() -> DatoCMSSettings:
    """The validated ``settings.DATOCMS``, cached until the setting changes."""
    return validate_settings(getattr(settings, "DATOCMS", None))


@receiver(setting_changed)
def _reset_on_setting_changed(*, setting: str, **kwargs: Any) -> None:
    if setting == "DATOCMS":
        get_settings.cache_clear()
