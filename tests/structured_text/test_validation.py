from __future__ import annotations

from typing import Any

import pytest

from datocms_app.exceptions import InvalidStructuredText
from datocms_app.structured_text import validate
from tests.structured_text.helpers import doc, field, p, span


def heading(level: object) -> dict[str, Any]:
    return {"type": "heading", "level": level, "children": [span("h")]}


def link(**extra: Any) -> dict[str, Any]:
    return {"type": "link", "url": "/x", "children": [span("l")], **extra}


VALID = [
    None,
    doc(p(span("x"))),
    field(doc(p(span("x")))),
    p(span("x", "strong", "spoiler")),
    span("just a span"),
    doc(
        heading(1),
        {"type": "paragraph", "style": "lead", "children": [span("x", "highlight")]},
        {"type": "list", "style": "numbered", "children": [
            {"type": "listItem", "children": [
                p(span("a")),
                {"type": "list", "style": "bulleted", "children": [
                    {"type": "listItem", "children": [p(span("b"))]}
                ]},
            ]}
        ]},
        {"type": "blockquote", "attribution": "me", "children": [p(span("q"))]},
        {"type": "code", "language": "py", "highlight": [0, 2], "code": "x"},
        {"type": "thematicBreak"},
        {"type": "block", "item": "b1"},
        p(
            link(meta=[{"id": "target", "value": "_blank"}]),
            {"type": "itemLink", "item": "r1", "children": [span("r")], "meta": []},
            {"type": "inlineItem", "item": "r1"},
            {"type": "inlineBlock", "item": "i1"},
        ),
    ),
    field(
        doc(p({"type": "inlineItem", "item": "r1"})),
        blocks=[],
        links=[{"id": "r1", "__typename": "ArticleRecord"}],
    ),
]  # fmt: skip


@pytest.mark.parametrize("value", VALID)
def test_valid(value: object) -> None:
    validate(value)


