"""What the emulator app installs on the CDA client's hooks: its offline backend and its
listen endpoint.

With no ``DATOCMS["API_TOKEN"]``, ``datocms_app.cda`` builds its clients from what the
installed offline backend returns (``datocms_app.cda.hooks.install_offline_backend``); the
emulator app's ``ready()`` installs ``client_options`` below, which hands out the embedded
emulator's in-process transport. Live updates (``datocms_app.preview``) register their
channels where ``listen_endpoint`` says: the embedded emulator's Real-time Updates API, for
the same settings. The GraphQL machinery is imported on the first call only, so
the app loads, and ``manage.py check`` runs, without the ``emulator`` extra installed; the
first query then says which packages are missing.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Mapping
from typing import Any

from datocms_app.cda.hooks import ListenEndpoint
from datocms_app.conf import DatoCMSSettings
from datocms_app.emulator.conf import get_emulator_settings
from datocms_app.exceptions import ConfigurationError

__all__ = ["client_options", "listen_endpoint", "missing_dependencies"]

#: The modules of the ``emulator`` extra, with the package that provides each.
EXTRA_MODULES = {"graphql": "graphql-core", "PIL": "Pillow"}


def missing_dependencies() -> list[str]:
    """The packages of the ``emulator`` extra that are not installed."""
    return [
        package
        for module, package in EXTRA_MODULES.items()
        if importlib.util.find_spec(module) is None
    ]


def client_options(*, asynchronous: bool) -> Mapping[str, Any]:
    """``api_token``, ``endpoint`` and ``transport`` of a client of the embedded emulator."""
    missing = missing_dependencies()
    if missing:
        raise ConfigurationError(
            "No DatoCMS API token is configured, so the emulator app would serve content, but "
            f"its dependencies are not installed ({', '.join(missing)}): "
            "pip install 'datocms-app[emulator]', or set settings.DATOCMS['API_TOKEN'] to a "
            "read-only token of your DatoCMS project."
        )
    from datocms_app.emulator import embedded

    return embedded.client_options(asynchronous=asynchronous)


def listen_endpoint(conf: DatoCMSSettings) -> ListenEndpoint | None:
    """The embedded emulator's Real-time Updates API when it serves ``conf``'s content; None
    (DatoCMS's own) when an API token is set, and None (no live updates) when the emulator
    cannot serve: no content project configured, or its extra missing."""
    if conf.API_TOKEN or missing_dependencies():
        return None
    if get_emulator_settings().CONTENT_DIR is None:
        return None
    from datocms_app.emulator import embedded

    return embedded.listen_endpoint()
