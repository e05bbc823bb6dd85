"""The hook through which an optional app answers the CMA when no CMA token is set.

``datocms_app.cda.hooks.install_offline_backend`` lets an app serve the Content Delivery
API without DatoCMS; this is its twin for the Content Management API. An app that runs a CMA
of its own (the emulator app, in its ``AppConfig.ready()``) installs a factory
``factory(conf, *, asynchronous)`` that returns the options of a client of it —
``api_token``, ``base_url``, ``transport`` (an ``httpx.BaseTransport``, or an
``httpx.AsyncBaseTransport`` when asynchronous), and any other ``Client`` keyword — for the
settings it serves, and None for the others. ``cma.get_client()`` asks it only when
``DATOCMS["CMA_API_TOKEN"]`` is empty; with no factory, or one answering None, that is a
configuration error naming the setting. The core never imports such an app: this module is
how it is reached.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from datocms_app.slots import Slot

if TYPE_CHECKING:
    from datocms_app.conf import DatoCMSSettings

__all__ = ["OfflineCMA", "install_offline_backend", "offline_client_options"]

#: Gives the options of a client of a CMA that needs no DatoCMS, or None (not served here).
OfflineCMA = Callable[..., Mapping[str, Any] | None]

_offline_backend: Slot[OfflineCMA] = Slot(
    "install_offline_backend",
    "a callable factory(conf, *, asynchronous) returning client options or None",
)


def install_offline_backend(factory: OfflineCMA | None) -> OfflineCMA | None:
    """Set what answers the CMA without a token (None uninstalls it); returns the factory it
    replaces."""
    return _offline_backend.install(factory)


def offline_client_options(
    conf: DatoCMSSettings, *, asynchronous: bool
) -> Mapping[str, Any] | None:
    """The installed factory's client options for ``conf``, or None."""
    factory = _offline_backend.installed
    return factory(conf, asynchronous=asynchronous) if factory is not None else None
