"""``manage.py datocms_snapshot`` against a running ``manage.py datocms_emulator``, as a user
would run it against DatoCMS: ``--cma-url`` and ``--video-url`` point at the emulator.

The snapshot of the CMA tests' project (models with blocks in blocks, localized modular
content, a draft, a singleton, an upload) is loaded by a second emulator, whose CMA then
answers every record exactly as the first one does (nested, both versions).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from datocms_app import cma
from datocms_app.emulator.embedded import EmulatorTransport
from datocms_app.emulator.server import Emulator
from tests.emulator.cma.project import write_cma_project
from tests.emulator.standalone import standalone

TOKEN = "snapshot-cli-token"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    content = write_cma_project(tmp_path_factory.mktemp("cma-content"))
    with standalone("--token", TOKEN, "--content", str(content)) as endpoint:
        yield content, endpoint


def snapshot(endpoint: str, target: Path, *options: str) -> tuple[list[str], list[str]]:
    out, err = StringIO(), StringIO()
    call_command(
        "datocms_snapshot", str(target), "--token", TOKEN, "--cma-url", f"{endpoint}cma",
        "--video-url", f"{endpoint}video", *options, stdout=out, stderr=err,
    )  # fmt: skip
    assert TOKEN not in out.getvalue() + err.getvalue()
    summary = re.sub(r"in \d+\.\d s:", "in T s:", out.getvalue())
    summary = re.sub(r"\d+\.\d MB downloaded", "M MB downloaded", summary)
    return summary.splitlines(), err.getvalue().splitlines()


def records_seen(emulator: Emulator) -> dict[str, Any]:
    """Every record as the emulator's CMA answers it: latest and published, nested."""
    with cma.Client(
        api_token=TOKEN,
        base_url="http://emulator.invalid/cma",
        transport=EmulatorTransport(emulator),
    ) as client:
        return {
            version: sorted(
                client.items.iterate(nested=True, version=version), key=lambda r: r["id"]
            )
            for version in ("current", "published")
        }


def test_a_running_emulator_is_snapshotted_like_datocms(
    served: tuple[Path, str], tmp_path: Path
) -> None:
    content, endpoint = served
    target = tmp_path / "content"
    summary, progress = snapshot(endpoint, target)
    assert summary == [
        f'Snapshot of "CMA tests" (environment main) written to {target} in T s:',
        "  schema: 15 models, 9 block models, 68 fields; locales: en, it, fr, de",
        "  records: 9 (published: 8, with unpublished changes: 0, drafts: 1)",
        "  uploads: 1 (videos: 0), M MB downloaded",
        "Everything was represented.",
    ]
    assert progress == [
        "Reading the site, its models and fields...",
        "Reading uploads: 1",
        "Reading current records: 9/9",
        "Reading published records: 8/8",
        "Downloading uploads: 1/1 photo/photo.png",
        "Checking records...",
        "Writing 9 records...",
    ]
    assert (target / "uploads" / "photo" / "photo.png").read_bytes() == (
        content / "uploads" / "photo.png"
    ).read_bytes()
    original = Emulator.from_directory(content, tokens=[TOKEN])
    copy = Emulator.from_directory(target, tokens=[TOKEN])
    try:
        assert records_seen(copy) == records_seen(original)
    finally:
        original.close()
        copy.close()


def test_a_dry_run_reads_and_checks_and_writes_nothing(
    served: tuple[Path, str], tmp_path: Path
) -> None:
    summary, _ = snapshot(served[1], tmp_path / "content", "--dry-run")
    assert summary[0] == (
        f'Snapshot of "CMA tests" (environment main) would be written to {tmp_path / "content"} '
        "in T s:"
    )
    assert summary[3] == "  uploads: 1 (videos: 0)"
    assert not (tmp_path / "content").exists()


def test_an_existing_content_project_is_replaced_only_when_asked(
    served: tuple[Path, str], tmp_path: Path
) -> None:
    target = tmp_path / "content"
    snapshot(served[1], target)
    (target / "records" / "stale.json").write_text("{}")
    with pytest.raises(CommandError) as refused:
        snapshot(served[1], target)
    assert str(refused.value) == (
        f"{target} already holds a content project: pass --replace (replace=True) to replace "
        "it with the new snapshot."
    )
    snapshot(served[1], target, "--replace")
    assert not (target / "records" / "stale.json").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["content"]  # no temporary folder left
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "todo.txt").write_text("keep me")
    with pytest.raises(CommandError) as refused:
        snapshot(served[1], tmp_path / "notes", "--replace")
    assert str(refused.value) == (
        f"{tmp_path / 'notes'} is not empty and holds no content project (no schema.json): "
        "name a new or empty directory."
    )


def test_bad_input_is_a_command_error_without_the_token(
    served: tuple[Path, str], tmp_path: Path
) -> None:
    endpoint = served[1]
    target = str(tmp_path / "content")
    with override_settings(DATOCMS={}), pytest.raises(CommandError) as refused:
        call_command("datocms_snapshot", target, "--cma-url", f"{endpoint}cma")
    assert str(refused.value) == (
        "No CMA token: pass --token or set DATOCMS['CMA_API_TOKEN'] to an API token that "
        "can read the project's content (your DatoCMS project's Settings > API tokens)."
    )
    with pytest.raises(CommandError) as refused:
        call_command("datocms_snapshot", target, "--token", "wrong-secret",
                     "--cma-url", f"{endpoint}cma")  # fmt: skip
    assert "INVALID_AUTHORIZATION_HEADER" in str(refused.value)
    assert "wrong-secret" not in str(refused.value)
    with pytest.raises(CommandError) as refused:
        call_command("datocms_snapshot", target, "--token", TOKEN, "--cma-url", f"{endpoint}cma",
                     "--environment", "nowhere")  # fmt: skip
    assert "INVALID_ENVIRONMENT" in str(refused.value)
    with pytest.raises(CommandError) as refused:
        call_command("datocms_snapshot", target, "--token", TOKEN, "--video-url", "mux")
    assert str(refused.value) == "--video-url must be an http(s) URL, got 'mux'."
    with pytest.raises(CommandError) as refused:
        call_command("datocms_snapshot", target, "--token", TOKEN, "--cma-url", "site-api")
    assert str(refused.value) == (
        "base_url must be an http(s) URL, got 'site-api' (DatoCMS's is "
        "'https://site-api.datocms.com')."
    )
    assert not (tmp_path / "content").exists()
