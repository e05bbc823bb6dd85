"""A small builder for structured text (``dast``) values sent to the CMA.

::

    from datocms_app.cma import build_block_record, dast

    content = dast.document(
        dast.heading(2, "Key Technologies to Watch"),
        dast.paragraph("From ", dast.span("serverless", "strong"), " to edge computing."),
        dast.block(build_block_record(Schema.CtaBlock, title="Ready?")),
        dast.paragraph("See ", dast.inline_block(build_block_record(Schema.Mention, label="x"))),
        dast.paragraph(dast.item_link(author_id, "our author"), "."),
    )

A ``str`` child of a paragraph, heading or link is a span without marks; a ``str`` child of
a list item or blockquote is a paragraph. Block nodes take a new block
(``build_block_record``), a changed one (``update_block_record``) or an existing block's id.
Spans always carry ``marks`` (possibly empty), as in the seeds' examples. Pure functions.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from datocms_app.cma import jsonapi
from datocms_app.cma.types import StructuredTextValue
from datocms_app.exceptions import InvalidArgument

__all__ = [
    "block",
    "blockquote",
    "bulleted_list",
    "code",
    "document",
    "heading",
    "inline_block",
    "inline_item",
    "item_link",
    "link",
    "numbered_list",
    "paragraph",
    "span",
    "thematic_break",
]

Node = dict[str, Any]


def _inline(children: tuple[Node | str, ...], parent: str) -> list[Node]:
    if not children:
        raise InvalidArgument(f"A {parent} needs at least one child (a string or a span).")
    return [span(child) if isinstance(child, str) else _node(child, parent) for child in children]


def _blocky(children: tuple[Node | str, ...], parent: str) -> list[Node]:
    if not children:
        raise InvalidArgument(f"A {parent} needs at least one child (a string or a node).")
    return [
        paragraph(child) if isinstance(child, str) else _node(child, parent) for child in children
    ]


def _node(value: object, parent: str) -> Node:
    if not isinstance(value, Mapping) or not isinstance(value.get("type"), str):
        raise InvalidArgument(f"A {parent}'s child is a string or a dast node, got {value!r}.")
    return dict(value)


def _item(item: object) -> Any:
    if isinstance(item, Mapping):
        return dict(item)
    return jsonapi.to_id(item, "block")


def document(*children: Node | str) -> StructuredTextValue:
    """The field value: ``{"schema": "dast", "document": {"type": "root", ...}}``."""
    return {"schema": "dast", "document": {"type": "root", "children": _blocky(children, "root")}}


def span(value: str, *marks: str) -> Node:
    """Text with marks (``strong``, ``emphasis``, ``underline``, ``strikethrough``,
    ``highlight``, ``code`` or a custom mark)."""
    if not isinstance(value, str) or not all(isinstance(mark, str) and mark for mark in marks):
        raise InvalidArgument(f"span(value, *marks) takes strings, got {value!r}, {marks!r}.")
    return {"type": "span", "marks": list(marks), "value": value}


def paragraph(*children: Node | str, style: str | None = None) -> Node:
    node: Node = {"type": "paragraph", "children": _inline(children, "paragraph")}
    if style is not None:
        node["style"] = style
    return node


def heading(level: int, *children: Node | str, style: str | None = None) -> Node:
    if isinstance(level, bool) or not isinstance(level, int) or not 1 <= level <= 6:
        raise InvalidArgument(f"A heading level is 1 to 6, got {level!r}.")
    node: Node = {"type": "heading", "level": level, "children": _inline(children, "heading")}
    if style is not None:
        node["style"] = style
    return node


def _meta(meta: Mapping[str, str] | None) -> list[dict[str, str]] | None:
    if meta is None:
        return None
    return [{"id": str(key), "value": str(value)} for key, value in meta.items()]


def link(url: str, *children: Node | str, meta: Mapping[str, str] | None = None) -> Node:
    """A hyperlink; ``meta`` such as ``{"target": "_blank"}``."""
    node: Node = {"type": "link", "url": url, "children": _inline(children, "link")}
    if meta is not None:
        node["meta"] = _meta(meta)
    return node


def item_link(record: object, *children: Node | str, meta: Mapping[str, str] | None = None) -> Node:
    """A link to another record (its id, or a record dict)."""
    node: Node = {"type": "itemLink", "item": jsonapi.to_id(record)}
    node["children"] = _inline(children, "itemLink")
    if meta is not None:
        node["meta"] = _meta(meta)
    return node


def inline_item(record: object) -> Node:
    """A record mentioned inline (its id, or a record dict)."""
    return {"type": "inlineItem", "item": jsonapi.to_id(record)}


def block(item: object) -> Node:
    """A block between paragraphs: ``build_block_record(...)``, an update, or a block id."""
    return {"type": "block", "item": _item(item)}


def inline_block(item: object) -> Node:
    """A block inside a paragraph: ``build_block_record(...)``, an update, or a block id."""
    return {"type": "inlineBlock", "item": _item(item)}


def _list(style: str, items: tuple[Node | str | list[Node | str], ...]) -> Node:
    if not items:
        raise InvalidArgument("A list needs at least one item.")
    children = []
    for entry in items:
        parts = tuple(entry) if isinstance(entry, list) else (entry,)
        if len(parts) == 1 and isinstance(parts[0], Mapping) and parts[0].get("type") == "listItem":
            children.append(dict(parts[0]))
        else:
            children.append({"type": "listItem", "children": _blocky(parts, "listItem")})
    return {"type": "list", "style": style, "children": children}


def bulleted_list(*items: Node | str | list[Node | str]) -> Node:
    """A bulleted list; each item a string, a node, or a list of them."""
    return _list("bulleted", items)


def numbered_list(*items: Node | str | list[Node | str]) -> Node:
    """A numbered list; each item a string, a node, or a list of them."""
    return _list("numbered", items)


def blockquote(*children: Node | str, attribution: str | None = None) -> Node:
    node: Node = {"type": "blockquote", "children": _blocky(children, "blockquote")}
    if attribution is not None:
        node["attribution"] = attribution
    return node


def code(source: str, language: str | None = None, highlight: list[int] | None = None) -> Node:
    node: Node = {"type": "code", "code": source}
    if language is not None:
        node["language"] = language
    if highlight is not None:
        node["highlight"] = list(highlight)
    return node


def thematic_break() -> Node:
    return {"type": "thematicBreak"}
