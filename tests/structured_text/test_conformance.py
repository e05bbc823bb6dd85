"""render_html / render_plain_text against DatoCMS's npm renderers.

``conformance/fixtures.json`` holds documents rendered by
``datocms-structured-text-to-html-string`` and ``datocms-structured-text-to-plain-text``
(regenerate with ``node tests/structured_text/conformance/generate.cjs`` after ``make node``).
The one normalisation: the reference writes ``'`` as ``&apos;``, we write ``&#x27;`` (Django's
``escape``); both decode to the same text.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.utils.html import format_html

from datocms_app.structured_text import (
    RecordContext,
    render_html,
    render_plain_text,
    validate,
)

FIXTURES = json.loads((Path(__file__).parent / "conformance" / "fixtures.json").read_text())
CASES = FIXTURES["cases"]


def reference_html(html: str) -> str:
    return html.replace("&apos;", "&#x27;")


# The record renderers of generate.cjs, in Python.
def html_block(ctx: RecordContext) -> str:
    return format_html('<figure data-id="{}">{}</figure>', ctx.record["id"], ctx.record["caption"])


def html_inline_block(ctx: RecordContext) -> str:
    return format_html(
        '<span class="mention" data-id="{}">{}</span>', ctx.record["id"], ctx.record["label"]
    )


def html_inline_record(ctx: RecordContext) -> str:
    return format_html('<a href="/records/{}">{}</a>', ctx.record["slug"], ctx.record["title"])


def html_record_link(ctx: RecordContext) -> str:
    return format_html(
        '<a{} href="/records/{}">{}</a>', ctx.attrs, ctx.record["slug"], ctx.children
    )


HTML_RECORDS: dict[str, Any] = {
    "render_block": html_block,
    "render_inline_block": html_inline_block,
    "render_inline_record": html_inline_record,
    "render_link_to_record": html_record_link,
}
PLAIN_RECORDS: dict[str, Any] = {
    "render_block": lambda ctx: f"[block {ctx.record['id']}]",
    "render_inline_block": lambda ctx: f"[mention {ctx.record['label']}]",
    "render_inline_record": lambda ctx: f"[record {ctx.record['title']}]",
    "render_link_to_record": lambda ctx: f"[link {ctx.record['slug']}]{ctx.children}[/link]",
}


def test_fixtures_come_from_the_reference_packages() -> None:
    assert FIXTURES["packages"]["datocms-structured-text-to-html-string"].startswith("6.")
    assert len(CASES) > 100
    assert {case["name"] for case in CASES} >= {"link with meta", "blocks and records"}


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_html_matches_reference(case: dict[str, Any]) -> None:
    options = HTML_RECORDS if case["records"] else {}
    assert render_html(case["input"], **options) == reference_html(case["html"])


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_plain_text_matches_reference(case: dict[str, Any]) -> None:
    options = PLAIN_RECORDS if case["records"] else {}
    assert render_plain_text(case["input"], **options) == case["plain_text"]


def _has_strikethrough(value: object) -> bool:
    return '"strikethrough"' in json.dumps(value)


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_plain_text_differs_only_for_strikethrough(case: dict[str, Any]) -> None:
    # The documented difference: the reference ends strikethrough text with a newline.
    if case["plain_text"] != case["plain_text_reference"]:
        assert _has_strikethrough(case["input"])
        assert case["plain_text_reference"].replace("\n", "") == case["plain_text"].replace(
            "\n", ""
        )


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_fixture_documents_are_valid(case: dict[str, Any]) -> None:
    validate(case["input"])
