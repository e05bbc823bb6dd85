"""The emulator's Content Management API: DatoCMS's REST API for writing content.

Mounted at ``/cma`` of every ``Emulator`` (``manage.py datocms_emulator``'s server:
``http://127.0.0.1:8700/cma``; a Django site: ``/datocms/emulator/cma/``), it speaks the
CMA's protocol — JSON:API bodies, ``X-Api-Version: 3``, ``Authorization: Bearer`` with the
emulator's tokens, ``X-Environment``, DatoCMS's error codes, asynchronous jobs — so
DatoCMS's own clients (``@datocms/cma-client-node``) and ``datocms_app.cma`` run against it
unchanged. Records, models, fields, uploads and the site change through the emulator's
``ContentEditor``: every change reaches the CDA at once and sends the emulator's webhooks.

Modules: ``app`` (the checks every request passes, routing, faults), ``items`` and
``item_payloads``/``item_queries`` (records), ``schema_endpoints`` (site, models, fields),
``uploads`` (upload requests, the storage target, uploads), ``jobs`` (asynchronous jobs),
``params``, ``routing``, ``errors``, ``exchange``. What is implemented is listed in
``docs/emulator.md``. Importing this package is cheap (its names load on first use), so
tools that walk the library's packages import it without the emulator's extra.
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = ["CMA_PATH", "DEFAULT_JOB_SECONDS", "ContentManagementAPI"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        return getattr(importlib.import_module("datocms_app.emulator.cma.app"), name)
    raise AttributeError(f"module 'datocms_app.emulator.cma' has no attribute {name!r}")
