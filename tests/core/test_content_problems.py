"""datocms_app.content_problems: raise under DEBUG, otherwise log a warning and fall back."""

from __future__ import annotations

import logging

import pytest
from django.test import override_settings

from datocms_app.content_problems import report_content_problem, report_structured_text_problem
from datocms_app.exceptions import InvalidMetaTags, StructuredTextRenderError

LOGGER = logging.getLogger("tests.content_problems")


def test_debug_raises_the_error_itself() -> None:
    error = InvalidMetaTags("Tag 0 cannot be rendered.")

    with override_settings(DEBUG=True), pytest.raises(InvalidMetaTags) as info:
        report_content_problem(error, LOGGER)

    assert info.value is error


def test_production_logs_one_warning_saying_what_was_rendered(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.DEBUG, logger="tests.content_problems"):
        report_content_problem(InvalidMetaTags("Tag 0 cannot be rendered."), LOGGER)
        report_content_problem(InvalidMetaTags("Odd."), LOGGER, rendered="its text")

    assert [(record.name, record.levelname) for record in caplog.records] == [
        ("tests.content_problems", "WARNING"),
        ("tests.content_problems", "WARNING"),
    ]
    assert caplog.messages == [
        "Tag 0 cannot be rendered. (rendered nothing; set DEBUG=True to raise instead)",
        "Odd. (rendered its text; set DEBUG=True to raise instead)",
    ]


def test_structured_text_problems_name_the_path_and_the_templates_tried(
    caplog: pytest.LogCaptureFixture,
) -> None:
    node = {"type": "block", "item": "b1"}
    tried = ("site/blocks/cta.html", "datocms/structured_text/blocks/cta.html")
    message = (
        "no template for CtaBlockRecord (at $.document.children[2]); templates tried: "
        "site/blocks/cta.html, datocms/structured_text/blocks/cta.html"
    )

    with override_settings(DEBUG=True), pytest.raises(StructuredTextRenderError) as info:
        report_structured_text_problem(
            "no template for CtaBlockRecord",
            path="$.document.children[2]",
            node=node,
            rendered="nothing",
            templates_tried=tried,
        )
    with caplog.at_level(logging.WARNING, logger="datocms_app.structured_text"):
        report_structured_text_problem(
            "Unknown node type 'x'", path="$", node=None, rendered="its text"
        )

    assert str(info.value) == message
    assert (info.value.path, info.value.node, info.value.templates_tried) == (
        "$.document.children[2]",
        node,
        tried,
    )
    assert caplog.messages == [
        "Unknown node type 'x' (at $) (rendered its text; set DEBUG=True to raise instead)"
    ]
