"""System checks of the emulator app (``manage.py check``), registered by its ``ready()``.

Ids are stable and documented in the README's checks reference:

- ``datocms.E001``: a key the emulator owns (``EMULATOR``, ``EMULATOR_IMAGE_CACHE_DIR``) is
  not valid (the core reports its own keys under the same id).
- ``datocms.E030``: no API token, and the emulator has no content project.
- ``datocms.E031``: no API token, and the emulator's content project does not load.
- ``datocms.E032``: ``EMULATOR["PREPARE"]`` cannot be imported or is not callable.
- ``datocms.E033``: no API token, and the ``emulator`` extra (graphql-core, Pillow) is missing.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register

from datocms_app.checks import validated_settings
from datocms_app.conf import DatoCMSSettings
from datocms_app.emulator.conf import EmulatorKeys, validate_emulator_keys
from datocms_app.emulator.content import load_project
from datocms_app.emulator.content_dir import content_directory, import_prepare
from datocms_app.emulator.exceptions import ContentError
from datocms_app.emulator.offline_backend import missing_dependencies
from datocms_app.exceptions import ConfigurationError


@register(Tags.compatibility)
def check_emulator_settings(
    app_configs: Sequence[AppConfig] | None = None, **kwargs: Any
) -> list[CheckMessage]:
    """E001 for the emulator's keys; E032: PREPARE names no callable."""
    raw = getattr(settings, "DATOCMS", None)
    if raw is not None and not isinstance(raw, dict):
        return []  # the core's datocms.E001 already says DATOCMS must be a dict
    try:
        conf = validate_emulator_keys(raw).EMULATOR
    except ConfigurationError as exc:
        return [
            Error(
                str(exc),
                hint="Fix settings.DATOCMS['EMULATOR']; the README's settings reference lists "
                "every key.",
                id="datocms.E001",
            )
        ]
    if conf.PREPARE is not None:
        try:
            import_prepare(conf.PREPARE)
        except ConfigurationError as exc:
            return [
                Error(
                    str(exc),
                    hint="Point PREPARE at a function prepare(content_dir: Path), e.g. "
                    "'myproject.content.prepare', or remove the key.",
                    id="datocms.E032",
                )
            ]
    return []


@register(Tags.compatibility)
def check_content_project(
    app_configs: Sequence[AppConfig] | None = None, **kwargs: Any
) -> list[CheckMessage]:
    """E030/E031/E033: with no token, the emulator must be able to serve its content."""
    core = validated_settings(DatoCMSSettings)
    keys = validated_settings(EmulatorKeys)
    if core is None or keys is None:
        return []  # datocms.E001 already says what is wrong
    if core.API_TOKEN:
        return []  # nothing to serve
    conf = keys.EMULATOR
    if conf.PREPARE is not None:
        try:
            import_prepare(conf.PREPARE)
        except ConfigurationError:
            return []  # datocms.E032 already says what is wrong
    messages: list[CheckMessage] = []
    missing = missing_dependencies()
    if missing:
        messages.append(
            Error(
                "No DatoCMS API token is configured and the emulator app is installed, but "
                f"the emulator's dependencies are not: {', '.join(missing)}.",
                hint="pip install 'datocms-app[emulator]', or set DATOCMS['API_TOKEN'] to a "
                "read-only token.",
                id="datocms.E033",
            )
        )
    try:
        directory = content_directory(conf)
    except ConfigurationError as exc:
        return [
            *messages,
            Error(
                str(exc),
                hint="Set DATOCMS['EMULATOR']['CONTENT_DIR'] to a content project, or "
                "DATOCMS['API_TOKEN'] to a read-only token.",
                id="datocms.E030",
            ),
        ]
    except ContentError as exc:  # PREPARE failed
        return [*messages, _does_not_load(str(conf.CONTENT_DIR), exc)]
    try:
        load_project(directory)
    except ContentError as exc:
        return [*messages, _does_not_load(str(directory), exc)]
    return messages


def _does_not_load(directory: str, exc: ContentError) -> Error:
    return Error(
        f"The emulator's content project {directory!r} does not load: {exc}",
        hint="Fix the file named in the message (the format is in docs/emulator.md).",
        id="datocms.E031",
    )
