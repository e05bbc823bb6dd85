from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import override_settings
from django.utils.html import format_html
from django.utils.safestring import SafeString
from pydantic import BaseModel

from datocms_app.exceptions import (
    InvalidArgument,
    InvalidStructuredText,
    StructuredTextError,
    StructuredTextRenderError,
)
from datocms_app.structured_text import (
    MarkContext,
    NodeContext,
    mark_rule,
    node_rule,
    render_html,
)
from tests.structured_text.helpers import doc, field, nested_lists, p, span


def html(*children: dict[str, Any], **options: Any) -> str:
    return str(render_html(doc(*children), **options))


# -- nodes -----------------------------------------------------------------------------------


def test_paragraph_and_span() -> None:
    assert html(p(span("Hello "), span("world!"))) == "<p>Hello world!</p>"


@pytest.mark.parametrize("level", [1, 2, 3, 4, 5, 6])
def test_heading(level: int) -> None:
    node = {"type": "heading", "level": level, "children": [span("Title")]}
    assert html(node) == f"<h{level}>Title</h{level}>"


def test_custom_styles_are_not_rendered() -> None:
    node = {"type": "heading", "level": 2, "style": "lead", "children": [span("x")]}
    assert html(node, p(span("y"))) == "<h2>x</h2><p>y</p>"


def test_lists() -> None:
    item = {"type": "listItem", "children": [p(span("a"))]}
    nested = {"type": "list", "style": "numbered", "children": [item]}
    outer = {
        "type": "list",
        "style": "bulleted",
        "children": [{"type": "listItem", "children": [p(span("b")), nested]}],
    }
    assert html(outer) == "<ul><li><p>b</p><ol><li><p>a</p></li></ol></li></ul>"


def test_blockquote_with_and_without_attribution() -> None:
    quote = {"type": "blockquote", "children": [p(span("Be yourself."))]}
    assert html(quote) == "<blockquote><p>Be yourself.</p></blockquote>"
    quote["attribution"] = "Oscar <Wilde>"
    assert html(quote) == (
        "<blockquote><p>Be yourself.</p><footer>Oscar &lt;Wilde&gt;</footer></blockquote>"
    )


def test_code() -> None:
    node = {"type": "code", "language": "js", "highlight": [0], "code": "a < b\n&& c"}
    assert html(node) == '<pre data-language="js"><code>a &lt; b\n&amp;&amp; c</code></pre>'
    assert html({"type": "code", "code": "x"}) == "<pre><code>x</code></pre>"
    assert html({"type": "code", "code": ""}) == "<pre><code></code></pre>"


def test_thematic_break() -> None:
    assert html(p(span("a")), {"type": "thematicBreak"}) == "<p>a</p><hr>"


def test_line_breaks_in_spans() -> None:
    assert html(p(span("one\ntwo\n"))) == "<p>one<br>two<br></p>"


@pytest.mark.parametrize(
    ("mark", "tag"),
    [
        ("strong", "strong"),
        ("emphasis", "em"),
        ("underline", "u"),
        ("strikethrough", "s"),
        ("highlight", "mark"),
        ("code", "code"),
    ],
)
def test_marks(mark: str, tag: str) -> None:
    assert html(p(span("x", mark))) == f"<p><{tag}>x</{tag}></p>"


def test_marks_nest_first_innermost() -> None:
    assert html(p(span("x", "strong", "emphasis", "highlight"))) == (
        "<p><mark><em><strong>x</strong></em></mark></p>"
    )


def test_empty_span_with_marks_renders_nothing() -> None:
    assert html(p(span("", "strong"), span("a"))) == "<p>a</p>"


def test_link_with_meta_keeps_target_title_rel_in_order() -> None:
    link = {
        "type": "link",
        "url": "https://example.com/?a=1&b=2",
        "meta": [
            {"id": "rel", "value": "nofollow"},
            {"id": "onclick", "value": "alert(1)"},
            {"id": "target", "value": "_blank"},
            {"id": "title", "value": 'Say "hi"'},
        ],
        "children": [span("link")],
    }
    assert html(p(link)) == (
        '<p><a rel="nofollow" target="_blank" title="Say &quot;hi&quot;" '
        'href="https://example.com/?a=1&amp;b=2">link</a></p>'
    )


def test_link_without_meta() -> None:
    link = {"type": "link", "url": "/about/", "children": [span("about", "strong")]}
    assert html(p(link)) == '<p><a href="/about/"><strong>about</strong></a></p>'


def test_escaping_of_text_and_attributes() -> None:
    assert html(p(span('<b>"it\'s" & </b>'))) == (
        "<p>&lt;b&gt;&quot;it&#x27;s&quot; &amp; &lt;/b&gt;</p>"
    )


# -- inputs ----------------------------------------------------------------------------------


