"""``{% load magazine %}``: the demo's presentation filters."""

from __future__ import annotations

import datetime

import pytest

from project.templatetags import as_clock, as_datetime


@pytest.mark.parametrize(
    ("seconds", "clock"),
    [(0, "0:00"), (4, "0:04"), (4.4, "0:04"), (59.6, "1:00"), (61, "1:01"), (600, "10:00"),
     (3725, "1:02:05"), (-1, ""), (None, ""), ("4", ""), (True, ""), (float("nan"), "")],
)  # fmt: skip
def test_as_clock(seconds: object, clock: str) -> None:
    assert as_clock(seconds) == clock


def test_as_datetime() -> None:
    assert as_datetime("2024-05-01") == datetime.date(2024, 5, 1)
    assert as_datetime("2024-05-01T09:30:00+00:00") == datetime.datetime(
        2024, 5, 1, 9, 30, tzinfo=datetime.UTC
    )
    assert as_datetime("soon") is None
