"""Record ids a client may choose: RFC 4122 v4 UUIDs in URL-safe base64 (22 characters).

The same algorithm as ``generateId``/``isValidId`` of DatoCMS's JS client: a client that
creates a record with its own ``id`` can link other records to it before it exists, or make
a retried create harmless. Older projects also have numeric ids, which ``is_valid_id``
accepts.
"""

from __future__ import annotations

import base64
import re
import uuid

__all__ = ["generate_id", "is_valid_id"]

URL_SAFE_BASE64_UUID = re.compile(r"[A-Za-z0-9_-]{21}[AQgw]")
#: The largest numeric id DatoCMS ever issued (a 48-bit unsigned integer).
MAX_NUMERIC_ID = 281_474_976_710_655


def generate_id() -> str:
    """A new record id, such as ``"hWl-mnkWRYmMCSTq4z_piQ"``."""
    raw = bytearray(uuid.uuid4().bytes)
    raw[0] &= 0x7F  # the first character is then a letter, never '-' or '_' (JS client)
    return base64.urlsafe_b64encode(bytes(raw)).decode()[:22]


def is_valid_id(value: object) -> bool:
    """Whether ``value`` is an id DatoCMS accepts for a new record."""
    if not isinstance(value, str):
        return False
    if value.isdigit():
        return int(value) <= MAX_NUMERIC_ID
    if not URL_SAFE_BASE64_UUID.fullmatch(value):
        return False  # 16 bytes leave 4 bits of the 22nd character: A, Q, g or w
    raw = base64.urlsafe_b64decode(value + "==")
    return raw[8] & 0xC0 == 0x80 and raw[6] >> 4 == 4
