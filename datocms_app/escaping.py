"""The one audited escaping helper for markup built outside Django templates.

Hot paths (the ``<picture>`` of ``datocms_app.images``, structured-text spans) build HTML
strings directly instead of going through templates or ``format_html``. Every dynamic value
they put into markup must go through a function of this module, and nothing else:

- ``escape_attr(value)`` for a value inside a double-quoted attribute (``name="..."``):
  ``& < > " '`` become ``&amp; &lt; &gt; &quot; &#x27;``, exactly what
  ``django.utils.html.escape`` and React's server renderer produce.
- ``escape_text(value)`` for element content: ``& < >`` become ``&amp; &lt; &gt;``.
- ``attribute(name, value)`` for one `` name="value"`` pair, ``None`` and ``False`` leave it out.
- ``is_safe_attribute_name(name)`` for attribute names that come from data, not from code.

This module must never mark anything safe by itself (callers wrap the finished string in
``SafeString``), never strip or rewrite content, and never unescape: escaping an already
escaped string escapes it again, as it must.
"""

from __future__ import annotations

import re

__all__ = ["attribute", "escape_attr", "escape_text", "is_safe_attribute_name"]

# Attribute names a site may receive from content (SEO tags): letters, digits, and the
# punctuation of real HTML attribute names (``http-equiv``, ``xml:lang``, ``data-x``).
# Event handlers (``on...``) are refused: no content should ever attach script.
_ATTRIBUTE_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_.:-]*\Z")


def escape_attr(value: str) -> str:
    """Escape ``value`` for a double-quoted attribute: ``& < > " '``."""
    # A C-level ``in`` scan is several times faster than a ``replace`` that finds nothing,
    # and most values (URLs without "&", sizes, alt text) need one replacement or none.
    # "&" must come first.
    if "&" in value:
        value = value.replace("&", "&amp;")
    if "<" in value:
        value = value.replace("<", "&lt;")
    if ">" in value:
        value = value.replace(">", "&gt;")
    if '"' in value:
        value = value.replace('"', "&quot;")
    if "'" in value:
        value = value.replace("'", "&#x27;")
    return value


def escape_text(value: str) -> str:
    """Escape ``value`` for element content (never for an attribute value): ``& < >``."""
    if "&" in value:
        value = value.replace("&", "&amp;")
    if "<" in value:
        value = value.replace("<", "&lt;")
    if ">" in value:
        value = value.replace(">", "&gt;")
    return value


def attribute(name: str, value: str | bool | None) -> str:
    """`` name="value"`` with the value escaped.

    ``True`` gives a bare `` name``; ``None`` and ``False`` give ``""``. ``name`` is trusted
    (it comes from code); check names taken from data with ``is_safe_attribute_name`` first.
    """
    if value is None or value is False:
        return ""
    if value is True:
        return f" {name}"
    return f' {name}="{escape_attr(value)}"'


def is_safe_attribute_name(name: str) -> bool:
    """Whether ``name`` can be written as an attribute name as is (and is no event handler)."""
    return bool(_ATTRIBUTE_NAME.match(name)) and not name.lower().startswith("on")
