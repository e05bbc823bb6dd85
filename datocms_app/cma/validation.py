"""Checking a create/update payload against the project's schema before it is sent.

The Python counterpart of the seeds' generated ``Schema.X`` markers, checked at run time:
``PayloadCheck`` walks a simple-shaped payload (blocks inside it as JSON:API resources, as
``build_block_record`` makes them) and collects *every* problem, each a ``PayloadProblem``
naming its JSON path and rule:

* the model (``item_type``) exists and is not a block model; every key is a field of it
  (close matches suggested) — blocks' attributes likewise;
* each value is in its field type's format (``datocms_app.cma.field_values``), structured
  text is valid ``dast`` (``datocms_app.structured_text.validate``);
* localized fields: a dict keyed by the project's locales; every localized field of the
  payload names the same locales; every locale under ``all_locales_required``;
* blocks: of a block model the field's validator lists (``rich_text_blocks``,
  ``single_block_blocks``, ``structured_text_blocks``, ``structured_text_inline_blocks``),
  nested at most 5 levels, at most 500 in the record (seeds/004, "Technical Limits (CMA)");
* links: to records of models the field's validator lists (``item_item_type``,
  ``items_item_type``, ``structured_text_links``). A link is an id, so its model comes from
  outside: ``pending_links`` says which ids need one, ``finish`` takes them.

No I/O: the client fetches the schema and the linked records' models.
"""

from __future__ import annotations

import copy
import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from datocms_app.cma import field_values
from datocms_app.cma.schema import FieldSchema, ItemTypeSchema, ProjectSchema
from datocms_app.exceptions import (
    BlockNotAllowed,
    BlocksTooDeep,
    InvalidPayload,
    InvalidStructuredText,
    LinkNotAllowed,
    LocaleMismatch,
    MissingLocales,
    PayloadProblem,
    TooManyBlocks,
    UnknownField,
    UnknownItemType,
    UnknownLocale,
    WrongFieldValue,
)
from datocms_app.structured_text.validation import validate as validate_dast

__all__ = ["MAX_BLOCKS", "MAX_BLOCK_DEPTH", "PayloadCheck", "PendingLink"]

#: The CMA's technical limits (seeds/004, "Technical Limits (CMA)").
MAX_BLOCK_DEPTH = 5
MAX_BLOCKS = 500
#: Keys of a record payload that are not fields.
RECORD_KEYS = frozenset({"id", "type", "meta", "item_type", "creator"})
#: dast nodes that hold a block, and the validator listing the block models they accept.
BLOCK_NODES = {"block": "structured_text_blocks", "inlineBlock": "structured_text_inline_blocks"}
LINK_NODES = frozenset({"itemLink", "inlineItem"})


@dataclass(frozen=True, slots=True)
class PendingLink:
    """A link whose target's model must be known to check it against ``validator``."""

    path: str
    record_id: str
    field: FieldSchema
    validator: str
    allowed: frozenset[str]


def key_path(path: str, key: object) -> str:
    text = str(key)
    return f"{path}.{text}" if text.isidentifier() else f"{path}[{text!r}]"


def _names(items: Iterable[str], conjunction: str = "or") -> str:
    quoted = [f"'{item}'" for item in items]
    if len(quoted) <= 1:
        return "".join(quoted)
    return f"{', '.join(quoted[:-1])} {conjunction} {quoted[-1]}"


