"""Hostile content: where render_html is deliberately safer than the reference renderer."""

from __future__ import annotations

from typing import Any

import pytest

from datocms_app.structured_text import render_html, safe_url
from tests.structured_text.helpers import doc, field, p, span


def link(url: str, meta: list[dict[str, str]] | None = None) -> dict[str, Any]:
    node: dict[str, Any] = {"type": "link", "url": url, "children": [span("click")]}
    if meta is not None:
        node["meta"] = meta
    return node


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "  javascript:alert(1)",
        "\x01\x02javascript:alert(1)",
        "java\tscript:alert(1)",
        "java\nscript:alert(1)",
        "javascript\r:alert(1)",
        "vbscript:msgbox(1)",
        "VBScript:msgbox(1)",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
        "data:text/html,<script>alert(1)</script>",
        "data:image/svg+xml,<svg onload=alert(1)>",
        " DATA:application/javascript,alert(1)",
    ],
)
def test_script_urls_lose_their_href(url: str, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level("WARNING", logger="datocms_app.structured_text"):
        result = render_html(doc(p(link(url, [{"id": "target", "value": "_blank"}]))))
    assert result == '<p><a target="_blank">click</a></p>'
    assert safe_url(url) is None
    assert caplog.records[0].getMessage().startswith("Refused the link URL")
    assert "could run script" in caplog.records[0].getMessage()


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/javascript:x",
        "/javascript:alert(1)",
        "?q=javascript:alert(1)",
        "mailto:a@example.com",
        "tel:+390000",
        "data:image/png;base64,iVBORw0KGgo=",
        "data:image/jpeg,abc",
        "#top",
        "",
    ],
)
def test_harmless_urls_are_kept(url: str) -> None:
    assert safe_url(url) == url
    assert render_html(link(url)).startswith('<a href="')


def test_attribute_values_cannot_break_out() -> None:
    hostile = '" onmouseover="alert(1)" x="'
    result = render_html(
        doc(
            p(
                link(
                    f"/x{hostile}",
                    [{"id": "title", "value": hostile}, {"id": "onclick", "value": "a()"}],
                )
            )
        )
    )
    assert result == (
        '<p><a title="&quot; onmouseover=&quot;alert(1)&quot; x=&quot;" '
        'href="/x&quot; onmouseover=&quot;alert(1)&quot; x=&quot;">click</a></p>'
    )


def test_text_is_always_escaped_even_when_it_equals_earlier_output() -> None:
    # vhtml (under datocms-structured-text-to-html-string) keeps a global cache of strings it
    # produced and does not escape a text equal to one of them: after rendering <p>a</p>, a
    # span whose text is "<p>a</p>" comes out as raw HTML. We always escape.
    render_html(doc(p(span("a"))))
    assert render_html(doc(p(span("a")), p(span("<p>a</p>")))) == (
        "<p>a</p><p>&lt;p&gt;a&lt;/p&gt;</p>"
    )


def test_marks_and_levels_never_become_tag_names(caplog: pytest.LogCaptureFixture) -> None:
    value = doc(
        p(span("x", "img src=x onerror=alert(1)")),
        {"type": "heading", "level": "1><script>alert(1)</script", "children": [span("t")]},
    )
    with caplog.at_level("WARNING", logger="datocms_app.structured_text"):
        assert render_html(value) == "<p>x</p>t"


def test_code_language_and_attribution_are_escaped() -> None:
    value = doc(
        {"type": "code", "language": '"><script>alert(1)</script>', "code": "</code><script>"},
        {"type": "blockquote", "attribution": "<img src=x onerror=alert(1)>", "children": [
            p(span("q"))
        ]},
    )  # fmt: skip
    assert render_html(value) == (
        '<pre data-language="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"><code>'
        "&lt;/code&gt;&lt;script&gt;</code></pre>"
        "<blockquote><p>q</p><footer>&lt;img src=x onerror=alert(1)&gt;</footer></blockquote>"
    )


def test_typename_cannot_reach_other_templates(caplog: pytest.LogCaptureFixture) -> None:
    value = field(
        doc({"type": "block", "item": "b"}),
        blocks=[{"id": "b", "__typename": "../../../base"}],
    )
    with caplog.at_level("WARNING", logger="datocms_app.structured_text"):
        assert render_html(value) == ""
    assert caplog.records[0].getMessage() == (
        "record 'b' in .blocks has the __typename '../../../base', which is not a GraphQL type "
        "name, so no template is looked up for it (at $.value.document.children[0]) (rendered "
        "nothing; set DEBUG=True to raise instead)"
    )


def test_record_fields_are_escaped_in_default_templates() -> None:
    value = field(
        doc(p({"type": "inlineItem", "item": "r"})),
        links=[{"id": "r", "__typename": "ThingRecord", "title": "<script>alert(1)</script>"}],
    )
    assert render_html(value) == "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"
