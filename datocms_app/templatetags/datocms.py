"""``{% load datocms %}``: thin tags over the plain functions of datocms_app.

Each tag only parses and resolves its arguments, then calls the documented function of its
module (``structured_text``, ``images``, ``seo``); the functions are the tested API.
"""

from __future__ import annotations

from django import template

register = template.Library()

# --- structured text (datocms_app.structured_text) ------------------------------------------

# --- images and video (datocms_app.images) --------------------------------------------------

# --- SEO (datocms_app.seo) ------------------------------------------------------------------
