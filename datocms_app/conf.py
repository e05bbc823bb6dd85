"""Typed access to ``settings.DATOCMS``.

``get_settings()`` merges the project's ``DATOCMS`` dict over the defaults below, validates it
once with pydantic and caches the result until Django sends ``setting_changed`` for
``DATOCMS`` (so ``override_settings`` works in tests). It never reads settings at import time.
A wrong key or value raises ``ConfigurationError`` naming the key and the expected type.

``SettingsBound`` is the one way to hold an object built from the settings (the default CDA
clients, the CDN backend, the tag-version store): rebuilt when the settings change, through
the one ``setting_changed`` receiver below.
"""

from __future__ import annotations

import asyncio
import functools
import re
import threading
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import Any, Generic, Literal, TypeVar
from urllib.parse import urlsplit

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

__all__ = [
    "DEFAULT_CDA_URL",
    "DEFAULT_LISTEN_URL",
    "DEFAULT_TRACKING_PARAMETERS",
    "DatoCMSSettings",
    "EmulatorSettings",
    "SettingsBound",
    "get_settings",
]

T = TypeVar("T")

DEFAULT_CDA_URL = "https://graphql.datocms.com/"
#: DatoCMS's Real-time Updates API (live updates register their channels there).
DEFAULT_LISTEN_URL = "https://graphql-listen.datocms.com/"
#: Who may frame pages in draft mode: the site itself and DatoCMS's Web Previews plugin.
DEFAULT_FRAME_ANCESTORS = ("'self'", "https://plugins-cdn.datocms.com")
# One CSP source expression: no blanks, and none of the separators of a policy.
_CSP_SOURCE = re.compile(r"[^\s;,]+")

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
    # by ``manage.py check`` (datocms.E060-E062, datocms.W060-W062).
    TAG_STORE: str = "datocms_app.caching.versions.TagVersionStore"
    QUERY_CACHE: bool = True
    PAGE_CACHE: bool = True
    CACHE_TIMEOUT: int | None = Field(default=86_400, gt=0)
    # page-cache keys (datocms_app.caching.query_parameters): the query parameters pages are
    # pages are keyed on and those dropped from every key (others bypass the cache).
    PAGE_CACHE_QUERY_PARAMETERS: list[str] = Field(default_factory=list)
    PAGE_CACHE_TRACKING_PARAMETERS: list[str] = Field(
        default_factory=lambda: list(DEFAULT_TRACKING_PARAMETERS)
    )
    WEBHOOK_USERNAME: str = ""
    WEBHOOK_PASSWORD: str = ""
    WEBHOOK_SECRET_HEADER: str = Field(default="X-Webhook-Secret", pattern=r"^[A-Za-z0-9-]+$")
    WEBHOOK_SECRET: str = ""
    CDN: dict[str, Any] | None = None
    # draft mode, the Web Previews plugin and live updates (datocms_app.preview); checked by
    # ``manage.py check`` (datocms.E070, datocms.E071, datocms.W070, datocms.W071).
    PREVIEW_SECRET: str = ""
    PREVIEW_API_TOKEN: str = ""
    PREVIEW_BASE_URL: str = ""
    PREVIEW_FRAME_ANCESTORS: list[str] = Field(
        default_factory=lambda: list(DEFAULT_FRAME_ANCESTORS), min_length=1
    )
    DRAFT_MODE_MAX_AGE: int = Field(default=28_800, gt=0)
    LIVE_UPDATES: Literal["off", "draft", "always"] = "draft"
    LIVE_UPDATES_MAX_AGE: int = Field(default=600, gt=0)
    LISTEN_URL: str = DEFAULT_LISTEN_URL
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

    @field_validator("LISTEN_URL")
    @classmethod
    def _check_listen_url(cls, value: str) -> str:
        if not value.startswith(("https://", "http://")):
            raise ValueError(f"must be an http(s) URL such as {DEFAULT_LISTEN_URL!r}")
        return value

    @field_validator("PREVIEW_BASE_URL")
    @classmethod
    def _check_base_url(cls, value: str) -> str:
        if not value:
            return value
        parts = urlsplit(value)
        if (
            parts.scheme not in ("https", "http")
            or not parts.netloc
            or parts.path not in ("", "/")
            or parts.query
            or parts.fragment
        ):
            raise ValueError(
                "must be empty (links are built from each request) or the site's public "
                "origin, e.g. 'https://www.example.com' (no path, query or fragment)"
            )
        return f"{parts.scheme}://{parts.netloc}"

    @field_validator("PREVIEW_FRAME_ANCESTORS")
    @classmethod
    def _check_frame_ancestors(cls, value: list[str]) -> list[str]:
        if not all(_CSP_SOURCE.fullmatch(source) for source in value):
            raise ValueError(
                "must list CSP source expressions such as \"'self'\" or "
                "'https://plugins-cdn.datocms.com' (no blanks, ';' or ',')"
            )
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


def _describe(error: Any) -> str:
    key = ".".join(str(part) for part in error["loc"]) or "DATOCMS"
    # Nested settings (DATOCMS["EMULATOR"]): describe the innermost model the key is in.
    model: type[BaseModel] = DatoCMSSettings
    loc = list(error["loc"])
    while len(loc) > 1 and model.model_fields.get(str(loc[0])) is not None:
        inner = model.model_fields[str(loc[0])].annotation
        if not (isinstance(inner, type) and issubclass(inner, BaseModel)):
            break
        model, loc = inner, loc[1:]
    if error["type"] == "extra_forbidden":
        known = ", ".join(sorted(model.model_fields))
        return f"settings.DATOCMS has an unknown key {key!r}; known keys are: {known}."
    field = model.model_fields.get(str(loc[0])) if loc else None
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


class SettingsBound(Generic[T]):
    """An object built from ``settings.DATOCMS`` by ``build``, rebuilt when they change.

    ``get()`` costs an identity check once the object is built: ``get_settings()`` answers a
    new settings object after ``setting_changed``, and the object is rebuilt for it (under a
    lock, so concurrent threads build it once). The previous object may still be in use by
    another thread: it is left to the garbage collector. With ``per_event_loop``, each
    running event loop gets its own object (an httpx async pool belongs to its loop).
    """

    def __init__(
        self, build: Callable[[DatoCMSSettings], T], *, per_event_loop: bool = False
    ) -> None:
        self.build = build
        self.per_event_loop = per_event_loop
        self._lock = threading.Lock()
        self._current: tuple[DatoCMSSettings, T] | None = None
        self._by_loop: weakref.WeakKeyDictionary[
            asyncio.AbstractEventLoop, tuple[DatoCMSSettings, T]
        ] = weakref.WeakKeyDictionary()

    def __repr__(self) -> str:
        return f"<SettingsBound {getattr(self.build, '__qualname__', self.build)!s}>"

    def get(self) -> T:
        """The object for the current settings (and, per event loop, the running loop)."""
        conf = get_settings()
        if self.per_event_loop:
            loop = asyncio.get_running_loop()  # one loop runs one task at a time: no lock
            built = self._by_loop.get(loop)
            if built is None or built[0] is not conf:
                built = self._by_loop[loop] = (conf, self.build(conf))
            return built[1]
        current = self._current
        if current is not None and current[0] is conf:
            return current[1]
        with self._lock:
            if self._current is None or self._current[0] is not conf:
                self._current = (conf, self.build(conf))
            return self._current[1]
