"""The demo magazine's views: plain Django views that query DatoCMS through datocms_app.

Each page runs one GraphQL query (author and category pages a second one for their
articles), in the language of the URL (``locale``) with English as the fallback for fields
not translated yet (``fallbackLocales``). The bits every page shares (site name, favicon,
categories for the navigation) are a fragment on the root ``Query`` type. A missing record
raises ``Http404``; errors reading content propagate to ``project.middleware``, which turns
them into a 503 page. Views stay plain functions, so caching can decorate them.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse, translate_url
from django.utils import translation
from django.utils.http import urlencode

from datocms_app import cda
from datocms_app.caching import datocms_cache_page
from datocms_app.exceptions import DatoCMSError

logger = logging.getLogger("project")

#: Articles per page of the article index.
PAGE_SIZE = 6
#: Beyond this page number the index answers 404 without asking DatoCMS.
MAX_PAGE = 1000

RESPONSIVE_IMAGE = """
fragment ResponsiveImage on ResponsiveImage {
  src srcSet webpSrcSet sizes width height aspectRatio alt title base64 bgColor
}
"""

LAYOUT = """
fragment Layout on Query {
  site: _site(locale: $locale, fallbackLocales: $fallbackLocales) {
    globalSeo { siteName titleSuffix }
    faviconMetaTags { attributes content tag }
  }
  categories: allCategories(locale: $locale, fallbackLocales: $fallbackLocales,
                            orderBy: name_ASC, first: 10) {
    id name slug description
  }
}
"""

ARTICLE_CARD = """
fragment ArticleCard on ArticleRecord {
  id title slug excerpt publishedAt readingTime
  locales: _locales
  coverImage {
    responsiveImage(imgixParams: {w: 720, h: 480, fit: crop, auto: format},
                    sizes: "(max-width: 40rem) 100vw, (max-width: 72rem) 50vw, 23rem") {
      ...ResponsiveImage
    }
  }
  category { name slug }
  author { name slug }
}
"""

# Everything the article's structured text points at: blocks by type, records by type.
CONTENT_RECORDS = """
fragment Blocks on RecordInterface {
  __typename id
  ... on ImageBlockRecord {
    caption
    image {
      responsiveImage(imgixParams: {w: 1280, auto: format}) { ...ResponsiveImage }
    }
  }
  ... on GalleryBlockRecord {
    caption
    images {
      responsiveImage(imgixParams: {w: 640, h: 427, fit: crop, auto: format}) {
        ...ResponsiveImage
      }
    }
  }
  ... on VideoBlockRecord {
    caption
    video {
      alt title
      video { streamingUrl mp4Url(res: high) thumbnailUrl width height duration }
    }
  }
  ... on QuoteBlockRecord { quote attribution }
  ... on CtaBlockRecord { label url style }
  ... on CodeBlockRecord { code language filename }
  ... on MentionBlockRecord { label url }
}

fragment LinkedRecords on RecordInterface {
  __typename id
  ... on ArticleRecord { title slug }
  ... on AuthorRecord { name slug }
  ... on CategoryRecord { name slug }
}
"""

HOME_QUERY = (
    """
query Home($locale: SiteLocale, $fallbackLocales: [SiteLocale!]) {
  ...Layout
  home(locale: $locale, fallbackLocales: $fallbackLocales) {
    heroTitle heroSubtitle
    _seoMetaTags { attributes content tag }
    heroImage {
      responsiveImage(imgixParams: {w: 2000, h: 900, fit: crop, auto: format}, sizes: "100vw") {
        ...ResponsiveImage
      }
    }
    heroArticle { title slug }
    featuredArticles { ...ArticleCard }
  }
  latest: allArticles(locale: $locale, fallbackLocales: $fallbackLocales, first: 6,
                      orderBy: publishedAt_DESC) { ...ArticleCard }
}
"""
    + LAYOUT
    + ARTICLE_CARD
    + RESPONSIVE_IMAGE
)

INDEX_QUERY = (
    """
