"""The draft-mode banner: tells editors they see unpublished content, and lets them leave.

``{% datocms_draft_mode_banner %}`` (put it first in ``<body>``) renders
``datocms/preview/banner.html`` in draft mode and nothing otherwise. The template gets
``exit_url``: the disable route, back to the current page. Override the template to match the
site (it needs ``django.template.context_processors.request``).

This module must never render anything for a request that is not in draft mode.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString

from datocms_app.caching.page_cache import is_draft_request

__all__ = ["exit_draft_mode_url", "render_banner"]


def exit_draft_mode_url(request: HttpRequest) -> str:
    """The disable route, redirecting back to the page of ``request``."""
    query = urlencode({"redirect": request.get_full_path()})
    return f"{reverse('datocms:draft-mode-disable')}?{query}"


def render_banner(request: HttpRequest | None) -> SafeString:
    """The banner for ``request`` in draft mode, else ``""`` (also without a request)."""
    if request is None or not is_draft_request(request):
        return SafeString("")
    html = render_to_string(
        "datocms/preview/banner.html", {"exit_url": exit_draft_mode_url(request)}, request=request
    )
    return SafeString(html)
