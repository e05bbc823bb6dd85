"""Rendering a whole structured text document within Python's recursion limit.

The renderers walk a document recursively, one call per level, so a document nested
thousands of levels deep (hand-written or hostile JSON) exhausts the stack.
``render_document`` turns that into a content problem (``datocms_app.content_problems``:
raise under ``DEBUG``, else log) and renders nothing, instead of a ``RecursionError`` and a
500. It never catches anything else.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from datocms_app.content_problems import report_structured_text_problem
from datocms_app.structured_text.nodes import StructuredText

__all__ = ["render_document"]


def render_document(render: Callable[[Any], str], source: StructuredText) -> str:
    """``render(source.node)``, or ``""`` once reported when the document is too deep."""
    try:
        return render(source.node)
    except RecursionError:
        report_structured_text_problem(
            "The document is nested too deeply to render",
            path=source.prefix,
            node=None,
            rendered="nothing",
        )
        return ""
