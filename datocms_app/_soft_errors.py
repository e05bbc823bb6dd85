"""The "never crash a public page" policy for content surprises, in one place.

A template tag that receives content it cannot render (an image without ``src``, a malformed
SEO tag list) raises under ``DEBUG``, so the developer sees the problem at once; in production
it logs a warning and renders nothing, so one bad record never takes a page down.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.utils.safestring import SafeString

from datocms_app.exceptions import DatoCMSError

__all__ = ["raise_or_warn"]

EMPTY = SafeString("")


def raise_or_warn(error: DatoCMSError, logger: logging.Logger) -> SafeString:
    """Raise ``error`` when ``settings.DEBUG`` is true; otherwise log it and return ``""``."""
    if settings.DEBUG:
        raise error
    logger.warning("%s (rendered nothing; set DEBUG=True to raise instead)", error)
    return EMPTY
