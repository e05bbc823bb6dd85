from __future__ import annotations

from typing import Any

import pytest
from django.template import TemplateSyntaxError, engines
from django.test import override_settings
from django.utils.html import format_html

from datocms_app.exceptions import InvalidStructuredText
from datocms_app.structured_text import RecordContext, mark_rule, node_rule
from tests.structured_text.helpers import doc, field, locmem_templates, p, span

CONTENT = field(
    doc(
        {"type": "heading", "level": 2, "children": [span("Hello & welcome")]},
        p(span("A "), span("bold", "strong"), span(" move.")),
        {"type": "block", "item": "b1"},
    ),
    blocks=[{"id": "b1", "__typename": "CtaBlockRecord", "label": "Go", "url": "/go/"}],
    links=[],
)


def render(source: str, **context: Any) -> str:
    return engines["django"].from_string("{% load datocms %}" + source).render(context)


def cta(ctx: RecordContext) -> str:
    return format_html('<a href="{}">{}</a>', ctx.record["url"], ctx.record["label"])


def test_tag_renders_html() -> None:
    assert render("{% datocms_structured_text content renderers=r %}", content=CONTENT,
                  r={"CtaBlockRecord": cta}) == (
        '<h2>Hello &amp; welcome</h2><p>A <strong>bold</strong> move.</p><a href="/go/">Go</a>'
    )  # fmt: skip


def test_tag_as_variable() -> None:
    source = "{% datocms_structured_text content render_block=f as body %}[{{ body }}]"
    assert render(source, content=CONTENT, f=cta) == (
        '[<h2>Hello &amp; welcome</h2><p>A <strong>bold</strong> move.</p><a href="/go/">Go</a>]'
    )


def test_tag_keyword_overrides() -> None:
    source = (
        "{% datocms_structured_text content custom_node_rules=nodes custom_mark_rules=marks "
        "render_block=f %}"
    )
    nodes = [node_rule("heading", lambda ctx: format_html("<h3>{}</h3>", ctx.children))]
    marks = [mark_rule("strong", lambda ctx: format_html("<b>{}</b>", ctx.children))]
    assert render(source, content=CONTENT, nodes=nodes, marks=marks, f=cta) == (
        '<h3>Hello &amp; welcome</h3><p>A <b>bold</b> move.</p><a href="/go/">Go</a>'
    )


def test_tag_template_dir_option() -> None:
    templates = [{
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "OPTIONS": {"loaders": [("django.template.loaders.locmem.Loader", {
            "email/blocks/cta_block.html": "[{{ record.label }} {{ greeting }}]",
        })]},
    }]  # fmt: skip
    with override_settings(TEMPLATES=templates):
        source = "{% load datocms %}{% datocms_structured_text content template_dir='email' %}"
        html = engines["django"].from_string(source).render({"content": CONTENT, "greeting": "hi"})
    assert html.endswith("</p>[Go hi]")


def test_missing_variable_renders_nothing() -> None:
    assert render("[{% datocms_structured_text nothing %}]") == "[]"
    assert render("[{{ nothing|datocms_plain_text }}]") == "[]"
    assert render("[{% datocms_structured_text none %}]", none=None) == "[]"


def test_wrong_value_logs_in_production_and_raises_under_debug(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level("WARNING", logger="datocms_app.structured_text"):
        assert render("[{% datocms_structured_text x %}]", x=[1]) == "[]"
    assert "render_html() expects" in caplog.records[0].getMessage()
    with override_settings(DEBUG=True), pytest.raises(InvalidStructuredText):
        render("{% datocms_structured_text x %}", x=[1])


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("{% datocms_structured_text %}", "'datocms_structured_text' needs a value."),
        ("{% datocms_structured_text a=b %}", "got the option 'a=b' before its value."),
        ("{% datocms_structured_text x foo=1 %}", "has no option 'foo'; its options are custom_"),
        ("{% datocms_structured_text x y %}", "got 'y' where an option (name=value) was expected"),
        (
            "{% datocms_structured_text x render_block=a render_block=b %}",
            "option 'render_block' twice",
        ),
    ],
)
def test_syntax_errors_show_the_correct_form(source: str, message: str) -> None:
    with pytest.raises(TemplateSyntaxError) as caught:
        render(source)
    assert message in str(caught.value)
    assert "Usage: {% datocms_structured_text page.content [template_dir='...']" in str(
        caught.value
    )


def test_plain_text_filter_is_escaped_like_any_text() -> None:
    value = doc(p(span("<b>Hi</b> & bye")))
    assert render("{{ v|datocms_plain_text }}", v=value) == "&lt;b&gt;Hi&lt;/b&gt; &amp; bye"


def test_excerpt_filter() -> None:
    assert render("{{ v|datocms_excerpt:3 }}", v=CONTENT) == "Hello &amp; welcome…"
    assert render("{{ v|datocms_excerpt }}", v=CONTENT) == "Hello &amp; welcome A bold move."
    assert render("[{{ v|datocms_excerpt:'x' }}]", v=CONTENT) == "[]"


def test_safe_url_filter() -> None:
    source = '<a href="{{ u|datocms_safe_url }}">'
    assert render(source, u="javascript:alert(1)") == '<a href="">'
    assert render(source, u="/ok/?a=1&b=2") == '<a href="/ok/?a=1&amp;b=2">'
    assert render(source, u=None) == '<a href="">'


def test_callable_options_are_passed_not_called() -> None:
    class Renderers:
        block = staticmethod(cta)

    source = "{% datocms_structured_text content render_block=r.block meta_transformer=r.gone %}"
    assert render(source, content=CONTENT, r=Renderers()).endswith('<a href="/go/">Go</a>')
    # An option that resolves to nothing is no option: the block renders through its template.
    cta_template = {
        "datocms/structured_text/blocks/cta_block.html": '<p class="cta">{{ record.label }}</p>'
    }
    source = "{% datocms_structured_text content render_block=missing.block %}"
    with override_settings(TEMPLATES=locmem_templates(cta_template)):
        assert render(source, content=CONTENT).endswith('<p class="cta">Go</p>')
