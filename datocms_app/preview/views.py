"""Draft mode on and off: the routes the Web Previews plugin and the banner link to.

- ``GET /datocms/draft-mode/enable/?token=SECRET&redirect=/path`` (``datocms:draft-mode-enable``):
  with the right ``token`` (``DATOCMS["PREVIEW_SECRET"]``, compared in constant time) it sets
  the signed draft-mode cookie (``cookies``) and redirects to ``redirect`` when that is a path
  of this site (``redirects``), else to ``/``. A wrong or missing token: 401, nothing set.
- ``GET /datocms/draft-mode/disable/?redirect=/path`` (``datocms:draft-mode-disable``): clears
  the cookie and redirects the same way. It needs no token: leaving draft mode is always
  allowed, and the banner's exit link must not carry the secret.

Their answers, refusals included, may be shown in the plugin's iframe
(``PREVIEW_FRAME_ANCESTORS``): an editor sees why a link failed, not a blocked frame.

With no ``PREVIEW_SECRET`` configured both answer 403, saying that draft mode is off on this
site (``manage.py check`` warns when the middleware is installed without it and ``DEBUG``
is False: datocms.W070).
Other methods: 405. Every answer is ``Cache-Control: no-store``.

This module must never set the cookie without the right token, redirect off-site, or echo
the secret.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect

from datocms_app.conf import DatoCMSSettings, get_settings
from datocms_app.preview.cookies import delete_draft_cookie, set_draft_cookie
from datocms_app.preview.headers import allow_frames
from datocms_app.preview.redirects import safe_redirect_path
from datocms_app.preview.responses import html_refusal, unless_refused
from datocms_app.preview.signing import secret_matches

__all__ = ["disable_draft_mode", "enable_draft_mode"]

_SAFE_METHODS = ("GET", "HEAD")


def _refusal(request: HttpRequest, conf: DatoCMSSettings) -> HttpResponse | None:
    """The answer to a request these routes do not serve, or None."""
    if request.method not in _SAFE_METHODS:
        response = html_refusal(
            request,
            405,
            "Method not allowed",
            "The draft-mode routes are links: open them with GET.",
        )
        response.headers["Allow"] = ", ".join(_SAFE_METHODS)
        return response
    if not conf.PREVIEW_SECRET:
        return html_refusal(
            request,
            403,
            "Draft mode is off",
            "This site has no preview secret (DATOCMS['PREVIEW_SECRET']), so draft mode "
            "cannot be turned on or off here.",
        )
    return None


def _redirect(request: HttpRequest) -> HttpResponseRedirect:
    response = HttpResponseRedirect(safe_redirect_path(request.GET.get("redirect"), request))
    response.headers["Cache-Control"] = "no-store"
    return response


def _framable(view: Callable[[HttpRequest], HttpResponse]) -> Callable[[HttpRequest], HttpResponse]:
    @wraps(view)
    def framable_view(request: HttpRequest) -> HttpResponse:
        response = view(request)
        allow_frames(response, get_settings().PREVIEW_FRAME_ANCESTORS)
        return response

    return framable_view


@_framable
@unless_refused(_refusal)
def enable_draft_mode(request: HttpRequest, conf: DatoCMSSettings) -> HttpResponse:
    """Turn draft mode on for this browser and go to ``?redirect=`` (see the module docs)."""
    if not secret_matches(request.GET.get("token", ""), conf):
        return html_refusal(
            request,
            401,
            "Wrong preview token",
            "The token is missing or wrong: use the draft-mode URL configured in DatoCMS's "
            "Web Previews plugin, whose ?token= is this site's preview secret.",
        )
    response = _redirect(request)
    set_draft_cookie(response, request, conf)
    return response


@_framable
@unless_refused(_refusal)
def disable_draft_mode(request: HttpRequest, conf: DatoCMSSettings) -> HttpResponse:
    """Turn draft mode off for this browser and go to ``?redirect=``."""
    response = _redirect(request)
    delete_draft_cookie(response, request)
    return response
