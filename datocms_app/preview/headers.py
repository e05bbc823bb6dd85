"""The headers of a response in draft mode: private, unindexed, and framable by DatoCMS.

- ``Cache-Control: private, no-store`` and ``X-Robots-Tag: noindex``: a page with drafts must
  reach no shared cache and no search engine (the page cache sets them too; this holds
  without it).
- No ``X-Frame-Options``: the Web Previews plugin shows the page in an iframe. The response is
  marked ``xframe_options_exempt`` (Django's ``XFrameOptionsMiddleware`` then leaves it alone
  when it sits after the draft-mode middleware) and a header already set is removed (when it
  sits before).
- ``Content-Security-Policy: frame-ancestors ...`` with ``DATOCMS["PREVIEW_FRAME_ANCESTORS"]``
  (by default ``'self' https://plugins-cdn.datocms.com``, as DatoCMS's docs prescribe). A
  policy the site already sends keeps its other directives; its ``frame-ancestors`` is
  replaced.

This module must never touch a response outside draft mode (and the draft-mode routes, which
the plugin opens in its iframe): ``frame-ancestors`` is loosened for editors only.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.http import HttpResponseBase

__all__ = ["allow_frames", "patch_draft_response", "with_frame_ancestors"]

_FRAME_ANCESTORS = "frame-ancestors"


def with_frame_ancestors(policy: str | None, sources: Sequence[str]) -> str:
    """``policy`` (a CSP header value, or None) with its ``frame-ancestors`` set to ``sources``."""
    kept = [
        directive.strip()
        for directive in (policy or "").split(";")
        if directive.strip() and directive.split(None, 1)[0].lower() != _FRAME_ANCESTORS
    ]
    return "; ".join([*kept, " ".join([_FRAME_ANCESTORS, *sources])])


def patch_draft_response(response: HttpResponseBase, frame_ancestors: Sequence[str]) -> None:
    """Give a draft-mode response its headers (see the module docstring)."""
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Robots-Tag"] = "noindex"
    allow_frames(response, frame_ancestors)


def allow_frames(response: HttpResponseBase, frame_ancestors: Sequence[str]) -> None:
    """Let ``frame_ancestors`` (and only them) show ``response`` in an iframe."""
    response.xframe_options_exempt = True  # type: ignore[attr-defined]
    if "X-Frame-Options" in response.headers:
        del response.headers["X-Frame-Options"]
    response.headers["Content-Security-Policy"] = with_frame_ancestors(
        response.headers.get("Content-Security-Policy"), frame_ancestors
    )