INVALID = [
    # (value, path, message fragment)
    ({"schema": "dast", "document": p(span("x"))}, "$.document",
     'the document node must be of type "root", got \'paragraph\''),
    (field({"schema": "dast", "document": {"type": "root", "children": []}}),
     "$.value.document.children", '"root" children cannot be empty'),
    (doc({"type": "callout", "children": [p(span("x"))]}), "$.document.children[0]",
     "unknown node type 'callout'"),
    (doc(p(span("x")), "text"), "$.document.children[1]", "\"root\" cannot contain 'text'"),
    (doc(p({"type": "block", "item": "b"})), "$.document.children[0].children[0]",
     "\"paragraph\" cannot contain 'block'"),
    (doc({"type": "list", "style": "bulleted", "children": [
        {"type": "listItem", "children": [{"type": "block", "item": "b"}]}]}),
     "$.document.children[0].children[0].children[0]", "\"listItem\" cannot contain 'block'"),
    (doc(p(span("x"), {"type": "heading", "level": 1, "children": [span("y")]})),
     "$.document.children[0].children[1]", "\"paragraph\" cannot contain 'heading'"),
    (doc(p({"type": "link", "url": "/", "children": [{"type": "inlineItem", "item": "r"}]})),
     "$.document.children[0].children[0].children[0]", "\"link\" cannot contain 'inlineItem'"),
    (doc(heading(0)), "$.document.children[0].level", "heading level must be 1 to 6, got 0"),
    (doc(heading(7)), "$.document.children[0].level", "heading level must be 1 to 6, got 7"),
    (doc(heading("2")), "$.document.children[0].level", "got '2'"),
    (doc(heading(True)), "$.document.children[0].level", "got True"),
    (doc({"type": "heading", "children": [span("h")]}), "$.document.children[0]",
     '"heading" requires the attribute "level"'),
    (doc({"type": "list", "style": "dotted", "children": [
        {"type": "listItem", "children": [p(span("a"))]}]}),
     "$.document.children[0].style", 'list style must be "bulleted" or "numbered"'),
    (doc(p({"type": "span", "value": "x", "bold": True})), "$.document.children[0].children[0]",
     '"span" has an invalid attribute "bold" (allowed: marks, value)'),
    (doc(p({"type": "span", "value": 1})), "$.document.children[0].children[0].value",
     "span value must be a string"),
    (doc(p({"type": "span", "value": "x", "marks": "strong"})),
     "$.document.children[0].children[0].marks", "marks must be a list of strings"),
    (doc(p(span("x", ""))), "$.document.children[0].children[0].marks[0]",
     "a mark is a non-empty string"),
    (doc(p(link(meta={"target": "_blank"}))), "$.document.children[0].children[0].meta",
     "meta must be a list of {id, value}"),
    (doc(p(link(meta=[{"id": "rel", "value": 1}]))),
     "$.document.children[0].children[0].meta[0]", "meta value must be a string"),
    (doc(p(link(meta=[{"id": "rel"}]))), "$.document.children[0].children[0].meta[0]",
     "a meta entry is {id, value}"),
    (doc(p(link(meta=[{"id": "rel", "value": "x", "extra": 1}]))),
     "$.document.children[0].children[0].meta[0]", "a meta entry is {id, value}"),
    (doc(p({"type": "link", "children": [span("x")]})), "$.document.children[0].children[0]",
     '"link" requires the attribute "url"'),
    (doc({"type": "code", "code": 5}), "$.document.children[0].code", "code code must be a string"),
    (doc({"type": "code", "code": "x", "highlight": [-1]}), "$.document.children[0].highlight",
     "highlight must be a list of line numbers"),
    (doc({"type": "blockquote", "attribution": 3, "children": [p(span("q"))]}),
     "$.document.children[0].attribution", "attribution must be a string"),
    (doc({"type": "block", "item": 12}), "$.document.children[0].item",
     "item must be a record id (string)"),
    (doc({"type": "thematicBreak", "children": []}), "$.document.children[0]",
     '"thematicBreak" has an invalid attribute "children" (allowed: none)'),
    (doc({"type": "paragraph", "style": "", "children": [span("x")]}),
     "$.document.children[0].style", "a custom style must be a non-empty string"),
    (field(doc({"type": "block", "item": "missing"}), blocks=[{"id": "b1"}]),
     "$.value.document.children[0]", "points at record 'missing', which is not in .blocks"),
    (field(doc(p({"type": "inlineBlock", "item": "x"})), inline_blocks=[]),
     "$.value.document.children[0].children[0]", "which is not in .inlineBlocks"),
    (p(span("x"), {"type": "listItem", "children": [p(span("y"))]}), "$.children[1]",
     "\"paragraph\" cannot contain 'listItem'"),
]  # fmt: skip


@pytest.mark.parametrize(("value", "path", "message"), INVALID)
def test_invalid_documents_fail_with_a_path(value: object, path: str, message: str) -> None:
    with pytest.raises(InvalidStructuredText) as caught:
        validate(value)
    assert caught.value.path == path
    assert str(caught.value).startswith(f"Invalid dast at {path}: ")
    assert message in str(caught.value)


def test_error_message_in_full() -> None:
    with pytest.raises(InvalidStructuredText) as caught:
        validate(
            doc(p(span("x")), {"type": "list", "style": "bulleted", "children": [p(span("x"))]})
        )
    assert str(caught.value) == (
        'Invalid dast at $.document.children[1].children[0]: "list" cannot contain '
        "'paragraph' (allowed: listItem)"
    )
    assert caught.value.node == p(span("x"))


def test_custom_marks_can_be_restricted() -> None:
    value = doc(p(span("x", "strong", "spoiler")))
    validate(value, custom_marks=["spoiler"])
    with pytest.raises(InvalidStructuredText, match="unknown mark 'spoiler'; allowed: code, "):
        validate(value, custom_marks=[])


def test_input_shape_errors() -> None:
    with pytest.raises(InvalidStructuredText, match=r"validate\(\) expects"):
        validate([1])
    with pytest.raises(InvalidStructuredText) as caught:
        validate({"schema": "dast", "document": "x"})
    assert caught.value.path == "$.document"
