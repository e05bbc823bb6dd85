"""``render_plain_text()`` and ``render_excerpt()``: structured text as text.

``render_plain_text`` follows ``datocms-structured-text-to-plain-text``: spans keep their
text (line breaks included), every block-level element (paragraph, heading, list, list item,
blockquote and its attribution, code, thematic break) ends with a newline, record links keep
their text, blocks and inline records render nothing unless a callable is given, and the
result is trimmed of JavaScript whitespace. One deliberate difference: the reference puts a
newline after ``strikethrough`` and custom-mark text (it only treats ``a em u del mark code
strong`` as inline, while the strikethrough mark renders as ``s``); marks never add text here.

``render_excerpt`` is the plain text with whitespace collapsed, cut to a number of words.
The output is text, never HTML: templates escape it as usual.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

from datocms_app.content_problems import report_structured_text_problem
from datocms_app.exceptions import InvalidArgument
from datocms_app.structured_text.depth import render_document
from datocms_app.structured_text.nodes import (
    RECORD_LISTS,
    StructuredText,
    path_of,
    read_value,
    record_id,
)
from datocms_app.structured_text.records import RecordContext, record_callables

__all__ = ["render_excerpt", "render_plain_text"]

PlainRecordFunc = Callable[[RecordContext], str | None]

# What JavaScript's String.prototype.trim() removes (WhiteSpace and LineTerminator).
_JS_WHITESPACE: Final = (
    "\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009"
    "\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
)
_BLOCK_TYPES: Final = frozenset({"paragraph", "heading", "list", "listItem"})


class _PlainTextRenderer:
    def __init__(self, source: StructuredText, callables: dict[str, PlainRecordFunc | None]):
        self.source = source
        self.callables = callables

    def _report(self, node: object, message: str, rendered: str) -> None:
        report_structured_text_problem(
            message,
            path=path_of(self.source.node, node, self.source.prefix),
            node=node,
            rendered=rendered,
        )

    def children(self, node: dict[str, Any]) -> str:
        children = node.get("children")
        if not isinstance(children, list):
            return ""
        return "".join([self.render(child) for child in children])

    def render(self, node: Any) -> str:
        node_type = node.get("type") if isinstance(node, dict) else None
        if node_type == "span":
            value = node.get("value")
            return value if isinstance(value, str) else ""
        if node_type in _BLOCK_TYPES:
            return self.children(node) + "\n"
        if node_type == "link" or node_type == "root":
            return self.children(node)
        if node_type == "blockquote":
            attribution = node.get("attribution")
            footer = f"{attribution}\n" if attribution else ""
            return self.children(node) + footer + "\n"
        if node_type == "code":
            code = node.get("code")
            return ("" if code is None else str(code)) + "\n"
        if node_type == "thematicBreak":
            return "\n"
        if node_type in RECORD_LISTS:
            return self.record(node, node_type)
        has_children = isinstance(node, dict) and isinstance(node.get("children"), list)
        self._report(
            node,
            f"Unknown node type {node_type!r}"
            if isinstance(node, dict)
            else f"a dast node must be a JSON object, got {type(node).__name__}",
            "its text" if has_children else "nothing",
        )
        return self.children(node) if has_children else ""

    def record(self, node: dict[str, Any], kind: str) -> str:
        children = self.children(node) if kind == "itemLink" else ""
        function = self.callables[kind]
        attribute_name, key = RECORD_LISTS[kind]
        records = getattr(self.source, attribute_name)
        if function is None or records is None:
            return children
        item = node.get("item")
        record = next((record for record in records if record_id(record) == item), None)
        rendered = "its text" if kind == "itemLink" else "nothing"
        if record is None:
            self._report(
                node, f'"{kind}" node points at {item!r}, which is not in .{key}', rendered
            )
            return children
        result = function(RecordContext(kind=kind, record=record, node=node, children=children))
        return "" if result is None else str(result)


def render_plain_text(
    value: object,
    *,
    render_block: PlainRecordFunc | None = None,
    render_inline_block: PlainRecordFunc | None = None,
    render_inline_record: PlainRecordFunc | None = None,
    render_link_to_record: PlainRecordFunc | None = None,
) -> str:
    """The text of a structured text value (field value, document, node or ``None``).

    The optional callables get a ``RecordContext`` (``children`` is the link's text) and
    return text for blocks, inline blocks, inline records and record links.
    """
    source = read_value(value, caller="render_plain_text")
    callables = record_callables(
        "render_plain_text",
        render_block,
        render_inline_block,
        render_inline_record,
        render_link_to_record,
    )
    if source is None:
        return ""
    text = render_document(_PlainTextRenderer(source, callables).render, source)
    return text.strip(_JS_WHITESPACE)


def render_excerpt(value: object, *, words: int = 30, ellipsis: str = "…") -> str:
    """The first ``words`` words of the plain text, whitespace collapsed, ``ellipsis`` if cut."""
    if not isinstance(words, int) or isinstance(words, bool) or words < 1:
        raise InvalidArgument(f"render_excerpt(): words must be a positive integer, got {words!r}.")
    if not isinstance(ellipsis, str):
        raise InvalidArgument(f"render_excerpt(): ellipsis must be a string, got {ellipsis!r}.")
    found = render_plain_text(value).split()
    if len(found) <= words:
        return " ".join(found)
    return " ".join(found[:words]) + ellipsis
