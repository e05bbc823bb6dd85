"""The demo project's block and record templates (templates/datocms/structured_text/)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import override_settings

from datocms_app.structured_text import render_html
from project.records import record_url
from tests.demo_content import demo_datocms
from tests.structured_text.helpers import doc, field, p, span

RESOLVER = demo_datocms(RECORD_URL_RESOLVER="project.records.record_url")


def one_block(record: dict[str, Any]) -> str:
    value = field(doc({"type": "block", "item": record["id"]}), blocks=[record])
    with override_settings(DEBUG=True):
        return str(render_html(value))


def test_image_block_without_responsive_image() -> None:
    record = {
        "id": "i1",
        "__typename": "ImageBlockRecord",
        "image": {"url": "/u/alps.jpg", "width": 1800, "height": 1200, "alt": "Alps <snow>"},
        "caption": "Snow & ice",
    }
    assert one_block(record) == (
        '<figure class="block block--image">\n'
        '  <img src="/u/alps.jpg" width="1800" height="1200" alt="Alps &lt;snow&gt;" '
        'loading="lazy" decoding="async">\n'
        "  <figcaption>Snow &amp; ice</figcaption>\n"
        "</figure>"
    )


def test_image_block_uses_the_image_tag() -> None:
    image = {"src": "/img/a.jpg?w=800", "width": 800, "height": 600, "alt": "Alps"}
    html = one_block({"id": "i", "__typename": "ImageBlockRecord",
                      "image": {"responsiveImage": image}})  # fmt: skip
    assert html.startswith('<figure class="block block--image">\n  <picture>')
    assert '<img src="/img/a.jpg?w=800" alt="Alps" width="800" height="600"' in html


def test_gallery_block() -> None:
    record = {
        "id": "g1",
        "__typename": "GalleryBlockRecord",
        "images": [
            {"url": "/u/g1.jpg", "width": 1200, "height": 800, "alt": "One"},
            {"url": "/u/g2.jpg", "width": 1200, "height": 800, "alt": None},
        ],
        "caption": "",
    }
    assert one_block(record) == (
        '<figure class="block block--gallery">\n  <ul class="gallery">\n'
        '    <li><img src="/u/g1.jpg" width="1200" height="800" alt="One" loading="lazy" '
        'decoding="async"></li>\n'
        '    <li><img src="/u/g2.jpg" width="1200" height="800" alt="" loading="lazy" '
        'decoding="async"></li>\n    \n  </ul>\n  \n</figure>'
    )


def test_quote_block() -> None:
    record = {"id": "q", "__typename": "QuoteBlockRecord", "quote": "One\ntwo <3",
              "attribution": "Ada"}  # fmt: skip
    assert one_block(record) == (
        '<figure class="block block--quote">\n'
        "  <blockquote><p>One<br>two &lt;3</p></blockquote>\n"
        "  <figcaption>— Ada</figcaption>\n</figure>"
    )


@pytest.mark.parametrize(
    ("style", "url", "expected"),
    [
        ("primary", "/subscribe/",
         '<a class="button button--primary" href="/subscribe/">Join &amp; read</a>'),
        ("secondary", "https://x.example/?a=1&b=2",
         '<a class="button button--secondary" href="https://x.example/?a=1&amp;b=2">'
         "Join &amp; read</a>"),
        ('" onclick="x', "/s/", '<a class="button button--primary" href="/s/">Join &amp; read</a>'),
        ("primary", "javascript:alert(1)", "Join &amp; read"),
    ],
)  # fmt: skip
def test_cta_block(style: str, url: str, expected: str) -> None:
    record = {"id": "c", "__typename": "CtaBlockRecord", "label": "Join & read", "url": url,
              "style": style}  # fmt: skip
    assert one_block(record) == f'<p class="block block--cta">{expected}</p>'


def test_code_block() -> None:
    record = {"id": "k", "__typename": "CodeBlockRecord", "code": 'print("<hi>")',
              "language": "python", "filename": "hi.py"}  # fmt: skip
    assert one_block(record) == (
        '<figure class="block block--code">\n'
        "  <figcaption><code>hi.py</code></figcaption>\n"
        '  <pre data-language="python"><code>print(&quot;&lt;hi&gt;&quot;)</code></pre>\n'
        "</figure>"
    )


def test_inline_records_record_links_and_mentions() -> None:
    value = field(
        doc(
            p(
                span("See "),
                {"type": "itemLink", "item": "a1", "children": [span("the alps")]},
                span(", "),
                {"type": "inlineItem", "item": "u1"},
                span(", "),
                {"type": "inlineItem", "item": "t1"},
                span(", "),
                {"type": "itemLink", "item": "u1", "children": [span("her")],
                 "meta": [{"id": "target", "value": "_blank"}]},
                span(", "),
                {"type": "itemLink", "item": "t1", "children": [span("travel")]},
                span(", "),
                {"type": "inlineItem", "item": "a1"},
                span(" "),
                {"type": "inlineBlock", "item": "m1"},
                {"type": "inlineBlock", "item": "m2"},
            )
        ),
        links=[
            {"id": "a1", "__typename": "ArticleRecord", "title": "Alps", "slug": "alps"},
            {"id": "u1", "__typename": "AuthorRecord", "name": "Ada", "slug": "ada"},
            {"id": "t1", "__typename": "CategoryRecord", "name": "Travel", "slug": "travel"},
        ],
        inline_blocks=[
            {"id": "m1", "__typename": "MentionBlockRecord", "label": "@ada",
             "url": "https://example.com/ada"},
            {"id": "m2", "__typename": "MentionBlockRecord", "label": "@x", "url": "vbscript:x"},
        ],
    )  # fmt: skip
    with override_settings(DATOCMS=RESOLVER, DEBUG=True):
        html = render_html(value)
    assert html == (
        '<p>See <a class="record-link record-link--article" href="/articles/alps/">the alps</a>, '
        '<a class="inline-record inline-record--author" href="/authors/ada/" rel="author">Ada</a>'
        ', <a class="inline-record inline-record--category tag" href="/categories/travel/">'
        "Travel</a>, "
        '<a class="record-link record-link--author" href="/authors/ada/" rel="author" '
        'target="_blank">her</a>, '
        '<a class="record-link record-link--category" href="/categories/travel/">travel</a>, '
        '<a class="inline-record inline-record--article" href="/articles/alps/">Alps</a> '
        '<a class="mention" href="https://example.com/ada">@ada</a>'
        '<span class="mention">@x</span></p>'
    )


def test_without_urls_records_render_as_text() -> None:
    value = field(
        doc(p({"type": "itemLink", "item": "a1", "children": [span("alps")]},
              {"type": "inlineItem", "item": "a1"})),
        links=[{"id": "a1", "__typename": "ArticleRecord", "title": "Alps"}],
    )  # fmt: skip
    with override_settings(DATOCMS=RESOLVER, DEBUG=True):
        assert render_html(value) == "<p>alps<cite>Alps</cite></p>"


@pytest.mark.parametrize(
    ("record", "url"),
    [
        ({"__typename": "ArticleRecord", "slug": "alps"}, "/articles/alps/"),
        ({"__typename": "AuthorRecord", "slug": "ada"}, "/authors/ada/"),
        ({"__typename": "CategoryRecord", "slug": "travel"}, "/categories/travel/"),
        ({"__typename": "ArticleRecord", "slug": "not a slug!"}, None),
        ({"__typename": "ArticleRecord"}, None),
        ({"__typename": "HomeRecord"}, "/"),
        ({"__typename": "GalleryBlockRecord", "slug": "home"}, None),
        ({"slug": "alps"}, None),
        ("ArticleRecord", None),
    ],
)
def test_demo_record_url(record: Any, url: str | None) -> None:
    assert record_url(record) == url


@pytest.mark.parametrize(
    ("locale", "url"),
    [("it", "/it/articoli/alpi/"), ("en", "/articles/alpi/"), (None, "/articles/alpi/")],
)
def test_demo_record_url_in_a_locale(locale: str | None, url: str) -> None:
    """The preview links ask for the editor's locale (datocms_app.preview.links)."""
    assert record_url({"__typename": "ArticleRecord", "slug": "alpi"}, locale=locale) == url


def test_author_link_keeps_a_rel_from_meta() -> None:
    value = field(
        doc(p({"type": "itemLink", "item": "u1", "children": [span("me")],
               "meta": [{"id": "rel", "value": "me"}]})),
        links=[{"id": "u1", "__typename": "AuthorRecord", "name": "Ada", "slug": "ada"}],
    )  # fmt: skip
    with override_settings(DATOCMS=RESOLVER, DEBUG=True):
        assert render_html(value) == (
            '<p><a class="record-link record-link--author" href="/authors/ada/" rel="me">me</a></p>'
        )
