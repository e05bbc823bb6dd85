"""Checks of structured text's settings: datocms.E040, E041 and W040.

``RECORD_URL_RESOLVER`` and ``STRUCTURED_TEXT_RENDERERS`` are dotted paths imported on first
use; these checks import them at ``manage.py check`` instead, and catch renderer keys that no
record's ``__typename`` can ever match (DatoCMS names record types
``<CamelCasedApiKey>Record``). The emulator app adds datocms.W041 for keys naming no type of
its content project.
"""

from __future__ import annotations

import re

from django.core.checks import CheckMessage, Error, Warning

from datocms_app.checks.settings import on_valid_settings
from datocms_app.conf import DatoCMSSettings
from datocms_app.exceptions import ConfigurationError

__all__ = ["RECORD_SUFFIX", "check_structured_text", "typename_for"]

#: How every record type's name ends: ``ImageBlockRecord`` for the API key ``image_block``.
RECORD_SUFFIX = "Record"
_GRAPHQL_NAME = re.compile(r"[_A-Za-z][_0-9A-Za-z]*")


def typename_for(key: str) -> str:
    """The ``__typename`` a renderer key not ending in ``Record`` stands for: ``image_block``
    (an API key), ``imageBlock`` or ``ImageBlock`` -> ``ImageBlockRecord``."""
    pascal = "".join(part[:1].upper() + part[1:] for part in key.split("_"))
    return pascal + RECORD_SUFFIX


@on_valid_settings
def check_structured_text(conf: DatoCMSSettings) -> list[CheckMessage]:
    """E040: RECORD_URL_RESOLVER cannot be imported; E041: a STRUCTURED_TEXT_RENDERERS entry
    cannot be; W040: a renderer key can never match a ``__typename``."""
    from datocms_app.structured_text.records import (
        RecordRenderer,
        RecordURLResolver,
        import_callable,
        template_stem,
    )

    messages: list[CheckMessage] = []
    if conf.RECORD_URL_RESOLVER:
        try:
            import_callable(conf.RECORD_URL_RESOLVER, "RECORD_URL_RESOLVER", RecordURLResolver)
        except ConfigurationError as exc:
            messages.append(
                Error(
                    str(exc),
                    hint="Point RECORD_URL_RESOLVER at a function f(record) -> str | None, "
                    "e.g. 'myproject.records.record_url', or remove the key.",
                    id="datocms.E040",
                )
            )
    for typename, path in sorted(conf.STRUCTURED_TEXT_RENDERERS.items()):
        if not _GRAPHQL_NAME.fullmatch(typename):
            messages.append(
                Error(
                    f"settings.DATOCMS['STRUCTURED_TEXT_RENDERERS'] has the key {typename!r}, "
                    "which is not a GraphQL type name.",
                    hint="Use the record's __typename as the key, e.g. 'ImageBlockRecord'.",
                    id="datocms.E041",
                )
            )
            continue
        if not typename.endswith(RECORD_SUFFIX):
            meant = typename_for(typename)
            messages.append(
                Warning(
                    f"settings.DATOCMS['STRUCTURED_TEXT_RENDERERS'] has the key {typename!r}, "
                    "which no record's __typename can match: DatoCMS names record types "
                    "<CamelCasedApiKey>Record, so this renderer is never used.",
                    hint=f"Key it by the __typename: {meant!r} (the type of the model or "
                    f"block whose API key is {template_stem(meant)!r}).",
                    id="datocms.W040",
                )
            )
        try:
            import_callable(path, f"STRUCTURED_TEXT_RENDERERS.{typename}", RecordRenderer)
        except ConfigurationError as exc:
            messages.append(
                Error(
                    str(exc),
                    hint="Map each __typename to a function f(RecordContext) -> str | None "
                    "or a RecordRenderer subclass, e.g. {'ImageBlockRecord': "
                    "'myproject.blocks.render_image'}.",
                    id="datocms.E041",
                )
            )
    return messages
