"""Property tests: any valid document renders; any broken one fails validation with a path."""

from __future__ import annotations

import copy
import re
from html.parser import HTMLParser
from typing import Any

import pytest
from django.test import override_settings
from django.utils.html import format_html
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from datocms_app.exceptions import InvalidStructuredText
from datocms_app.structured_text import (
    DEFAULT_MARKS,
    RecordContext,
    render_html,
    render_plain_text,
    validate,
)
from datocms_app.structured_text.nodes import iter_nodes

BLOCK_IDS = ["b1", "b2"]
LINK_IDS = ["r1", "r2"]
INLINE_BLOCK_IDS = ["m1"]
JS_WHITESPACE = (
    "\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009"
    "\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
)
VOID = {"br", "hr", "img"}
PROPERTY_SETTINGS = settings(
    max_examples=75, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)

Node = dict[str, Any]

text = st.text(st.characters(exclude_categories=("Cs",)), max_size=12)
marks = st.lists(st.sampled_from(DEFAULT_MARKS), unique=True, max_size=3)
meta = st.lists(
    st.fixed_dictionaries({"id": st.sampled_from(["rel", "target", "title", "x"]), "value": text}),
    max_size=3,
)
url = st.one_of(
    st.sampled_from(["https://example.com/?a=1&b=2", "/path", "#top", "javascript:alert(1)"]),
    text,
)


def _span(value: str, span_marks: list[str]) -> Node:
    return {"type": "span", "value": value, **({"marks": span_marks} if span_marks else {})}


def _with_meta(node: Node, node_meta: list[Any] | None) -> Node:
    return {**node, "meta": node_meta} if node_meta is not None else node


span = st.builds(_span, text, marks)
spans = st.lists(span, min_size=1, max_size=3)
link = st.builds(
    lambda u, children, m: _with_meta({"type": "link", "url": u, "children": children}, m),
    url, spans, st.none() | meta,
)  # fmt: skip
item_link = st.builds(
    lambda item, children, m: _with_meta(
        {"type": "itemLink", "item": item, "children": children}, m
    ),
    st.sampled_from(LINK_IDS), spans, st.none() | meta,
)  # fmt: skip
inline = st.one_of(
    span,
    span,
    link,
    item_link,
    st.builds(lambda item: {"type": "inlineItem", "item": item}, st.sampled_from(LINK_IDS)),
    st.builds(
        lambda item: {"type": "inlineBlock", "item": item}, st.sampled_from(INLINE_BLOCK_IDS)
    ),
)
inlines = st.lists(inline, min_size=1, max_size=4)
paragraph = st.builds(
    lambda children, style: {"type": "paragraph", "children": children,
                             **({"style": style} if style else {})},
    inlines, st.none() | st.just("lead"),
)  # fmt: skip
heading = st.builds(
    lambda level, children: {"type": "heading", "level": level, "children": children},
    st.integers(1, 6),
    inlines,
)


def list_of(depth: int) -> st.SearchStrategy[Node]:
    item_children = st.lists(paragraph, min_size=1, max_size=2)
    if depth < 2:
        item_children = st.tuples(item_children, st.lists(list_of(depth + 1), max_size=1)).map(
            lambda pair: pair[0] + pair[1]
        )
    return st.builds(
        lambda style, items: {"type": "list", "style": style, "children": items},
        st.sampled_from(["bulleted", "numbered"]),
        st.lists(item_children.map(lambda c: {"type": "listItem", "children": c}), min_size=1,
                 max_size=3),
    )  # fmt: skip


blockquote = st.builds(
    lambda children, attribution: {"type": "blockquote", "children": children,
                                   **({"attribution": attribution} if attribution else {})},
    st.lists(paragraph, min_size=1, max_size=2), st.none() | text,
)  # fmt: skip
code = st.builds(
    lambda source, language: {"type": "code", "code": source,
                              **({"language": language} if language is not None else {})},
    text, st.none() | text,
)  # fmt: skip
top_level = st.one_of(
    paragraph,
    heading,
    list_of(0),
    blockquote,
    code,
    st.builds(lambda: {"type": "thematicBreak"}),  # a fresh dict each time
    st.builds(lambda item: {"type": "block", "item": item}, st.sampled_from(BLOCK_IDS)),
)
documents = st.lists(top_level, min_size=1, max_size=6).map(
    lambda children: {
        "value": {"schema": "dast", "document": {"type": "root", "children": children}},
        "blocks": [{"id": i, "__typename": "ImageBlockRecord", "caption": "c"} for i in BLOCK_IDS],
        "links": [{"id": i, "__typename": "ArticleRecord", "title": "t"} for i in LINK_IDS],
        "inlineBlocks": [{"id": i, "__typename": "MentionBlockRecord"} for i in INLINE_BLOCK_IDS],
    }
)


