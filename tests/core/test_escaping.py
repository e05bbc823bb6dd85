"""datocms_app.escaping: the audited escaping helper of the hot paths."""

from __future__ import annotations

import html

from django.utils.html import escape
from hypothesis import given, settings
from hypothesis import strategies as st

from datocms_app.escaping import attribute, escape_attr, escape_text, is_safe_attribute_name


def test_escape_attr() -> None:
    assert escape_attr("""a&b<c>d"e'f""") == "a&amp;b&lt;c&gt;d&quot;e&#x27;f"
    assert escape_attr("&amp;") == "&amp;amp;"  # never unescapes
    assert escape_attr("plain") == "plain"


def test_escape_text() -> None:
    assert escape_text("""a&b<c>d"e'f""") == "a&amp;b&lt;c&gt;d\"e'f"


@settings(deadline=None)
@given(st.text())
def test_escape_attr_is_djangos_escape(value: str) -> None:
    escaped = escape_attr(value)

    assert escaped == escape(value)
    assert not set(escaped) & set("<>\"'")
    assert html.unescape(escaped) == value


@settings(deadline=None)
@given(st.text())
def test_escape_text_round_trips(value: str) -> None:
    escaped = escape_text(value)

    assert not set(escaped) & set("<>")
    assert html.unescape(escaped) == value


def test_attribute() -> None:
    assert attribute("alt", 'a "b"') == ' alt="a &quot;b&quot;"'
    assert attribute("alt", "") == ' alt=""'
    assert attribute("hidden", True) == " hidden"
    assert attribute("hidden", False) == ""
    assert attribute("title", None) == ""


def test_is_safe_attribute_name() -> None:
    assert all(map(is_safe_attribute_name, ["name", "http-equiv", "xml:lang", "data-x_y.z"]))
    unsafe = ["", "onload", "OnError", "a b", 'a"', "a=b", "a>", "-x", "1a", "a/b"]
    assert not any(map(is_safe_attribute_name, unsafe))
