"""Helpers that build field values in the formats the CMA takes (seeds/002, seeds/004).

::

    from datocms_app import cma

    client.items.create({
        "item_type": Schema.LandingPage.REF,
        "title": "Product Launch",
        "brand_color": cma.color(239, 208, 156),
        "location": cma.lat_lon(45.0703393, 7.686864),
        "specifications": cma.json_value({"bluetooth": "5.0"}),
        "cover": cma.file(upload["id"], alt="Headphones", focal_point=(0.3, 0.2)),
        "sections": [cma.build_block_record(Schema.HeroBlock, headline="Hello")],
        "name": cma.localized(en="Alfie", it="Asso"),
    })

Each helper checks its arguments and raises ``InvalidArgument`` saying what it takes.
Updates of blocks: keep a block as its id, change one with ``update_block_record(id,
**changed)``, add one with ``build_block_record``, reorder or drop ids (seeds/003).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from datocms_app.cma import field_values, jsonapi
from datocms_app.cma.types import BlockRecord, Color, FileValue, FocalPoint, LatLon, Seo, Video
from datocms_app.exceptions import InvalidArgument

__all__ = [
    "build_block_record",
    "color",
    "color_from_hex",
    "file",
    "gallery",
    "json_value",
    "lat_lon",
    "link",
    "links",
    "localized",
    "seo",
    "update_block_record",
    "video",
]


def build_block_record(item_type: object, /, **fields: Any) -> BlockRecord:
    """A new block of ``item_type`` (an id, a linkage or ``Schema.X``) with these fields,
    as ``buildBlockRecord`` of DatoCMS's JS client builds it."""
    return {
        "type": "item",
        "attributes": dict(fields),
        "relationships": {"item_type": {"data": jsonapi.item_type_ref(item_type)}},
    }


def update_block_record(
    block_id: object, /, *, item_type: object = None, **changed_fields: Any
) -> BlockRecord:
    """An existing block with only the fields that change (the others are kept)."""
    block: BlockRecord = {
        "id": jsonapi.to_id(block_id, "block"),
        "type": "item",
        "attributes": dict(changed_fields),
    }
    if item_type is not None:
        block["relationships"] = {"item_type": {"data": jsonapi.item_type_ref(item_type)}}
    return block


def _check(field_type: str, value: Any) -> None:
    reason = field_values.problem(field_type, value)
    if reason is not None:
        raise InvalidArgument(
            f"A {field_type} value is {field_values.EXPECTATIONS[field_type]}, {reason}."
        )


def color(red: int, green: int, blue: int, alpha: int = 255) -> Color:
    """A color field's value (integers 0-255)."""
    value: Color = {"red": red, "green": green, "blue": blue, "alpha": alpha}
    _check("color", value)
    return value


def color_from_hex(hex_color: str) -> Color:
    """A color from ``"#EFD09C"`` or ``"#EFD09C80"`` (alpha last)."""
    digits = hex_color.removeprefix("#") if isinstance(hex_color, str) else ""
    if len(digits) not in (6, 8) or any(c not in "0123456789abcdefABCDEF" for c in digits):
        raise InvalidArgument(f"A hex color is '#RRGGBB' or '#RRGGBBAA', got {hex_color!r}.")
    channels = [int(digits[index : index + 2], 16) for index in range(0, len(digits), 2)]
    return color(*channels)


def lat_lon(latitude: float, longitude: float) -> LatLon:
    """A geolocation field's value."""
    value: LatLon = {"latitude": latitude, "longitude": longitude}
    _check("lat_lon", value)
    return value


def json_value(value: Any) -> str:
    """A JSON field's value: the JSON text of ``value`` (the CMA takes a string), compact as
    ``JSON.stringify`` writes it."""
    try:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    except (TypeError, ValueError) as exc:
        raise InvalidArgument(f"A JSON field's value must be JSON-serialisable: {exc}.") from exc


def seo(
    *,
    title: str | None = None,
    description: str | None = None,
    image: object = None,
    twitter_card: str | None = None,
    no_index: bool | None = None,
) -> Seo:
    """An SEO field's value; ``image`` is an upload (or its id). Unset keys are left out."""
    value: dict[str, Any] = {
        "title": title,
        "description": description,
        "image": None if image is None else jsonapi.to_id(image, "upload"),
        "twitter_card": twitter_card,
        "no_index": no_index,
    }
    result: Seo = {key: item for key, item in value.items() if item is not None}  # type: ignore[assignment]
    _check("seo", result)
    return result


def file(
    upload: object,
    *,
    alt: str | None = None,
    title: str | None = None,
    focal_point: tuple[float, float] | FocalPoint | None = None,
    custom_data: Mapping[str, Any] | None = None,
) -> FileValue:
    """A single-asset field's value: an upload (or its id) and the metadata that overrides
    the upload's defaults (``focal_point`` as ``(x, y)`` from 0 to 1)."""
    value: FileValue = {"upload_id": jsonapi.to_id(upload, "upload")}
    if alt is not None:
        value["alt"] = alt
    if title is not None:
        value["title"] = title
    if focal_point is not None:
        if isinstance(focal_point, tuple) and len(focal_point) == 2:
            value["focal_point"] = {"x": focal_point[0], "y": focal_point[1]}
        else:
            value["focal_point"] = focal_point
    if custom_data is not None:
        value["custom_data"] = dict(custom_data)
    _check("file", value)
    return value


def gallery(*uploads: object) -> list[FileValue]:
    """A gallery field's value from uploads, their ids or ``file(...)`` values."""
    entries: list[FileValue] = []
    for upload in uploads:
        if isinstance(upload, Mapping) and "upload_id" in upload:
            _check("file", upload)
            entries.append(dict(upload))  # type: ignore[arg-type]
        else:
            entries.append(file(upload))
    return entries


def video(
    *,
    provider: str,
    provider_uid: str,
    url: str,
    width: int,
    height: int,
    thumbnail_url: str,
    title: str,
) -> Video:
    """An external video field's value (YouTube, Vimeo or Facebook)."""
    value = {
        "provider": provider,
        "provider_uid": provider_uid,
        "url": url,
        "width": width,
        "height": height,
        "thumbnail_url": thumbnail_url,
        "title": title,
    }
    _check("video", value)
    return value  # type: ignore[return-value]


def link(record: object) -> str:
    """A link field's value: the id of ``record`` (a record dict or an id)."""
    return jsonapi.to_id(record)


def links(*records: object) -> list[str]:
    """A links field's value: the ids of ``records`` (record dicts or ids), in order."""
    return [jsonapi.to_id(record) for record in records]


def localized(values: Mapping[str, Any] | None = None, /, **by_locale: Any) -> dict[str, Any]:
    """A localized field's value: ``localized(en="Alfie", it="Asso")``, or a dict for
    locales that are not identifiers (``localized({"pt-BR": "..."})``). Every localized
    field of a payload must name the same locales; ``None`` keeps a locale's key."""
    merged = {**dict(values or {}), **by_locale}
    if not merged or not all(isinstance(locale, str) and locale for locale in merged):
        raise InvalidArgument(
            f"localized() takes one value per locale, such as localized(en='Hi', it='Ciao'); "
            f"got {merged!r}."
        )
    return merged
