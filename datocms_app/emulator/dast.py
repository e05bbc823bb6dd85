"""Structured text (``dast``) documents inside the emulator: validation and traversal.

``normalize_document`` checks a document against the ``dast`` rules (which node may contain
which, required attributes) and returns a copy in which the ``item`` of ``block`` and
``inlineBlock`` nodes is a block id (the caller turns embedded block objects into blocks).
The walkers list the ids a document references and its plain text (for ``matches``
filters). This module never renders HTML: that is ``datocms_app.structured_text``'s job.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from datocms_app.emulator.exceptions import ContentError
from datocms_app.structured_text.nodes import ALLOWED_CHILDREN, DEFAULT_MARKS

__all__ = [
    "BlockRef",
    "is_blank_document",
    "normalize_document",
    "plain_text",
    "referenced_ids",
    "with_block_items",
]

# The dast vocabulary is the core's (``structured_text.nodes``), stated once: the nodes that
# hold children (and which), and the leaves.
CHILDREN: dict[str, frozenset[str]] = {
    kind: allowed for kind, allowed in ALLOWED_CHILDREN.items() if allowed
}
LEAVES = frozenset(kind for kind, allowed in ALLOWED_CHILDREN.items() if not allowed)

#: ``(node type, raw item, where) -> block id``: registers an embedded block.
BlockRef = Callable[[str, Any, str], str]
#: ``(record id, where) -> None``: checks an ``itemLink``/``inlineItem`` target.
RecordRef = Callable[[Any, str], str]


def normalize_document(
    value: Any, where: str, *, on_block: BlockRef, on_record: RecordRef
) -> dict[str, Any]:
    """Validate a structured text value ``{"schema": "dast", "document": {...}}``."""
    if not isinstance(value, Mapping) or value.get("schema") != "dast" or "document" not in value:
        raise ContentError(
            f"{where}: a structured text value must be an object "
            '{"schema": "dast", "document": {"type": "root", "children": [...]}}, '
            f"got {_short(value)}."
        )
    document = value["document"]
    if not isinstance(document, Mapping) or document.get("type") != "root":
        raise ContentError(f"{where}.document: the document must be a 'root' node.")
    return {
        "schema": "dast",
        "document": _node(document, f"{where}.document", on_block, on_record),
    }


def _node(node: Any, where: str, on_block: BlockRef, on_record: RecordRef) -> dict[str, Any]:
    if not isinstance(node, Mapping) or not isinstance(node.get("type"), str):
        raise ContentError(f"{where}: a dast node must be an object with a 'type', got {node!r}.")
    kind = node["type"]
    if kind not in CHILDREN and kind not in LEAVES:
        known = ", ".join(sorted({*CHILDREN, *LEAVES}))
        raise ContentError(f"{where}: unknown dast node type {kind!r}; known types: {known}.")
    out: dict[str, Any] = {"type": kind}
    _attributes(kind, node, out, where, on_block, on_record)
    if kind in CHILDREN:
        children = node.get("children")
        if not isinstance(children, list) or not children:
            raise ContentError(f"{where}: a {kind!r} node needs a non-empty 'children' list.")
        allowed = CHILDREN[kind]
        normalized = []
        for index, child in enumerate(children):
            child_where = f"{where}.children[{index}]"
            child_type = child.get("type") if isinstance(child, Mapping) else None
            if child_type not in allowed:
                raise ContentError(
                    f"{child_where}: a {kind!r} node cannot contain {child_type!r}; "
                    f"it accepts {', '.join(sorted(allowed))}."
                )
            normalized.append(_node(child, child_where, on_block, on_record))
        out["children"] = normalized
    elif "children" in node:
        raise ContentError(f"{where}: a {kind!r} node has no children.")
    return out


def _attributes(
    kind: str,
    node: Mapping[str, Any],
    out: dict[str, Any],
    where: str,
    on_block: BlockRef,
    on_record: RecordRef,
) -> None:
    known = {"type", "children"}
    if kind in ("heading", "paragraph", "list"):
        known.add("style")
    if kind == "span":
        known |= {"value", "marks"}
        value = node.get("value")
        if not isinstance(value, str):
            raise ContentError(f"{where}: a span needs a string 'value' (use \\n for breaks).")
        out["value"] = value
        marks = node.get("marks")
        if marks is not None:
            if not isinstance(marks, list) or not all(isinstance(m, str) and m for m in marks):
                raise ContentError(
                    f"{where}: 'marks' must be a list of mark names such as {list(DEFAULT_MARKS)}."
                )
            out["marks"] = list(marks)
    elif kind == "heading":
        known.add("level")
        level = node.get("level")
        if not isinstance(level, int) or isinstance(level, bool) or not 1 <= level <= 6:
            raise ContentError(f"{where}: a heading needs an integer 'level' from 1 to 6.")
        out["level"] = level
    elif kind == "list":
        if node.get("style") not in ("bulleted", "numbered"):
            raise ContentError(f"{where}: a list's 'style' must be 'bulleted' or 'numbered'.")
    elif kind == "code":
        known |= {"code", "language", "highlight"}
        if not isinstance(node.get("code"), str):
            raise ContentError(f"{where}: a code node needs a string 'code'.")
        out["code"] = node["code"]
        for key in ("language", "highlight"):
            if node.get(key) is not None:
                out[key] = node[key]
    elif kind == "blockquote":
        known |= {"attribution"}
    elif kind == "link":
        known |= {"url", "meta"}
        if not isinstance(node.get("url"), str) or not node["url"]:
            raise ContentError(f"{where}: a link needs a non-empty string 'url'.")
        out["url"] = node["url"]
    elif kind in ("itemLink", "inlineItem"):
        known |= {"item", "meta"}
        out["item"] = on_record(node.get("item"), f"{where}.item")
    elif kind in ("block", "inlineBlock"):
        known |= {"item"}
        out["item"] = on_block(kind, node.get("item"), f"{where}.item")
    if kind in ("link", "itemLink") and node.get("meta") is not None:
        out["meta"] = _meta(node["meta"], where)
    if kind in ("heading", "paragraph", "list") and node.get("style") is not None:
        out["style"] = node["style"]
    if kind == "blockquote" and node.get("attribution") is not None:
        out["attribution"] = node["attribution"]
    unknown = set(node) - known
    if unknown:
        raise ContentError(
            f"{where}: a {kind!r} node has no attribute(s) {', '.join(sorted(unknown))}."
        )


def _meta(meta: Any, where: str) -> list[dict[str, str]]:
    if not isinstance(meta, list) or not all(
        isinstance(m, Mapping) and isinstance(m.get("id"), str) and isinstance(m.get("value"), str)
        for m in meta
    ):
        raise ContentError(
            f"{where}.meta: must be a list of {{'id': ..., 'value': ...}} string pairs, "
            'e.g. [{"id": "target", "value": "_blank"}].'
        )
    return [{"id": m["id"], "value": m["value"]} for m in meta]


def _walk(node: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
    yield node
    for child in node.get("children", ()):
        yield from _walk(child)


def referenced_ids(value: Mapping[str, Any] | None) -> dict[str, list[str]]:
    """``{"block": [...], "inlineBlock": [...], "record": [...]}`` ids in document order."""
    found: dict[str, list[str]] = {"block": [], "inlineBlock": [], "record": []}
    if not value:
        return found
    for node in _walk(value["document"]):
        kind = node["type"]
        if kind in ("block", "inlineBlock"):
            found[kind].append(node["item"])
        elif kind in ("itemLink", "inlineItem") and node["item"] not in found["record"]:
            found["record"].append(node["item"])
    return found


def with_block_items(value: Any, replace: Callable[[str, Any], Any]) -> Any:
    """A copy of a structured text value whose ``block``/``inlineBlock`` nodes hold
    ``replace(kind, item)`` as their ``item``: ids to block objects, or back. Anything that
    is not shaped like a document is returned as it is (``normalize_document`` judges it)."""
    if not isinstance(value, Mapping) or not isinstance(value.get("document"), Mapping):
        return value
    return {**value, "document": _replaced(value["document"], replace)}


def _replaced(node: Any, replace: Callable[[str, Any], Any]) -> Any:
    if not isinstance(node, Mapping):
        return node
    copy = dict(node)
    if copy.get("type") in ("block", "inlineBlock") and "item" in copy:
        copy["item"] = replace(str(copy["type"]), copy["item"])
    children = copy.get("children")
    if isinstance(children, list):
        copy["children"] = [_replaced(child, replace) for child in children]
    return copy


def plain_text(value: Mapping[str, Any] | None) -> str:
    """The text of a document's spans and code, one line per block-level node."""
    if not value:
        return ""
    parts: list[str] = []
    for node in _walk(value["document"]):
        if node["type"] == "span":
            parts.append(node["value"])
        elif node["type"] == "code":
            parts.append(node["code"])
        elif node["type"] in ("paragraph", "heading", "code"):
            parts.append("\n")
    return "".join(parts).strip()


def is_blank_document(value: Mapping[str, Any] | None) -> bool:
    """Null, or a single empty paragraph (DatoCMS's ``isBlank`` for structured text)."""
    if not value:
        return True
    children = value["document"].get("children", [])
    if not children:
        return True
    if len(children) == 1 and children[0]["type"] == "paragraph":
        return all(c["type"] == "span" and not c["value"].strip() for c in children[0]["children"])
    return False


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
