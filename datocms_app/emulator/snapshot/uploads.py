"""Uploads, as the CMA describes them, made entries of ``uploads.json``.

Each upload's file goes to ``uploads/<upload id>/<filename>`` (its own folder: file names
repeat across uploads; the CDA's ``url`` and ``filename`` then end with the same name as on
DatoCMS). Kept: ``author``, ``copyright``, ``notes``, ``tags``, the dates and the per-locale
``default_field_metadata`` (``alt``, ``title``, ``focal_point``, ``custom_data``) of the
project's locales. A video's ``video`` entry is added by ``videos``. Smart tags and upload
collections have no place in a content project: they are noted in the report. Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import PurePosixPath
from typing import Any

from datocms_app.cma.uploads import FIELD_METADATA, filename_of, safe_name
from datocms_app.emulator.snapshot.report import SnapshotReport

__all__ = ["upload_entry", "upload_path"]


def upload_path(upload: Mapping[str, Any]) -> str:
    """Where the upload's file goes, relative to ``uploads/``."""
    name = upload.get("filename")
    filename = safe_name(name) if isinstance(name, str) and name else None
    if filename is None or filename == "upload":
        filename = filename_of(str(upload.get("url") or ""))
    return PurePosixPath(str(upload["id"]), filename).as_posix()


def upload_entry(
    upload: Mapping[str, Any], locales: Sequence[str], report: SnapshotReport
) -> dict[str, Any]:
    """The ``uploads.json`` entry of an upload (simple shape), without its ``video``."""
    entry: dict[str, Any] = {"id": str(upload["id"]), "path": upload_path(upload)}
    metadata = upload.get("default_field_metadata") or {}
    kept = {
        locale: {key: value for key, value in (values or {}).items()
                 if key in FIELD_METADATA and value not in (None, {})}
        for locale, values in metadata.items() if locale in locales
    }  # fmt: skip
    entry["default_field_metadata"] = {locale: values for locale, values in kept.items() if values}
    for key in ("author", "copyright", "notes"):
        if isinstance(upload.get(key), str):
            entry[key] = upload[key]
    entry["tags"] = [str(tag) for tag in upload.get("tags") or []]
    for key in ("created_at", "updated_at"):
        if isinstance(upload.get(key), str):
            entry[key] = upload[key]
    if upload.get("smart_tags"):
        report.omit(f"upload {entry['id']}: smart tags {', '.join(upload['smart_tags'])}")
    if upload.get("upload_collection"):
        report.omit(f"upload {entry['id']}: its upload collection")
    return entry
