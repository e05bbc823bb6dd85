"""Records, as the CMA answers them with ``nested=true``, made ``records/<model>/<id>.json``.

``RecordFiles.record_file(current, published)`` writes one record: its ``meta`` dates, its
``published`` field values (the published version) and ``draft`` ones (the latest version)
when it has unpublished changes — ``draft`` alone for a record never published. Values keep
the CMA's shapes, which are the content project's, except:

* JSON fields, a JSON string in the CMA, are written as the JSON value (readable);
* blocks, JSON:API resources in a nested answer, become ``{"id", "item_type": <block model
  API key>, <fields>}`` at every depth (ids kept: the CDA shows them);
* in ``draft``, a block whose content equals the published version's is written as its id,
  as a hand-written content project would (it keeps the published block);
* fields the schema left out (``schema.build_schema_file``) are left out.

Pure: no I/O.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from datocms_app.emulator.snapshot.schema import FieldShape, ModelShape

__all__ = ["RecordFiles"]

META_KEYS = ("created_at", "updated_at", "published_at", "first_published_at",
             "publication_scheduled_at", "unpublishing_scheduled_at")  # fmt: skip
BLOCK_NODES = ("block", "inlineBlock")

#: What a block becomes when it is met: the block itself, or something in its place.
BlockVisitor = Callable[[dict[str, Any]], Any]


class RecordFiles:
    """Converts records of the models in ``shapes`` (by model id)."""

    def __init__(self, shapes: Mapping[str, ModelShape]) -> None:
        self.shapes = shapes
        self.by_api_key = {shape.api_key: shape for shape in shapes.values()}

    def model_of(self, record: Mapping[str, Any]) -> ModelShape | None:
        linkage = record.get("item_type")
        model_id = linkage.get("id") if isinstance(linkage, Mapping) else None
        return self.shapes.get(str(model_id))

    def record_file(
        self, current: Mapping[str, Any], published: Mapping[str, Any] | None
    ) -> dict[str, Any]:
        """The file of a record whose latest version is ``current`` and whose published
        version is ``published`` (None when it has none)."""
        model = self.model_of(current)
        assert model is not None
        meta = current.get("meta") or {}
        status = meta.get("status")
        written: dict[str, Any] = {"id": current["id"], "item_type": model.api_key}
        dates = {key: meta[key] for key in META_KEYS if meta.get(key) is not None}
        if status == "draft" or published is None:
            for key in ("published_at", "first_published_at"):
                dates.pop(key, None)
        written["meta"] = dates
        if (model.sortable or model.tree) and current.get("position") is not None:
            written["position"] = current["position"]
        if model.tree and current.get("parent_id") is not None:
            written["parent_id"] = current["parent_id"]
        latest = self.fields(model, current)
        if status == "draft" or published is None:
            written["draft"] = latest
        elif status == "updated":
            public = self.fields(model, published)
            known = self._blocks_by_id(model, public)
            written["published"] = public
            written["draft"] = self._reusing(model, latest, known)
        else:
            written["published"] = latest
        return written

    # -- values -------------------------------------------------------------------------------

    def fields(self, model: ModelShape, values: Mapping[str, Any]) -> dict[str, Any]:
        """The field values of a record or block (attributes of the CMA's resource)."""
        fields: dict[str, Any] = {}
        for key, field in model.fields.items():
            value = values.get(key)
            if field.localized and isinstance(value, Mapping):
                fields[key] = {locale: self._value(field, one) for locale, one in value.items()}
            else:
                fields[key] = self._value(field, value)
        return fields

    def _value(self, field: FieldShape, value: Any) -> Any:
        if value is None:
            return None
        kind = field.field_type
        if kind == "json" and isinstance(value, str):
            try:
                parsed = json.loads(value)
            except ValueError:
                return value
            # A JSON string stays quoted: the loader would read a bare one as JSON again.
            return value if isinstance(parsed, str) else parsed
        if kind == "rich_text" and isinstance(value, list):
            return [self._block(block) for block in value]
        if kind == "single_block":
            return self._block(value)
        if kind == "structured_text" and isinstance(value, Mapping):
            return _map_dast(value, self._block)
        return value

    def _block(self, value: Any) -> Any:
        """A nested block resource as ``{"id", "item_type", ...fields}`` (an id stays an id:
        the loader then names it as a block it cannot find)."""
        if not isinstance(value, Mapping):
            return value
        relationships = value.get("relationships") or {}
        linkage = (relationships.get("item_type") or {}).get("data")
        model = self.shapes.get(str((linkage or {}).get("id")))
        if model is None:
            return value
        attributes = value.get("attributes") or {}
        return {"id": value.get("id"), "item_type": model.api_key,
                **self.fields(model, attributes)}  # fmt: skip

    # -- reusing published blocks in a draft ------------------------------------------------

    def _blocks_by_id(self, model: ModelShape, fields: Mapping[str, Any]) -> dict[str, Any]:
        found: dict[str, Any] = {}

        def collect(block: dict[str, Any]) -> dict[str, Any]:
            found[str(block.get("id"))] = block
            inner = self.by_api_key.get(str(block.get("item_type")))
            if inner is not None:
                self._visit(inner, block, collect)
            return block

        self._visit(model, fields, collect)
        return found

    def _reusing(
        self, model: ModelShape, fields: Mapping[str, Any], known: Mapping[str, Any]
    ) -> dict[str, Any]:
        def reuse(block: dict[str, Any]) -> Any:
            if known.get(str(block.get("id"))) == block:
                return block["id"]
            inner = self.by_api_key.get(str(block.get("item_type")))
            return block if inner is None else self._visit(inner, block, reuse)

        return self._visit(model, fields, reuse)

    def _visit(
        self, model: ModelShape, fields: Mapping[str, Any], visit: BlockVisitor
    ) -> dict[str, Any]:
        """``fields`` with every block directly inside replaced by ``visit(block)``."""
        out = dict(fields)
        for key, field in model.fields.items():
            value = fields.get(key)
            if value is None or field.field_type not in ("rich_text", "single_block",
                                                         "structured_text"):  # fmt: skip
                continue
            if field.localized and isinstance(value, Mapping):
                out[key] = {locale: _visit_value(field, one, visit) for locale, one in
                            value.items()}  # fmt: skip
            else:
                out[key] = _visit_value(field, value, visit)
        return out


def _visit_value(field: FieldShape, value: Any, visit: BlockVisitor) -> Any:
    def one(block: Any) -> Any:
        return visit(block) if isinstance(block, dict) else block

    if value is None:
        return None
    if field.field_type == "rich_text" and isinstance(value, list):
        return [one(block) for block in value]
    if field.field_type == "single_block":
        return one(value)
    if isinstance(value, Mapping):
        return _map_dast(value, one)
    return value


def _map_dast(value: Mapping[str, Any], on_block: Callable[[Any], Any]) -> dict[str, Any]:
    """A structured text value with the ``item`` of every block node passed to ``on_block``."""

    def node(raw: Any) -> Any:
        if not isinstance(raw, Mapping):
            return raw
        copied = dict(raw)
        if raw.get("type") in BLOCK_NODES and "item" in raw:
            copied["item"] = on_block(raw["item"])
        if isinstance(raw.get("children"), list):
            copied["children"] = [node(child) for child in raw["children"]]
        return copied

    result = dict(value)
    if "document" in value:
        result["document"] = node(value["document"])
    return result
