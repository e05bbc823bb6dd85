from __future__ import annotations

import pytest
from django.core import checks
from django.test import override_settings

from datocms_app.checks import check_structured_text
from datocms_app.structured_text import render_html
from tests.structured_text.helpers import doc, field


def test_no_messages_by_default_and_for_good_paths() -> None:
    assert check_structured_text() == []
    good = {
        "RECORD_URL_RESOLVER": "project.records.record_url",
        "STRUCTURED_TEXT_RENDERERS": {"ImageBlockRecord": "datocms_app.structured_text.SkipRecord"},
    }
    with override_settings(DATOCMS=good):
        assert check_structured_text() == []


def test_e040_unimportable_resolver() -> None:
    with override_settings(DATOCMS={"RECORD_URL_RESOLVER": "project.records.nope"}):
        (message,) = check_structured_text()
    assert message.id == "datocms.E040"
    assert message.msg.startswith(
        "settings.DATOCMS['RECORD_URL_RESOLVER'] names 'project.records.nope', which cannot be "
        "imported"
    )
    assert message.hint == (
        "Point RECORD_URL_RESOLVER at a function f(record) -> str | None, e.g. "
        "'myproject.records.record_url', or remove the key."
    )


def test_e040_not_callable() -> None:
    with override_settings(DATOCMS={"RECORD_URL_RESOLVER": "project.records.URL_NAMES"}):
        (message,) = check_structured_text()
    assert message.id == "datocms.E040"
    assert message.msg == (
        "settings.DATOCMS['RECORD_URL_RESOLVER'] names 'project.records.URL_NAMES', which is "
        "not callable."
    )


def test_e041_renderers() -> None:
    renderers = {"Image Block": "x.y", "GalleryBlockRecord": "nowhere.render"}
    with override_settings(DATOCMS={"STRUCTURED_TEXT_RENDERERS": renderers}):
        second, first = check_structured_text()  # sorted by key
    assert first.id == second.id == "datocms.E041"
    assert first.msg == (
        "settings.DATOCMS['STRUCTURED_TEXT_RENDERERS'] has the key 'Image Block', which is not "
        "a GraphQL type name."
    )
    assert second.msg.startswith(
        "settings.DATOCMS['STRUCTURED_TEXT_RENDERERS.GalleryBlockRecord'] names "
        "'nowhere.render', which cannot be imported"
    )


def test_invalid_settings_are_left_to_e001() -> None:
    with override_settings(DATOCMS={"RECORD_URL_RESOLVER": 3}):
        assert check_structured_text() == []


def test_registered() -> None:
    assert check_structured_text in checks.registry.registry.get_checks()


# -- W040: keys no __typename can match --------------------------------------------------------

GALLERY_RENDERER = "tests.structured_text.test_records.GalleryRenderer"


@pytest.mark.parametrize(
    ("key", "meant", "api_key"),
    [
        ("gallery_block", "GalleryBlockRecord", "gallery_block"),
        ("galleryBlock", "GalleryBlockRecord", "gallery_block"),
        ("GalleryBlock", "GalleryBlockRecord", "gallery_block"),
        ("article", "ArticleRecord", "article"),
    ],
)
def test_w040_a_key_that_is_not_a_typename(key: str, meant: str, api_key: str) -> None:
    with override_settings(DATOCMS={"STRUCTURED_TEXT_RENDERERS": {key: GALLERY_RENDERER}}):
        (message,) = check_structured_text()
    assert message.id == "datocms.W040"
    assert message.msg == (
        f"settings.DATOCMS['STRUCTURED_TEXT_RENDERERS'] has the key {key!r}, which no record's "
        "__typename can match: DatoCMS names record types <CamelCasedApiKey>Record, so this "
        "renderer is never used."
    )
    assert message.hint == (
        f"Key it by the __typename: {meant!r} (the type of the model or block whose API key "
        f"is {api_key!r})."
    )


def test_w040_the_renderer_is_really_never_used() -> None:
    """The silent failure W040 reports: keyed by the API key, the renderer is skipped and the
    block falls through to its (missing) template; keyed as the check says, it renders."""
    gallery = {"id": "b2", "__typename": "GalleryBlockRecord", "images": []}
    content = field(doc({"type": "block", "item": "b2"}), blocks=[gallery])
    with override_settings(
        DATOCMS={"STRUCTURED_TEXT_RENDERERS": {"gallery_block": GALLERY_RENDERER}}
    ):
        assert render_html(content) == ""
        (message,) = check_structured_text()
    meant = message.hint.split("'")[1]
    with override_settings(DATOCMS={"STRUCTURED_TEXT_RENDERERS": {meant: GALLERY_RENDERER}}):
        assert render_html(content) == "<ul data-n='0'></ul>"
        assert check_structured_text() == []


def test_w040_comes_with_e041_when_the_path_is_wrong_too() -> None:
    with override_settings(DATOCMS={"STRUCTURED_TEXT_RENDERERS": {"quote": "nowhere.render"}}):
        assert [m.id for m in check_structured_text()] == ["datocms.W040", "datocms.E041"]
