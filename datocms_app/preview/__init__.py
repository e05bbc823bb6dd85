"""Draft mode, DatoCMS's Web Previews plugin and live updates.

Editors see unpublished content on the real site, inside DatoCMS, and see it change as they
type; no API token ever reaches a page. The parts, one concern each:

- ``views``: ``/datocms/draft-mode/enable/?token=...&redirect=...`` and ``.../disable/``;
  ``redirects`` keeps their redirects on this site; ``cookies`` and ``signing`` make the
  signed, HttpOnly draft-mode cookie.
- ``middleware``: ``DraftModeMiddleware`` turns a valid cookie into a draft request (drafts
  through ``PREVIEW_API_TOKEN``, no shared cache, framable by the plugin: ``headers``).
- ``links``: the plugin's Preview Links API (``/datocms/preview-links/?token=...``), with the
  site's ``RECORD_URL_RESOLVER``.
- ``recording``, ``live_updates``, ``listen``: the page's queries, signed into the page, and
  registered with DatoCMS's Real-time Updates API server-side by ``/datocms/live-updates/``
  for ``datocms/live-updates.js``.
- ``banner``: ``{% datocms_draft_mode_banner %}``; ``{% datocms_live_updates %}`` is in
  ``live_updates``.

Settings: ``PREVIEW_SECRET``, ``PREVIEW_API_TOKEN``, ``PREVIEW_BASE_URL``,
``PREVIEW_FRAME_ANCESTORS``, ``DRAFT_MODE_MAX_AGE``, ``LIVE_UPDATES``,
``LIVE_UPDATES_MAX_AGE``, ``LISTEN_URL`` (docs/reference.md: Settings).
"""

from __future__ import annotations

from datocms_app.preview.middleware import DraftModeMiddleware

__all__ = ["DraftModeMiddleware"]
