"""Field values in the CMA's shape: checking them and storing them.

``FieldValues`` turns the raw field values of a record (as written in a content project's
files, or sent to the CMA) into the stored form: localized fields as ``{locale: value}``,
dates normalized to UTC ISO 8601, JSON fields parsed, and embedded block objects replaced by
block ids (the blocks themselves are collected in ``.blocks``). Anything that does not fit
the field raises ``ContentError`` saying where, what was expected and what was found.

Value shapes (one per ``field_type``): strings for string/text/slug, booleans, integers,
floats, ``"2024-05-01"`` dates, ISO date-times, ``{"red", "green", "blue", "alpha"}``
colors, ``{"latitude", "longitude"}``, any JSON value (or a string of JSON), SEO objects
``{"title", "description", "image", "twitter_card", "no_index"}``, record ids for links,
``{"upload_id", "alt", "title", "focal_point", "custom_data"}`` for files, and
``{"schema": "dast", "document": ...}`` for structured text. Blocks are objects with an
``item_type`` (block model API key), an optional ``id`` and their own field values.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Callable, Collection, Mapping
from datetime import UTC, date, datetime
from typing import Any

from datocms_app.emulator import dast
from datocms_app.emulator.exceptions import ContentError
from datocms_app.emulator.project import Block, Field, Model, ProjectSchema
from datocms_app.emulator.validation import version_problems

__all__ = [
    "ID_PATTERN",
    "FieldValues",
    "block_ids_of",
    "generated_id",
    "nested_block_ids",
    "normalize_datetime",
]

ID_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
SLUG_PATTERN = re.compile(r"^[a-z0-9_]+(?:-[a-z0-9_]+)*$")
_RESERVED_BLOCK_KEYS = {"id", "type", "item_type", "attributes", "relationships", "meta"}


def generated_id(*parts: str) -> str:
    """A stable 22-character id (the shape of DatoCMS's ids) derived from ``parts``."""
    digest = hashlib.sha256("\x1f".join(parts).encode()).digest()[:16]
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def normalize_datetime(value: Any, where: str) -> str:
    """An ISO 8601 date-time as ``YYYY-MM-DDTHH:MM:SS+00:00`` (naive values are UTC)."""
    if not isinstance(value, str):
        raise ContentError(f"{where}: expected an ISO 8601 date-time string, got {value!r}.")
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise ContentError(
            f"{where}: {value!r} is not an ISO 8601 date-time (e.g. 2024-05-01T09:30:00Z)."
        ) from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC).replace(microsecond=0).isoformat()