def record_html(ctx: RecordContext) -> str:
    return format_html('<span data-record="{}">{}</span>', ctx.record["id"], ctx.children)


RECORD_OPTIONS = {
    "render_block": lambda ctx: format_html("<figure>{}</figure>", ctx.record["id"]),
    "render_inline_block": record_html,
    "render_inline_record": record_html,
    "render_link_to_record": record_html,
}


class BalanceChecker(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack, f"</{tag}> closes nothing"
        assert self.stack.pop() == tag, f"unbalanced </{tag}>"

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def spans_of(value: dict[str, Any]) -> list[str]:
    return [
        node["value"]
        for node, _path, _parent in iter_nodes(value["value"]["document"])
        if node.get("type") == "span"
    ]


@PROPERTY_SETTINGS
@given(documents)
def test_valid_documents_render_without_raising(value: dict[str, Any]) -> None:
    validate(value)
    with override_settings(DEBUG=True):  # any rendering problem would raise
        html = render_html(value, **RECORD_OPTIONS)
    checker = BalanceChecker()
    checker.feed(html)
    checker.close()
    assert checker.stack == []
    rendered_text = "".join(checker.text)
    for span_value in spans_of(value):
        for line in span_value.split("\n"):
            assert line.replace("\r", "\n") in rendered_text.replace("\r", "\n")


@PROPERTY_SETTINGS
@given(documents)
def test_span_text_survives_plain_text(value: dict[str, Any]) -> None:
    with override_settings(DEBUG=True):
        plain = render_plain_text(value)
    for span_value in spans_of(value):
        assert span_value.strip(JS_WHITESPACE) in plain


# -- broken documents ------------------------------------------------------------------------

MUTATIONS = [
    "unknown type",
    "extra attribute",
    "empty children",
    "bad level",
    "bad style",
    "bad marks",
    "bad child",
    "bad meta",
    "missing required",
]


def _resolve(value: Any, path: str) -> Any:
    current = value
    for name, index in re.findall(r"\.([A-Za-z_]+)|\[(\d+)\]", path.removeprefix("$")):
        current = current[name] if name else current[int(index)]
    return current


def mutate(node: Node, mutation: str) -> bool:
    """Break ``node`` in place; False when the mutation does not apply to this node."""
    node_type = node["type"]
    if mutation == "unknown type":
        node["type"] = "callout"
    elif mutation == "extra attribute":
        node["onclick"] = "alert(1)"
    elif mutation == "empty children" and "children" in node:
        node["children"] = []
    elif mutation == "bad level" and node_type == "heading":
        node["level"] = 7
    elif mutation == "bad style" and node_type == "list":
        node["style"] = "dotted"
    elif mutation == "bad marks" and node_type == "span":
        node["marks"] = "strong"
    elif mutation == "bad child" and node_type in ("paragraph", "heading"):
        node["children"].append({"type": "thematicBreak"})
    elif mutation == "bad meta" and node_type in ("link", "itemLink"):
        node["meta"] = [{"id": "rel", "value": 3}]
    elif mutation == "missing required" and node_type in ("span", "code", "link"):
        del node[{"span": "value", "code": "code", "link": "url"}[node_type]]
    else:
        return False
    return True


@PROPERTY_SETTINGS
@given(documents, st.sampled_from(MUTATIONS), st.integers(0, 10_000))
def test_broken_documents_fail_validation_with_a_path(
    value: dict[str, Any], mutation: str, pick: int
) -> None:
    broken = copy.deepcopy(value)
    nodes = [
        (node, path)
        for node, path, _parent in iter_nodes(broken["value"]["document"], "$.value.document")
    ]
    candidates = [(node, path) for node, path in nodes if mutate(copy.deepcopy(node), mutation)]
    if not candidates:
        return
    target, target_path = candidates[pick % len(candidates)]
    mutate(target, mutation)
    with pytest.raises(InvalidStructuredText) as caught:
        validate(broken)
    path = caught.value.path
    assert str(caught.value).startswith(f"Invalid dast at {path}: ")
    # The reported path leads to the broken node, or to one of its attributes or children.
    assert path.startswith(target_path)
    assert _resolve(broken, path) is not None or path.endswith(".value")