def test_accepted_inputs() -> None:
    document = doc(p(span("x")))
    expected = "<p>x</p>"
    assert render_html(field(document)) == expected
    assert render_html(document) == expected
    assert render_html(document["document"]) == expected
    assert render_html(p(span("x"))) == expected
    assert render_html(span("a\nb")) == "a<br>b"
    assert render_html(None) == ""
    assert render_html({"value": None}) == ""
    assert isinstance(render_html(document), SafeString)
    assert isinstance(render_html(None), SafeString)


def test_pydantic_models_are_read_through_model_dump() -> None:
    class Content(BaseModel):
        value: dict[str, Any]
        blocks: list[dict[str, Any]] = []

    assert render_html(Content(value=doc(p(span("m"))))) == "<p>m</p>"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            json.dumps(doc(p(span("x")))),
            "render_html() expects a structured text field value as the CDA returns it",
        ),
        ([p(span("x"))], "got list [{'type': 'paragraph'"),
        (42, "got int 42."),
        ({"foo": 1}, "got a dict with keys ['foo']."),
        ({"schema": "html", "document": {}}, "$.schema must be \"dast\", got str 'html'."),
        ({"value": "text"}, ".value must be a dast document"),
        ({"value": doc(p(span("x"))), "blocks": "nope"}, ".blocks must be a list of records"),
    ],
)
def test_wrong_inputs_say_what_was_passed(value: object, message: str) -> None:
    with pytest.raises(InvalidStructuredText) as caught:
        render_html(value)
    assert message in str(caught.value)
    assert isinstance(caught.value, StructuredTextError)


def test_json_text_gets_a_hint() -> None:
    with pytest.raises(InvalidStructuredText, match=r"decode it with json.loads\(\) first"):
        render_html('{"schema": "dast"}')


# -- options ---------------------------------------------------------------------------------


def test_custom_node_rule_by_type() -> None:
    def heading(ctx: NodeContext) -> str:
        level = ctx.node["level"] + 1
        return format_html('<h{} class="t">{}</h{}>', level, ctx.children, level)

    node = {"type": "heading", "level": 1, "children": [span("A & B", "strong")]}
    assert html(node, custom_node_rules=[node_rule("heading", heading)]) == (
        '<h2 class="t"><strong>A &amp; B</strong></h2>'
    )


def test_custom_node_rule_predicate_default_ancestors_and_path() -> None:
    seen: list[tuple[str, list[str]]] = []

    def wrap(ctx: NodeContext) -> str:
        seen.append((ctx.path, [a["type"] for a in ctx.ancestors]))
        return format_html("<span>{}</span>", ctx.default())

    rule = node_rule(lambda node: node.get("marks") == ["strong"], wrap)
    result = html(p(span("a"), span("b", "strong")), custom_node_rules=[rule])
    assert result == "<p>a<span><strong>b</strong></span></p>"
    assert seen == [("$.document.children[0].children[1]", ["paragraph", "root"])]


def test_custom_node_rule_plain_string_is_escaped_and_none_renders_nothing() -> None:
    rules = [node_rule("paragraph", lambda ctx: "<i>raw</i>"), node_rule("code", lambda c: None)]
    assert html(p(span("x")), {"type": "code", "code": "y"}, custom_node_rules=rules) == (
        "&lt;i&gt;raw&lt;/i&gt;"
    )


def test_custom_node_rule_for_several_types() -> None:
    rule = node_rule(["paragraph", "heading"], lambda ctx: format_html("[{}]", ctx.children))
    node = {"type": "heading", "level": 3, "children": [span("h")]}
    assert html(p(span("p")), node, custom_node_rules=[rule]) == "[p][h]"


def test_custom_mark_rules() -> None:
    def bold(ctx: MarkContext) -> str:
        return format_html("<b>{}</b>", ctx.children)

    def spoiler(ctx: MarkContext) -> str:
        return format_html('<span class="spoiler">{}</span>', ctx.children)

    rules = [mark_rule("strong", bold), mark_rule(lambda m: m == "spoiler", spoiler)]
    assert html(p(span("x<", "strong", "spoiler", "emphasis")), custom_mark_rules=rules) == (
        '<p><em><span class="spoiler"><b>x&lt;</b></span></em></p>'
    )


def test_meta_transformer_output_is_allow_listed() -> None:
    def transformer(node: dict[str, Any], meta: list[Any]) -> dict[str, object]:
        found = {entry["id"]: entry["value"] for entry in meta}
        return {**found, "class": "external", "download": True, "hidden": None}

    link = {
        "type": "link",
        "url": "/x",
        "meta": [{"id": "data-track", "value": "1"}, {"id": "onmouseover", "value": "x()"}],
        "children": [span("x")],
    }
    assert html(p(link), meta_transformer=transformer) == (
        '<p><a data-track="1" class="external" download href="/x">x</a></p>'
    )