class FieldValues:
    """Normalizes the field values of one record version and collects its blocks.

    ``record_models`` maps every record id of the project to its model API key (links are
    checked against it), ``upload_ids`` lists the uploads; ``known_blocks`` are blocks that
    may be referenced by id instead of embedded (e.g. the published version's, from a draft).
    """

    def __init__(
        self,
        schema: ProjectSchema,
        *,
        owner_id: str,
        timestamp: str,
        record_models: Mapping[str, str],
        upload_ids: Collection[str],
        known_blocks: Mapping[str, Block] | None = None,
    ) -> None:
        self.schema = schema
        self.owner_id = owner_id
        self.timestamp = timestamp
        self.record_models = record_models
        self.upload_ids = upload_ids
        self.known_blocks = known_blocks or {}
        self.blocks: dict[str, Block] = {}

    # -- records --------------------------------------------------------------------------

    def record_fields(
        self, model: Model, raw: Mapping[str, Any], where: str
    ) -> tuple[dict[str, Any], tuple[str, ...]]:
        """The stored fields of a record version and its locales (``_locales``)."""
        fields = self._fields(model, raw, where, path=self.owner_id)
        locale_sets = {
            key: tuple(fields[key]) for key, f in model.fields_by_key.items()
            if f.localized and fields.get(key) is not None
        }  # fmt: skip
        if not model.localized:
            return fields, self.schema.locales
        found = {locale for locales in locale_sets.values() for locale in locales}
        for key, locales in locale_sets.items():
            if set(locales) != found:
                raise ContentError(
                    f"{where}.{key}: every localized field of a record must have the same "
                    f"locales; this one has {sorted(locales)}, others have {sorted(found)}. "
                    "Add the missing locales (null is fine) or remove the extra ones."
                )
        ordered = tuple(locale for locale in self.schema.locales if locale in found)
        return fields, ordered

    def _fields(
        self, model: Model, raw: Mapping[str, Any], where: str, *, path: str
    ) -> dict[str, Any]:
        if not isinstance(raw, Mapping):
            raise ContentError(f"{where}: field values must be an object, got {raw!r}.")
        unknown = set(raw) - set(model.fields_by_key)
        if unknown:
            raise ContentError(
                f"{where}: model {model.api_key!r} has no field(s) "
                f"{', '.join(sorted(unknown))}; its fields are: "
                f"{', '.join(model.fields_by_key) or '(none)'}."
            )
        out: dict[str, Any] = {}
        for key, field in model.fields_by_key.items():
            value = raw.get(key)
            field_where = f"{where}.{key}"
            field_path = f"{path}/{key}"
            if field.localized:
                out[key] = self._localized(field, value, field_where, field_path)
            else:
                out[key] = self.value(field, value, field_where, path=field_path)
        return out

    def _localized(self, field: Field, value: Any, where: str, path: str) -> Any:
        if value is None:
            return None
        locales = self.schema.locales
        if not isinstance(value, Mapping) or not set(value) <= set(locales):
            raise ContentError(
                f"{where}: field {field.api_key!r} is localized: give an object keyed by "
                f"locale ({', '.join(locales)}), e.g. "
                f'{{"{locales[0]}": ...}}; got {_short(value)}.'
            )
        return {
            locale: self.value(field, value[locale], f"{where}.{locale}", path=f"{path}/{locale}")
            for locale in locales
            if locale in value
        }

    # -- one value ------------------------------------------------------------------------

    def value(self, field: Field, value: Any, where: str, *, path: str) -> Any:
        """The stored form of one (non-localized) value of ``field``."""
        if value is None:
            return [] if field.field_type in ("links", "gallery", "rich_text") else None
        handler = _HANDLERS[field.field_type]
        return handler(self, field, value, where, path)

    def _string(self, field: Field, value: Any, where: str, path: str) -> Any:
        if not isinstance(value, str):
            raise ContentError(
                f"{where}: a {field.field_type} field takes a string, got {value!r}."
            )
        if field.field_type == "slug" and value and not SLUG_PATTERN.match(value):
            raise ContentError(
                f"{where}: {value!r} is not a valid slug (lowercase letters, digits, '_' and "
                "single dashes, e.g. 'my-first-post')."
            )
        return value

    def _boolean(self, field: Field, value: Any, where: str, path: str) -> Any:
        if not isinstance(value, bool):
            raise ContentError(f"{where}: a boolean field takes true or false, got {value!r}.")
        return value

    def _integer(self, field: Field, value: Any, where: str, path: str) -> Any:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ContentError(f"{where}: an integer field takes an integer, got {value!r}.")
        return value

    def _float(self, field: Field, value: Any, where: str, path: str) -> Any:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ContentError(f"{where}: a float field takes a number, got {value!r}.")
        return float(value)

    def _date(self, field: Field, value: Any, where: str, path: str) -> Any:
        try:
            return date.fromisoformat(value).isoformat()
        except (TypeError, ValueError):
            raise ContentError(
                f"{where}: expected a date like '2024-05-01', got {value!r}."
            ) from None

    def _date_time(self, field: Field, value: Any, where: str, path: str) -> Any:
        return normalize_datetime(value, where)

    def _color(self, field: Field, value: Any, where: str, path: str) -> Any:
        keys = ("red", "green", "blue", "alpha")
        if (
            not isinstance(value, Mapping)
            or set(value) != set(keys)
            or not all(
                isinstance(value[k], int)
                and not isinstance(value[k], bool)
                and 0 <= value[k] <= 255
                for k in keys
            )
        ):
            raise ContentError(
                f"{where}: a color is {{'red', 'green', 'blue', 'alpha'}} with integers 0-255, "
                f"got {_short(value)}."
            )
        return {k: value[k] for k in keys}

    def _lat_lon(self, field: Field, value: Any, where: str, path: str) -> Any:
        if (
            not isinstance(value, Mapping)
            or set(value) != {"latitude", "longitude"}
            or not all(_is_number(value[k]) for k in ("latitude", "longitude"))
            or not -90 <= value["latitude"] <= 90
            or not -180 <= value["longitude"] <= 180
        ):
            raise ContentError(
                f"{where}: a geolocation is {{'latitude': -90..90, 'longitude': -180..180}}, "
                f"got {_short(value)}."
            )
        return {"latitude": float(value["latitude"]), "longitude": float(value["longitude"])}

    def _json(self, field: Field, value: Any, where: str, path: str) -> Any:
        if isinstance(value, str):
            try:
                return json.loads(value)
            except ValueError:
                raise ContentError(
                    f"{where}: a JSON field given as a string must hold valid JSON; write the "
                    "value itself (an object or a list) to avoid quoting."
                ) from None
        return value

    def _seo(self, field: Field, value: Any, where: str, path: str) -> Any:
        keys = {"title", "description", "image", "twitter_card", "no_index"}
        if not isinstance(value, Mapping) or not set(value) <= keys:
            raise ContentError(
                f"{where}: an SEO value is an object with keys among {sorted(keys)}, "
                f"got {_short(value)}."
            )
        for key in ("title", "description"):
            if value.get(key) is not None and not isinstance(value[key], str):
                raise ContentError(f"{where}.{key}: expected a string, got {value[key]!r}.")
        if value.get("twitter_card") not in (None, "summary", "summary_large_image"):
            raise ContentError(f"{where}.twitter_card: must be 'summary' or 'summary_large_image'.")
        if value.get("image") is not None:
            self._upload_id(value["image"], f"{where}.image")
        return {
            "title": value.get("title"),
            "description": value.get("description"),
            "image": value.get("image"),
            "twitter_card": value.get("twitter_card"),
            "no_index": bool(value.get("no_index", False)),
        }

    def _link(self, field: Field, value: Any, where: str, path: str) -> Any:
        return self._record_id(field, value, where)

    def _links(self, field: Field, value: Any, where: str, path: str) -> Any:
        if not isinstance(value, list):
            raise ContentError(f"{where}: a links field takes a list of record ids.")
        ids = [self._record_id(field, v, f"{where}[{i}]") for i, v in enumerate(value)]
        if len(set(ids)) != len(ids):
            raise ContentError(f"{where}: the same record is linked twice.")
        return ids

    def _record_id(self, field: Field, value: Any, where: str) -> str:
        if not isinstance(value, str) or value not in self.record_models:
            raise ContentError(
                f"{where}: {value!r} is not the id of a record of this project "
                '(links hold record ids, e.g. "author-ada").'
            )
        model = self.record_models[value]
        if field.link_models and model not in field.link_models:
            raise ContentError(
                f"{where}: record {value!r} is a {model!r}, but field {field.api_key!r} links "
                f"to {', '.join(field.link_models)} only (its item_item_type/items_item_type "
                "validator)."
            )
        return value

    def _upload_id(self, value: Any, where: str) -> str:
        if not isinstance(value, str) or value not in self.upload_ids:
            raise ContentError(f"{where}: {value!r} is not the id of an upload in uploads.json.")
        return value

    def _file(self, field: Field, value: Any, where: str, path: str) -> Any:
        keys = {"upload_id", "alt", "title", "focal_point", "custom_data"}
        if isinstance(value, str):
            value = {"upload_id": value}
        if not isinstance(value, Mapping) or not set(value) <= keys or "upload_id" not in value:
            raise ContentError(
                f"{where}: a file value is {{'upload_id': ..., 'alt', 'title', 'focal_point', "
                f"'custom_data'}} (only upload_id is required), got {_short(value)}."
            )
        focal = value.get("focal_point")
        if focal is not None and not (
            isinstance(focal, Mapping)
            and set(focal) == {"x", "y"}
            and all(_is_number(focal[k]) and 0 <= focal[k] <= 1 for k in ("x", "y"))
        ):
            raise ContentError(f"{where}.focal_point: expected {{'x': 0..1, 'y': 0..1}}.")
        custom = value.get("custom_data") or {}
        if not isinstance(custom, Mapping):
            raise ContentError(
                f'{where}.custom_data: expected an object, e.g. {{"credit": "Ann"}}.'
            )
        for key in ("alt", "title"):
            if value.get(key) is not None and not isinstance(value[key], str):
                raise ContentError(f"{where}.{key}: expected a string, got {value[key]!r}.")
        return {
            "upload_id": self._upload_id(value["upload_id"], f"{where}.upload_id"),
            "alt": value.get("alt"),
            "title": value.get("title"),
            "focal_point": dict(focal) if focal else None,
            "custom_data": dict(custom),
        }

    def _gallery(self, field: Field, value: Any, where: str, path: str) -> Any:
        if not isinstance(value, list):
            raise ContentError(f"{where}: a gallery takes a list of file values.")
        return [self._file(field, v, f"{where}[{i}]", path) for i, v in enumerate(value)]

    def _rich_text(self, field: Field, value: Any, where: str, path: str) -> Any:
        if not isinstance(value, list):
            raise ContentError(f"{where}: a modular content field takes a list of blocks.")
        return [
            self.block(v, f"{where}[{i}]", f"{path}/{i}", field.block_models, field)
            for i, v in enumerate(value)
        ]

    def _single_block(self, field: Field, value: Any, where: str, path: str) -> Any:
        return self.block(value, where, path, field.block_models, field)

    def _structured_text(self, field: Field, value: Any, where: str, path: str) -> Any:
        counter = iter(range(1_000_000))

        def on_block(kind: str, item: Any, item_where: str) -> str:
            allowed = field.block_models if kind == "block" else field.inline_block_models
            return self.block(item, item_where, f"{path}/{next(counter)}", allowed, field)

        def on_record(item: Any, item_where: str) -> str:
            return self._record_id(field, item, item_where)

        return dast.normalize_document(value, where, on_block=on_block, on_record=on_record)

    # -- blocks ---------------------------------------------------------------------------

    def block(
        self, value: Any, where: str, path: str, allowed: tuple[str, ...], field: Field
    ) -> str:
        """Register an embedded block (or check a reference to a known one); its id."""
        if isinstance(value, str):
            known = self.known_blocks.get(value) or self.blocks.get(value)
            if known is None:
                raise ContentError(
                    f"{where}: {value!r} is not a block of this record; embed the block as "
                    'an object {"item_type": "<block model>", ...fields} instead.'
                )
            self._check_block_model(known.model, allowed, field, where)
            self._adopt(known)
            return known.id
        if not isinstance(value, Mapping):
            raise ContentError(
                f"{where}: a block is an object with an 'item_type' (the block model's API "
                f"key) and its field values, got {_short(value)}."
            )
        model_key, raw_fields = _block_parts(value, where)
        model = self._block_model(model_key, where)
        self._check_block_model(model.api_key, allowed, field, where)
        block_id = value.get("id") or generated_id(self.owner_id, path)
        if not isinstance(block_id, str) or not ID_PATTERN.match(block_id):
            raise ContentError(f"{where}.id: block ids are 1-64 letters, digits, '-' or '_'.")
        if block_id in self.blocks:
            raise ContentError(f"{where}.id: block id {block_id!r} is used twice.")
        fields = self._fields(model, raw_fields, where, path=block_id)
        problems = version_problems(model, fields, self.schema.locales)
        previous = self.known_blocks.get(block_id)
        self.blocks[block_id] = Block(
            id=block_id,
            model=model.api_key,
            fields=fields,
            created_at=previous.created_at if previous else self.timestamp,
            updated_at=self.timestamp,
            is_valid=not problems
            and all(
                b.is_valid for b in self.blocks.values() if b.id in nested_block_ids(model, fields)
            ),
        )
        return block_id

    def _adopt(self, block: Block) -> None:
        """Carry a referenced known block (and the blocks inside it) into this version."""
        self.blocks.setdefault(block.id, block)
        model = self.schema.models[block.model]
        for nested in nested_block_ids(model, block.fields):
            if nested in self.known_blocks:
                self._adopt(self.known_blocks[nested])

    def _block_model(self, key: str, where: str) -> Model:
        model = self.schema.models.get(key)
        if model is None or not model.modular_block:
            blocks = [m.api_key for m in self.schema.models.values() if m.modular_block]
            raise ContentError(
                f"{where}.item_type: {key!r} is not a block model; block models are: "
                f"{', '.join(blocks) or '(none)'}."
            )
        return model

    @staticmethod
    def _check_block_model(model: str, allowed: tuple[str, ...], field: Field, where: str) -> None:
        if model not in allowed:
            raise ContentError(
                f"{where}: field {field.api_key!r} does not accept {model!r} blocks here; it "
                f"accepts {', '.join(allowed) or 'none'} (see its *_blocks validators)."
            )


