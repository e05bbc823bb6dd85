"""The ``dast`` vocabulary, and reading what a caller passes in as structured text.

The constants restate the ``dast`` specification (DatoCMS docs, "Structured Text and `dast`
format") and ``datocms-structured-text-utils``' ``definitions.ts``; where the docs say more
than the utils (``link``/``itemLink`` hold spans only, the document node is ``root``), the
docs win. ``read_value`` turns the four accepted inputs into one ``StructuredText``.

This module never renders and never logs: it only describes and reads.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from datocms_app.exceptions import InvalidStructuredText

__all__ = [
    "ALLOWED_ATTRIBUTES",
    "ALLOWED_CHILDREN",
    "DEFAULT_MARKS",
    "INLINE_NODE_TYPES",
    "MARK_TAGS",
    "NODE_TYPES",
    "RECORD_LISTS",
    "RECORD_OPTIONS",
    "REQUIRED_ATTRIBUTES",
    "StructuredText",
    "iter_nodes",
    "path_of",
    "read_value",
    "record_id",
]

INLINE_NODE_TYPES: Final = frozenset({"span", "link", "itemLink", "inlineItem", "inlineBlock"})

ALLOWED_CHILDREN: Final[Mapping[str, frozenset[str]]] = {
    "root": frozenset(
        {"paragraph", "heading", "list", "code", "blockquote", "block", "thematicBreak"}
    ),
    "paragraph": INLINE_NODE_TYPES,
    "heading": INLINE_NODE_TYPES,
    "list": frozenset({"listItem"}),
    "listItem": frozenset({"paragraph", "list"}),
    "blockquote": frozenset({"paragraph"}),
    # The docs allow only spans in links; the JS utils are looser (any inline node).
    "link": frozenset({"span"}),
    "itemLink": frozenset({"span"}),
    "span": frozenset(),
    "inlineItem": frozenset(),
    "inlineBlock": frozenset(),
    "block": frozenset(),
    "code": frozenset(),
    "thematicBreak": frozenset(),
}

NODE_TYPES: Final = frozenset(ALLOWED_CHILDREN)

ALLOWED_ATTRIBUTES: Final[Mapping[str, frozenset[str]]] = {
    "root": frozenset({"children"}),
    "paragraph": frozenset({"children", "style"}),
    "heading": frozenset({"level", "children", "style"}),
    "list": frozenset({"style", "children"}),
    "listItem": frozenset({"children"}),
    "blockquote": frozenset({"children", "attribution"}),
    "code": frozenset({"code", "language", "highlight"}),
    "link": frozenset({"url", "children", "meta"}),
    "itemLink": frozenset({"item", "children", "meta"}),
    "inlineItem": frozenset({"item"}),
    "inlineBlock": frozenset({"item"}),
    "block": frozenset({"item"}),
    "span": frozenset({"value", "marks"}),
    "thematicBreak": frozenset(),
}

REQUIRED_ATTRIBUTES: Final[Mapping[str, tuple[str, ...]]] = {
    "root": ("children",),
    "paragraph": ("children",),
    "heading": ("level", "children"),
    "list": ("style", "children"),
    "listItem": ("children",),
    "blockquote": ("children",),
    "code": ("code",),
    "link": ("url", "children"),
    "itemLink": ("item", "children"),
    "inlineItem": ("item",),
    "inlineBlock": ("item",),
    "block": ("item",),
    "span": ("value",),
    "thematicBreak": (),
}

DEFAULT_MARKS: Final = ("strong", "code", "emphasis", "underline", "strikethrough", "highlight")

# The element each default mark renders as (datocms-structured-text-generic-html-renderer).
MARK_TAGS: Final[Mapping[str, str]] = {
    "strong": "strong",
    "code": "code",
    "emphasis": "em",
    "underline": "u",
    "strikethrough": "s",
    "highlight": "mark",
}

# The nodes that point at a record: where the CDA value lists their records, as
# (attribute of StructuredText, key in the CDA value), and the option that renders them.
RECORD_LISTS: Final = {
    "block": ("blocks", "blocks"),
    "inlineBlock": ("inline_blocks", "inlineBlocks"),
    "inlineItem": ("links", "links"),
    "itemLink": ("links", "links"),
}
RECORD_OPTIONS: Final = {
    "block": "render_block",
    "inlineBlock": "render_inline_block",
    "inlineItem": "render_inline_record",
    "itemLink": "render_link_to_record",
}

_EXPECTED = (
    "a structured text field value as the CDA returns it "
    '({"value": {"schema": "dast", "document": {...}}, "blocks": [...], "links": [...]}), '
    'a dast document ({"schema": "dast", "document": {...}}), a single dast node '
    '({"type": ...}) or None'
)


@dataclass(frozen=True, slots=True)
class StructuredText:
    """A structured text value, read: the node to render and the records around it.

    ``blocks``/``links``/``inline_blocks`` are ``None`` when the caller did not pass them
    (a bare document or node), which is different from an empty list. ``prefix`` is the JSON
    path of ``node`` in what the caller passed (``$.value.document``, ``$.document`` or ``$``).
    """

    node: dict[str, Any]
    blocks: Sequence[Any] | None = None
    links: Sequence[Any] | None = None
    inline_blocks: Sequence[Any] | None = None
    prefix: str = "$"
    whole_field: bool = False


def record_id(record: object) -> object:
    """The ``id`` of a record, a mapping (a CDA result) or an object (a pydantic model)."""
    return record.get("id") if isinstance(record, dict) else getattr(record, "id", None)


def _describe(value: object) -> str:
    text = repr(value)
    if len(text) > 120:
        text = text[:117] + "..."
    return f"{type(value).__name__} {text}"


def _as_mapping(value: object) -> object:
    # pydantic models (a CDA result validated with model=...) are read through their dump.
    dump = getattr(value, "model_dump", None)
    if callable(dump) and not isinstance(value, Mapping):
        return dump(by_alias=True)
    return value


def _records(value: Mapping[str, Any], key: str, caller: str) -> Sequence[Any] | None:
    records = value.get(key)
    if records is None:
        return None
    if isinstance(records, (str, bytes)) or not isinstance(records, Sequence):
        raise InvalidStructuredText(
            f"{caller}(): .{key} must be a list of records (each with an 'id' and a "
            f"'__typename'), got {_describe(records)}.",
            path=f"$.{key}",
        )
    return records


def _document_node(document: Mapping[str, Any], path: str, caller: str) -> dict[str, Any]:
    schema = document.get("schema")
    if schema != "dast":
        raise InvalidStructuredText(
            f'{caller}(): {path}.schema must be "dast", got {_describe(schema)}.',
            path=f"{path}.schema",
        )
    node = document.get("document")
    if not isinstance(node, dict):
        raise InvalidStructuredText(
            f"{caller}(): {path}.document must be the dast root node (a dict such as "
            f'{{"type": "root", "children": [...]}}), got {_describe(node)}.',
            path=f"{path}.document",
        )
    return node


def read_value(value: object, *, caller: str) -> StructuredText | None:
    """Read any accepted input into a ``StructuredText``; ``None`` for an empty field.

    Raises ``InvalidStructuredText`` naming what was passed and what ``caller`` expects.
    """
    if value is None:
        return None
    value = _as_mapping(value)
    if isinstance(value, (str, bytes)):
        raise InvalidStructuredText(
            f"{caller}() expects {_EXPECTED}; got a {type(value).__name__}. If this is JSON "
            "text, decode it with json.loads() first.",
        )
    if not isinstance(value, Mapping):
        raise InvalidStructuredText(f"{caller}() expects {_EXPECTED}; got {_describe(value)}.")
    node_type = value.get("type")
    if isinstance(node_type, str):
        # A node (a span has a "value" too, so this test comes first).
        return StructuredText(node=value if isinstance(value, dict) else dict(value))
    if "value" in value:
        inner = _as_mapping(value["value"])
        if inner is None:
            # The field is empty: DatoCMS sends {"value": null} for some empty fields.
            return None
        if not isinstance(inner, Mapping):
            raise InvalidStructuredText(
                f"{caller}(): .value must be a dast document "
                f'({{"schema": "dast", "document": {{...}}}}), got {_describe(inner)}.',
                path="$.value",
            )
        return StructuredText(
            node=_document_node(inner, "$.value", caller),
            blocks=_records(value, "blocks", caller),
            links=_records(value, "links", caller),
            inline_blocks=_records(value, "inlineBlocks", caller),
            prefix="$.value.document",
            whole_field=True,
        )
    if "schema" in value or "document" in value:
        return StructuredText(node=_document_node(value, "$", caller), prefix="$.document")
    raise InvalidStructuredText(
        f"{caller}() expects {_EXPECTED}; got a {type(value).__name__} with keys "
        f"{sorted(map(str, value))[:8]}.",
    )


def iter_nodes(
    node: object, path: str = "$"
) -> Iterator[tuple[dict[str, Any], str, dict[str, Any] | None]]:
    """Every dict node under ``node`` (depth first, document order): ``(node, path, parent)``.

    Iterative, so that a pathologically deep document cannot exhaust the Python stack.
    """
    stack: list[tuple[object, str, dict[str, Any] | None]] = [(node, path, None)]
    while stack:
        current, current_path, parent = stack.pop()
        if not isinstance(current, dict):
            continue
        yield current, current_path, parent
        children = current.get("children")
        if isinstance(children, list):
            for index in range(len(children) - 1, -1, -1):
                stack.append((children[index], f"{current_path}.children[{index}]", current))


def path_of(root: object, target: object, prefix: str = "$") -> str:
    """The JSON path of ``target`` (by identity) under ``root``; only used to report errors."""
    if root is target:
        return prefix
    for node, path, _parent in iter_nodes(root, prefix):
        children = node.get("children")
        if isinstance(children, list):
            for index, child in enumerate(children):
                if child is target:
                    return f"{path}.children[{index}]"
    return prefix
