"""The emulator app's settings (``DATOCMS["EMULATOR"]``...), its PREPARE hook and checks."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.test import override_settings

from datocms_app import cda
from datocms_app.conf import validate_settings
from datocms_app.emulator.checks import check_content_project, check_emulator_settings
from datocms_app.emulator.conf import (
    get_emulator_settings,
    get_image_cache_dir,
    validate_emulator_keys,
)
from datocms_app.emulator.content_dir import content_directory
from datocms_app.emulator.embedded import get_emulator, reset_emulator
from datocms_app.emulator.exceptions import ContentError
from datocms_app.exceptions import ConfigurationError
from tests.emulator.conftest import write_project

HERE = __name__
#: Directories the ``record_preparation`` hook was called with, in order.
prepared: list[Path] = []
NOT_CALLABLE = "a string"


def record_preparation(content_dir: Path) -> None:
    prepared.append(content_dir)


def generate_project(content_dir: Path) -> None:
    """A PREPARE hook that writes the whole (fixture) project when it is missing."""
    if not (content_dir / "schema.json").is_file():
        write_project(content_dir)


def fail_to_prepare(content_dir: Path) -> None:
    raise OSError(f"disk full under {content_dir.name}")


@pytest.fixture(autouse=True)
def fresh_emulator() -> Iterator[None]:
    prepared.clear()
    reset_emulator()
    cache.clear()
    yield
    reset_emulator()


# -- the settings model -----------------------------------------------------------------------


def test_the_core_accepts_the_emulator_keys_without_reading_them() -> None:
    conf = validate_settings({"EMULATOR": {"TOKENZ": 1}, "EMULATOR_IMAGE_CACHE_DIR": 3})
    assert conf.EMULATOR == {"TOKENZ": 1}
    assert conf.EMULATOR_IMAGE_CACHE_DIR == 3


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            {"EMULATOR": {"TOKENZ": ["x"]}},
            "settings.DATOCMS['EMULATOR']['TOKENZ']: unknown key; known keys are: "
            "ASSETS_BASE, CMA_JOB_SECONDS, CONTENT_DIR, INVALIDATE_SITE, LISTEN_BASE, PREPARE, "
            "TOKENS, TOKEN_LOCALES, VIDEO_BASE, WEBHOOKS, WEBHOOK_RETRY_SCALE.",
        ),
        (
            {"EMULATOR": {"LISTEN_BASE": "datocms/emulator/listen"}},
            "settings.DATOCMS['EMULATOR']['LISTEN_BASE']: must be a path such as "
            "'/datocms/emulator/listen' or an http(s) URL, got 'datocms/emulator/listen'.",
        ),
        (
            {"EMULATOR": {"TOKENS": []}},
            "settings.DATOCMS['EMULATOR']['TOKENS']: List should have at least 1 item after "
            "validation, not 0 (expected list[str], got list (value hidden)).",
        ),
        (
            {"EMULATOR": {"PREPARE": "not a dotted path"}},
            "settings.DATOCMS['EMULATOR']['PREPARE']: must be the dotted path of a "
            "function, e.g. 'myproject.prepare', got 'not a dotted path'.",
        ),
        (
            {"EMULATOR_IMAGE_CACHE_DIR": 3},
            "settings.DATOCMS['EMULATOR_IMAGE_CACHE_DIR']: Input should be a valid string "
            "(expected str, got int 3).",
        ),
        (
            "token",
            "settings.DATOCMS must be a dict, got str. "
            'Example: DATOCMS = {"API_TOKEN": env("DATOCMS_API_TOKEN")}.',
        ),
    ],
)
def test_invalid_emulator_keys_name_the_key(value: Any, message: str) -> None:
    with pytest.raises(ConfigurationError) as caught:
        validate_emulator_keys(value)
    assert str(caught.value) == message


def test_settings_are_read_again_when_they_change() -> None:
    with override_settings(DATOCMS={"EMULATOR": {"TOKENS": ["one"]}}):
        assert get_emulator_settings().TOKENS == ["one"]
        assert get_image_cache_dir() == ""
    with override_settings(DATOCMS={"EMULATOR_IMAGE_CACHE_DIR": "/tmp/renditions"}):
        assert get_emulator_settings().TOKENS == ["emulator"]
        assert get_image_cache_dir() == "/tmp/renditions"


def test_check_reports_invalid_emulator_keys_as_e001() -> None:
    with override_settings(DATOCMS={"EMULATOR": {"WEBHOOK_RETRY_SCALE": 0}}):
        (message,) = check_emulator_settings()
    assert message.id == "datocms.E001"
    assert message.msg == (
        "settings.DATOCMS['EMULATOR']['WEBHOOK_RETRY_SCALE']: Input should be greater than 0 "
        "(expected float, got int 0)."
    )
    assert message.hint == ("Fix settings.DATOCMS['EMULATOR']; docs/reference.md lists every key.")
    with override_settings(DATOCMS="token"):
        assert check_emulator_settings() == []  # the core's E001 says it


# -- PREPARE ------------------------------------------------------------------------------------


def test_prepare_runs_before_the_project_loads(settings: Any, tmp_path: Path) -> None:
    project = tmp_path / "generated"
    settings.DATOCMS = {
        "EMULATOR": {"CONTENT_DIR": str(project), "PREPARE": f"{HERE}.generate_project"}
    }
    assert cda.query('{ post(filter: {id: {eq: "p1"}}) { id } }') == {"post": {"id": "p1"}}
    assert (project / "schema.json").is_file()


def test_prepare_gets_the_content_dir_each_time_it_loads(settings: Any) -> None:
    settings.DATOCMS = {
        "EMULATOR": {
            "CONTENT_DIR": settings.DATOCMS["EMULATOR"]["CONTENT_DIR"],
            "PREPARE": f"{HERE}.record_preparation",
        }
    }
    expected = Path(settings.DATOCMS["EMULATOR"]["CONTENT_DIR"])
    first = get_emulator()
    assert get_emulator() is first
    assert prepared == [expected]
    assert check_content_project() == []
    assert prepared == [expected, expected]


def test_a_failing_prepare_is_a_content_error(settings: Any, tmp_path: Path) -> None:
    settings.DATOCMS = {
        "EMULATOR": {"CONTENT_DIR": str(tmp_path), "PREPARE": f"{HERE}.fail_to_prepare"}
    }
    message = (
        f"settings.DATOCMS['EMULATOR']['PREPARE'] ({HERE}.fail_to_prepare) failed to prepare "
        f"{str(tmp_path)!r}: OSError: disk full under {tmp_path.name}"
    )
    with pytest.raises(ContentError) as caught:
        content_directory(get_emulator_settings())
    assert str(caught.value) == message
    (error,) = check_content_project()
    assert error.id == "datocms.E031"
    assert error.msg == f"The emulator's content project {str(tmp_path)!r} does not load: {message}"


@pytest.mark.parametrize(
    ("path", "message"),
    [
        (
            f"{HERE}.nowhere",
            f"settings.DATOCMS['EMULATOR']['PREPARE'] names '{HERE}.nowhere', which cannot be "
            f'imported (Module "{HERE}" does not define a "nowhere" attribute/class). Give '
            "the dotted path of a function prepare(content_dir), or remove the key.",
        ),
        (
            f"{HERE}.NOT_CALLABLE",
            f"settings.DATOCMS['EMULATOR']['PREPARE'] names '{HERE}.NOT_CALLABLE', which is not "
            "callable. Give the dotted path of a function prepare(content_dir).",
        ),
    ],
)
def test_e032_prepare_is_not_a_function(settings: Any, path: str, message: str) -> None:
    settings.DATOCMS = {"EMULATOR": {**settings.DATOCMS["EMULATOR"], "PREPARE": path}}
    (error,) = check_emulator_settings()
    assert error.id == "datocms.E032"
    assert error.msg == message
    assert error.hint == (
        "Point PREPARE at a function prepare(content_dir: Path), e.g. "
        "'myproject.content.prepare', or remove the key."
    )
    assert check_content_project() == []  # no second message for the same mistake
    with pytest.raises(ConfigurationError) as caught:
        get_emulator()
    assert str(caught.value) == message


def test_a_file_named_artwork_py_is_just_a_file(settings: Any, tmp_path: Path) -> None:
    # The emulator used to run a content project's artwork.py to create missing uploads:
    # only the PREPARE setting may run project code now.
    project = write_project(tmp_path / "project")
    (project / "artwork.py").write_text(
        "from pathlib import Path\n"
        "def ensure_demo_images(directory):\n"
        "    Path(directory, 'painted.txt').write_text('ran')\n"
    )
    (project / "uploads" / "two.png").unlink()
    settings.DATOCMS = {"EMULATOR": {"CONTENT_DIR": str(project)}}
    with pytest.raises(ContentError, match=r"uploads\.json\[1\]\.path: 'two\.png' must name a"):
        get_emulator()
    assert not (project / "uploads" / "painted.txt").exists()
