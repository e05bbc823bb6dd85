"""The value format of each CMA field type, as seeds/002 and seeds/004 ("Field types
overview") give it: what a create/update payload may put in a field.

``problem(field_type, value)`` answers why ``value`` does not fit (None when it does); block
and link fields are checked for their shape here and for their contents by
``datocms_app.cma.validation``. ``None`` fits every field type. Pure functions.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Mapping
from typing import Any

from datocms_app.validation_errors import shown_value

__all__ = ["EXPECTATIONS", "describe", "problem"]

#: What each field type takes, for messages.
EXPECTATIONS = {
    "string": "a string",
    "text": "a string",
    "slug": "a string of lowercase letters, digits, '_' and '-' (such as 'my-first-post')",
    "boolean": "True or False",
    "integer": "an integer",
    "float": "a number",
    "date": "an ISO 8601 date string such as '2015-12-29' (or a datetime.date)",
    "date_time": (
        "an ISO 8601 date-time string such as '2020-04-17T16:34:31.981+01:00' "
        "(or a datetime.datetime)"
    ),
    "color": "a dict of red, green, blue and alpha, integers 0-255 (cma.color(...))",
    "json": "a JSON-serialised string (cma.json_value(value), not the value itself)",
    "lat_lon": "a dict of latitude (-90 to 90) and longitude (-180 to 180) (cma.lat_lon(...))",
    "seo": (
        "a dict of title, description, image (an upload id), twitter_card ('summary' or "
        "'summary_large_image') and no_index, all optional (cma.seo(...))"
    ),
    "video": (
        "a dict of provider ('youtube', 'vimeo' or 'facebook'), provider_uid, url, width, "
        "height, thumbnail_url and title (cma.video(...))"
    ),
    "file": (
        "a dict of upload_id and, optionally, alt, title, focal_point ({'x', 'y'} from 0 to "
        "1) and custom_data (cma.file(...))"
    ),
    "gallery": "a list of file dicts (cma.gallery(...))",
    "link": "a record id",
    "links": "a list of record ids",
    "rich_text": "a list of blocks (cma.build_block_record(...)) and block ids",
    "single_block": "a block (cma.build_block_record(...)) or a block id",
    "structured_text": (
        "a dast document {'schema': 'dast', 'document': {'type': 'root', ...}} (cma.dast)"
    ),
}

SLUG = re.compile(r"^[a-z0-9_]+(?:-[a-z0-9]+)*$")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
#: What a date-time string must hold before it is read (the date and the time of day).
DATE_TIME = re.compile("T")
ANY_TEXT = re.compile("")
VIDEO_PROVIDERS = ("youtube", "vimeo", "facebook")
TWITTER_CARDS = ("summary", "summary_large_image")


def describe(value: object) -> str:
    """``got str '299'``: what a message says of a value that does not fit."""
    return f"got {shown_value(value)}"


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _keys(value: Mapping[str, Any], required: tuple[str, ...], optional: tuple[str, ...]) -> str:
    missing = [key for key in required if key not in value]
    if missing:
        return f"but {', '.join(repr(key) for key in missing)} is missing"
    extra = sorted(str(key) for key in value if key not in required and key not in optional)
    if extra:
        return f"but {', '.join(repr(key) for key in extra)} is not one of its keys"
    return ""


def _string(value: Any) -> str | None:
    return None if isinstance(value, str) else describe(value)


def _slug(value: Any) -> str | None:
    if not isinstance(value, str):
        return describe(value)
    return None if SLUG.match(value) else f"got {value!r}"


def _boolean(value: Any) -> str | None:
    return None if isinstance(value, bool) else describe(value)


def _integer(value: Any) -> str | None:
    return None if _is_int(value) else describe(value)


def _float(value: Any) -> str | None:
    return None if _is_number(value) else describe(value)


def _read_as(
    value: Any,
    read: Callable[[str], object],
    shape: re.Pattern[str],
    refused: Callable[[str], str],
) -> str | None:
    """None for a string of that ``shape`` that ``read`` takes; else why not (``refused``
    says it of a string ``read`` refused)."""
    if not isinstance(value, str) or not shape.search(value):
        return describe(value)
    try:
        read(value)
    except ValueError:
        return refused(value)
    return None


def _date(value: Any) -> str | None:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return None
    return _read_as(
        value, dt.date.fromisoformat, DATE, lambda text: f"got {text!r}, not a calendar date"
    )


def _date_time(value: Any) -> str | None:
    if isinstance(value, dt.datetime):
        return None
    return _read_as(value, dt.datetime.fromisoformat, DATE_TIME, lambda text: f"got {text!r}")


def _color(value: Any) -> str | None:
    if not isinstance(value, Mapping):
        return describe(value)
    wrong = _keys(value, ("red", "green", "blue", "alpha"), ())
    if wrong:
        return wrong
    for key in ("red", "green", "blue", "alpha"):
        if not _is_int(value[key]) or not 0 <= value[key] <= 255:
            return f"but {key!r} is {value[key]!r}"
    return None


def _json(value: Any) -> str | None:
    return _read_as(
        value, json.loads, ANY_TEXT, lambda text: f"but {text[:40]!r} is not valid JSON"
    )


def _lat_lon(value: Any) -> str | None:
    if not isinstance(value, Mapping):
        return describe(value)
    wrong = _keys(value, ("latitude", "longitude"), ())
    if wrong:
        return wrong
    for key, limit in (("latitude", 90), ("longitude", 180)):
        if not _is_number(value[key]) or not -limit <= value[key] <= limit:
            return f"but {key!r} is {value[key]!r}"
    return None


def _seo(value: Any) -> str | None:
    if not isinstance(value, Mapping):
        return describe(value)
    wrong = _keys(value, (), ("title", "description", "image", "twitter_card", "no_index"))
    if wrong:
        return wrong
    for key in ("title", "description", "image"):
        if value.get(key) is not None and not isinstance(value[key], str):
            return f"but {key!r} is {value[key]!r}"
    if value.get("twitter_card") not in (None, *TWITTER_CARDS):
        return f"but 'twitter_card' is {value['twitter_card']!r}"
    if value.get("no_index") is not None and not isinstance(value["no_index"], bool):
        return f"but 'no_index' is {value['no_index']!r}"
    return None


def _video(value: Any) -> str | None:
    if not isinstance(value, Mapping):
        return describe(value)
    required = ("provider", "provider_uid", "url", "width", "height", "thumbnail_url", "title")
    wrong = _keys(value, required, ())
    if wrong:
        return wrong
    if value["provider"] not in VIDEO_PROVIDERS:
        return f"but 'provider' is {value['provider']!r}"
    for key in ("width", "height"):
        if not _is_int(value[key]):
            return f"but {key!r} is {value[key]!r}"
    for key in ("provider_uid", "url", "thumbnail_url", "title"):
        if not isinstance(value[key], str):
            return f"but {key!r} is {value[key]!r}"
    return None


def _file(value: Any) -> str | None:
    if not isinstance(value, Mapping):
        return describe(value)
    wrong = _keys(value, ("upload_id",), ("alt", "title", "focal_point", "custom_data"))
    if wrong:
        return wrong
    if not isinstance(value["upload_id"], str) or not value["upload_id"]:
        return f"but 'upload_id' is {value['upload_id']!r}"
    for key in ("alt", "title"):
        if value.get(key) is not None and not isinstance(value[key], str):
            return f"but {key!r} is {value[key]!r}"
    point = value.get("focal_point")
    if point is not None and not (
        isinstance(point, Mapping)
        and set(point) == {"x", "y"}
        and all(_is_number(point[axis]) and 0 <= point[axis] <= 1 for axis in ("x", "y"))
    ):
        return f"but 'focal_point' is {point!r}"
    custom = value.get("custom_data")
    if custom is not None and not (
        isinstance(custom, Mapping) and all(isinstance(key, str) for key in custom)
    ):
        return f"but 'custom_data' is {custom!r}"
    return None


def _gallery(value: Any) -> str | None:
    if not isinstance(value, list):
        return describe(value)
    for index, entry in enumerate(value):
        reason = _file(entry)
        if reason:
            return f"but in [{index}], {reason.removeprefix('but ')}"
    return None


def _link(value: Any) -> str | None:
    return None if isinstance(value, str) and value else describe(value)


def _links(value: Any) -> str | None:
    if not isinstance(value, list):
        return describe(value)
    for index, entry in enumerate(value):
        if not isinstance(entry, str) or not entry:
            return f"but [{index}] is {entry!r}"
    return None


def _block(value: Any) -> str | None:
    return None if isinstance(value, str | Mapping) else describe(value)


def _blocks(value: Any) -> str | None:
    return None if isinstance(value, list) else describe(value)


def _structured_text(value: Any) -> str | None:
    if not isinstance(value, Mapping):
        return describe(value)
    if value.get("schema") != "dast":
        return f"but 'schema' is {value.get('schema')!r}"
    if not isinstance(value.get("document"), Mapping):
        return f"but 'document' is {value.get('document')!r}"
    return None


CHECKS: dict[str, Callable[[Any], str | None]] = {
    "string": _string,
    "text": _string,
    "slug": _slug,
    "boolean": _boolean,
    "integer": _integer,
    "float": _float,
    "date": _date,
    "date_time": _date_time,
    "color": _color,
    "json": _json,
    "lat_lon": _lat_lon,
    "seo": _seo,
    "video": _video,
    "file": _file,
    "gallery": _gallery,
    "link": _link,
    "links": _links,
    "rich_text": _blocks,
    "single_block": _block,
    "structured_text": _structured_text,
}


def problem(field_type: str, value: object) -> str | None:
    """Why ``value`` does not fit ``field_type`` (``"got str '299'"``), or None when it does.

    A field type this module does not know is not checked (DatoCMS may add new ones).
    """
    if value is None:
        return None
    check = CHECKS.get(field_type)
    return check(value) if check is not None else None
