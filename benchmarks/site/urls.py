"""Two views that answer the same bytes: a cached DatoCMS page, and a plain view."""

from django.http import HttpRequest, HttpResponse
from django.template import engines
from django.urls import include, path
from django.views.decorators.cache import cache_page

from datocms_app import cda
from datocms_app.caching import datocms_cache_page

ARTICLE = "query Article { article { title lead body } }"
NAV = "{ allPages { title slug } }"

ARTICLE_DATA = {
    "article": {
        "title": "How tag-based caching keeps pages fresh",
        "lead": "A page is stored under the tags of every query behind it.",
        "body": " ".join(["DatoCMS invalidates tags; the next request renders anew."] * 40),
    }
}
NAV_DATA = {"allPages": [{"title": f"Section {n}", "slug": f"section-{n}"} for n in range(12)]}

PAGE = engines["django"].from_string(
    """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ a.title }}</title>
</head><body><nav><ul>{% for p in nav %}<li><a href="/{{ p.slug }}/">{{ p.title }}</a></li>
{% endfor %}</ul></nav><main><h1>{{ a.title }}</h1><p class="lead">{{ a.lead }}</p>
<div>{{ a.body }}</div></main></body></html>"""
)
PAGE_BYTES = PAGE.render({"a": ARTICLE_DATA["article"], "nav": NAV_DATA["allPages"]}).encode()


@datocms_cache_page
def cached(request: HttpRequest) -> HttpResponse:
    article = cda.query(ARTICLE)["article"]
    nav = cda.query(NAV)["allPages"]
    return HttpResponse(PAGE.render({"a": article, "nav": nav}))


def plain(request: HttpRequest) -> HttpResponse:
    return HttpResponse(PAGE_BYTES)


@cache_page(3600)
def django_cached(request: HttpRequest) -> HttpResponse:
    """Django's own per-view cache (time-based, blind to content changes): a reference."""
    return HttpResponse(PAGE.render({"a": ARTICLE_DATA["article"], "nav": NAV_DATA["allPages"]}))


urlpatterns = [
    path("datocms/", include("datocms_app.urls")),
    path("cached/", cached),
    path("plain/", plain),
    path("django-cached/", django_cached),
]
