from __future__ import annotations

from django.core import checks
from django.test import override_settings

from datocms_app.checks import check_structured_text


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
