"""Every page of the demo magazine, in both languages, against the embedded emulator.

The expected texts are the demo content's (``project/content``): exact titles, headings and
links, so that a broken query, fragment, URL or translation shows up here.
"""

from __future__ import annotations

import re

import pytest
from django.test import Client


def page(client: Client, path: str, status: int = 200) -> str:
    response = client.get(path)
    assert response.status_code == status, (path, response.status_code)
    assert response["Content-Type"] == "text/html; charset=utf-8"
    return response.content.decode()


def one(pattern: str, html: str) -> str:
    """The single match of ``pattern``'s first group in ``html``."""
    found = re.findall(pattern, html, flags=re.DOTALL)
    assert len(found) == 1, (pattern, found)
    return str(found[0])


def hrefs(html: str, css_class: str) -> list[str]:
    """The hrefs of the links in the first element with ``css_class``."""
    start = html.index(f'class="{css_class}"')
    end = html.index("</nav>", start) if "</nav>" in html[start:] else len(html)
    return re.findall(r'href="([^"]+)"', html[start:end])


@pytest.mark.parametrize(
    ("path", "lang", "title", "h1"),
    [
        (
            "/",
            "en",
            "Slow travel and wild places — The Northern Review",
            '<h1 id="hero-title">Go somewhere. Pay attention.</h1>',
        ),
        (
            "/it/",
            "it",
            "Viaggi lenti e luoghi selvaggi — The Northern Review",
            '<h1 id="hero-title">Vai da qualche parte. Fai attenzione.</h1>',
        ),
        ("/articles/", "en", "All articles — The Northern Review", "<h1>All articles</h1>"),
        (
            "/it/articoli/",
            "it",
            "Tutti gli articoli — The Northern Review",
            "<h1>Tutti gli articoli</h1>",
        ),
        (
            "/articles/crossing-the-alps-on-foot/",
            "en",
            "Crossing the Alps on foot — The Northern Review",
            "<h1>Crossing the Alps on foot</h1>",
        ),
        (
            "/it/articoli/attraversare-le-alpi-a-piedi/",
            "it",
            "Attraversare le Alpi a piedi — The Northern Review",
            "<h1>Attraversare le Alpi a piedi</h1>",
        ),
        (
            "/authors/ada-fernandez/",
            "en",
            "Ada Fernández — The Northern Review",
            "<h1>Ada Fernández</h1>",
        ),
        (
            "/it/autori/ada-fernandez/",
            "it",
            "Ada Fernández — The Northern Review",
            "<h1>Ada Fernández</h1>",
        ),
        ("/categories/travel/", "en", "Travel — The Northern Review", "<h1>Travel</h1>"),
        ("/it/categorie/viaggi/", "it", "Viaggi — The Northern Review", "<h1>Viaggi</h1>"),
    ],
)
def test_page_language_title_and_heading(
    client: Client, path: str, lang: str, title: str, h1: str
) -> None:
    html = page(client, path)
    assert html.startswith(f'<!doctype html>\n<html lang="{lang}">\n')
    assert one(r"<title>(.*?)</title>", html) == title
    assert one(r"(<h1[^>]*>.*?</h1>)", html) == h1
    # Landmarks and the skip link every page shares.
    skip = {"en": "Skip to content", "it": "Vai al contenuto"}[lang]
    assert f'<a class="skip-link" href="#main">{skip}</a>' in html
    assert '<main id="main" tabindex="-1">' in html
    assert '<link rel="stylesheet" href="/static/magazine.css">' in html


def test_home_shows_hero_featured_and_latest(client: Client) -> None:
    html = page(client, "/")
    assert (
        '<p class="hero-cta"><a class="button" href="/articles/a-field-guide-to-harbour-towns/">'
        "Read “A field guide to harbour towns”</a></p>"
    ) in html
    featured = html[html.index('id="featured-title"') : html.index('id="latest-title"')]
    assert re.findall(r"<h3><a href=\"([^\"]+)\">([^<]+)</a></h3>", featured) == [
        ("/articles/crossing-the-alps-on-foot/", "Crossing the Alps on foot"),
        ("/articles/a-field-guide-to-harbour-towns/", "A field guide to harbour towns"),
        ("/articles/notes-from-the-open-ocean/", "Notes from the open ocean"),
    ]
    latest = html[html.index('id="latest-title"') : html.index('id="topics-title"')]
    assert re.findall(r"<h3><a href=\"([^\"]+)\">([^<]+)</a></h3>", latest) == [
        ("/articles/writing-code-like-prose/", "Writing code like prose"),
        ("/articles/desert-light/", "Desert light"),
        ("/articles/what-the-forest-remembers/", "What the forest remembers"),
    ]
    # The hero image is the LCP element: eager, high priority, preloaded.
    assert one(r'<link rel="preload" as="image" ([^>]*)>', html).endswith(
        'imagesizes="100vw" type="image/webp" fetchpriority="high" '
        'referrerpolicy="no-referrer-when-downgrade"'
    )
    hero = one(r'<div class="hero-media">(.*?)</div>', html)
    assert 'fetchpriority="high"' in hero
    assert 'loading="lazy"' not in hero
    assert 'alt="A harbour at sunset, boats resting on calm water"' in hero


