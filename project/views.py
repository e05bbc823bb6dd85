"""The demo magazine's views: plain Django views that query DatoCMS through datocms_app."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from datocms_app import cda
from datocms_app.exceptions import CDAError, ConfigurationError

HOME_QUERY = """
query Home {
  _site { globalSeo { siteName } }
  allArticles(first: 10, orderBy: _firstPublishedAt_DESC) { id title slug }
}
"""


def home(request: HttpRequest) -> HttpResponse:
    try:
        data = cda.query(HOME_QUERY)
    except ConfigurationError as exc:
        return render(request, "setup.html", {"problem": str(exc)}, status=503)
    except CDAError as exc:
        return render(request, "setup.html", {"problem": str(exc)}, status=503)
    return render(request, "home.html", {"data": data})
