"""Checks of ``settings.DATOCMS`` itself: datocms.E001-E003 and datocms.W001.

``validated_settings`` is how every other check reads the settings: a check whose keys are
not valid says nothing, since E001 already says what is wrong.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from django.apps import AppConfig
from django.conf import settings
from django.core.checks import CheckMessage, Error, Warning

from datocms_app.cda import hooks
from datocms_app.conf import DatoCMSSettings, SettingsModel
from datocms_app.exceptions import ConfigurationError

__all__ = ["check_settings", "validated_settings"]

M = TypeVar("M", bound=SettingsModel)


def validated_settings(model: type[M]) -> M | None:
    """``settings.DATOCMS`` validated by ``model``, or None when it is not valid: the check of
    that model's keys reports it (``datocms.E001``), the others pass over it."""
    try:
        return model.from_settings(getattr(settings, "DATOCMS", None))
    except ConfigurationError:
        return None


def on_valid_settings(
    check: Callable[[DatoCMSSettings], list[CheckMessage]],
) -> Callable[..., list[CheckMessage]]:
    """A system check that runs on valid settings only (``datocms.E001`` reports invalid ones):
    ``check(conf)`` becomes ``check(app_configs=None, **kwargs)``, as Django calls checks."""

    def run(app_configs: Sequence[AppConfig] | None = None, **kwargs: Any) -> list[CheckMessage]:
        conf = validated_settings(DatoCMSSettings)
        return [] if conf is None else check(conf)

    # Not functools.wraps: Django inspects a check's own signature (it must take **kwargs).
    run.__name__, run.__qualname__, run.__doc__ = check.__name__, check.__qualname__, check.__doc__
    run.__module__ = check.__module__
    return run


def check_settings(
    app_configs: Sequence[AppConfig] | None = None, **kwargs: Any
) -> list[CheckMessage]:
    """E001: the settings are not valid; E002: no such cache; E003/W001: no API token."""
    try:
        conf = DatoCMSSettings.from_settings(getattr(settings, "DATOCMS", None))
    except ConfigurationError as exc:
        return [
            Error(
                str(exc),
                hint="Fix settings.DATOCMS; docs/reference.md lists every key.",
                id="datocms.E001",
            )
        ]
    messages: list[CheckMessage] = []
    if conf.CACHE_ALIAS not in settings.CACHES:
        messages.append(
            Error(
                f"settings.DATOCMS['CACHE_ALIAS'] is {conf.CACHE_ALIAS!r}, "
                "which is not a key of settings.CACHES.",
                hint=f"Add a {conf.CACHE_ALIAS!r} cache to CACHES or set CACHE_ALIAS to one "
                f"of: {', '.join(sorted(settings.CACHES))}.",
                id="datocms.E002",
            )
        )
    if not conf.API_TOKEN and hooks.offline_backend() is None:
        messages.append(
            Error(
                "No DatoCMS API token is configured and no offline backend is installed: "
                "every DatoCMS query would fail.",
                hint="Set settings.DATOCMS['API_TOKEN'] to a read-only API token, or serve a "
                "content project offline: add 'datocms_app.emulator' to INSTALLED_APPS and "
                "pip install 'datocms-app[emulator]'.",
                id="datocms.E003",
            )
        )
    elif not conf.API_TOKEN and not settings.DEBUG:
        messages.append(
            Warning(
                "No DatoCMS API token is configured while DEBUG is False: the site serves "
                "the embedded emulator's content instead of your DatoCMS project.",
                hint="Set settings.DATOCMS['API_TOKEN'] (the demo project reads "
                "DATOCMS_API_TOKEN from the environment) to a read-only API token.",
                id="datocms.W001",
            )
        )
    return messages
