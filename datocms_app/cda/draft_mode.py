"""Draft mode for the module functions: a context in which they read unpublished content.

::

    with draft_mode():
        cda.query(QUERY)          # X-Include-Drafts: true, with DATOCMS["PREVIEW_API_TOKEN"]

Inside ``draft_mode()`` the module functions (``query``, ``execute``, ``paginate`` and their
async twins) use a second pair of clients built from the settings: every query sends
``X-Include-Drafts: true``, with ``PREVIEW_API_TOKEN`` when it and ``API_TOKEN`` are set
(DatoCMS only answers drafts to a token with ``can_access_cda_preview``), and none of them
has a query cache. The preview middleware (``datocms_app.preview``) opens this context around
every request in draft mode. The context is a contextvar: it follows the request into
template tags, threads started by ``sync_to_async`` and async tasks, and never leaks into
another request. A ``Client`` a view builds itself is its own: the context does not change it.

This module must stay a flag and nothing more: ``get_client()`` reads it on every query.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from contextvars import ContextVar

from datocms_app.scopes import scoped

__all__ = ["draft_mode", "in_draft_mode"]

_active: ContextVar[bool] = ContextVar("datocms_draft_mode", default=False)


def draft_mode(enabled: bool = True) -> AbstractContextManager[bool]:
    """Make the module functions read drafts inside the ``with`` block (or not: ``False``)."""
    return scoped(_active, bool(enabled))


def in_draft_mode() -> bool:
    """True inside ``draft_mode()``: the module functions read drafts."""
    return _active.get()
