"""What happens when structured text cannot be rendered as asked: one policy, one place.

Under ``DEBUG`` a content surprise (unknown node type or mark, a record missing from
``blocks``/``links``, no template for a record, a malformed node) raises
``StructuredTextRenderError`` naming the node, its JSON path, the record id and the
templates tried, so the developer sees it at once. In production the same message is logged
as a warning on the ``datocms_app.structured_text`` logger and the renderer carries on with a
safe fallback (the node's text, or nothing), so one odd record never takes a page down.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from django.conf import settings

from datocms_app.exceptions import StructuredTextRenderError

__all__ = ["logger", "report"]

logger = logging.getLogger("datocms_app.structured_text")


def report(
    message: str,
    *,
    path: str,
    node: object,
    fallback: str,
    templates_tried: Sequence[str] = (),
) -> None:
    """Raise under ``DEBUG``; otherwise log a warning saying what was rendered instead.

    ``fallback`` describes the fallback for the log line ("rendered its text instead").
    """
    full = f"{message} (at {path})"
    if templates_tried:
        full += f"; templates tried: {', '.join(templates_tried)}"
    if settings.DEBUG:
        raise StructuredTextRenderError(full, path=path, node=node, templates_tried=templates_tried)
    logger.warning("%s; %s (set DEBUG=True to raise instead)", full, fallback)
