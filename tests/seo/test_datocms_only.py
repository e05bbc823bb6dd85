"""Only what DatoCMS emits is rendered: ``<link>`` relations and URL schemes.

A stylesheet, a script preload or a ``data:`` URL slipped into ``_seoMetaTags`` or
``faviconMetaTags`` (by a hostile editor, a compromised integration, a proxy) is left out:
logged in production, ``InvalidMetaTags`` under ``DEBUG``.
"""

from __future__ import annotations

import logging
from typing import Any

import pytest
from django.test import override_settings

from datocms_app import cda
from datocms_app.emulator.embedded import reset_emulator
from datocms_app.exceptions import InvalidMetaTags
from datocms_app.seo import render_meta_tags, seo_dict
from tests.demo_content import demo_datocms

KEPT = {"tag": "title", "content": "Kept"}
REFUSED_HINT = (
    "DatoCMS never sends such a tag: correct the record's SEO content, or write the tag in "
    "the template if the site needs it."
)
RELS = "icon, apple-touch-icon, manifest, canonical, alternate"


def link(**attributes: str) -> dict[str, Any]:
    return {"tag": "link", "attributes": attributes, "content": None}


def meta(kind: str, name: str, content: str) -> dict[str, Any]:
    return {"tag": "meta", "attributes": {kind: name, "content": content}, "content": None}


def test_every_link_and_url_datocms_emits_is_rendered() -> None:
    tags = [
        link(
            sizes="32x32",
            type="image/png",
            rel="icon",
            href="https://www.datocms-assets.com/1/f.png?w=32",
        ),
        link(sizes="180x180", rel="apple-touch-icon", href="http://assets.test/a.png"),
        link(rel="manifest", href="/site.webmanifest"),
        link(rel="canonical", href="https://example.com/articles/"),
        link(rel="alternate", hreflang="it", href="//example.com/it/"),
        link(rel="ICON", href="/datocms/emulator/assets/7/favicon.png?h=16&w=16"),
        link(rel=" alternate ", hreflang="en", href="HTTPS://example.com/"),
        meta("property", "og:image", "https://www.datocms-assets.com/1/a.jpg"),
        meta("name", "twitter:image", "/datocms/emulator/assets/3/a.jpg"),
        meta("property", "article:publisher", "https://www.facebook.com/datocms"),
        meta("name", "msapplication-square70x70logo", "/t.png?h=70&w=70"),
        # Text that looks like a URL is text outside URL-valued metas.
        meta("name", "description", "data: a guide"),
    ]

    with override_settings(DEBUG=True):
        html = render_meta_tags(tags)

    assert html == (
        '<link sizes="32x32" type="image/png" rel="icon" '
        'href="https://www.datocms-assets.com/1/f.png?w=32">\n'
        '<link sizes="180x180" rel="apple-touch-icon" href="http://assets.test/a.png">\n'
        '<link rel="manifest" href="/site.webmanifest">\n'
        '<link rel="canonical" href="https://example.com/articles/">\n'
        '<link rel="alternate" hreflang="it" href="//example.com/it/">\n'
        '<link rel="ICON" href="/datocms/emulator/assets/7/favicon.png?h=16&amp;w=16">\n'
        '<link rel=" alternate " hreflang="en" href="HTTPS://example.com/">\n'
        '<meta property="og:image" content="https://www.datocms-assets.com/1/a.jpg">\n'
        '<meta name="twitter:image" content="/datocms/emulator/assets/3/a.jpg">\n'
        '<meta property="article:publisher" content="https://www.facebook.com/datocms">\n'
        '<meta name="msapplication-square70x70logo" content="/t.png?h=70&amp;w=70">\n'
        '<meta name="description" content="data: a guide">'
    )