def _block_parts(value: Mapping[str, Any], where: str) -> tuple[str, Mapping[str, Any]]:
    """``(block model API key, field values)`` of a block in flat or JSON:API form."""
    if "attributes" in value or "relationships" in value:
        try:
            item_type = value["relationships"]["item_type"]["data"]["id"]
        except (KeyError, TypeError):
            raise ContentError(
                f"{where}: a JSON:API block needs relationships.item_type.data.id."
            ) from None
        return str(item_type), value.get("attributes") or {}
    item_type = value.get("item_type")
    if isinstance(item_type, Mapping):
        item_type = item_type.get("id")
    if not isinstance(item_type, str):
        raise ContentError(
            f"{where}: a block needs an 'item_type' naming its block model, e.g. "
            '{"item_type": "quote_block", "quote": "..."}.'
        )
    if value.get("type", "item") != "item":
        raise ContentError(f"{where}.type: a block's type is 'item'.")
    return item_type, {k: v for k, v in value.items() if k not in _RESERVED_BLOCK_KEYS}


def nested_block_ids(model: Model, fields: Mapping[str, Any]) -> list[str]:
    """Ids of the blocks directly inside a block's or record's fields."""
    found: list[str] = []
    for key, field in model.fields_by_key.items():
        value = fields.get(key)
        values = list(value.values()) if field.localized and value else [value]
        for one in values:
            found.extend(block_ids_of(field, one))
    return found


def block_ids_of(field: Field, value: Any) -> list[str]:
    """Block ids held by one (non-localized) value of ``field``."""
    if value is None:
        return []
    if field.field_type == "rich_text":
        return list(value)
    if field.field_type == "single_block":
        return [value]
    if field.field_type == "structured_text":
        refs = dast.referenced_ids(value)
        return refs["block"] + refs["inlineBlock"]
    return []


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


_Handler = Callable[[FieldValues, Field, Any, str, str], Any]
_HANDLERS: dict[str, _Handler] = {
    "string": FieldValues._string,
    "text": FieldValues._string,
    "slug": FieldValues._string,
    "boolean": FieldValues._boolean,
    "integer": FieldValues._integer,
    "float": FieldValues._float,
    "date": FieldValues._date,
    "date_time": FieldValues._date_time,
    "color": FieldValues._color,
    "lat_lon": FieldValues._lat_lon,
    "json": FieldValues._json,
    "seo": FieldValues._seo,
    "link": FieldValues._link,
    "links": FieldValues._links,
    "file": FieldValues._file,
    "gallery": FieldValues._gallery,
    "rich_text": FieldValues._rich_text,
    "single_block": FieldValues._single_block,
    "structured_text": FieldValues._structured_text,
}
