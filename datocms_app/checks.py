"""System checks for ``settings.DATOCMS`` (``manage.py check``).

Ids are stable and documented in the README's checks reference:

- ``datocms.E001``: ``settings.DATOCMS`` is not valid.
- ``datocms.E002``: ``CACHE_ALIAS`` names no entry of ``settings.CACHES``.
- ``datocms.W001``: no API token while ``DEBUG`` is False (the site would serve the emulator).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register

from datocms_app.conf import validate_settings
from datocms_app.exceptions import ConfigurationError


@register(Tags.compatibility)
def check_settings(
    app_configs: Sequence[AppConfig] | None = None, **kwargs: Any
) -> list[CheckMessage]:
    try:
        conf = validate_settings(getattr(settings, "DATOCMS", None))
    except ConfigurationError as exc:
        return [
            Error(
                str(exc),
                hint="Fix settings.DATOCMS; the README's settings reference lists every key.",
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
    if not conf.API_TOKEN and not settings.DEBUG:
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
