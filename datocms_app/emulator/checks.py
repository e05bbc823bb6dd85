"""System checks of the emulator app (``manage.py check``), registered by its ``ready()``.

Ids are stable and documented in docs/reference.md (Checks):

- ``datocms.E001``: a key the emulator owns (``EMULATOR``, ``EMULATOR_IMAGE_CACHE_DIR``) is
  not valid (the core reports its own keys under the same id).
- ``datocms.E030``: no API token, and the emulator has no content project.
- ``datocms.E031``: no API token, and the emulator's content project does not load.
- ``datocms.E032``: ``EMULATOR["PREPARE"]`` cannot be imported or is not callable.
- ``datocms.E033``: no API token, and the ``emulator`` extra (graphql-core, Pillow) is missing.
- ``datocms.E034``: no API token, and the emulator's asset URL (``datocms_emulator:asset``)
  cannot be reversed: every upload the emulator answers with would be a 404.
- ``datocms.W030``: no API token, and ``EMULATOR["ASSETS_BASE"]``, ``VIDEO_BASE`` or
  ``LISTEN_BASE`` is not where the emulator's URLs are mounted.
- ``datocms.W041``: no API token, and a ``STRUCTURED_TEXT_RENDERERS`` key names no model or
  block of the content project (the core's datocms.W040 catches keys not ending in
  ``Record``).
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple
from urllib.parse import urlsplit

from django.apps import AppConfig
from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register

from datocms_app.checks import validated_settings
from datocms_app.checks.site import include_hint, include_line, reversed_prefix, root_urlconf
from datocms_app.checks.structured_text import RECORD_SUFFIX
from datocms_app.conf import DatoCMSSettings
from datocms_app.emulator.conf import EmulatorKeys, EmulatorSettings, validate_emulator_keys
from datocms_app.emulator.content import load_project
from datocms_app.emulator.content_dir import content_directory, import_prepare
from datocms_app.emulator.exceptions import ContentError
from datocms_app.emulator.listen_view import emulator_listen
from datocms_app.emulator.naming import record_type
from datocms_app.emulator.offline_backend import missing_dependencies
from datocms_app.emulator.project import ProjectSchema
from datocms_app.emulator.views import emulator_asset, emulator_video
from datocms_app.exceptions import ConfigurationError

EMULATOR_URLS = "datocms_app.emulator.urls"
#: Where the emulator's URLs are mounted by default (where the ``*_BASE`` defaults point).
DEFAULT_ROUTE = "datocms/emulator/"


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
                hint="Fix settings.DATOCMS['EMULATOR']; docs/reference.md lists every key.",
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
    """E030/E031/E033: with no token, the emulator must be able to serve its content;
    W041: the renderer keys must name its record types."""
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
        project = load_project(directory)
    except ContentError as exc:
        return [*messages, _does_not_load(str(directory), exc)]
    return [
        *messages,
        *_renderers_of_no_type(core.STRUCTURED_TEXT_RENDERERS, project.schema, str(directory)),
    ]


def _does_not_load(directory: str, exc: ContentError) -> Error:
    return Error(
        f"The emulator's content project {directory!r} does not load: {exc}",
        hint="Fix the file named in the message (the format is in docs/emulator.md).",
        id="datocms.E031",
    )


def _renderers_of_no_type(
    renderers: Mapping[str, str], schema: ProjectSchema, directory: str
) -> list[CheckMessage]:
    """W041 for each renderer key ending in ``Record`` that names no model or block of
    ``schema`` (the core's checks report the other keys)."""
    typenames = sorted(record_type(api_key) for api_key in schema.models)
    messages: list[CheckMessage] = []
    for key in sorted(renderers):
        if not key.endswith(RECORD_SUFFIX) or key in typenames:
            continue
        # Compared without the suffix every type shares, which would make them all close.
        stems = {name.removesuffix(RECORD_SUFFIX): name for name in typenames}
        close = [
            stems[stem]
            for stem in difflib.get_close_matches(key.removesuffix(RECORD_SUFFIX), stems, n=1)
        ]
        known = ", ".join(typenames) or "none"
        hint = (
            f"Rename the key to {close[0]!r} (the project's record types: {known})."
            if close
            else f"Key it by one of the project's record types ({known}), or remove it."
        )
        messages.append(
            Warning(
                f"settings.DATOCMS['STRUCTURED_TEXT_RENDERERS'] has the key {key!r}, but the "
                f"emulator's content project {directory!r} has no model or block of that "
                "type: this renderer is never used.",
                hint=hint,
                id="datocms.W041",
            )
        )
    return messages


@register(Tags.urls)
def check_emulator_urls(
    app_configs: Sequence[AppConfig] | None = None, **kwargs: Any
) -> list[CheckMessage]:
    """E034/W030: with no token, the emulator's URLs must be served where its answers say
    they are (``ASSETS_BASE``, ``VIDEO_BASE``, ``LISTEN_BASE``)."""
    core = validated_settings(DatoCMSSettings)
    keys = validated_settings(EmulatorKeys)
    if core is None or keys is None:
        return []  # datocms.E001 already says what is wrong
    if core.API_TOKEN:
        return []  # the emulator serves nothing
    conf = keys.EMULATOR
    assets = reversed_prefix(
        "datocms_emulator:asset", emulator_asset, {"upload_id": "UPLOAD", "filename": "FILE"}
    )
    if assets is None:
        if not _is_path(conf.ASSETS_BASE):
            return []  # the uploads are served elsewhere (another server's origin)
        return [_emulator_urls_missing(conf)]
    bases = [
        _Base("ASSETS_BASE", conf.ASSETS_BASE, assets, "assets", "upload URL"),
        _Base(
            "VIDEO_BASE",
            conf.VIDEO_BASE,
            reversed_prefix("datocms_emulator:video", emulator_video, {"rest": "REST"}),
            "video",
            "video URL (HLS, MP4, thumbnail)",
        ),
        _Base(
            "LISTEN_BASE",
            conf.LISTEN_BASE,
            reversed_prefix("datocms_emulator:listen", emulator_listen),
            "listen",
            "channel URL of the Real-time Updates API (live updates' EventSource)",
        ),
    ]
    remount = _remount(bases)
    messages: list[CheckMessage] = []
    for base in bases:
        if (
            base.mounted is None
            or not _is_path(base.value)
            or base.value.rstrip("/") == base.mounted
        ):
            continue
        messages.append(
            Warning(
                f"DATOCMS['EMULATOR'][{base.key!r}] is {base.value!r}, but the emulator's URLs "
                f"serve them at {base.mounted!r}: every {base.prefixes} in the emulator's "
                "answers is a 404.",
                hint=f'Set DATOCMS["EMULATOR"]["{base.key}"] = "{base.mounted}"{remount}.',
                id="datocms.W030",
            )
        )
    return messages


class _Base(NamedTuple):
    """A ``*_BASE`` setting: the prefix of some URLs in the emulator's answers."""

    key: str
    value: str
    #: Where the emulator's URLs serve them (None: not reversible).
    mounted: str | None
    #: Their segment below where the emulator's URLs are mounted (``assets``...).
    segment: str
    #: What those URLs are, for the message.
    prefixes: str


def _remount(bases: list[_Base]) -> str:
    """W030's other fix, when the bases all point under one route: mounting the URLs there.
    The uploads' and videos' bases must point there, the channels' too unless they are on
    another origin."""
    keys = [b.key for b in bases if b.key != "LISTEN_BASE" or _is_path(b.value)]
    routes = {_route_for(b.value, b.segment) for b in bases if b.key in keys}
    route = routes.pop() if len(routes) == 1 else None
    if route is None:
        return ""
    where = f"{', '.join(keys[:-1])} and {keys[-1]}"
    return f", or mount the URLs where {where} point: {include_line(route, EMULATOR_URLS)}"


def _emulator_urls_missing(conf: EmulatorSettings) -> Error:
    """E034, with the ``path()`` that serves ``ASSETS_BASE`` where it points."""
    route = _route_for(conf.ASSETS_BASE, "assets")
    hint = (
        f"{include_hint(route, EMULATOR_URLS)}: ASSETS_BASE ({conf.ASSETS_BASE!r}) points there."
        if route is not None
        else f"{include_hint(DEFAULT_ROUTE, EMULATOR_URLS)} and set "
        f'DATOCMS["EMULATOR"]["ASSETS_BASE"] = "/{DEFAULT_ROUTE}assets" (it is '
        f"{conf.ASSETS_BASE!r})."
    )
    return Error(
        "No DatoCMS API token is configured, so the embedded emulator serves the content "
        "project, but its asset URL ('datocms_emulator:asset') cannot be reversed "
        f"({EMULATOR_URLS} is not included in {root_urlconf()}): every image and file of "
        "the content project is a 404.",
        hint=hint,
        id="datocms.E034",
    )


def _is_path(base: str) -> bool:
    """True for a base URL on this site (a path), not on another origin."""
    return not urlsplit(base).netloc


def _route_for(base: str, segment: str) -> str | None:
    """The ``path()`` route that mounts the emulator's URLs so that ``segment`` (``assets``,
    ``video``, ``listen``) lands at ``base``: ``/media/emulator/assets`` -> ``media/emulator/``."""
    path = base.rstrip("/")
    if not path.endswith("/" + segment):
        return None
    return path.removesuffix(segment).lstrip("/")