def test_home_in_italian_uses_italian_urls_and_dates(client: Client) -> None:
    html = page(client, "/it/")
    assert (
        '<a class="button" href="/it/articoli/guida-ai-paesi-di-porto/">'
        "Leggi «Guida ai paesi di porto»</a>"
    ) in html
    assert '<a class="eyebrow" href="/it/categorie/viaggi/">Viaggi</a>' in html
    assert '<time datetime="2024-03-02T07:30:00+00:00">2 Marzo 2024</time>' in html
    assert "<span>14 minuti di lettura</span>" in html
    # An article with no Italian translation yet is listed with its English text, marked so.
    assert html.count('<article class="card" lang="en">') == 1
    assert (
        '<h3><a href="/it/articoli/writing-code-like-prose/">Writing code like prose</a></h3>'
        in html
    )


def test_navigation_lists_categories_and_marks_the_current_section(client: Client) -> None:
    html = page(client, "/categories/nature/")
    nav = html[html.index('class="site-nav"') : html.index("</nav>")]
    assert re.findall(r'<a href="([^"]+)"( aria-current="page")?>([^<]+)</a>', nav) == [
        ("/articles/", "", "All articles"),
        ("/categories/culture/", "", "Culture"),
        ("/categories/nature/", ' aria-current="page"', "Nature"),
        ("/categories/technology/", "", "Technology"),
        ("/categories/travel/", "", "Travel"),
    ]


def test_article_renders_structured_text_blocks_and_record_links(client: Client) -> None:
    html = page(client, "/articles/crossing-the-alps-on-foot/")
    prose = one(r'<div class="prose">(.*?)</div>\s*<footer class="article-foot">', html)
    assert prose.strip().startswith(
        "<p>The path leaves the village before the bakery opens. <strong>By the time the bread "
        "is out, you are above the tree line</strong>, and the valley is a rumour of chimney "
        "smoke.</p><h2>Why walk it at all</h2>"
    )
    assert '<figure class="block block--image">' in prose
    assert "<figcaption>The ridge above the third hut, day four.</figcaption>" in prose
    assert '<figure class="block block--gallery">' in prose
    assert prose.count("<li><picture>") == 4
    assert "<footer>Hut guardian, Rifugio Bianco</footer></blockquote>" in prose
    assert (
        '<a class="record-link record-link--article" href="/articles/what-the-forest-remembers/"'
        ' rel="related">what the forest remembers</a>'
    ) in prose
    # Byline, author box and "keep reading" (the editors' related articles first).
    assert '<a href="/authors/ada-fernandez/" rel="author">Ada Fernández</a>' in html
    assert '<p class="role">Senior editor, mountains and forests</p>' in html
    more = html[html.index('id="more-title"') :]
    assert re.findall(r"<h3><a href=\"([^\"]+)\">", more) == [
        "/articles/what-the-forest-remembers/",
        "/articles/a-field-guide-to-harbour-towns/",
        "/articles/writing-code-like-prose/",
    ]


def test_article_blocks_inline_records_and_mentions(client: Client) -> None:
    city = page(client, "/articles/the-city-after-two/")
    assert '<p class="block block--cta"><a class="button button--primary"' in city
    assert '<a class="inline-record inline-record--author" href="/authors/ada-fernandez/"' in city
    assert 'class="mention"' in city
    code = page(client, "/articles/writing-code-like-prose/")
    assert '<figure class="block block--code">' in code
    assert "<figcaption><code>tags.js</code></figcaption>" in code


VIDEO = "/datocms/emulator/video/OceanDawn8pQz2vLm5sK7dW01x"


@pytest.mark.parametrize(
    ("path", "alt", "caption"),
    [
        ("/articles/notes-from-the-open-ocean/",
         "The sun rising over the open ocean, a small sailing boat riding the waves",
         "Dawn on the third day, from the bow."),
        ("/it/articoli/appunti-dall-oceano-aperto/",
         "Il sole che sorge sull&#x27;oceano aperto, una piccola barca a vela tra le onde",
         "L&#x27;alba del terzo giorno, vista da prua."),
    ],
)  # fmt: skip
def test_article_video_block(client: Client, path: str, alt: str, caption: str) -> None:
    html = page(client, path)
    assert one(r'(<figure class="block block--video">.*?</figure>)', html) == (
        '<figure class="block block--video">\n'
        f'  <video width="640" height="360" poster="{VIDEO}/thumbnail.jpg" preload="none" '
        f'controls playsinline aria-label="{alt}" '
        'style="aspect-ratio:640 / 360;width:100%;max-width:640px;height:auto">'
        f'<source src="{VIDEO}.m3u8" type="application/vnd.apple.mpegurl">'
        f'<source src="{VIDEO}/high.mp4" type="video/mp4"></video>\n'
        f'  <figcaption>{caption} <time class="duration" datetime="PT4S">0:04</time>'
        "</figcaption>\n"
        "</figure>"
    )


