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