class PayloadCheck:
    """Every problem of one payload; ``creating`` for ``items.create`` (``item_type`` needed).

    ``model`` is the record's model when the payload does not say (an update).
    """

    def __init__(
        self,
        schema: ProjectSchema,
        payload: Mapping[str, Any],
        *,
        creating: bool,
        model: ItemTypeSchema | None = None,
    ) -> None:
        self.schema = schema
        self.problems: list[PayloadProblem] = []
        self.pending_links: list[PendingLink] = []
        self.model = model
        self._blocks = 0
        self._locale_sets: list[tuple[str, frozenset[str]]] = []
        reference = payload.get("item_type")
        if reference is not None or creating:
            self.model = self._model(reference)
        if self.model is not None:
            self._fields(payload, self.model, "$", depth=0)
        self._check_locale_sync()
        if self._blocks > MAX_BLOCKS:
            self.problems.append(
                TooManyBlocks(
                    f"the payload holds {self._blocks} blocks; a record holds at most "
                    f"{MAX_BLOCKS} (blocks in every field, locale and nesting level count)",
                    path="$",
                )
            )

    def finish(self, models_of_records: Mapping[str, str | None]) -> None:
        """Check the pending links whose records' models are known (None: not found)."""
        for link in self.pending_links:
            if link.record_id not in models_of_records:
                continue
            model_id = models_of_records[link.record_id]
            if model_id is None:
                message = f"no record has id {link.record_id!r} in this environment"
            elif model_id in link.allowed:
                continue
            else:
                linked = self.schema.by_id(model_id)
                message = (
                    f"record {link.record_id!r} is a '{linked.api_key if linked else model_id}' "
                    f"record; field '{link.field.api_key}' links only to "
                    f"{self._model_names(link.allowed)} records ({link.validator})"
                )
            self.problems.append(LinkNotAllowed(message, path=link.path, rule=link.validator))

    def raise_if_invalid(self) -> None:
        """Raise ``InvalidPayload`` listing every problem, if there is any."""
        if not self.problems:
            return
        count = len(self.problems)
        subject = f" for {self.model.kind} '{self.model.api_key}'" if self.model else ""
        lines = "\n".join(f"  {problem}" for problem in self.problems)
        raise InvalidPayload(
            f"The payload{subject} breaks {count} rule{'s' if count > 1 else ''} of the "
            "project's schema; nothing was sent (validate=False sends it anyway):\n" + lines,
            problems=self.problems,
        )

    # -- the walk ---------------------------------------------------------------------------

    def _model(self, reference: object) -> ItemTypeSchema | None:
        path = "$.item_type"
        if reference is None:
            self._add(
                UnknownItemType(
                    "a new record needs item_type: Schema.X.REF or the model's id", path=path
                )
            )
            return None
        model_id = reference.get("id") if isinstance(reference, Mapping) else reference
        model_id = getattr(model_id, "ID", model_id)
        model = self.schema.by_id(model_id) if isinstance(model_id, str) else None
        if model is None:
            hint = ""
            named = self.schema.by_api_key(model_id) if isinstance(model_id, str) else None
            if named is not None:
                hint = f"; {model_id!r} is the API key of the {named.kind} with id {named.id!r}"
            self._add(UnknownItemType(f"no model has id {model_id!r}{hint}", path=path))
        elif model.modular_block:
            self._add(
                UnknownItemType(
                    f"'{model.api_key}' is a block model: blocks live inside a record's block "
                    "fields (cma.build_block_record)",
                    path=path,
                )
            )
            return None
        return model

    def _fields(
        self, values: Mapping[str, Any], model: ItemTypeSchema, path: str, depth: int
    ) -> None:
        extra: set[str] = set()
        if depth == 0:
            extra = set(RECORD_KEYS)
            if model.sortable or model.tree:
                extra.add("position")
            if model.tree:
                extra.add("parent_id")
        for key, value in values.items():
            if key in extra:
                continue
            field = model.field(key)
            if field is None:
                self._unknown_field(key, model, key_path(path, key))
                continue
            self._field(field, value, key_path(path, key), depth, model)

    def _unknown_field(self, key: str, model: ItemTypeSchema, path: str) -> None:
        known = [field.api_key for field in model.fields]
        close = difflib.get_close_matches(str(key), known, n=3, cutoff=0.6)
        message = f"{model.kind} '{model.api_key}' has no field {key!r}"
        if close:
            message += f"; did you mean {_names(close)}?"
        else:
            message += f"; its fields are: {', '.join(known) or 'none'}"
        self._add(UnknownField(message, path=path, suggestions=close))

    def _field(
        self, field: FieldSchema, value: Any, path: str, depth: int, model: ItemTypeSchema
    ) -> None:
        if not field.localized or value is None:
            self._value(field, value, path, depth)
            return
        locales = self.schema.locales
        if not isinstance(value, Mapping):
            self._add(
                WrongFieldValue(
                    f"localized field '{field.api_key}' takes a dict keyed by locale "
                    f"({', '.join(locales)}), {field_values.describe(value)}",
                    path=path,
                )
            )
            return
        for locale, inner in value.items():
            if locale not in locales:
                self._add(
                    UnknownLocale(
                        f"the project has no locale {locale!r}; its locales are "
                        f"{', '.join(locales)}",
                        path=key_path(path, locale),
                    )
                )
                continue
            self._value(field, inner, key_path(path, locale), depth)
        missing = [locale for locale in locales if locale not in value]
        if model.all_locales_required and missing:
            self._add(
                MissingLocales(
                    f"{model.kind} '{model.api_key}' requires every locale "
                    f"(all_locales_required): {_names(missing, 'and')} "
                    f"{'is' if len(missing) == 1 else 'are'} missing; give "
                    f"{'it' if len(missing) == 1 else 'them'}, even as None",
                    path=path,
                )
            )
        if depth == 0:
            self._locale_sets.append((path, frozenset(str(locale) for locale in value)))

    def _value(self, field: FieldSchema, value: Any, path: str, depth: int) -> None:
        reason = field_values.problem(field.field_type, value)
        if reason is not None:
            expectation = field_values.EXPECTATIONS[field.field_type]
            self._add(
                WrongFieldValue(
                    f"{field.field_type} field '{field.api_key}' takes {expectation}, {reason}",
                    path=path,
                )
            )
            return
        if value is None:
            return
        if field.field_type == "rich_text":
            for index, block in enumerate(value):
                self._block(block, f"{path}[{index}]", field, "rich_text_blocks", depth + 1)
        elif field.field_type == "single_block":
            self._block(value, path, field, "single_block_blocks", depth + 1)
        elif field.field_type == "structured_text":
            self._structured_text(value, path, field, depth)
        elif field.field_type == "link":
            self._link(value, path, field, "item_item_type")
        elif field.field_type == "links":
            for index, record_id in enumerate(value):
                self._link(record_id, f"{path}[{index}]", field, "items_item_type")

    def _block(self, block: Any, path: str, field: FieldSchema, validator: str, depth: int) -> None:
        self._blocks += 1
        if depth == MAX_BLOCK_DEPTH + 1:
            self._add(
                BlocksTooDeep(
                    f"a block nested {depth} levels deep; blocks nest at most "
                    f"{MAX_BLOCK_DEPTH} levels",
                    path=path,
                )
            )
        if isinstance(block, str) and block:
            return  # an existing block, kept as it is
        shape = self._block_shape(block)
        if shape is not None:
            self._add(WrongFieldValue(f"a block in field '{field.api_key}' {shape}", path=path))
            return
        linkage = (block.get("relationships") or {}).get("item_type") or {}
        block_type_id = (linkage.get("data") or {}).get("id")
        if block_type_id is None:
            return  # an existing block being updated: its model is not in the payload
        block_model = self.schema.by_id(block_type_id)
        if block_model is None or not block_model.modular_block:
            what = "a model, not a block model" if block_model else "no block model"
            self._add(
                UnknownItemType(
                    f"{block_type_id!r} is {what}", path=f"{path}.relationships.item_type"
                )
            )
            return
        allowed = field.allowed_item_types(validator)
        if allowed is not None and block_type_id not in allowed:
            self._add(
                BlockNotAllowed(
                    f"block model '{block_model.api_key}' is not allowed in field "
                    f"'{field.api_key}' ({validator} allows {self._model_names(allowed, 'and')})",
                    path=path,
                    rule=validator,
                )
            )
        attributes = block.get("attributes") or {}
        self._fields(attributes, block_model, f"{path}.attributes", depth)

    @staticmethod
    def _block_shape(block: Any) -> str | None:
        """What is wrong with a block object's shape, or None."""
        if not isinstance(block, Mapping):
            return f"is a block id or cma.build_block_record(...), {field_values.describe(block)}"
        if block.get("type") != "item" or not isinstance(block.get("attributes", {}), Mapping):
            return (
                "must be a JSON:API resource {'type': 'item', 'attributes': ..., "
                "'relationships': ...}: build it with cma.build_block_record(item_type, **fields)"
            )
        has_model = "relationships" in block and isinstance(block["relationships"], Mapping)
        if not has_model and not block.get("id"):
            return "is new and needs its block model: cma.build_block_record(item_type, **fields)"
        return None

    def _structured_text(
        self, value: Mapping[str, Any], path: str, field: FieldSchema, depth: int
    ) -> None:
        document = copy.deepcopy(dict(value))
        for node in _nodes(document.get("document")):
            if node.get("type") in BLOCK_NODES and isinstance(node.get("item"), Mapping):
                node["item"] = "block"  # a placeholder id: the block is checked below
        try:
            validate_dast(document)
        except InvalidStructuredText as exc:
            self._add(
                WrongFieldValue(
                    f"structured_text field '{field.api_key}' is not valid dast: "
                    f"{exc.message.partition(': ')[2]}",
                    path=path + exc.path[1:],
                )
            )
            return
        stack: list[tuple[Any, str]] = [(value["document"], f"{path}.document")]
        while stack:
            node, node_path = stack.pop()
            node_type = node.get("type")
            if node_type in BLOCK_NODES:
                validator = BLOCK_NODES[node_type]
                self._block(node["item"], f"{node_path}.item", field, validator, depth + 1)
            elif node_type in LINK_NODES:
                self._link(node["item"], f"{node_path}.item", field, "structured_text_links")
            children = node.get("children") or ()
            for index in reversed(range(len(children))):
                stack.append((children[index], f"{node_path}.children[{index}]"))

    def _link(self, record_id: Any, path: str, field: FieldSchema, validator: str) -> None:
        allowed = field.allowed_item_types(validator)
        if allowed is not None and isinstance(record_id, str):
            self.pending_links.append(PendingLink(path, record_id, field, validator, allowed))

    def _check_locale_sync(self) -> None:
        if len({locales for _, locales in self._locale_sets}) <= 1:
            return
        first_path, first = self._locale_sets[0]
        for path, locales in self._locale_sets[1:]:
            if locales != first:
                self._add(
                    LocaleMismatch(
                        f"has the locales {_list(locales)} but {first_path} has {_list(first)}; "
                        "every localized field of a payload must name the same locales",
                        path=path,
                    )
                )

    def _model_names(self, ids: Iterable[str], conjunction: str = "or") -> str:
        names = []
        for model_id in sorted(ids):
            model = self.schema.by_id(model_id)
            names.append(model.api_key if model else model_id)
        return _names(sorted(names), conjunction) or "none"

    def _add(self, problem: PayloadProblem) -> None:
        self.problems.append(problem)


def _list(locales: frozenset[str]) -> str:
    return ", ".join(sorted(locales)) or "none"


def _nodes(root: Any) -> Iterable[dict[str, Any]]:
    """Every dict node under ``root`` (for rewriting block items before validation)."""
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            yield node
            children = node.get("children")
            if isinstance(children, list):
                stack.extend(children)
