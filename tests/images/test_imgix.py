"""imgix_url: merging, encoding and order of imgix parameters."""

from __future__ import annotations

from typing import Any

import pytest

from datocms_app.exceptions import InvalidArgument
from datocms_app.images import imgix_url

ASSET = "https://www.datocms-assets.com/205/1700000000-alps.jpg"


def test_adds_parameters_sorted_by_name() -> None:
    assert imgix_url(ASSET, w=800, h=600, fit="crop", auto="format") == (
        f"{ASSET}?auto=format&fit=crop&h=600&w=800"
    )


def test_order_does_not_depend_on_how_parameters_were_written() -> None:
    assert imgix_url(ASSET + "?w=1&fit=max", h=2) == imgix_url(ASSET + "?fit=max", h=2, w=1)


def test_new_values_replace_those_in_the_url() -> None:
    url = f"{ASSET}?w=100&auto=compress&q=60"

    assert imgix_url(url, w=800, auto="format") == f"{ASSET}?auto=format&q=60&w=800"


def test_none_removes_a_parameter() -> None:
    assert imgix_url(f"{ASSET}?w=100&h=50", h=None) == f"{ASSET}?w=100"
    assert imgix_url(f"{ASSET}?w=100", w=None) == ASSET


def test_underscores_are_dashes() -> None:
    assert imgix_url(ASSET, max_w=1000, fp_x=0.5) == f"{ASSET}?fp-x=0.5&max-w=1000"
    assert imgix_url(ASSET, **{"max-h": 10}) == f"{ASSET}?max-h=10"


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (2.0, "2"),
        (1.5, "1.5"),
        (True, "true"),
        (False, "false"),
        (["format", "compress"], "format,compress"),
        (("a", 1), "a,1"),
        ("Hello World", "Hello%20World"),
        ("#ff0000", "%23ff0000"),
        ("a&b=c", "a%26b%3Dc"),
        ("caffè", "caff%C3%A8"),
        ("a+b", "a%2Bb"),
        ("~_.-", "~_.-"),
    ],
)
def test_value_encoding(value: Any, text: str) -> None:
    assert imgix_url(ASSET, txt=value) == f"{ASSET}?txt={text}"


def test_existing_encoded_values_are_decoded_then_encoded_once() -> None:
    url = f"{ASSET}?txt=Hello%20World&txt-font=Avenir+Bold&mark=https%3A%2F%2Fx.test%2Fl.png"

    assert imgix_url(url, w=10) == (
        f"{ASSET}?mark=https%3A%2F%2Fx.test%2Fl.png&txt=Hello%20World&txt-font=Avenir%20Bold&w=10"
    )


def test_fragment_and_relative_urls() -> None:
    assert imgix_url("/datocms/emulator/assets/u1/a.jpg#top", w=5) == (
        "/datocms/emulator/assets/u1/a.jpg?w=5#top"
    )
    assert imgix_url("/a.jpg?w=1") == "/a.jpg?w=1"


def test_blank_values_are_kept() -> None:
    assert imgix_url(f"{ASSET}?trim=", w=1) == f"{ASSET}?trim=&w=1"


@pytest.mark.parametrize("url", ["", "   ", None, 42, b"/a.jpg"])
def test_bad_url(url: Any) -> None:
    with pytest.raises(InvalidArgument) as info:
        imgix_url(url, w=1)

    assert "Pass `upload.url`" in str(info.value)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"bad name": 1}, "is not an imgix parameter name"),
        ({"w": {"a": 1}}, "must be a string, number, boolean, list or None, got dict"),
        ({"w": float("nan")}, "must be a finite number"),
        ({"w": float("inf")}, "must be a finite number"),
    ],
)
def test_bad_parameters(params: dict[str, Any], message: str) -> None:
    with pytest.raises(InvalidArgument) as info:
        imgix_url(ASSET, **params)

    assert message in str(info.value)
