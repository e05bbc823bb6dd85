"""Content the site cannot render as asked: one policy, every part of the library.

Under ``DEBUG`` a content surprise (an image without ``src``, a malformed SEO tag list, an
unknown structured text node, a record without a template...) raises its ``DatoCMSError``, so
the developer sees it at once. In production the same message is logged as a warning, saying
what was rendered instead, and the caller renders a safe fallback (nothing, or the node's
text), so one odd record never takes a public page down.

``report_content_problem`` is the policy; ``report_structured_text_problem`` only words a
structured text problem (its JSON path, the templates tried) before applying it. This module
must never decide a fallback itself, swallow an error under ``DEBUG``, or log at another level
than ``WARNING``.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from django.conf import settings

from datocms_app.exceptions import DatoCMSError, StructuredTextRenderError

__all__ = ["report_content_problem", "report_structured_text_problem"]

_STRUCTURED_TEXT_LOGGER = logging.getLogger("datocms_app.structured_text")


def report_content_problem(
    error: DatoCMSError, logger: logging.Logger, *, rendered: str = "nothing"
) -> None:
    """Raise ``error`` when ``settings.DEBUG`` is true; otherwise log it as a warning.

    ``rendered`` says what the caller renders instead ("nothing", "its text"); the caller
    renders it once this function returns.
    """
    if settings.DEBUG:
        raise error
    logger.warning("%s (rendered %s; set DEBUG=True to raise instead)", error, rendered)


def report_structured_text_problem(
    message: str,
    *,
    path: str,
    node: object,
    rendered: str,
    templates_tried: Sequence[str] = (),
) -> None:
    """``report_content_problem`` for the node at JSON ``path`` of a structured text value."""
    full = f"{message} (at {path})"
    if templates_tried:
        full += f"; templates tried: {', '.join(templates_tried)}"
    error = StructuredTextRenderError(full, path=path, node=node, templates_tried=templates_tried)
    report_content_problem(error, _STRUCTURED_TEXT_LOGGER, rendered=rendered)
