"""Typed access to ``settings.DATOCMS``.

``get_settings()`` merges the project's ``DATOCMS`` dict over the defaults below, validates it
once with pydantic and caches the result until Django sends ``setting_changed`` for
``DATOCMS`` (so ``override_settings`` works in tests). It never reads settings at import time.
A wrong key or value raises ``ConfigurationError`` naming the key and the expected type.

``SettingsModel`` is the base of every model of (a part of) that dict: strict, frozen,
unknown keys refused, validated by ``from_settings`` with the one error wording. The optional
apps (the emulator) model their own keys with it.

``SettingsBound`` is the one way to hold an object built from the settings (the default CDA
clients, the CDN backend, the tag-version store, an optional app's validated keys): rebuilt
when the settings change, through the one ``setting_changed`` receiver below.
"""

from __future__ import annotations

import asyncio
import functools
import re
import threading
import weakref
from collections.abc import Callable
from typing import Any, Generic, Literal, Self, TypeVar
from urllib.parse import urlsplit

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
)

from datocms_app.exceptions import ConfigurationError
from datocms_app.validation_errors import Location, describe_validation_error

__all__ = [
    "DEFAULT_CDA_URL",
    "DEFAULT_CMA_URL",
    "DEFAULT_LISTEN_URL",
    "DEFAULT_TRACKING_PARAMETERS",
    "DatoCMSSettings",
    "SettingsBound",
    "SettingsModel",
    "format_validation_error",
    "get_settings",
    "must_be",
    "settings_dict",
]

T = TypeVar("T")

DEFAULT_CDA_URL = "https://graphql.datocms.com/"
DEFAULT_CMA_URL = "https://site-api.datocms.com"
#: DatoCMS's Real-time Updates API (live updates register their channels there).
DEFAULT_LISTEN_URL = "https://graphql-listen.datocms.com/"
# The example each API URL setting's error message gives.
_DEFAULT_URLS = {
    "CDA_URL": DEFAULT_CDA_URL,
    "CMA_URL": DEFAULT_CMA_URL,
    "LISTEN_URL": DEFAULT_LISTEN_URL,
}
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


class SettingsModel(BaseModel):
    """A model of ``settings.DATOCMS`` (or of the keys one app owns): strict, frozen, and
    unknown keys refused."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    @classmethod
    def from_settings(cls, raw: Any) -> Self:
        """Validate a ``DATOCMS`` dict; raise ``ConfigurationError`` naming each wrong key."""
        try:
            return cls.model_validate(settings_dict(raw))
        except ValidationError as exc:
            raise ConfigurationError(format_validation_error(exc, cls)) from None


#: The list settings whose every item must match: setting -> (test, what it must list).
_LIST_RULES: dict[str, tuple[Callable[[str], bool], str]] = {
    "PREVIEW_FRAME_ANCESTORS": (
        lambda source: bool(_CSP_SOURCE.fullmatch(source)),
        "CSP source expressions such as \"'self'\" or 'https://plugins-cdn.datocms.com' "
        "(no blanks, ';' or ',')",
    ),
    "PAGE_CACHE_TRACKING_PARAMETERS": (
        lambda pattern: pattern == "*" or bool(PARAMETER_NAME.fullmatch(pattern.removesuffix("*"))),
        "query parameter names such as 'gclid', or prefixes ending with '*' such as "
        "'utm_*' (no blanks, '&', '=' or '#')",
    ),
    "PAGE_CACHE_QUERY_PARAMETERS": (
        lambda name: bool(PARAMETER_NAME.fullmatch(name)),
        "query parameter names such as 'page' (no blanks, '&', '=', '#' or '*')",
    ),
}


class DatoCMSSettings(SettingsModel):
    """Every key of ``settings.DATOCMS`` with its type and default (docs/reference.md)."""

    API_TOKEN: str = ""
    ENVIRONMENT: str | None = None
    CDA_URL: str = DEFAULT_CDA_URL
    INCLUDE_DRAFTS: bool = False
    EXCLUDE_INVALID: bool = False
    TIMEOUT: float = Field(default=10.0, gt=0)
    MAX_RETRIES: int = Field(default=3, ge=0, le=10)
    CACHE_ALIAS: str = "default"
    # the Content Management API (datocms_app.cma): a token that may write, kept apart from
    # the read-only API_TOKEN; CMA_TIMEOUT bounds a call, retries and job waits included.
    CMA_API_TOKEN: str = ""
    CMA_URL: str = DEFAULT_CMA_URL
    CMA_TIMEOUT: float = Field(default=60.0, gt=0)
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
    # Keys owned by the optional emulator app, which validates them itself: the core only
    # accepts them, so that a site without that app keeps the same settings.
    EMULATOR: dict[str, Any] = Field(default_factory=dict)
    EMULATOR_IMAGE_CACHE_DIR: Any = ""

    @field_validator("CDA_URL", "CMA_URL", "LISTEN_URL")
    @classmethod
    def _check_url(cls, value: str, info: ValidationInfo) -> str:
        example = _DEFAULT_URLS[str(info.field_name)]
        return must_be(
            value,
            value.startswith(("https://", "http://")),
            f"an http(s) URL such as {example!r}",
        )

    @field_validator("PREVIEW_BASE_URL")
    @classmethod
    def _check_base_url(cls, value: str) -> str:
        if not value:
            return value
        parts = urlsplit(value)
        must_be(
            value,
            parts.scheme in ("https", "http")
            and bool(parts.netloc)
            and parts.path in ("", "/")
            and not parts.query
            and not parts.fragment,
            "empty (links are built from each request) or the site's public origin, e.g. "
            "'https://www.example.com' (no path, query or fragment)",
        )
        return f"{parts.scheme}://{parts.netloc}"

    @field_validator(*_LIST_RULES)
    @classmethod
    def _check_lists(cls, value: list[str], info: ValidationInfo) -> list[str]:
        matches, expected = _LIST_RULES[str(info.field_name)]
        for item in value:
            if not matches(item):
                raise ValueError(f"must list {expected}, got {item!r}")
        return value

    @field_validator("ENVIRONMENT")
    @classmethod
    def _blank_environment_is_primary(cls, value: str | None) -> str | None:
        return value or None


def must_be(value: T, ok: bool, expected: str) -> T:
    """``value`` if ``ok``; else, for a validator, a ``ValueError`` saying what was expected and
    what came (never use it for a secret: the value is shown)."""
    if not ok:
        raise ValueError(f"must be {expected}, got {value!r}")
    return value


def _settings_key(location: Location) -> str:
    return "settings.DATOCMS" + "".join(f"[{part!r}]" for part in location)


def format_validation_error(exc: ValidationError, model: type[BaseModel]) -> str:
    """What is wrong with a ``DATOCMS`` dict validated by ``model``, each problem by its key."""
    return f"{describe_validation_error(exc, where=_settings_key, model=model)}."


def settings_dict(raw: Any) -> dict[str, Any]:
    """``settings.DATOCMS`` as a dict (None is empty); ``ConfigurationError`` if it is not one."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise ConfigurationError(
            f"settings.DATOCMS must be a dict, got {type(raw).__name__}. "
            'Example: DATOCMS = {"API_TOKEN": env("DATOCMS_API_TOKEN")}.'
        )
    return raw


def validate_settings(raw: Any) -> DatoCMSSettings:
    """Validate a ``DATOCMS`` dict; raise ``ConfigurationError`` saying what is wrong."""
    return DatoCMSSettings.from_settings(raw)


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
