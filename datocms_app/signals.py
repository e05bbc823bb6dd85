"""Signals sent by datocms_app.

- ``cache_tags_invalidated`` (``sender``, ``tags``): after ``invalidate_tags`` (the webhook,
  ``manage.py datocms_invalidate``) made new versions of ``tags`` durable and purged the CDN.
  ``tags`` is a tuple of DatoCMS's opaque cache tags; an ``invalidate_all`` sends ``("*",)``
  with ``everything=True``. Receivers run inside the webhook's request: keep them quick.
- ``webhook_received`` (``sender``, ``payload``, ``entity_type``, ``event_type``): every
  authenticated, well-formed DatoCMS webhook call that reached the cache-tags endpoint, the
  cache-tags ones included (after the invalidation). ``payload`` is the parsed JSON body.

This module must never import anything heavy: receivers import it at startup.
"""

from __future__ import annotations

from django.dispatch import Signal

__all__ = ["cache_tags_invalidated", "webhook_received"]

cache_tags_invalidated = Signal()
webhook_received = Signal()
