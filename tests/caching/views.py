"""Views for the page-cache tests: each runs DatoCMS queries against the fake CDA."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.middleware.csrf import get_token
from django.template import engines
from django.template.response import TemplateResponse
from django.utils.cache import patch_cache_control, patch_vary_headers

from datocms_app import cda
from datocms_app.caching import datocms_cache_page

#: How many times each view actually ran (a page-cache hit does not run it).
RENDERS: dict[str, int] = {}

ARTICLE = "query Article($slug: String) { article(filter: {slug: {eq: $slug}}) { title } }"
NAV = "{ allPages { title } }"


def _article_html(slug: str) -> str:
    RENDERS[slug] = RENDERS.get(slug, 0) + 1
    title = cda.query(ARTICLE, {"slug": slug})["article"]["title"]
    nav = ", ".join(page["title"] for page in cda.query(NAV)["allPages"])
    return f"<h1>{title}</h1><nav>{nav}</nav>"


@datocms_cache_page
def article(request: HttpRequest, slug: str) -> HttpResponse:
    return HttpResponse(_article_html(slug))


@datocms_cache_page(timeout=60)
async def article_async(request: HttpRequest, slug: str) -> HttpResponse:
    title = (await cda.aquery(ARTICLE, {"slug": slug}))["article"]["title"]
    nav = ", ".join(page["title"] for page in (await cda.aquery(NAV))["allPages"])
    return HttpResponse(f"<h1>{title}</h1><nav>{nav}</nav>")


LAZY = engines["django"].from_string("<p>{{ nav }}</p>")


@datocms_cache_page
def lazy(request: HttpRequest) -> TemplateResponse:
    # The query runs while the template renders, after the view has returned.
    def nav() -> str:
        return ", ".join(page["title"] for page in cda.query(NAV)["allPages"])

    return TemplateResponse(request, LAZY, {"nav": nav})  # type: ignore[arg-type]


@datocms_cache_page
def with_cookie(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(_article_html("hello"))
    response.set_cookie("seen", "1")
    return response


@datocms_cache_page
def with_csrf(request: HttpRequest) -> HttpResponse:
    return HttpResponse(_article_html("hello") + f'<input value="{get_token(request)}">')


@datocms_cache_page
def private(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(_article_html("hello"))
    patch_cache_control(response, private=True)
    return response


@datocms_cache_page
def own_max_age(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(_article_html("hello"))
    patch_cache_control(response, max_age=60)
    return response


@datocms_cache_page
def themed(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(f"{request.headers.get('X-Theme', 'none')}:{_article_html('hello')}")
    patch_vary_headers(response, ["X-Theme"])
    return response


@datocms_cache_page
def vary_star(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(_article_html("hello"))
    response.headers["Vary"] = "*"
    return response


@datocms_cache_page
def static(request: HttpRequest) -> HttpResponse:
    return HttpResponse("<p>No DatoCMS here</p>")


@datocms_cache_page
def missing(request: HttpRequest) -> HttpResponse:
    cda.query(NAV)
    return HttpResponse("<p>Not found</p>", status=404)


@datocms_cache_page
def streaming(request: HttpRequest) -> StreamingHttpResponse:
    cda.query(NAV)
    return StreamingHttpResponse(iter([b"<p>", b"stream", b"</p>"]))


def draft(request: HttpRequest, slug: str) -> HttpResponse:
    # What the preview middleware does for an editor in draft mode.
    request.datocms_draft = True  # type: ignore[attr-defined]
    response: HttpResponse = article(request, slug)
    return response


@datocms_cache_page
def draft_query(request: HttpRequest) -> HttpResponse:
    title = cda.query(ARTICLE, {"slug": "hello"}, include_drafts=True)["article"]["title"]
    return HttpResponse(f"<h1>{title}</h1>")


#: Called by ``hooked`` between its two queries (to interleave an invalidation exactly).
HOOKS: list[Callable[[], None]] = []


@datocms_cache_page
def hooked(request: HttpRequest) -> HttpResponse:
    title = cda.query(ARTICLE, {"slug": "hello"})["article"]["title"]
    for hook in HOOKS:
        hook()
    nav = ", ".join(page["title"] for page in cda.query(NAV)["allPages"])
    return HttpResponse(f"<h1>{title}</h1><nav>{nav}</nav>")


def plain(request: HttpRequest, slug: str) -> HttpResponse:
    """Undecorated: the middleware tests cache it."""
    return HttpResponse(_article_html(slug))