query ArticleIndex($locale: SiteLocale, $fallbackLocales: [SiteLocale!],
                   $first: IntType, $skip: IntType) {
  ...Layout
  articles: allArticles(locale: $locale, fallbackLocales: $fallbackLocales,
                        first: $first, skip: $skip, orderBy: publishedAt_DESC) {
    ...ArticleCard
  }
  meta: _allArticlesMeta { count }
}
"""
    + LAYOUT
    + ARTICLE_CARD
    + RESPONSIVE_IMAGE
)

ARTICLE_QUERY = (
    """
query Article($locale: SiteLocale, $fallbackLocales: [SiteLocale!], $slug: String) {
  ...Layout
  article(locale: $locale, fallbackLocales: $fallbackLocales,
          filter: {slug: {eq: $slug}}) {
    id title slug excerpt publishedAt readingTime
    _locales
    _allSlugLocales { locale value }
    _seoMetaTags { attributes content tag }
    coverImage {
      responsiveImage(imgixParams: {w: 1600, h: 900, fit: crop, auto: format},
                      sizes: "(max-width: 64rem) 100vw, 64rem") { ...ResponsiveImage }
    }
    category { name slug }
    author {
      name slug role bio
      avatar {
        responsiveImage(imgixParams: {w: 160, h: 160, fit: crop, auto: format}, sizes: "5rem") {
          ...ResponsiveImage
        }
      }
    }
    content {
      value
      blocks { ...Blocks }
      inlineBlocks { ...Blocks }
      links { ...LinkedRecords }
    }
    relatedArticles { ...ArticleCard }
  }
  latest: allArticles(locale: $locale, fallbackLocales: $fallbackLocales, first: 6,
                      filter: {slug: {neq: $slug}}, orderBy: publishedAt_DESC) {
    ...ArticleCard
  }
}
"""
    + LAYOUT
    + ARTICLE_CARD
    + CONTENT_RECORDS
    + RESPONSIVE_IMAGE
)

AUTHOR_QUERY = (
    """
query Author($locale: SiteLocale, $fallbackLocales: [SiteLocale!], $slug: String) {
  ...Layout
  author(locale: $locale, fallbackLocales: $fallbackLocales, filter: {slug: {eq: $slug}}) {
    id name slug role bio website
    _allSlugLocales { locale value }
    _seoMetaTags { attributes content tag }
    avatar {
      responsiveImage(imgixParams: {w: 256, h: 256, fit: crop, auto: format}, sizes: "8rem") {
        ...ResponsiveImage
      }
    }
  }
}
"""
    + LAYOUT
    + RESPONSIVE_IMAGE
)

CATEGORY_QUERY = (
    """
query Category($locale: SiteLocale, $fallbackLocales: [SiteLocale!], $slug: String) {
  ...Layout
  category(locale: $locale, fallbackLocales: $fallbackLocales, filter: {slug: {eq: $slug}}) {
    id name slug description
    _allSlugLocales { locale value }
    _seoMetaTags { attributes content tag }
  }
}
"""
    + LAYOUT
)

#: The articles of an author or a category (``$filter`` names the link field and record id).
ARTICLES_BY_QUERY = (
    """
query ArticlesBy($locale: SiteLocale, $fallbackLocales: [SiteLocale!],
                 $filter: ArticleModelFilter) {
  articles: allArticles(locale: $locale, fallbackLocales: $fallbackLocales, filter: $filter,
                        first: 100, orderBy: publishedAt_DESC) {
    ...ArticleCard
  }
}
"""
    + ARTICLE_CARD
    + RESPONSIVE_IMAGE
)

LAYOUT_QUERY = (
    """
