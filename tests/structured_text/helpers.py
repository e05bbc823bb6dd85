"""Small builders for dast documents in tests."""

from __future__ import annotations

from typing import Any

Node = dict[str, Any]


def span(value: str, *marks: str) -> Node:
    node: Node = {"type": "span", "value": value}
    if marks:
        node["marks"] = list(marks)
    return node


def p(*children: Node) -> Node:
    return {"type": "paragraph", "children": list(children)}


def doc(*children: Node) -> dict[str, Any]:
    return {"schema": "dast", "document": {"type": "root", "children": list(children)}}


def nested_lists(node: Node, depth: int) -> Node:
    """``node`` inside ``depth`` bulleted lists: a document too deep to render recursively."""
    for _ in range(depth):
        node = {"type": "list", "style": "bulleted", "children": [
            {"type": "listItem", "children": [node]}
        ]}  # fmt: skip
    return node


def field(
    document: dict[str, Any],
    *,
    blocks: list[Any] | None = None,
    links: list[Any] | None = None,
    inline_blocks: list[Any] | None = None,
) -> dict[str, Any]:
    value: dict[str, Any] = {"value": document}
    if blocks is not None:
        value["blocks"] = blocks
    if links is not None:
        value["links"] = links
    if inline_blocks is not None:
        value["inlineBlocks"] = inline_blocks
    return value


def locmem_templates(templates: dict[str, str]) -> list[dict[str, Any]]:
    return [
        {
            "BACKEND": "django.template.backends.django.DjangoTemplates",
            "APP_DIRS": False,
            "OPTIONS": {
                "loaders": [
                    ("django.template.loaders.locmem.Loader", templates),
                    "django.template.loaders.app_directories.Loader",
                ]
            },
        }
    ]
