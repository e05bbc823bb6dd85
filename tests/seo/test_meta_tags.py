"""render_meta_tags, merge_meta_tags, seo_dict and the datocms_meta_tags/seo_dict tags."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from django.template import Context, Template, TemplateSyntaxError
from django.test import override_settings
from django.utils.safestring import SafeString

from datocms_app.exceptions import InvalidMetaTags
from datocms_app.seo import MetaTag, merge_meta_tags, render_meta_tags, seo_dict

SEO: list[dict[str, Any]] = [
    {"tag": "title", "attributes": None, "content": "Alps | Harbour"},
    {"tag": "meta", "attributes": {"property": "og:title", "content": "Alps"}, "content": None},
    {"tag": "meta", "attributes": {"name": "twitter:card", "content": "summary"}},
    {"tag": "meta", "attributes": {"name": "description", "content": "Snow & light"}},
    {"tag": "meta", "attributes": {"property": "og:image", "content": "/a.jpg?w=1&h=2"}},
    {"tag": "meta", "attributes": {"property": "og:image:width", "content": "1200"}},
    {"tag": "meta", "attributes": {"property": "article:modified_time", "content": "2024"}},
]
FAVICON: list[dict[str, Any]] = [
    {
        "tag": "link",
        "attributes": {"sizes": "32x32", "type": "image/png", "rel": "icon", "href": "/f32.png"},
    },
    {
        "tag": "link",
        "attributes": {"sizes": "180x180", "rel": "apple-touch-icon", "href": "/a.png"},
    },
    {"tag": "meta", "attributes": {"name": "theme-color", "content": "#0b3d5c"}},
]


def test_renders_every_tag_in_order() -> None:
    html = render_meta_tags(SEO, FAVICON)

    assert isinstance(html, SafeString)
    assert html == (
        "<title>Alps | Harbour</title>\n"
        '<meta property="og:title" content="Alps">\n'
        '<meta name="twitter:card" content="summary">\n'
        '<meta name="description" content="Snow &amp; light">\n'
        '<meta property="og:image" content="/a.jpg?w=1&amp;h=2">\n'
        '<meta property="og:image:width" content="1200">\n'
        '<meta property="article:modified_time" content="2024">\n'
        '<link sizes="32x32" type="image/png" rel="icon" href="/f32.png">\n'
        '<link sizes="180x180" rel="apple-touch-icon" href="/a.png">\n'
        '<meta name="theme-color" content="#0b3d5c">'
    )


def test_later_lists_override_earlier_ones() -> None:
    defaults = [
        {"tag": "title", "content": "Harbour"},
        {"tag": "meta", "attributes": {"name": "description", "content": "A magazine"}},
        {"tag": "meta", "attributes": {"name": "robots", "content": "index"}},
        {"tag": "link", "attributes": {"rel": "icon", "sizes": "32x32", "href": "/old.png"}},
        {"tag": "link", "attributes": {"rel": "icon", "sizes": "16x16", "href": "/16.png"}},
    ]
    page = [
        {"tag": "title", "content": "Alps"},
        {"tag": "meta", "attributes": {"name": "description", "content": "Snow"}},
        {"tag": "link", "attributes": {"rel": "icon", "sizes": "32x32", "href": "/new.png"}},
    ]

    html = render_meta_tags(defaults, page)

    assert html == (
        '<meta name="robots" content="index">\n'
        '<link rel="icon" sizes="16x16" href="/16.png">\n'
        "<title>Alps</title>\n"
        '<meta name="description" content="Snow">\n'
        '<link rel="icon" sizes="32x32" href="/new.png">'
    )


def test_duplicates_within_one_list_are_kept() -> None:
    images = [
        {"tag": "meta", "attributes": {"property": "og:image", "content": "/1.jpg"}},
        {"tag": "meta", "attributes": {"property": "og:image", "content": "/2.jpg"}},
    ]

    assert render_meta_tags(images).count("og:image") == 2
    assert render_meta_tags(images, images[:1]).count("og:image") == 1


def test_property_and_name_are_different_keys() -> None:
    tags = merge_meta_tags(
        [{"tag": "meta", "attributes": {"property": "description", "content": "a"}}],
        [{"tag": "meta", "attributes": {"name": "description", "content": "b"}}],
    )

    assert [tag.attributes for tag in tags] == [
        {"property": "description", "content": "a"},
        {"name": "description", "content": "b"},
    ]


def test_alternate_links_stay_apart() -> None:
    alternates = [
        {"tag": "link", "attributes": {"rel": "alternate", "hreflang": "en", "href": "/en/"}},
        {"tag": "link", "attributes": {"rel": "alternate", "hreflang": "it", "href": "/it/"}},
    ]

    assert render_meta_tags(alternates[:1], alternates[1:]).count("alternate") == 2


def test_missing_lists_and_empty_values() -> None:
    assert render_meta_tags() == ""
    assert render_meta_tags(None, "", []) == ""
    assert render_meta_tags([{"tag": "title", "content": None}]) == "<title></title>"
    assert render_meta_tags([{"tag": "meta", "attributes": {"name": "x", "content": 3}}]) == (
        '<meta name="x" content="3">'
    )


def test_model_instances_are_accepted() -> None:
    assert render_meta_tags([MetaTag(tag="title", content="T")]) == "<title>T</title>"


def test_every_value_is_escaped() -> None:
    evil = "\"'><script>alert(1)</script>"

    html = render_meta_tags(
        [
            {"tag": "title", "content": evil},
            {"tag": "meta", "attributes": {"name": evil, "content": evil}},
        ]
    )

    assert html == (
        "<title>\"'&gt;&lt;script&gt;alert(1)&lt;/script&gt;</title>\n"
        '<meta name="&quot;&#x27;&gt;&lt;script&gt;alert(1)&lt;/script&gt;" '
        'content="&quot;&#x27;&gt;&lt;script&gt;alert(1)&lt;/script&gt;">'
    )


@pytest.mark.parametrize(
    ("tag", "message"),
    [
        ({"tag": "script", "content": "alert(1)"}, "tag must be one of title, meta, link"),
        ({"tag": "style", "content": "*{}"}, "tag must be one of title, meta, link"),
        ({"attributes": {"name": "x"}}, "tag: Field required"),
        ({"tag": "meta", "attributes": {"onload": "alert(1)"}}, "'onload' is not an attribute"),
        ({"tag": "meta", "attributes": {"a b": "c"}}, "'a b' is not an attribute"),
        ({"tag": "meta", "attributes": {'x"': "c"}}, "is not an attribute"),
        (
            {"tag": "link", "attributes": {"rel": "icon", "href": "javascript:alert(1)"}},
            "is a javascript: URL",
        ),
        (
            {"tag": "link", "attributes": {"rel": "icon", "href": " JaVa\tScript:alert(1)"}},
            "is a javascript: URL",
        ),
        (
            {"tag": "link", "attributes": {"rel": "icon", "href": "data:text/html,<b>"}},
            "is a data: URL",
        ),
        (
            {"tag": "meta", "attributes": {"http-equiv": "refresh", "content": "0;url=/x"}},
            "refused",
        ),
        ({"tag": "meta", "attributes": {"name": "x", "content": ["a"]}}, "valid string"),
        ("title", "Input should be a valid dictionary"),
    ],
)
def test_unsafe_or_malformed_tags(tag: Any, message: str, caplog: pytest.LogCaptureFixture) -> None:
    tags = [{"tag": "title", "content": "Kept"}, tag]

    with override_settings(DEBUG=True), pytest.raises(InvalidMetaTags) as info:
        render_meta_tags(tags)
    assert message in str(info.value)
    assert str(info.value).startswith("Tag 1 of argument 1 cannot be rendered (")

    with caplog.at_level(logging.WARNING, logger="datocms_app.seo"):
        html = render_meta_tags(tags)
    assert html == "<title>Kept</title>"
    assert message in caplog.text


def test_a_list_that_is_not_a_list() -> None:
    with override_settings(DEBUG=True), pytest.raises(InvalidMetaTags) as info:
        render_meta_tags(SEO, {"tag": "title"})

    assert str(info.value).startswith("Argument 2 must be a list of tag objects (or a record")
    assert render_meta_tags([{"tag": "title", "content": "T"}], "<title>") == "<title>T</title>"


def test_javascript_word_in_content_is_fine() -> None:
    tag = {"tag": "meta", "attributes": {"name": "description", "content": "javascript: a guide"}}

    assert render_meta_tags([tag]) == '<meta name="description" content="javascript: a guide">'


def test_seo_dict() -> None:
    result = seo_dict(
        SEO, FAVICON, [{"tag": "meta", "attributes": {"name": "robots", "content": "noindex"}}]
    )

    assert result == {
        "title": "Alps | Harbour",
        "description": "Snow & light",
        "og": {"title": "Alps", "image": "/a.jpg?w=1&h=2", "image_width": "1200"},
        "twitter": {"card": "summary"},
        "icons": [
            {"sizes": "32x32", "type": "image/png", "rel": "icon", "href": "/f32.png"},
            {"sizes": "180x180", "rel": "apple-touch-icon", "href": "/a.png"},
        ],
        "meta": {"article_modified_time": "2024", "theme_color": "#0b3d5c", "robots": "noindex"},
    }


def test_seo_dict_of_nothing() -> None:
    assert seo_dict() == {
        "title": None,
        "description": None,
        "og": {},
        "twitter": {},
        "icons": [],
        "meta": {},
    }


def render(source: str, **context: Any) -> str:
    return Template("{% load datocms %}" + source).render(Context(context))


def test_meta_tags_tag_with_aliased_lists() -> None:
    html = render(
        "{% datocms_meta_tags page.seo site.favicon %}",
        page={"seo": SEO},
        site={"favicon": FAVICON},
    )

    assert html == render_meta_tags(SEO, FAVICON)


def test_meta_tags_tag_with_records() -> None:
    # Django templates cannot write page._seoMetaTags: the record itself can be passed.
    html = render(
        "{% datocms_meta_tags page site %}",
        page={"title": "x", "_seoMetaTags": SEO},
        site={"faviconMetaTags": FAVICON, "globalSeo": {}},
    )

    assert html == render_meta_tags(SEO, FAVICON)


def test_underscore_attribute_is_refused_by_django() -> None:
    with pytest.raises(TemplateSyntaxError) as info:
        render("{% datocms_meta_tags page._seoMetaTags %}")

    assert "Usage: {% datocms_meta_tags page.seo site.favicon" in str(info.value)


def test_record_with_both_lists_and_a_record_without_any() -> None:
    both = {"_seoMetaTags": SEO[:1], "faviconMetaTags": FAVICON[:1]}

    assert render_meta_tags(both) == render_meta_tags(SEO[:1], FAVICON[:1])
    with override_settings(DEBUG=True), pytest.raises(InvalidMetaTags):
        render_meta_tags({"title": "no tag lists here"})


def test_meta_tags_tag_with_a_missing_list() -> None:
    html = render(
        "{% datocms_meta_tags page.seo site.favicon %}",
        page={"seo": SEO[:1]},
    )

    assert html == "<title>Alps | Harbour</title>"


def test_seo_dict_tag() -> None:
    html = render(
        "{% datocms_seo_dict page as seo %}"
        '<title>{{ seo.title }}</title><meta name="description" content="{{ seo.description }}">'
        "{{ seo.og.image_width }}",
        page={"_seoMetaTags": [*SEO, {"tag": "title", "content": "<b>"}]},
    )

    assert html == (
        '<title>&lt;b&gt;</title><meta name="description" content="Snow &amp; light">1200'
    )