def test_article_in_italian_links_to_italian_pages(client: Client) -> None:
    html = page(client, "/it/articoli/attraversare-le-alpi-a-piedi/")
    assert '<a class="eyebrow" href="/it/categorie/viaggi/">Viaggi</a>' in html
    assert '<a href="/it/autori/ada-fernandez/" rel="author">Ada Fernández</a>' in html
    assert 'href="/it/articoli/cosa-ricorda-la-foresta/"' in html
    assert "<article>" in html


def test_untranslated_article_is_served_in_its_fallback_language(client: Client) -> None:
    html = page(client, "/it/articoli/writing-code-like-prose/")
    assert '<html lang="it">' in html
    assert '<article lang="en">' in html
    assert hrefs(html, "lang-switch") == [
        "/articles/writing-code-like-prose/",
        "/it/articoli/writing-code-like-prose/",
    ]


@pytest.mark.parametrize(
    ("path", "links"),
    [
        ("/", ["/", "/it/"]),
        ("/it/", ["/", "/it/"]),
        ("/articles/?page=2", ["/articles/?page=2", "/it/articoli/?page=2"]),
        (
            "/articles/crossing-the-alps-on-foot/",
            ["/articles/crossing-the-alps-on-foot/", "/it/articoli/attraversare-le-alpi-a-piedi/"],
        ),
        (
            "/it/articoli/guida-ai-paesi-di-porto/",
            ["/articles/a-field-guide-to-harbour-towns/", "/it/articoli/guida-ai-paesi-di-porto/"],
        ),
        ("/authors/grace-okafor/", ["/authors/grace-okafor/", "/it/autori/grace-okafor/"]),
        ("/it/categorie/natura/", ["/categories/nature/", "/it/categorie/natura/"]),
    ],
)
def test_language_switcher_links_to_the_same_page(
    client: Client, path: str, links: list[str]
) -> None:
    html = page(client, path)
    assert hrefs(html, "lang-switch") == links
    current = "it" if path.startswith("/it/") else "en"
    assert one(r'<a href="[^"]+" hreflang="(\w+)" lang="\w+" title="\w+" aria-current', html) == (
        current
    )
    alternates = re.findall(r'<link rel="alternate" hreflang="(\w+)" href="([^"]+)">', html)
    assert alternates == [
        ("en", f"http://testserver{links[0]}"),
        ("it", f"http://testserver{links[1]}"),
    ]


def test_article_index_paginates(client: Client) -> None:
    first = page(client, "/articles/")
    assert first.count('<article class="card">') == 6
    assert one(r'<link rel="canonical" href="([^"]+)">', first) == "http://testserver/articles/"
    pagination = one(r'<nav class="pagination" aria-label="Pages">(.*?)</nav>', first)
    assert re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', pagination) == [
        ("/articles/", "1"),
        ("/articles/?page=2", "2"),
        ("/articles/?page=2", "Older →"),
    ]
    assert '<a href="/articles/" aria-current="page">1</a>' in pagination
    assert '<span class="disabled">← Newer</span>' in pagination

    second = page(client, "/articles/?page=2")
    assert second.count('<article class="card">') == 1
    assert (
        '<h3><a href="/articles/crossing-the-alps-on-foot/">Crossing the Alps on foot</a></h3>'
        in second
    )
    assert "<p>Page 2 of 2</p>" in second
    assert (
        one(r'<link rel="canonical" href="([^"]+)">', second)
        == "http://testserver/articles/?page=2"
    )
    assert '<a href="/articles/" rel="prev">← Newer</a>' in second


@pytest.mark.parametrize(
    "query", ["?page=3", "?page=0", "?page=-1", "?page=two", "?page=²", "?page=1001"]
)
def test_article_index_outside_its_pages_is_404(client: Client, query: str) -> None:
    html = page(client, f"/articles/{query}", status=404)
    assert "<h1>Page not found</h1>" in html


def test_author_and_category_pages_list_their_articles(client: Client) -> None:
    author = page(client, "/authors/grace-okafor/")
    assert re.findall(r"<h3><a href=\"([^\"]+)\">", author) == [
        "/articles/a-field-guide-to-harbour-towns/",
        "/articles/notes-from-the-open-ocean/",
    ]
    category = page(client, "/it/categorie/natura/")
    assert re.findall(r"<h3><a href=\"([^\"]+)\">([^<]+)</a>", category) == [
        ("/it/articoli/cosa-ricorda-la-foresta/", "Cosa ricorda la foresta"),
        ("/it/articoli/appunti-dall-oceano-aperto/", "Appunti dall&#x27;oceano aperto"),
    ]


def test_seo_tags_come_from_the_record_and_the_site(client: Client) -> None:
    html = page(client, "/it/articoli/attraversare-le-alpi-a-piedi/")
    head = html[: html.index("</head>")]
    assert (
        '<meta name="description" content="Dodici giorni a piedi attraverso le Alpi, di rifugio '
        'in rifugio.">'
    ) in head
    assert '<meta property="og:locale" content="it">' in head
    assert (
        '<link sizes="32x32" type="image/png" rel="icon" '
        'href="/datocms/emulator/assets/favicon/favicon.png?h=32&amp;w=32">'
    ) in head
    assert head.count("<title>") == 1
