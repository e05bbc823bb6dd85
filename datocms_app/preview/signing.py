"""The secrets of draft mode: the plugin's token, the draft-mode cookie, live-updates descriptions.

- ``secret_matches(given, conf)``: the ``?token=`` of the draft-mode and preview-links URLs
  against ``DATOCMS["PREVIEW_SECRET"]``, compared in constant time; never true when no secret
  is configured.
- ``draft_cookie_salt(conf)``: the salt of the signed draft-mode cookie. It holds a digest of
  ``PREVIEW_SECRET``, so that changing the secret ends every draft-mode session at once.
- ``sign_description`` / ``unsign_description``: the live-updates description a page embeds,
  signed with Django's ``TimestampSigner`` (``SECRET_KEY``, a salt of its own), so that the
  live-updates endpoint registers only queries this site ran itself.

A signature authenticates, it does not hide: anyone can read a signed value. This module must
never sign a token or a secret into anything, nor compare a secret in variable time.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from django.core import signing

from datocms_app.conf import DatoCMSSettings

__all__ = [
    "DESCRIPTION_SALT",
    "draft_cookie_salt",
    "secret_matches",
    "sign_description",
    "unsign_description",
]

#: The salt of live-updates descriptions (a signature for one purpose is worth nothing for
#: another: a draft-mode cookie value can never pass for a description, nor the reverse).
DESCRIPTION_SALT = "datocms_app.preview.live-updates"
_COOKIE_SALT = "datocms_app.preview.draft-mode"


def secret_matches(given: str, conf: DatoCMSSettings) -> bool:
    """Whether ``given`` is ``PREVIEW_SECRET`` (False when none is set), in constant time."""
    if not isinstance(given, str) or not conf.PREVIEW_SECRET:
        return False
    return hmac.compare_digest(given.encode(), conf.PREVIEW_SECRET.encode())


def draft_cookie_salt(conf: DatoCMSSettings) -> str:
    """The salt the draft-mode cookie is signed with (bound to ``PREVIEW_SECRET``)."""
    digest = hashlib.sha256(conf.PREVIEW_SECRET.encode()).hexdigest()[:32]
    return f"{_COOKIE_SALT}:{digest}"


def sign_description(payload: Any) -> str:
    """``payload`` (JSON) signed and timestamped, compressed: URL-safe text for a page."""
    return signing.dumps(payload, salt=DESCRIPTION_SALT, compress=True)


def unsign_description(signed: str, *, max_age: int | None = None) -> Any:
    """The payload of ``sign_description``; ``signing.BadSignature`` when it was not signed
    here (or was changed), ``signing.SignatureExpired`` when older than ``max_age`` seconds."""
    return signing.loads(signed, salt=DESCRIPTION_SALT, max_age=max_age)
