"""``validate()``: the ``dast`` rules, with the JSON path of the first node that breaks one.

At least as strict as ``validate()`` of ``datocms-structured-text-utils`` (allowed attributes
and children per node, non-empty ``children``, ``meta`` entries with string values, ``marks``
as a list), and stricter where the DatoCMS docs say more: the document node is ``root``,
``link``/``itemLink`` hold spans only, headings have a level from 1 to 6, lists are
``bulleted`` or ``numbered``, required attributes are present and typed, and ``meta`` is a
list of ``{id, value}`` pairs. For a whole field value, every record a node points at must be
in ``blocks``/``links``/``inlineBlocks`` when that list was passed.

Validation walks the tree iteratively and never renders; it is not on the rendering path.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from datocms_app.exceptions import InvalidStructuredText
from datocms_app.structured_text.nodes import (
    ALLOWED_ATTRIBUTES,
    ALLOWED_CHILDREN,
    DEFAULT_MARKS,
    NODE_TYPES,
    RECORD_LISTS,
    REQUIRED_ATTRIBUTES,
    read_value,
    record_id,
)

__all__ = ["validate"]


def _fail(path: str, message: str, node: object = None) -> InvalidStructuredText:
    return InvalidStructuredText(f"Invalid dast at {path}: {message}", path=path, node=node)


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _record_ids(records: Sequence[Any] | None) -> set[str] | None:
    if records is None:
        return None
    return {found for found in map(record_id, records) if isinstance(found, str)}


def _check_meta(node: dict[str, Any], path: str) -> None:
    meta = node["meta"]
    if not isinstance(meta, list):
        raise _fail(f"{path}.meta", f"meta must be a list of {{id, value}}, got {_short(meta)}")
    for index, entry in enumerate(meta):
        entry_path = f"{path}.meta[{index}]"
        if not isinstance(entry, dict) or set(entry) != {"id", "value"}:
            raise _fail(entry_path, f"a meta entry is {{id, value}}, got {_short(entry)}", node)
        if not isinstance(entry["id"], str) or not entry["id"]:
            raise _fail(entry_path, f"meta id must be a non-empty string: {_short(entry)}", node)
        if not isinstance(entry["value"], str):
            raise _fail(entry_path, f"meta value must be a string: {_short(entry)}", node)


def _check_marks(node: dict[str, Any], path: str, allowed_marks: frozenset[str] | None) -> None:
    marks = node["marks"]
    if not isinstance(marks, list):
        raise _fail(f"{path}.marks", f"marks must be a list of strings, got {_short(marks)}")
    for index, mark in enumerate(marks):
        if not isinstance(mark, str) or not mark:
            raise _fail(f"{path}.marks[{index}]", f"a mark is a non-empty string, got {mark!r}")
        if allowed_marks is not None and mark not in allowed_marks:
            raise _fail(
                f"{path}.marks[{index}]",
                f"unknown mark {mark!r}; allowed: {', '.join(sorted(allowed_marks))}",
                node,
            )


def _check_attributes(
    node: dict[str, Any], node_type: str, path: str, allowed_marks: frozenset[str] | None
) -> None:
    for name in REQUIRED_ATTRIBUTES[node_type]:
        if name not in node:
            raise _fail(path, f'"{node_type}" requires the attribute "{name}"', node)
    if node_type == "heading":
        level = node["level"]
        if not _is_int(level) or not 1 <= level <= 6:
            raise _fail(f"{path}.level", f"heading level must be 1 to 6, got {_short(level)}")
    elif node_type == "list":
        if node["style"] not in ("bulleted", "numbered"):
            raise _fail(
                f"{path}.style",
                f'list style must be "bulleted" or "numbered", got {_short(node["style"])}',
            )
    elif node_type == "span":
        if not isinstance(node["value"], str):
            raise _fail(
                f"{path}.value", f"span value must be a string, got {_short(node['value'])}"
            )
        if "marks" in node:
            _check_marks(node, path, allowed_marks)
    elif node_type == "code":
        for name in ("code", "language"):
            if name in node and not isinstance(node[name], str):
                raise _fail(f"{path}.{name}", f"code {name} must be a string")
        highlight = node.get("highlight", [])
        if not isinstance(highlight, list) or not all(
            _is_int(line) and line >= 0 for line in highlight
        ):
            raise _fail(f"{path}.highlight", "highlight must be a list of line numbers (>= 0)")
    elif node_type == "link" and not isinstance(node["url"], str):
        raise _fail(f"{path}.url", f"link url must be a string, got {_short(node['url'])}")
    if (
        node_type in ("paragraph", "heading")
        and "style" in node
        and (not isinstance(node["style"], str) or not node["style"])
    ):
        raise _fail(f"{path}.style", "a custom style must be a non-empty string")
    if (
        node_type == "blockquote"
        and "attribution" in node
        and not isinstance(node["attribution"], str)
    ):
        raise _fail(f"{path}.attribution", "blockquote attribution must be a string")
    if "item" in node and (not isinstance(node["item"], str) or not node["item"]):
        raise _fail(
            f"{path}.item", f"item must be a record id (string), got {_short(node['item'])}"
        )
    if "meta" in node:
        _check_meta(node, path)


def validate(value: object, *, custom_marks: Iterable[str] | None = None) -> None:
    """Raise ``InvalidStructuredText`` (with ``.path``) unless ``value`` is valid ``dast``.

    ``value`` is anything ``render_html`` accepts; ``None`` is valid (an empty field).
    Custom marks (defined with a DatoCMS plugin) are accepted as any non-empty string unless
    ``custom_marks`` lists them, in which case only the default marks and those are.
    """
    source = read_value(value, caller="validate")
    if source is None:
        return
    allowed_marks = (
        None if custom_marks is None else frozenset(DEFAULT_MARKS) | frozenset(custom_marks)
    )
    if source.prefix != "$" and source.node.get("type") != "root":
        raise _fail(
            source.prefix,
            f'the document node must be of type "root", got {_short(source.node.get("type"))}',
            source.node,
        )
    record_ids = {
        "blocks": _record_ids(source.blocks),
        "links": _record_ids(source.links),
        "inline_blocks": _record_ids(source.inline_blocks),
    }
    stack: list[tuple[object, str]] = [(source.node, source.prefix)]
    while stack:
        node, path = stack.pop()
        if not isinstance(node, dict):
            raise _fail(path, f"a node must be a JSON object, got {_short(node)}")
        node_type = node.get("type")
        if not isinstance(node_type, str) or node_type not in NODE_TYPES:
            raise _fail(
                path,
                f"unknown node type {_short(node_type)}; dast types are "
                f"{', '.join(sorted(NODE_TYPES))}",
                node,
            )
        extra = sorted(set(node) - ALLOWED_ATTRIBUTES[node_type] - {"type"})
        if extra:
            raise _fail(
                path,
                f'"{node_type}" has an invalid attribute "{extra[0]}" (allowed: '
                f"{', '.join(sorted(ALLOWED_ATTRIBUTES[node_type])) or 'none'})",
                node,
            )
        _check_attributes(node, node_type, path, allowed_marks)
        if node_type in RECORD_LISTS:
            _check_record(node, node_type, path, record_ids)
        if "children" in node:
            stack.extend(reversed(_children(node, node_type, path)))


def _children(node: dict[str, Any], node_type: str, path: str) -> list[tuple[object, str]]:
    children = node["children"]
    if not isinstance(children, list):
        raise _fail(f"{path}.children", f'"{node_type}" children must be a list', node)
    if not children:
        raise _fail(f"{path}.children", f'"{node_type}" children cannot be empty', node)
    allowed = ALLOWED_CHILDREN[node_type]
    found: list[tuple[object, str]] = []
    for index, child in enumerate(children):
        child_path = f"{path}.children[{index}]"
        child_type = child.get("type") if isinstance(child, dict) else None
        if isinstance(child, dict) and child_type not in NODE_TYPES:
            # Reported by the child's own check, which names the unknown type.
            found.append((child, child_path))
            continue
        if child_type not in allowed:
            described = _short(child_type) if isinstance(child, dict) else _short(child)
            raise _fail(
                child_path,
                f'"{node_type}" cannot contain {described} (allowed: {", ".join(sorted(allowed))})',
                child,
            )
        found.append((child, child_path))
    return found


def _check_record(
    node: dict[str, Any],
    node_type: str,
    path: str,
    record_ids: dict[str, set[str] | None],
) -> None:
    attribute, key = RECORD_LISTS[node_type]
    ids = record_ids[attribute]
    if ids is not None and node["item"] not in ids:
        raise _fail(
            path,
            f'"{node_type}" points at record {node["item"]!r}, which is not in .{key}: add '
            f"it to the {key} selection of your GraphQL query (with id and __typename)",
            node,
        )
