"""Keeping only what the emulator can load: every file is checked by its own loader.

The snapshot's site, schema, uploads and records go through ``emulator.content``'s builders
(the ones ``load_project`` uses) before anything is written. An upload or record they refuse
is left out and its ``ContentError`` noted in the report — a record linking to one left out
is then refused in turn, and noted too — so what is written always loads. A video the
emulator cannot serve as one (an MP4 it cannot read, a poster of another size) is kept as a
plain file.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from datocms_app.emulator.content import build_record, build_site, build_uploads
from datocms_app.emulator.content_schema import build_schema
from datocms_app.emulator.exceptions import ContentError
from datocms_app.emulator.project import ProjectSchema, Upload
from datocms_app.emulator.snapshot.report import SnapshotError, SnapshotReport

__all__ = ["UploadIds", "check_records", "check_schema", "check_upload"]


def check_schema(site: Mapping[str, Any], schema: Mapping[str, Any]) -> ProjectSchema:
    """The schema as the emulator loads it; ``SnapshotError`` if it cannot (which would be a
    project the emulator's own rules cannot describe)."""
    try:
        loaded_site = build_site(site, "site.json")
        return build_schema(schema, loaded_site.locales, "schema.json")
    except ContentError as exc:
        raise SnapshotError(f"The emulator cannot represent this project's schema: {exc}") from exc


def check_upload(
    entry: dict[str, Any], uploads_dir: Path, locales: tuple[str, ...], report: SnapshotReport
) -> Upload | None:
    """The loaded upload, or None (noted) when the emulator refuses it. A refused ``video``
    is dropped first, keeping the file."""
    try:
        return build_uploads([entry], uploads_dir, locales, "uploads.json")[entry["id"]]
    except ContentError as exc:
        if "video" not in entry:
            report.omit(f"upload {entry['id']}: {_plain(exc)}")
            return None
        report.omit(f"upload {entry['id']}: kept as a plain file, not a video: {_plain(exc)}")
        entry.pop("video")
        report.videos -= 1
        return check_upload(entry, uploads_dir, locales, report)


class UploadIds(Mapping[str, Upload]):
    """The upload ids a dry run knows without their files (records only check ids)."""

    def __init__(self, ids: list[str]) -> None:
        self._ids = dict.fromkeys(ids)

    def __getitem__(self, key: str) -> Upload:
        raise KeyError(key)

    def __iter__(self) -> Iterator[str]:
        return iter(self._ids)

    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, key: object) -> bool:
        return key in self._ids


def check_records(
    files: dict[str, dict[str, Any]],
    schema: ProjectSchema,
    uploads: Mapping[str, Upload],
    report: SnapshotReport,
) -> None:
    """Remove from ``files`` (record id -> file content) the records the emulator refuses."""
    while True:
        record_models = {record_id: str(raw["item_type"]) for record_id, raw in files.items()}
        refused: dict[str, str] = {}
        for record_id, raw in files.items():
            try:
                build_record(raw, schema, record_models, uploads, record_where(raw))
            except ContentError as exc:
                refused[record_id] = str(exc)
        if not refused:
            return
        for record_id, message in refused.items():
            report.omit(f"record {record_id} ({files.pop(record_id)['item_type']}): {message}")


def record_where(raw: Mapping[str, Any]) -> str:
    """The record's file, relative to the content project."""
    return f"records/{raw['item_type']}/{raw['id']}.json"


def _plain(exc: ContentError) -> str:
    return str(exc).removeprefix("uploads.json[0]").lstrip(".: ")
