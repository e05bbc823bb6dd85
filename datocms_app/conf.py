"""Typed access to ``settings.DATOCMS``.

``get_settings()`` merges the project's ``DATOCMS`` dict over the defaults below, validates it
once with pydantic and caches the result until Django sends ``setting_changed`` for
``DATOCMS`` (so ``override_settings`` works in tests). It never reads settings at import time.
A wrong key or value raises ``ConfigurationError`` naming the key and the expected type.
"""

from __future__ import annotations

import functools
from typing import Any

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from datocms_app.exceptions import ConfigurationError

__all__ = ["DEFAULT_CDA_URL", "DatoCMSSettings", "get_settings"]

DEFAULT_CDA_URL = "https://graphql.datocms.com/"


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

    @field_validator("CDA_URL")
    @classmethod
    def _check_url(cls, value: str) -> str:
        if not value.startswith(("https://", "http://")):
            raise ValueError("must be an http(s) URL such as 'https://graphql.datocms.com/'")
        return value

    @field_validator("ENVIRONMENT")
    @classmethod
    def _blank_environment_is_primary(cls, value: str | None) -> str | None:
        return value or None


def _describe(error: Any) -> str:
    key = ".".join(str(part) for part in error["loc"]) or "DATOCMS"
    if error["type"] == "extra_forbidden":
        known = ", ".join(sorted(DatoCMSSettings.model_fields))
        return f"settings.DATOCMS has an unknown key {key!r}; known keys are: {known}."
    field = DatoCMSSettings.model_fields.get(str(error["loc"][0]))
    expected = _type_name(field.annotation) if field is not None else "a valid value"
    got = error.get("input")
    return (
        f"settings.DATOCMS[{key!r}] {error['msg'].lower()}: expected {expected}, "
        f"got {type(got).__name__} {_safe_repr(key, got)}."
    )


def _type_name(annotation: Any) -> str:
    return getattr(annotation, "__name__", None) or str(annotation).replace("typing.", "")


def _safe_repr(key: str, value: Any) -> str:
    # Never echo secrets back into an error message or a log.
    if any(word in key for word in ("TOKEN", "SECRET", "PASSWORD")):
        return "(value hidden)"
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


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
        messages = [_describe(error) for error in exc.errors()]
        raise ConfigurationError(" ".join(messages)) from None


@functools.cache
def get_settings() -> DatoCMSSettings:
    """The validated ``settings.DATOCMS``, cached until the setting changes."""
    return validate_settings(getattr(settings, "DATOCMS", None))


@receiver(setting_changed)
def _reset_on_setting_changed(*, setting: str, **kwargs: Any) -> None:
    if setting == "DATOCMS":
        get_settings.cache_clear()
