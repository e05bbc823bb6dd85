"""Where the draft-mode routes may send a browser: a path on this site, never anywhere else.

The Web Previews plugin passes the page to open as ``?redirect=/blog/my-article``. Anyone can
craft such a link, so ``safe_redirect_path`` accepts only a path of this site and answers
``"/"`` for anything else: absolute URLs (``https://evil.example``, ``javascript:...``),
scheme-relative ones (``//evil.example``, ``///evil.example``), backslashes that browsers
read as slashes (``/\\evil.example``, ``\\\\evil.example``), control characters that
browsers drop from URLs (tabs, newlines: ``/\\t/evil.example`` is ``//evil.example`` to them),
and every percent-encoded form of those (``%2F%2Fevil.example``, ``/%5Cevil.example``,
``/%09/evil.example``, encoded twice or three times): each decoded form must pass the same
rules. Django's ``url_has_allowed_host_and_scheme`` is asked last, as a second opinion.

This module must never return anything but ``"/"`` or the path it was given, unchanged.
"""

from __future__ import annotations

import re
from typing import Final
from urllib.parse import unquote

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme

__all__ = ["FALLBACK", "MAX_PATH_LENGTH", "safe_redirect_path"]

#: Where a refused redirect goes.
FALLBACK: Final = "/"
#: Longer targets are refused (no page of a site needs more; a header must stay small).
MAX_PATH_LENGTH: Final = 2048
#: Percent-decoding rounds checked; a target still changing after them is refused.
_DECODING_ROUNDS: Final = 3
# C0 control characters (browsers drop tabs, CR and LF from URLs) and DEL.
_CONTROL: Final = re.compile(r"[\x00-\x1f\x7f]")


def safe_redirect_path(target: str | None, request: HttpRequest) -> str:
    """``target`` when it is a path on this site (``/articles/x/?page=2#top``), else ``"/"``."""
    if not isinstance(target, str) or not target or len(target) > MAX_PATH_LENGTH:
        return FALLBACK
    form = target
    for _ in range(_DECODING_ROUNDS + 1):
        if not _is_local_path(form, request):
            return FALLBACK
        decoded = unquote(form)
        if decoded == form:
            return target
        form = decoded
    return FALLBACK


def _is_local_path(value: str, request: HttpRequest) -> bool:
    if not value.startswith("/") or value[1:2] in ("/", "\\"):
        return False
    if "\\" in value or _CONTROL.search(value):
        return False
    return url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