@pytest.mark.parametrize(
    ("tag", "problem"),
    [
        (
            link(rel="stylesheet", href="https://evil.test/x.css"),
            f"tag: <link rel='stylesheet'> is not rendered (rel must be one of {RELS})",
        ),
        (
            link(rel="modulepreload", href="/x.js"),
            f"tag: <link rel='modulepreload'> is not rendered (rel must be one of {RELS})",
        ),
        (
            link(rel="preload", href="/x.js", **{"as": "script"}),
            f"tag: <link rel='preload'> is not rendered (rel must be one of {RELS})",
        ),
        (
            link(rel="prefetch", href="/x"),
            f"tag: <link rel='prefetch'> is not rendered (rel must be one of {RELS})",
        ),
        (
            link(rel="me", href="https://social.test/@x"),
            f"tag: <link rel='me'> is not rendered (rel must be one of {RELS})",
        ),
        (
            link(rel="alternate stylesheet", href="/x.css"),
            f"tag: <link rel='alternate stylesheet'> is not rendered (rel must be one of {RELS})",
        ),
        (
            # Attribute names are case-insensitive in HTML.
            link(REL="Stylesheet", href="/x.css"),
            f"tag: <link rel='Stylesheet'> is not rendered (rel must be one of {RELS})",
        ),
        (
            link(rel="icon", Rel="stylesheet", href="/x.css"),
            f"tag: <link rel='stylesheet'> is not rendered (rel must be one of {RELS})",
        ),
        (link(href="/x.css"), "tag: a <link> without rel is not rendered"),
        (
            link(rel="icon", href="data:image/png;base64,iVBORw0KGgo="),
            "attributes: href='data:image/png;base64,iVBORw0KGgo=' is a data: URL; only "
            "http(s) and relative URLs are rendered",
        ),
        (
            link(rel="icon", href="blob:https://example.com/1"),
            "attributes: href='blob:https://example.com/1' is a blob: URL; only http(s) and "
            "relative URLs are rendered",
        ),
        (
            link(rel="manifest", href="file:///etc/passwd"),
            "attributes: href='file:///etc/passwd' is a file: URL; only http(s) and relative "
            "URLs are rendered",
        ),
        (
            link(rel="canonical", href="ftp://example.com/"),
            "attributes: href='ftp://example.com/' is a ftp: URL; only http(s) and relative "
            "URLs are rendered",
        ),
        (
            link(rel="icon", href="\x01 Da\nTa:image/png,x"),
            "attributes: href='\\x01 Da\\nTa:image/png,x' is a data: URL; only http(s) and "
            "relative URLs are rendered",
        ),
        (
            meta("property", "og:image", "data:image/png;base64,iVBORw0KGgo="),
            "tag: content='data:image/png;base64,iVBORw0KGgo=' is a data: URL; only http(s) "
            "and relative URLs are rendered",
        ),
        (
            meta("name", "Twitter:Image", "file:///x.png"),
            "tag: content='file:///x.png' is a file: URL; only http(s) and relative URLs are "
            "rendered",
        ),
        (
            meta("name", "msapplication-square310x310logo", "javascript:alert(1)"),
            "tag: content='javascript:alert(1)' is a javascript: URL; only http(s) and "
            "relative URLs are rendered",
        ),
    ],
    ids=[
        "stylesheet",
        "modulepreload",
        "preload",
        "prefetch",
        "unknown-rel",
        "alternate-stylesheet",
        "uppercase-rel-attribute",
        "second-rel-attribute",
        "no-rel",
        "data-href",
        "blob-href",
        "file-href",
        "ftp-href",
        "hidden-data-href",
        "data-og-image",
        "file-twitter-image",
        "javascript-tile",
    ],
)
def test_what_datocms_never_emits_is_dropped(
    tag: dict[str, Any], problem: str, caplog: pytest.LogCaptureFixture
) -> None:
    tags = [KEPT, tag]
    message = f"Tag 1 of argument 1 cannot be rendered ({problem}): {tag!r:.120}. {REFUSED_HINT}"

    with override_settings(DEBUG=True), pytest.raises(InvalidMetaTags) as info:
        render_meta_tags(tags)
    assert str(info.value) == message

    with caplog.at_level(logging.WARNING, logger="datocms_app.seo"):
        html = render_meta_tags(tags)
    assert html == "<title>Kept</title>"
    assert caplog.messages == [f"{message} (rendered nothing; set DEBUG=True to raise instead)"]


def test_seo_dict_leaves_them_out_too() -> None:
    result = seo_dict(
        [
            link(rel="icon", href="/f.png"),
            link(rel="stylesheet", href="/x.css"),
            meta("property", "og:image", "data:image/png,x"),
        ]
    )

    assert (result["icons"], result["og"]) == ([{"rel": "icon", "href": "/f.png"}], {})


@pytest.mark.parametrize("href", ["", "./x:y", "a.png?x=1:2", "//a.test/x", "#top"])
def test_relative_urls_have_no_scheme(href: str) -> None:
    with override_settings(DEBUG=True):
        assert render_meta_tags([link(rel="icon", href=href)]) == (
            f'<link rel="icon" href="{href}">'
        )


def test_any_other_scheme_is_refused() -> None:
    with override_settings(DEBUG=True), pytest.raises(InvalidMetaTags) as info:
        render_meta_tags([link(rel="icon", href="web+app:x")])
    assert "href='web+app:x' is a web+app: URL;" in str(info.value)


def test_the_emulator_and_the_demo_content_pass() -> None:
    """Everything the embedded emulator answers for the demo content is rendered."""
    query = """{
      _site { faviconMetaTags(variants: [icon, appleTouchIcon, msApplication]) {
        tag attributes content } }
      allArticles(first: 100) { _seoMetaTags { tag attributes content } }
      home { _seoMetaTags { tag attributes content } }
    }"""
    reset_emulator()
    try:
        with override_settings(DATOCMS=demo_datocms(), DEBUG=True):
            data = cda.query(query)
            lists = [
                data["_site"]["faviconMetaTags"],
                data["home"]["_seoMetaTags"],
                *[article["_seoMetaTags"] for article in data["allArticles"]],
            ]
            for tags in lists:
                assert render_meta_tags(tags).count("\n") + 1 == len(tags)
    finally:
        reset_emulator()
    assert any(tag["tag"] == "link" for tag in data["_site"]["faviconMetaTags"])
