"""``{% load magazine %}``: small presentation helpers of the demo's templates.

Registered in ``TEMPLATES[...]["OPTIONS"]["libraries"]`` (the demo project is not an app).
"""

from __future__ import annotations

import datetime

from django import template

register = template.Library()


@register.filter
def as_datetime(value: object) -> datetime.datetime | datetime.date | None:
    """Parse the CDA's ISO 8601 ``DateTime``/``Date`` strings for Django's ``date`` filter.

    ``{{ article.publishedAt|as_datetime|date:"DATE_FORMAT" }}``; anything unparseable gives
    ``None`` (which ``date`` renders as an empty string) rather than an error on a public page.
    """
    if isinstance(value, datetime.datetime | datetime.date):
        return value
    if not isinstance(value, str) or not value:
        return None
    try:
        if len(value) == 10:
            return datetime.date.fromisoformat(value)
        return datetime.datetime.fromisoformat(value)
    except ValueError:
        return None


@register.filter
def as_clock(seconds: object) -> str:
    """Whole seconds as a clock reading: ``4`` -> ``0:04``, ``3725`` -> ``1:02:05``.

    ``{{ upload.video.duration|as_clock }}``; anything that is not a non-negative number gives
    ``""``.
    """
    if isinstance(seconds, bool) or not isinstance(seconds, int | float) or not seconds >= 0:
        return ""
    minutes, secs = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
