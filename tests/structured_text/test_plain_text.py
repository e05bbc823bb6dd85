from __future__ import annotations

from typing import Any

import pytest
from django.test import override_settings

from datocms_app.exceptions import (
    InvalidArgument,
    InvalidStructuredText,
    StructuredTextRenderError,
)
from datocms_app.structured_text import RecordContext, render_excerpt, render_plain_text
from tests.structured_text.helpers import doc, field, nested_lists, p, span

ARTICLE = field(
    doc(
        {"type": "heading", "level": 1, "children": [span("This\nis a\ntitle!")]},
        p(
            span("A "),
            {"type": "itemLink", "item": "r1", "children": [span("record hyperlink")]},
            span(" and an inline record: "),
            {"type": "inlineItem", "item": "r1"},
        ),
        {"type": "block", "item": "b1"},
        {"type": "list", "style": "bulleted", "children": [
            {"type": "listItem", "children": [p(span("one"))]},
            {"type": "listItem", "children": [p(span("two", "strikethrough"))]},
        ]},
        {"type": "blockquote", "attribution": "Wilde", "children": [p(span("Be yourself."))]},
        {"type": "code", "code": "print('hi')"},
        {"type": "thematicBreak"},
        p({"type": "link", "url": "/x", "children": [span("the end", "strong")]}),
    ),
    blocks=[{"id": "b1", "image": {"url": "https://www.datocms-assets.com/1/image.png"}}],
    links=[{"id": "r1", "title": "Foo", "slug": "foo"}],
)  # fmt: skip


def test_plain_text_of_every_node() -> None:
    assert render_plain_text(ARTICLE) == (
        "This\nis a\ntitle!\n"
        "A record hyperlink and an inline record: \n"
        "one\n\ntwo\n\n\n"
        "Be yourself.\nWilde\n\n"
        "print('hi')\n\n"
        "the end"
    )


def test_plain_text_with_record_callables() -> None:
    def block(ctx: RecordContext) -> str:
        return f"[Image {ctx.record['image']['url']}]"

    def inline(ctx: RecordContext) -> str:
        return f"[Inline {ctx.record['slug']}]{ctx.record['title']}[/Inline]"

    def link(ctx: RecordContext) -> str:
        return f"[Link to {ctx.record['slug']}]{ctx.children}[/Link]"

    text = render_plain_text(
        ARTICLE, render_block=block, render_inline_record=inline, render_link_to_record=link
    )
    assert text.splitlines()[3:5] == [
        "A [Link to foo]record hyperlink[/Link] and an inline record: [Inline foo]Foo[/Inline]",
        "[Image https://www.datocms-assets.com/1/image.png]one",
    ]


def test_trims_javascript_whitespace_only() -> None:
    assert render_plain_text(doc(p(span("\ufeff\u00a0 x \u2028")))) == "x"
    # \x1c is whitespace for Python's str.strip() but not for JavaScript's trim().
    assert render_plain_text(doc(p(span("\x1cx")))) == "\x1cx"


def test_inputs() -> None:
    assert render_plain_text(None) == ""
    assert render_plain_text(span("a\nb")) == "a\nb"
    assert render_plain_text(doc(p(span("<b>&</b>")))) == "<b>&</b>"
    with pytest.raises(InvalidStructuredText, match=r"render_plain_text\(\) expects"):
        render_plain_text(3)
    with pytest.raises(InvalidArgument, match="render_block must be callable"):
        render_plain_text(None, render_block="x")  # type: ignore[arg-type]


def test_unknown_node(caplog: pytest.LogCaptureFixture) -> None:
    value = doc({"type": "callout", "children": [p(span("inside"))]})
    with override_settings(DEBUG=True), pytest.raises(StructuredTextRenderError) as caught:
        render_plain_text(value)
    assert caught.value.path == "$.document.children[0]"
    with caplog.at_level("WARNING", logger="datocms_app.structured_text"):
        assert render_plain_text(value) == "inside"


def test_missing_record_with_a_callable(caplog: pytest.LogCaptureFixture) -> None:
    value = field(doc({"type": "block", "item": "nope"}), blocks=[])
    with caplog.at_level("WARNING", logger="datocms_app.structured_text"):
        assert render_plain_text(value, render_block=lambda ctx: "x") == ""
    assert "'nope', which is not in .blocks" in caplog.records[0].getMessage()


def test_deeply_nested_document_renders_nothing(caplog: pytest.LogCaptureFixture) -> None:
    node = nested_lists(p(span("deep")), 3000)
    with caplog.at_level("WARNING", logger="datocms_app.structured_text"):
        assert render_plain_text(doc(node)) == ""
    assert [record.getMessage() for record in caplog.records] == [
        "The document is nested too deeply to render (at $.document) (rendered nothing; set "
        "DEBUG=True to raise instead)"
    ]
    with override_settings(DEBUG=True), pytest.raises(StructuredTextRenderError) as caught:
        render_plain_text(doc(node))
    assert str(caught.value) == "The document is nested too deeply to render (at $.document)"


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        (1, "This…"),
        (3, "This is a…"),
        (100, "This is a title! Some more text."),
    ],
)
def test_excerpt(words: int, expected: str) -> None:
    value: Any = doc(
        {"type": "heading", "level": 1, "children": [span("This\nis a\ntitle!")]},
        p(span("Some   more "), span("text.", "strong")),
    )
    assert render_excerpt(value, words=words) == expected


def test_excerpt_arguments() -> None:
    assert render_excerpt(doc(p(span("a b c"))), words=2, ellipsis=" [...]") == "a b [...]"
    assert render_excerpt(None) == ""
    for words in (0, -1, 2.5, True):
        with pytest.raises(InvalidArgument, match="words must be a positive integer"):
            render_excerpt(None, words=words)  # type: ignore[arg-type]
