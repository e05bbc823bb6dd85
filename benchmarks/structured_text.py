"""Structured text: ``render_html``/``render_plain_text`` vs DatoCMS's npm renderers.

The anchors are ``render()`` of ``datocms-structured-text-to-html-string`` and of
``datocms-structured-text-to-plain-text``, timed inside node after a warm-up
(``benchmarks/node/structured_text_render.mjs``). Both sides render the same documents —
a short note, a typical article and a long article (every standard node and mark, links with
meta, nested lists) — and the output is checked for parity before anything is timed.
Rates are documents per second; ratio = ours / node (higher is better). Target: ratio >= 1
(the standard nodes are built as strings with one escaping helper and no template lookups;
the reference goes through vhtml, which sanitises every child through a global cache).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from benchmarks._harness import Row, node_results, per_second
from datocms_app.structured_text import render_html, render_plain_text

NODE_SCRIPT = Path(__file__).parent / "node" / "structured_text_render.mjs"
TARGET = "ratio >= 1"


def _span(value: str, *marks: str) -> dict[str, Any]:
    return {"type": "span", "value": value, **({"marks": list(marks)} if marks else {})}


def _paragraph(number: int) -> dict[str, Any]:
    return {
        "type": "paragraph",
        "children": [
            _span(f"Paragraph {number} opens with plain text that runs on for a while, "),
            _span("then some bold words", "strong"),
            _span(", an "),
            _span("emphasised & highlighted", "emphasis", "highlight"),
            _span(" phrase, "),
            {
                "type": "link",
                "url": f"https://example.com/articles/{number}?ref=st&utm=bench",
                "meta": [{"id": "target", "value": "_blank"}, {"id": "rel", "value": "noopener"}],
                "children": [_span("a link to elsewhere")],
            },
            _span(" and a line\nbreak with <angle> \"quotes\" and 'apostrophes'."),
            _span("inline_code()", "code"),
        ],
    }


def _article(paragraphs: int) -> dict[str, Any]:
    children: list[dict[str, Any]] = [
        {
            "type": "heading",
            "level": 1,
            "children": [_span("A day in the "), _span("Alps", "emphasis")],
        },
    ]
    for number in range(paragraphs):
        children.append(_paragraph(number))
        if number % 4 == 1:
            children.append(
                {"type": "heading", "level": 2, "children": [_span(f"Section {number}")]}
            )
        if number % 5 == 2:
            children.append(
                {
                    "type": "list",
                    "style": "bulleted" if number % 2 else "numbered",
                    "children": [
                        {
                            "type": "listItem",
                            "children": [
                                {
                                    "type": "paragraph",
                                    "children": [
                                        _span(f"Item {item}"),
                                        _span(" done", "strikethrough"),
                                    ],
                                },
                                {
                                    "type": "list",
                                    "style": "numbered",
                                    "children": [
                                        {
                                            "type": "listItem",
                                            "children": [
                                                {
                                                    "type": "paragraph",
                                                    "children": [_span("nested", "underline")],
                                                }
                                            ],
                                        }
                                    ],
                                },
                            ],
                        }
                        for item in range(3)
                    ],
                }
            )
        if number % 6 == 3:
            children.append(
                {
                    "type": "blockquote",
                    "attribution": "Someone Famous",
                    "children": [{"type": "paragraph", "children": [_span("A quotable line.")]}],
                }
            )
        if number % 7 == 4:
            children.append(
                {
                    "type": "code",
                    "language": "python",
                    "code": 'def hello():\n    print("<hi> & bye")\n',
                }
            )
            children.append({"type": "thematicBreak"})
    return {
        "value": {"schema": "dast", "document": {"type": "root", "children": children}},
        "blocks": [],
        "links": [],
    }  # fmt: skip


CASES = [
    {"name": "note (3 paragraphs)", "input": _article(3)},
    {"name": "article (15 paragraphs)", "input": _article(15)},
    {"name": "long read (60 paragraphs)", "input": _article(60)},
]


def _median(values: list[float]) -> float:
    return sorted(values)[len(values) // 2]


#: Programs this benchmark runs (checked before any benchmark starts).
REQUIRES = ("node",)


def run() -> list[Row]:
    rates: dict[tuple[str, str], list[float]] = {}
    # Alternate node and Python three times so that drift in machine load hits both alike.
    for _ in range(3):
        node = node_results(NODE_SCRIPT, CASES, rounds=5, seconds=0.2)
        for case in CASES:
            value = case["input"]
            reference = node[case["name"]]
            # Parity first: the reference writes ' as &apos;, we as &#x27; (Django's escape).
            if render_html(value) != reference["html"].replace("&apos;", "&#x27;"):
                print(f"structured_text: HTML differs for {case['name']}", file=sys.stderr)
            samples = {
                ("html", "node"): reference["html_rate"],
                ("plain", "node"): reference["plain_rate"],
                ("html", "ours"): per_second(lambda value=value: render_html(value), rounds=3),
                ("plain", "ours"): per_second(
                    lambda value=value: render_plain_text(value), rounds=3
                ),
            }
            for (kind, side), rate in samples.items():
                rates.setdefault((case["name"], f"{kind}-{side}"), []).append(rate)
    rows = []
    for case in CASES:
        for kind, function, anchor_name in (
            ("html", "render_html()", "node to-html-string render()"),
            ("plain", "render_plain_text()", "node to-plain-text render()"),
        ):
            rows.append(
                Row(
                    name=f"{function}: documents/s, {case['name']}",
                    ours=_median(rates[(case["name"], f"{kind}-ours")]),
                    anchor=_median(rates[(case["name"], f"{kind}-node")]),
                    unit="/s",
                    anchor_name=anchor_name,
                    target=TARGET,
                    higher_is_better=True,
                )
            )
    return rows