query Layout($locale: SiteLocale, $fallbackLocales: [SiteLocale!]) { ...Layout }
"""
    + LAYOUT
)


@dataclass(frozen=True)
class LanguageLink:
    """One entry of the language switcher (and one ``<link rel="alternate" hreflang>``)."""

    code: str
    name: str
    url: str
    absolute_url: str
    current: bool


@dataclass(frozen=True)
class Pagination:
    """The article index's page links: ``url`` of page N is the index with ``?page=N``."""

    number: int
    num_pages: int
    base_url: str

    def url(self, number: int) -> str:
        return self.base_url if number == 1 else f"{self.base_url}?{urlencode({'page': number})}"

    @property
    def previous_url(self) -> str | None:
        return self.url(self.number - 1) if self.number > 1 else None

    @property
    def next_url(self) -> str | None:
        return self.url(self.number + 1) if self.number < self.num_pages else None

    @property
    def pages(self) -> list[tuple[int, str]]:
        return [(number, self.url(number)) for number in range(1, self.num_pages + 1)]


def fetch(query: str, **variables: Any) -> dict[str, Any]:
    """Run ``query`` in the active language, falling back to the primary one."""
    locale = translation.get_language() or settings.LANGUAGE_CODE
    variables = {"locale": locale, "fallbackLocales": _fallbacks(locale), **variables}
    data: dict[str, Any] = cda.query(query, variables)
    return data


