"""The draft-mode cookie: signed, HttpOnly, and able to live inside DatoCMS's iframe.

The enable route sets ``datocms_draft_mode``, signed with Django's signing (``SECRET_KEY``,
a salt bound to ``PREVIEW_SECRET``: see ``signing``) and timestamped; it is valid for
``DATOCMS["DRAFT_MODE_MAX_AGE"]`` seconds. Its attributes depend on the request's scheme:

- **HTTPS**: ``SameSite=None; Secure; Partitioned``. The Web Previews plugin shows the site in
  an iframe of DatoCMS's admin, where the site is a third party: only a ``SameSite=None``
  cookie (which browsers accept only with ``Secure``) is sent there, and ``Partitioned``
  (CHIPS) keeps it working in browsers that block unpartitioned third-party cookies; it is
  kept apart per top-level site, so a draft session opened inside DatoCMS does not follow the
  editor to other tabs.
- **Plain HTTP** (development): ``SameSite=Lax``. Browsers refuse ``SameSite=None`` without
  ``Secure``, so draft mode works in a tab of its own but not inside the plugin's iframe;
  serve the site over HTTPS (a tunnel will do) to preview it inside DatoCMS.

Behind a proxy that ends TLS, set Django's ``SECURE_PROXY_SSL_HEADER`` so that
``request.is_secure()`` tells the truth.

This module must never accept a cookie it cannot verify: no secret, a bad signature or an
expired timestamp all read as ``INVALID``.
"""

from __future__ import annotations

import enum
from collections.abc import Container
from http.cookies import Morsel
from typing import Final

from django.core import signing
from django.http import HttpRequest, HttpResponseBase

from datocms_app.conf import DatoCMSSettings
from datocms_app.preview.signing import draft_cookie_salt

__all__ = [
    "COOKIE_NAME",
    "CookieState",
    "delete_draft_cookie",
    "read_draft_cookie",
    "set_draft_cookie",
]

COOKIE_NAME: Final = "datocms_draft_mode"
_VALUE: Final = "on"


class CookieState(enum.Enum):
    """What a request's draft-mode cookie says."""

    ABSENT = "absent"
    VALID = "valid"
    #: Tampered with, expired, or signed with another secret: ignored, and cleared.
    INVALID = "invalid"


class _PartitionedMorsel(Morsel[str]):
    """A cookie with the ``Partitioned`` attribute (CHIPS), which ``http.cookies`` learns
    only in Python 3.14."""

    def OutputString(self, attrs: Container[str] | None = None) -> str:
        return f"{super().OutputString(attrs)}; Partitioned"


def read_draft_cookie(request: HttpRequest, conf: DatoCMSSettings) -> CookieState:
    """Whether ``request`` carries a valid draft-mode cookie (see ``CookieState``)."""
    if COOKIE_NAME not in request.COOKIES:
        return CookieState.ABSENT
    if not conf.PREVIEW_SECRET:
        return CookieState.INVALID
    try:
        value = request.get_signed_cookie(
            COOKIE_NAME, salt=draft_cookie_salt(conf), max_age=conf.DRAFT_MODE_MAX_AGE
        )
    except signing.BadSignature:  # SignatureExpired is one too
        return CookieState.INVALID
    return CookieState.VALID if value == _VALUE else CookieState.INVALID


def set_draft_cookie(
    response: HttpResponseBase, request: HttpRequest, conf: DatoCMSSettings
) -> None:
    """Put a fresh draft-mode cookie on ``response`` (attributes by the request's scheme)."""
    secure = request.is_secure()
    if secure:
        response.cookies[COOKIE_NAME] = _PartitionedMorsel()
    response.set_signed_cookie(
        COOKIE_NAME,
        _VALUE,
        salt=draft_cookie_salt(conf),
        max_age=conf.DRAFT_MODE_MAX_AGE,
        path="/",
        secure=secure,
        httponly=True,
        samesite="None" if secure else "Lax",
    )


def delete_draft_cookie(response: HttpResponseBase, request: HttpRequest) -> None:
    """Make the browser forget its draft-mode cookie (a partitioned one needs the same
    attributes to be deleted)."""
    secure = request.is_secure()
    if secure:
        response.cookies[COOKIE_NAME] = _PartitionedMorsel()
    response.delete_cookie(COOKIE_NAME, path="/", samesite="None" if secure else "Lax")
