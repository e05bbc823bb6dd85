"""datocms_app.validation_errors: one way to put a pydantic ValidationError into words."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from pydantic_core import PydanticCustomError

from datocms_app.validation_errors import describe_validation_error, names_a_secret


class Inner(BaseModel):
    model_config = ConfigDict(extra="forbid")

    API_TOKEN: str = ""
    NAMES: list[str] = Field(default_factory=list)


class Outer(BaseModel):
    model_config = ConfigDict(extra="forbid")

    URL: str = "https://x.test/"
    COUNT: int = Field(default=1, ge=0)
    INNER: Inner = Field(default_factory=Inner)
    REQUIRED: str

    @field_validator("URL")
    @classmethod
    def _http(cls, value: str) -> str:
        if not value.startswith("https://"):
            raise ValueError("must be an https URL such as 'https://x.test/'.")
        return value

    @field_validator("COUNT")
    @classmethod
    def _not_thirteen(cls, value: int) -> int:
        if value == 13:
            raise PydanticCustomError("unlucky", "13 is refused here")
        return value


def describe(data: dict[str, Any], **options: Any) -> str:
    with pytest.raises(ValidationError) as info:
        Outer.model_validate({"REQUIRED": "x", **data})
    return describe_validation_error(info.value, **options)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"COUNT": "many"},
            "COUNT: Input should be a valid integer, unable to parse string as "
            "an integer (got str 'many')",
        ),
        ({"URL": "ftp://x"}, "URL: must be an https URL such as 'https://x.test/'"),
        ({"COUNT": 13}, "COUNT: 13 is refused here"),
        ({"REQUIRED": None}, "REQUIRED: Input should be a valid string (got NoneType None)"),
        (
            {"INNER": {"NAMES": ["a", 2]}},
            "INNER.NAMES.1: Input should be a valid string (got int 2)",
        ),
        (
            {"COUNT": "x" * 100},
            "COUNT: Input should be a valid integer, unable to parse string "
            f"as an integer (got str '{'x' * 56}...)",
        ),
        ({"OTHER": 1}, "OTHER: unknown key"),
    ],
)
def test_where_and_what(data: dict[str, Any], message: str) -> None:
    assert describe(data) == message


def test_a_missing_key_never_shows_the_object_it_is_missing_from() -> None:
    with pytest.raises(ValidationError) as info:
        Outer.model_validate({"INNER": {"API_TOKEN": "very-secret"}})

    assert describe_validation_error(info.value) == "REQUIRED: Field required"


def test_the_model_adds_the_type_expected_and_the_known_keys() -> None:
    assert describe({"COUNT": -1}, model=Outer) == (
        "COUNT: Input should be greater than or equal to 0 (expected int, got int -1)"
    )
    assert describe({"INNER": {"NAMES": "a"}}, model=Outer) == (
        "INNER.NAMES: Input should be a valid list (expected list[str], got str 'a')"
    )
    assert describe({"INNER": {"NAME": "a"}}, model=Outer) == (
        "INNER.NAME: unknown key; known keys are: API_TOKEN, NAMES"
    )
    assert describe({"NAME": "a"}, model=Outer) == (
        "NAME: unknown key; known keys are: COUNT, INNER, REQUIRED, URL"
    )


@pytest.mark.parametrize(
    "data",
    [
        {"INNER": {"API_TOKEN": ["very-secret"]}},
        {"INNER": {"API_TOKN": "very-secret"}},
        {"PASSWORD": "very-secret"},
    ],
)
def test_secrets_and_unknown_keys_are_never_echoed(data: dict[str, Any]) -> None:
    described = describe(data, model=Outer)

    assert "very-secret" not in described
    assert described.startswith(
        (
            "INNER.API_TOKEN: Input should be a valid string (expected "
            "str, got list (value hidden))",
            "INNER.API_TOKN: unknown key",
            "PASSWORD: unknown key",
        )
    )


def test_root_where_hide_and_limit() -> None:
    with pytest.raises(ValidationError) as info:
        Outer.model_validate("not a mapping")
    assert describe_validation_error(info.value, root="settings") == (
        "settings: Input should be a valid dictionary or instance of Outer (got str 'not a "
        "mapping')"
    )

    described = describe(
        {"COUNT": "a", "URL": 1, "REQUIRED": 2, "X": 1, "Y": 2, "Z": 3},
        where=lambda location: "S" + "".join(f"[{part!r}]" for part in location),
        hide=lambda location: location == ("COUNT",),
        limit=2,
    )
    assert described == (
        "S['URL']: Input should be a valid string (got int 1); S['COUNT']: Input should be a "
        "valid integer, unable to parse string as an integer (got str (value hidden)) "
        "(and 4 more)"
    )


def test_names_a_secret() -> None:
    assert names_a_secret(("API_TOKEN",))
    assert names_a_secret(("EMULATOR", "WEBHOOKS", 0, "Password"))
    assert names_a_secret(("WEBHOOK_SECRET_HEADER",))
    assert not names_a_secret(("TIMEOUT",))
