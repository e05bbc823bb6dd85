"""Structured Text (``dast``): validation, and rendering to HTML and plain text.

Pass what the Content Delivery API returns for a structured text field — the whole value,
``{"value": {...}, "blocks": [...], "links": [...], "inlineBlocks": [...]}`` — or a bare
``dast`` document, a single node, or ``None``::

    from datocms_app.structured_text import render_html, render_plain_text, validate

    html = render_html(article["content"])          # SafeString, blocks via templates
    text = render_plain_text(article["content"])    # str

In templates: ``{% load datocms %}{% datocms_structured_text article.content %}`` and
``{{ article.content|datocms_plain_text }}``. The modules: ``nodes`` (the ``dast``
vocabulary, reading input), ``validation``, ``html``, ``plain_text``, ``records`` and
``record_nodes`` (blocks and linked records through templates or callables), ``rules``
(custom node and mark rules), ``links`` (URL and attribute safety) and ``depth`` (a document
too deeply nested to render). Content surprises follow
``datocms_app.content_problems``: raise under ``DEBUG``, log and fall back in production.
"""

from datocms_app.exceptions import (
    InvalidStructuredText,
    StructuredTextError,
    StructuredTextRenderError,
)
from datocms_app.structured_text.html import render_html
from datocms_app.structured_text.links import default_meta_transformer, safe_url
from datocms_app.structured_text.nodes import DEFAULT_MARKS, NODE_TYPES, StructuredText
from datocms_app.structured_text.plain_text import render_excerpt, render_plain_text
from datocms_app.structured_text.records import (
    NoRecordURLs,
    RecordContext,
    RecordRenderer,
    RecordURLResolver,
    SkipRecord,
    record_template_names,
)
from datocms_app.structured_text.rules import (
    MarkContext,
    MarkRule,
    NodeContext,
    NodeRule,
    mark_rule,
    node_rule,
)
from datocms_app.structured_text.validation import validate

__all__ = [
    "DEFAULT_MARKS",
    "NODE_TYPES",
    "InvalidStructuredText",
    "MarkContext",
    "MarkRule",
    "NoRecordURLs",
    "NodeContext",
    "NodeRule",
    "RecordContext",
    "RecordRenderer",
    "RecordURLResolver",
    "SkipRecord",
    "StructuredText",
    "StructuredTextError",
    "StructuredTextRenderError",
    "default_meta_transformer",
    "mark_rule",
    "node_rule",
    "record_template_names",
    "render_excerpt",
    "render_html",
    "render_plain_text",
    "safe_url",
    "validate",
]
