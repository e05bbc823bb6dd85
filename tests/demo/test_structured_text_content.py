"""The demo content, queried from the embedded emulator, renders through the demo templates."""

from __future__ import annotations

import re

import pytest
from django.test import override_settings

from datocms_app.structured_text import render_html, render_plain_text, validate
from tests.demo_content import demo_datocms

pytest.importorskip("graphql", reason="the emulator extra is not installed")

QUERY = """
query {
  allArticles {
    slug
    content {
      value
      blocks {
        __typename
        ... on ImageBlockRecord { id caption image { url alt width height } }
        ... on GalleryBlockRecord { id caption images { url alt width height } }
        ... on VideoBlockRecord {
          id caption
          video { alt video { streamingUrl mp4Url(res: high) thumbnailUrl width height duration } }
        }
        ... on QuoteBlockRecord { id quote attribution }
        ... on CtaBlockRecord { id label url style }
        ... on CodeBlockRecord { id code language filename }
      }
      inlineBlocks { __typename ... on MentionBlockRecord { id label url } }
      links {
        __typename
        ... on ArticleRecord { id title slug }
        ... on AuthorRecord { id name slug }
        ... on CategoryRecord { id name slug }
      }
    }
  }
}
"""


def test_every_demo_article_validates_and_renders_without_surprises() -> None:
    from datocms_app import cda

    settings = demo_datocms(RECORD_URL_RESOLVER="project.records.record_url")
    with override_settings(DEBUG=True, DATOCMS=settings):  # any surprise would raise
        articles = cda.query(QUERY)["allArticles"]
        assert articles
        pages = []
        for article in articles:
            validate(article["content"])
            assert render_plain_text(article["content"])
            pages.append(str(render_html(article["content"])))
    html = "".join(pages)
    block_types = {
        block["__typename"] for article in articles for block in article["content"]["blocks"]
    }
    rendered = set(re.findall(r'class="block block--(\w+)"', html))
    expected = {name.removesuffix("BlockRecord").lower() for name in block_types}
    assert rendered == expected
    assert "video" in rendered
    for link in re.findall(r'<a class="record-link[^"]*" href="([^"]*)"', html):
        assert re.fullmatch(r"/(articles|authors|categories)/[\w-]+/", link)