def fetch_by_slug(query: str, kind: str, slug: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """``fetch(query, slug=slug)`` and its ``kind`` record; 404 when no record has the slug."""
    data = fetch(query, slug=slug)
    record = data[kind]
    if record is None:
        raise Http404(f"No {kind} has the slug {slug!r}.")
    return data, record


def language_links(
    request: HttpRequest,
    *,
    url_name: str | None = None,
    slugs: Sequence[Mapping[str, Any]] = (),
    path: str | None = None,
) -> list[LanguageLink]:
    """The current page in every language.

    Pages of a record pass its URL name and ``_allSlugLocales``: slugs are localized, so the
    Italian page of an article is reversed with its Italian slug (or, for a record not
    translated yet, with the slug of the fallback language, which the Italian URL also
    serves). Other pages translate their own ``path``: the request's path, plus the query
    parameters the page is cached by (never the request's whole query string: a cached page
    is served to requests whose tracking parameters differ).
    """
    current = translation.get_language()
    localized = {item["locale"]: item["value"] for item in slugs if item.get("value")}
    links = []
    for code, name in settings.LANGUAGES:
        if url_name is None:
            url = translate_url(path or request.path, code)
        else:
            slug = next((localized[c] for c in [code, *_fallbacks(code)] if c in localized), None)
            with translation.override(code):
                url = reverse(url_name, args=[slug]) if slug else reverse("home")
        links.append(
            LanguageLink(
                code=code,
                name=name,
                url=url,
                absolute_url=request.build_absolute_uri(url),
                current=code == current,
            )
        )
    return links


def page_context(
    request: HttpRequest,
    data: Mapping[str, Any],
    *,
    url_name: str | None = None,
    record: Mapping[str, Any] | None = None,
    path: str | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """The context ``base.html`` needs, plus the page's own ``extra``.

    ``record`` is the page's record: its ``_seoMetaTags`` fill the ``<head>`` and its
    ``_allSlugLocales`` the language switcher; ``path`` is the page's URL for the language
    switcher of pages without a record (see ``language_links``).
    """
    slugs = record.get("_allSlugLocales", ()) if record else ()
    return {
        "site": data.get("site"),
        "categories": data.get("categories") or [],
        "page": record,
        "language_links": language_links(request, url_name=url_name, slugs=slugs, path=path),
        "canonical_url": request.build_absolute_uri(request.path),
        **extra,
    }


def home(request: HttpRequest) -> HttpResponse:
    data = fetch(HOME_QUERY)
    record = data["home"] or {}
    featured = record.get("featuredArticles") or []
    shown = {article["id"] for article in featured}
    latest = [article for article in data["latest"] if article["id"] not in shown][:3]
    context = page_context(request, data, record=record, featured=featured, latest=latest)
    return render(request, "home.html", context)


# The page cache keys this view's pages by ``?page=`` (any other parameter bypasses it).
@datocms_cache_page(query_parameters=["page"])
def article_index(request: HttpRequest) -> HttpResponse:
    number = _page_number(request)
    data = fetch(INDEX_QUERY, first=PAGE_SIZE, skip=(number - 1) * PAGE_SIZE)
    num_pages = max(1, math.ceil(data["meta"]["count"] / PAGE_SIZE))
    if number > num_pages:
        raise Http404(f"The article index has {num_pages} page(s); there is no page {number}.")
    pagination = Pagination(number=number, num_pages=num_pages, base_url=request.path)
    context = page_context(
        request,
        data,
        path=pagination.url(number),
        articles=data["articles"],
        pagination=pagination,
        nav_section="articles",
    )
    context["canonical_url"] = request.build_absolute_uri(pagination.url(number))
    return render(request, "article_index.html", context)


def article(request: HttpRequest, slug: str) -> HttpResponse:
    data, record = fetch_by_slug(ARTICLE_QUERY, "article", slug)
    context = page_context(
        request,
        data,
        url_name="article",
        record=record,
        article=record,
        content_language=_content_language(record),
        more=_keep_reading(record["relatedArticles"], data["latest"]),
    )
    return render(request, "article.html", context)


def author(request: HttpRequest, slug: str) -> HttpResponse:
    data, record = fetch_by_slug(AUTHOR_QUERY, "author", slug)
    articles = _articles_with("author", record)
    context = page_context(
        request, data, url_name="author", record=record, author=record, articles=articles
    )
    return render(request, "author.html", context)


def category(request: HttpRequest, slug: str) -> HttpResponse:
    data, record = fetch_by_slug(CATEGORY_QUERY, "category", slug)
    articles = _articles_with("category", record)
    context = page_context(
        request,
        data,
        url_name="category",
        record=record,
        category=record,
        articles=articles,
        nav_section=record["slug"],
    )
    return render(request, "category.html", context)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """``handler404``: the 404 page inside the site's layout, in the URL's language.

    The layout comes from DatoCMS; if that fails too, the page still renders, plainer.
    """
    try:
        data = fetch(LAYOUT_QUERY)
    except DatoCMSError as exc:
        logger.warning("The 404 page renders without the layout: %s", exc)
        data = {}
    context = page_context(request, data, url_name="home", canonical_url=None)
    return render(request, "404.html", context, status=404)


def _articles_with(field: str, record: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The articles whose ``field`` (author, category) links to ``record``."""
    data = fetch(ARTICLES_BY_QUERY, filter={field: {"eq": record["id"]}})
    articles: list[dict[str, Any]] = data["articles"]
    return articles


def _keep_reading(
    related: Sequence[Mapping[str, Any]], latest: Sequence[Mapping[str, Any]], count: int = 3
) -> list[Mapping[str, Any]]:
    """The editors' related articles first, then the latest ones, ``count`` in all."""
    chosen = list(related[:count])
    ids = {item["id"] for item in chosen}
    chosen += [item for item in latest if item["id"] not in ids][: count - len(chosen)]
    return chosen


def _fallbacks(locale: str) -> list[str]:
    """Locales to read when a field has no value in ``locale``: the primary language."""
    return [] if locale == settings.LANGUAGE_CODE else [settings.LANGUAGE_CODE]


def _content_language(record: Mapping[str, Any]) -> str:
    """The language the record's text is really in (a fallback's, if not translated yet)."""
    current = translation.get_language() or settings.LANGUAGE_CODE
    available = record.get("_locales") or [current]
    return next((code for code in [current, *_fallbacks(current)] if code in available), current)


def _page_number(request: HttpRequest) -> int:
    raw = request.GET.get("page", "1")
    if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= MAX_PAGE:
        raise Http404(f"Page numbers are whole numbers from 1 to {MAX_PAGE}, not {raw!r}.")
    return int(raw)
