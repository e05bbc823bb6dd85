"""The offline backend the emulator app installs on the CDA client's hook.

With no ``DATOCMS["API_TOKEN"]``, ``datocms_app.cda`` builds its clients from what the
installed offline backend returns (``datocms_app.cda.hooks.install_offline_backend``); the
emulator app's ``ready()`` installs ``client_options`` below, which hands out the embedded
emulator's in-process transport. The GraphQL machinery is imported on the first call only, so
the app loads, and ``manage.py check`` runs, without the ``emulator`` extra installed; the
first query then says which packages are missing.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Mapping
from typing import Any

from datocms_app.exceptions import ConfigurationError

__all__ = ["client_options", "missing_dependencies"]

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
