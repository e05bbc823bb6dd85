"""An offline DatoCMS: a content project on disk served through the CDA's protocol.

::

    from datocms_app.emulator import Emulator, Fault

    emulator = Emulator.from_directory("path/to/content", tokens=["secret"])
    emulator.execute("{ allArticles { title } }").body          # no HTTP
    emulator.faults.push(Fault.rate_limit(reset=1))               # failure drills
    # HTTP: emulator.handle(EmulatorRequest(...)), or the WSGI app ``emulator`` itself

As a Django app (``"datocms_app.emulator"`` in ``INSTALLED_APPS``, see ``apps``) it serves
the content project of ``DATOCMS["EMULATOR"]["CONTENT_DIR"]``: with no
``DATOCMS["API_TOKEN"]`` the default CDA client talks to an embedded emulator (``embedded``),
and ``manage.py datocms_emulator`` serves one on a port. Every emulator also serves DatoCMS's
Content Management API at ``/cma`` (``emulator.cma``, package ``cma``), through which
records, models, fields and uploads change. The content format is described in
``docs/emulator.md``. Importing this package is cheap: the GraphQL machinery
(the ``emulator`` extra: graphql-core, Pillow) loads on first use of these names.
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = [
    "ContentEditor",
    "ContentStore",
    "Emulator",
    "EmulatorRequest",
    "EmulatorResponse",
    "Fault",
    "RemoteEditor",
    "WebhookDispatcher",
    "load_project",
]

_EXPORTS = {
    # content changes and webhooks
    "ContentEditor": "datocms_app.emulator.changes",
    "RemoteEditor": "datocms_app.emulator.remote",
    "WebhookDispatcher": "datocms_app.emulator.webhooks",
    "ContentStore": "datocms_app.emulator.store",
    "Emulator": "datocms_app.emulator.server",
    "EmulatorRequest": "datocms_app.emulator.server",
    "EmulatorResponse": "datocms_app.emulator.server",
    "Fault": "datocms_app.emulator.faults",
    "load_project": "datocms_app.emulator.content",
}


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'datocms_app.emulator' has no attribute {name!r}")
