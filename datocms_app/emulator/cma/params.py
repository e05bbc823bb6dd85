"""Reading a CMA request: bracketed query parameters and JSON:API bodies.

Query strings use the bracket notation DatoCMS's clients send
(``filter[type]=dog&filter[fields][name][in][]=Rex&page[limit]=2``); ``parse_query``
turns them into nested dicts and lists, ``Params`` reads typed values out of them.
``resource`` checks a request body is ``{"data": {"type": <type>, ...}}`` and returns the
resource. Every mistake is a ``CMARefused`` naming the parameter: ``INVALID_PARAMS`` for the
query string, ``INVALID_FORMAT`` for the body (with DatoCMS's ``details.messages``).
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl

from datocms_app.emulator.cma.errors import refused

__all__ = [
    "Params",
    "client_id",
    "is_datocms_id",
    "known_attributes",
    "parse_query",
    "resource",
]

_KEY = re.compile(r"^([^\[\]]+)((?:\[[^\[\]]*\])*)$")


def parse_query(query_string: str) -> dict[str, Any]:
    """``a[b][c]=1&d[]=x&d[]=y`` as ``{"a": {"b": {"c": "1"}}, "d": ["x", "y"]}``."""
    found: dict[str, Any] = {}
    for key, value in parse_qsl(query_string, keep_blank_values=True):
        match = _KEY.match(key)
        if match is None:
            raise refused("INVALID_PARAMS", f"Cannot read the query parameter {key!r}.", key=key)
        parts = [match.group(1), *re.findall(r"\[([^\[\]]*)\]", match.group(2))]
        node: Any = found
        for index, part in enumerate(parts):
            last = index == len(parts) - 1
            following = None if last else parts[index + 1]
            if part == "":
                if not isinstance(node, list):
                    raise refused("INVALID_PARAMS", f"{key!r} mixes a list and an object.")
                if last:
                    node.append(value)
                else:
                    node.append({} if following != "" else [])
                    node = node[-1]
                continue
            if not isinstance(node, dict):
                raise refused("INVALID_PARAMS", f"{key!r} mixes a list and an object.")
            if last:
                node[part] = value
            else:
                node = node.setdefault(part, [] if following == "" else {})
    return found


class Params:
    """Typed access to parsed query parameters (``parse_query``)."""

    def __init__(self, query_string: str) -> None:
        self.values = parse_query(query_string)

    def text(self, *path: str) -> str | None:
        value = self._at(path)
        if value is not None and not isinstance(value, str):
            raise refused(
                "INVALID_PARAMS", f"{_name(path)} must be a single value.", param=_name(path)
            )
        return value

    def flag(self, *path: str) -> bool:
        value = self.text(*path)
        if value in (None, "false", "0", ""):
            return False
        if value in ("true", "1"):
            return True
        raise refused(
            "INVALID_PARAMS", f"{_name(path)} must be true or false, got {value!r}.",
            param=_name(path),
        )  # fmt: skip

    def number(self, *path: str, default: int, minimum: int, maximum: int) -> int:
        value = self.text(*path)
        if value is None:
            return default
        try:
            number = int(value)
        except ValueError:
            number = minimum - 1
        if not minimum <= number <= maximum:
            raise refused(
                "INVALID_PARAMS",
                f"{_name(path)} must be an integer from {minimum} to {maximum}, got {value!r}.",
                param=_name(path),
            )
        return number

    def choice(self, *path: str, choices: tuple[str, ...], default: str) -> str:
        value = self.text(*path)
        if value is None:
            return default
        if value not in choices:
            raise refused(
                "INVALID_PARAMS",
                f"{_name(path)} must be one of {', '.join(choices)}, got {value!r}.",
                param=_name(path),
            )
        return value

    def locale(self, locales: tuple[str, ...]) -> str:
        """The ``locale`` parameter (one of ``locales``; default: the first)."""
        value = self.text("locale") or locales[0]
        if value not in locales:
            raise refused(
                "INVALID_PARAMS",
                f"locale must be one of {', '.join(locales)}, got {value!r}.",
                param="locale",
            )
        return value

    def mapping(self, *path: str) -> Mapping[str, Any]:
        value = self._at(path)
        if value is None:
            return {}
        if not isinstance(value, Mapping):
            raise refused(
                "INVALID_PARAMS", f"{_name(path)} must be an object, e.g. {_name(path)}[name]=...",
                param=_name(path),
            )  # fmt: skip
        return value

    def unknown(self, known: set[str]) -> None:
        """Refuse top-level parameters other than ``known``."""
        extra = sorted(set(self.values) - known)
        if extra:
            raise refused(
                "INVALID_PARAMS",
                f"Unknown query parameter(s) {', '.join(extra)}; this endpoint takes "
                f"{', '.join(sorted(known)) or 'none'}.",
                params=extra,
            )

    def _at(self, path: tuple[str, ...]) -> Any:
        node: Any = self.values
        for part in path:
            if not isinstance(node, Mapping):
                return None
            node = node.get(part)
        return node


def _name(path: tuple[str, ...]) -> str:
    return path[0] + "".join(f"[{part}]" for part in path[1:])


def resource(body: Any, resource_type: str, *, required: bool = True) -> dict[str, Any] | None:
    """The ``data`` resource of a JSON:API request body, checked to be of ``resource_type``."""
    if body is None and not required:
        return None
    messages = []
    data = body.get("data") if isinstance(body, Mapping) else None
    if not isinstance(data, Mapping):
        messages.append('#: the body must be a JSON:API document {"data": {...}}')
    else:
        if data.get("type") != resource_type:
            messages.append(f"#/data/type: must be {resource_type!r}, got {data.get('type')!r}")
        for key in ("attributes", "relationships", "meta"):
            if data.get(key) is not None and not isinstance(data[key], Mapping):
                messages.append(f"#/data/{key}: must be an object")
        if data.get("id") is not None and not isinstance(data["id"], str):
            messages.append("#/data/id: must be a string")
    if messages:
        raise refused("INVALID_FORMAT", "; ".join(messages), messages=messages)
    assert isinstance(data, Mapping)
    return dict(data)


def known_attributes(data: Mapping[str, Any], known: frozenset[str], what: str) -> dict[str, Any]:
    """The ``attributes`` of a resource, refused (``INVALID_FORMAT``) if one is unknown."""
    attributes = dict(data.get("attributes") or {})
    unknown = sorted(set(attributes) - known)
    if unknown:
        raise refused(
            "INVALID_FORMAT",
            f"A{'n' if what[0] in 'aeiou' else ''} {what} takes no attribute {', '.join(unknown)}.",
            messages=[f"#/data/attributes: {key} is not a permitted key" for key in unknown],
        )
    return attributes


def is_datocms_id(value: str) -> bool:
    """An RFC 4122 UUID (version 4) in URL-safe base64, 22 characters: DatoCMS's ids."""
    if len(value) != 22:
        return False
    try:
        raw = base64.urlsafe_b64decode(value + "==")
    except (binascii.Error, ValueError):
        return False
    return len(raw) == 16 and raw[6] >> 4 == 4 and raw[8] >> 6 == 0b10


def client_id(data: Mapping[str, Any], what: str) -> str | None:
    """The ``id`` a client chose for a new resource (None if it chose none), checked."""
    given = data.get("id")
    if given is not None and not is_datocms_id(given):
        raise refused(
            "INVALID_ENTITY_ID",
            f"{given!r} is not a valid {what} id: ids are RFC 4122 (version 4) UUIDs in "
            "URL-safe base64, 22 characters, e.g. 'hWl-mnkWRYmMCSTq4z_piQ'.",
            id=given,
        )
    return given