def test_meta_transformer_disallowed_attribute_raises_under_debug() -> None:
    link = {"type": "link", "url": "/x", "meta": [{"id": "style", "value": "x"}], "children": []}
    with override_settings(DEBUG=True), pytest.raises(StructuredTextRenderError) as caught:
        render_html(doc(p(link)), meta_transformer=lambda node, meta: {"style": "color:red"})
    assert "the meta transformer returned the attribute 'style'" in str(caught.value)
    assert caught.value.path == "$.document.children[0].children[0]"


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"custom_node_rules": [lambda ctx: ""]}, "made with node_rule(guard, render)"),
        ({"custom_mark_rules": ["strong"]}, "made with mark_rule(guard, render)"),
        ({"meta_transformer": "x"}, "meta_transformer must be callable or None"),
        ({"render_block": 1}, "render_block must be callable or None"),
        ({"renderers": {"ImageBlockRecord": "x"}}, "renderers maps GraphQL type names"),
        ({"template_dir": ""}, "template_dir must be a template folder"),
        ({"context": [1]}, "context must be a template Context or a dict"),
    ],
)
def test_wrong_options(options: dict[str, Any], message: str) -> None:
    with pytest.raises(InvalidArgument, match="render_html") as caught:
        render_html(doc(p(span("x"))), **options)
    assert message in str(caught.value)


def test_rule_helpers_validate_their_arguments() -> None:
    with pytest.raises(InvalidArgument, match="node_rule\\('heading', render\\)"):
        node_rule(3, lambda ctx: "")  # type: ignore[arg-type]
    with pytest.raises(InvalidArgument, match="render must be callable"):
        mark_rule("strong", "x")  # type: ignore[arg-type]


# -- surprises -------------------------------------------------------------------------------


def test_unknown_node_type_debug_error_names_node_and_path() -> None:
    with override_settings(DEBUG=True), pytest.raises(StructuredTextRenderError) as caught:
        render_html(doc(p(span("a")), {"type": "callout", "children": [p(span("x"))]}))
    assert str(caught.value) == (
        "Unknown node type 'callout': render it with custom_node_rules=[node_rule('callout', "
        "...)] (at $.document.children[1])"
    )
    assert caught.value.path == "$.document.children[1]"
    assert caught.value.node == {"type": "callout", "children": [p(span("x"))]}


def test_unknown_node_type_in_production_logs_and_renders_children(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level("WARNING", logger="datocms_app.structured_text"):
        result = render_html(doc({"type": "callout", "children": [p(span("x"))]}, {"type": "x"}))
    assert result == "<p>x</p>"
    assert [record.getMessage() for record in caplog.records] == [
        "Unknown node type 'callout': render it with custom_node_rules=[node_rule('callout', "
        "...)] (at $.document.children[0]) (rendered its text; set DEBUG=True to raise "
        "instead)",
        "Unknown node type 'x': render it with custom_node_rules=[node_rule('x', ...)] "
        "(at $.document.children[1]) (rendered nothing; set DEBUG=True to raise instead)",
    ]


def test_unknown_mark(caplog: pytest.LogCaptureFixture) -> None:
    value = doc(p(span("x", "spoiler", "strong")))
    with override_settings(DEBUG=True), pytest.raises(StructuredTextRenderError) as caught:
        render_html(value)
    assert "No rule for the mark 'spoiler'" in str(caught.value)
    assert caught.value.path == "$.document.children[0].children[0]"
    with caplog.at_level("WARNING", logger="datocms_app.structured_text"):
        assert render_html(value) == "<p><strong>x</strong></p>"
    assert "(rendered its text; set DEBUG=True" in caplog.records[0].getMessage()


def test_invalid_heading_level_never_becomes_a_tag(caplog: pytest.LogCaptureFixture) -> None:
    node = {"type": "heading", "level": "1 onclick=alert(1)", "children": [span("t")]}
    with caplog.at_level("WARNING", logger="datocms_app.structured_text"):
        assert html(node, {"type": "heading", "level": 7, "children": [span("u")]}) == "tu"
    assert len(caplog.records) == 2


def test_malformed_nodes_fall_back(caplog: pytest.LogCaptureFixture) -> None:
    value = doc(p(span("a"), "text", {"type": "span", "value": 3}), {"type": "paragraph"})
    with caplog.at_level("WARNING", logger="datocms_app.structured_text"):
        assert render_html(value) == "<p>a</p><p></p>"
    messages = [record.getMessage() for record in caplog.records]
    assert messages[0].startswith(
        "a dast node must be a JSON object, got str (at $.document.children[0].children[1])"
    )
    assert messages[1].startswith("span value must be a string, got int (at ")


def test_deeply_nested_document_does_not_crash(caplog: pytest.LogCaptureFixture) -> None:
    node = nested_lists(p(span("deep")), 3000)
    with caplog.at_level("WARNING", logger="datocms_app.structured_text"):
        assert render_html(doc(node)) == ""
    assert "nested too deeply" in caplog.records[0].getMessage()
