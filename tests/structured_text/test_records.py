"""Blocks, inline blocks, inline records and record links: templates, callables, URLs."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.template import Context, engines
from django.test import override_settings
from django.utils.html import format_html

from datocms_app.exceptions import ConfigurationError, StructuredTextRenderError
from datocms_app.structured_text import (
    RecordContext,
    RecordRenderer,
    RecordURLResolver,
    SkipRecord,
    record_template_names,
    render_html,
)
from datocms_app.structured_text.records import find_record_template, template_stem
from tests.structured_text.helpers import doc, field, locmem_templates, p, span

TEMPLATES = {
    "datocms/structured_text/blocks/image_block.html": (
        '<figure data-id="{{ record.id }}">{{ record.caption }}{{ site_name }}</figure>\n'
    ),
    "datocms/structured_text/inline_blocks/mention_block.html": (
        '<span class="mention">{{ record.label }}</span>'
    ),
    "datocms/structured_text/inline_records/article.html": (
        '<a href="{{ url }}">{{ record.title }}</a>'
    ),
    "datocms/structured_text/record_links/author.html": (
        '<a class="author" href="{{ url }}"{{ attrs }}>{{ children }}</a>'
    ),
    "amp/structured_text/blocks/image_block.html": "<amp-img>{{ record.caption }}</amp-img>",
}


@pytest.fixture(autouse=True)
def templates() -> Iterator[None]:
    with override_settings(TEMPLATES=locmem_templates(TEMPLATES)):
        yield


def record_url(record: Any) -> str | None:
    slug = record.get("slug")
    return f"/{record['__typename'].lower()}/{slug}/" if slug else None


class ResolverClass(RecordURLResolver):
    def resolve(self, record: Any) -> str | None:
        return f"/by-class/{record['id']}/"


def resolve_to_number(record: Any) -> object:
    return 3


def resolve_to_script(record: Any) -> str:
    return "javascript:alert(1)"


BLOCKS = [
    {"id": "b1", "__typename": "ImageBlockRecord", "caption": "Boats & <sea>"},
    {"id": "b2", "__typename": "GalleryBlockRecord", "images": []},
]
LINKS = [
    {"id": "a1", "__typename": "ArticleRecord", "title": "Alps", "slug": "alps"},
    {"id": "u1", "__typename": "AuthorRecord", "name": "Ada", "slug": "ada"},
    {"id": "c1", "__typename": "CategoryRecord", "name": "Travel", "slug": "travel"},
    {"id": "n1", "__typename": "CategoryRecord", "label": "No slug"},
]
INLINE_BLOCKS = [{"id": "m1", "__typename": "MentionBlockRecord", "label": "@ada"}]


def value(*children: dict[str, Any]) -> dict[str, Any]:
    return field(doc(*children), blocks=BLOCKS, links=LINKS, inline_blocks=INLINE_BLOCKS)


def block(item: str) -> dict[str, Any]:
    return {"type": "block", "item": item}


def item_link(item: str, *children: dict[str, Any], meta: Any = None) -> dict[str, Any]:
    node: dict[str, Any] = {"type": "itemLink", "item": item, "children": list(children)}
    if meta is not None:
        node["meta"] = meta
    return node


# -- naming ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typename", "stem"),
    [
        ("ImageBlockRecord", "image_block"),
        ("CtaBlockRecord", "cta_block"),
        ("ArticleRecord", "article"),
        ("SEOBlockRecord", "seo_block"),
        ("Block2colRecord", "block2col"),
        ("Record", "record"),
        ("../../etc/passwd", None),
        ("Image Block", None),
    ],
)
def test_template_stem(typename: str, stem: str | None) -> None:
    assert template_stem(typename) == stem


def test_template_names_per_kind() -> None:
    assert record_template_names("block", "ImageBlockRecord", "datocms/structured_text") == (
        "datocms/structured_text/blocks/image_block.html",
    )
    assert record_template_names("itemLink", "ArticleRecord", "amp/st") == (
        "amp/st/record_links/article.html",
        "datocms/structured_text/record_links/article.html",
        "amp/st/record_links/default.html",
        "datocms/structured_text/record_links/default.html",
    )
    assert record_template_names("inlineItem", None, "datocms/structured_text") == (
        "datocms/structured_text/inline_records/default.html",
    )
    assert record_template_names("inlineBlock", "MentionBlockRecord", "x") == (
        "x/inline_blocks/mention_block.html",
        "datocms/structured_text/inline_blocks/mention_block.html",
    )


# -- templates -------------------------------------------------------------------------------


def test_block_renders_through_its_template_with_the_surrounding_context() -> None:
    result = render_html(value(block("b1")), context={"site_name": "!"})
    assert result == '<figure data-id="b1">Boats &amp; &lt;sea&gt;!</figure>'


def test_template_dir_overrides_then_falls_back() -> None:
    result = render_html(value(block("b1"), p({"type": "inlineBlock", "item": "m1"})),
                         template_dir="amp/structured_text")  # fmt: skip
    assert result == (
        '<amp-img>Boats &amp; &lt;sea&gt;</amp-img><p><span class="mention">@ada</span></p>'
    )


def test_inline_record_with_url_resolver() -> None:
    with override_settings(DATOCMS={"RECORD_URL_RESOLVER": f"{__name__}.record_url"}):
        result = render_html(value(p(span("Read "), {"type": "inlineItem", "item": "a1"})))
    assert result == '<p>Read <a href="/articlerecord/alps/">Alps</a></p>'


def test_record_link_template_gets_children_url_and_meta_attrs() -> None:
    meta = [{"id": "target", "value": "_blank"}, {"id": "onclick", "value": "x"}]
    link = item_link("u1", span("Ada", "strong"), meta=meta)
    with override_settings(DATOCMS={"RECORD_URL_RESOLVER": f"{__name__}.record_url"}):
        result = render_html(value(p(link)))
    assert result == (
        '<p><a class="author" href="/authorrecord/ada/" target="_blank">'
        "<strong>Ada</strong></a></p>"
    )


def test_default_templates_for_record_links_and_inline_records() -> None:
    nodes = p(
        item_link("c1", span("travel")),
        span(" "),
        {"type": "inlineItem", "item": "c1"},
        span(" "),
        {"type": "inlineItem", "item": "n1"},
        span(" "),
        item_link("n1", span("no page")),
    )
    with override_settings(DATOCMS={"RECORD_URL_RESOLVER": f"{__name__}.record_url"}):
        result = render_html(value(nodes))
    assert result == (
        '<p><a href="/categoryrecord/travel/">travel</a> '
        '<a href="/categoryrecord/travel/">Travel</a> No slug no page</p>'
    )


def test_without_a_resolver_record_links_render_their_text() -> None:
    assert render_html(value(p(item_link("a1", span("Alps"))))) == "<p>Alps</p>"


def test_resolver_class_is_instantiated() -> None:
    with override_settings(DATOCMS={"RECORD_URL_RESOLVER": f"{__name__}.ResolverClass"}):
        result = render_html(value(p(item_link("a1", span("x")))))
    assert result == '<p><a href="/by-class/a1/">x</a></p>'


def test_resolver_wrong_answers(caplog: pytest.LogCaptureFixture) -> None:
    nodes = p(item_link("a1", span("x")))
    with caplog.at_level("WARNING", logger="datocms_app.structured_text"):
        with override_settings(DATOCMS={"RECORD_URL_RESOLVER": f"{__name__}.resolve_to_script"}):
            assert render_html(value(nodes)) == "<p>x</p>"
        with override_settings(DATOCMS={"RECORD_URL_RESOLVER": f"{__name__}.resolve_to_number"}):
            assert render_html(value(nodes)) == "<p>x</p>"
    messages = [record.getMessage() for record in caplog.records]
    assert messages[0].startswith("Refused the record URL 'javascript:alert(1)'")
    assert messages[1].startswith("RECORD_URL_RESOLVER returned int, not str or None")


def test_unimportable_resolver_is_a_configuration_error() -> None:
    with override_settings(DATOCMS={"RECORD_URL_RESOLVER": "nowhere.resolver"}):
        with pytest.raises(ConfigurationError, match=r"'nowhere\.resolver', which cannot be"):
            render_html(value(p(item_link("a1", span("x")))))


def test_record_template_renders_inside_the_page_context() -> None:
    page = engines["django"].from_string(
        "{% load datocms %}{% with site_name='?' %}{% datocms_structured_text content %}"
        "{% endwith %}"
    )
    assert page.render({"content": value(block("b1"))}) == (
        '<figure data-id="b1">Boats &amp; &lt;sea&gt;?</figure>'
    )


def test_template_lookups_are_cached_per_typename() -> None:
    first = find_record_template("block", "ImageBlockRecord", "datocms/structured_text")
    assert first[1] is not None
    assert find_record_template("block", "ImageBlockRecord", "datocms/structured_text") is first


def test_template_cache_is_cleared_when_templates_change() -> None:
    assert render_html(value(block("b1"))).startswith("<figure")
    changed = {"datocms/structured_text/blocks/image_block.html": "<img>{{ record.id }}"}
    with override_settings(TEMPLATES=locmem_templates(changed)):
        assert render_html(value(block("b1"))) == "<img>b1"
    assert render_html(value(block("b1"))).startswith("<figure")


def test_template_cache_is_cleared_when_runserver_sees_a_file_change() -> None:
    from pathlib import Path

    from django.utils.autoreload import file_changed

    find_record_template("block", "ImageBlockRecord", "datocms/structured_text")
    from datocms_app.structured_text import records

    assert records._template_cache
    file_changed.send(sender=None, file_path=Path("templates/x.html"))
    assert not records._template_cache


# -- callables -------------------------------------------------------------------------------


def test_callables_per_typename_and_per_kind() -> None:
    def image(ctx: RecordContext) -> str:
        return format_html("<img alt='{}'>", ctx.record["caption"])

    def any_block(ctx: RecordContext) -> str:
        return format_html("<div>{}</div>", ctx.typename)

    def link(ctx: RecordContext) -> str:
        return format_html('<a href="#{}">{}</a>', ctx.record["id"], ctx.children)

    result = render_html(
        value(block("b1"), block("b2"), p(item_link("a1", span("x")))),
        renderers={"ImageBlockRecord": image},
        render_block=any_block,
        render_link_to_record=link,
    )
    assert result == (
        "<img alt='Boats &amp; &lt;sea&gt;'><div>GalleryBlockRecord</div>"
        '<p><a href="#a1">x</a></p>'
    )


def test_callable_plain_string_is_escaped() -> None:
    result = render_html(value(block("b1")), render_block=lambda ctx: "<script>")
    assert result == "&lt;script&gt;"


class GalleryRenderer(RecordRenderer):
    def render(self, context: RecordContext) -> str:
        return format_html("<ul data-n='{}'></ul>", len(context.record["images"]))


def test_renderers_from_settings() -> None:
    renderers = {
        "GalleryBlockRecord": f"{__name__}.GalleryRenderer",
        "ImageBlockRecord": "datocms_app.structured_text.SkipRecord",
    }
    with override_settings(DATOCMS={"STRUCTURED_TEXT_RENDERERS": renderers}):
        assert render_html(value(block("b1"), block("b2"))) == "<ul data-n='0'></ul>"


def test_base_classes_must_be_subclassed() -> None:
    ctx = RecordContext(kind="block", record={}, node=block("x"))
    with pytest.raises(NotImplementedError):
        RecordRenderer()(ctx)
    with pytest.raises(NotImplementedError):
        RecordURLResolver()({})
    assert SkipRecord()(ctx) is None


# -- surprises -------------------------------------------------------------------------------


def test_missing_template_debug_error_names_node_id_and_templates() -> None:
    with override_settings(DEBUG=True), pytest.raises(StructuredTextRenderError) as caught:
        render_html(value(p(span("x")), block("b2")))
    error = caught.value
    assert str(error) == (
        "no template or renderer for GalleryBlockRecord (record 'b2' in a \"block\" node): "
        'create one of the templates tried, or pass renderers={"GalleryBlockRecord": ...} '
        "(at $.value.document.children[1]); templates tried: "
        "datocms/structured_text/blocks/gallery_block.html"
    )
    assert error.templates_tried == ("datocms/structured_text/blocks/gallery_block.html",)
    assert error.node == block("b2")


def test_missing_template_in_production_renders_nothing(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level("WARNING", logger="datocms_app.structured_text"):
        assert render_html(value(block("b2"), p(span("after")))) == "<p>after</p>"
    assert (
        caplog.records[0]
        .getMessage()
        .endswith(" (rendered nothing; set DEBUG=True to raise instead)")
    )


def test_id_absent_from_blocks() -> None:
    with override_settings(DEBUG=True), pytest.raises(StructuredTextRenderError) as caught:
        render_html(value(block("zz")))
    assert str(caught.value) == (
        "\"block\" node points at record 'zz', which is not in .blocks (ids present: b1, b2); "
        "select it in your GraphQL query's blocks { __typename id ... } "
        "(at $.value.document.children[0])"
    )


def test_id_absent_from_links_keeps_the_link_text(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level("WARNING", logger="datocms_app.structured_text"):
        assert render_html(value(p(item_link("gone", span("still here"))))) == ("<p>still here</p>")
    assert "which is not in .links" in caplog.records[0].getMessage()
    assert "(rendered its text; set DEBUG=True" in caplog.records[0].getMessage()


def test_passing_value_instead_of_the_field_explains_the_mistake() -> None:
    with override_settings(DEBUG=True), pytest.raises(StructuredTextRenderError) as caught:
        render_html(doc(block("b1")))
    assert "no .blocks came with the document: pass the whole structured text field value" in (
        str(caught.value)
    )
    assert "not its .value" in str(caught.value)


def test_record_without_typename() -> None:
    with override_settings(DEBUG=True), pytest.raises(StructuredTextRenderError) as caught:
        render_html(field(doc(block("b")), blocks=[{"id": "b"}]))
    assert "has no __typename" in str(caught.value)
    assert "add __typename to the blocks selection" in str(caught.value)


def test_inline_records_without_typename_use_the_default_template() -> None:
    result = render_html(field(doc(p({"type": "inlineItem", "item": "x"})),
                               links=[{"id": "x", "title": "T"}]))  # fmt: skip
    assert result == "<p>T</p>"


def test_context_object_passed_to_render_html_is_used() -> None:
    context = Context({"site_name": " (ctx)"})
    assert render_html(value(block("b1")), context=context) == (
        '<figure data-id="b1">Boats &amp; &lt;sea&gt; (ctx)</figure>'
    )
