"""``take_snapshot``: read a project through the CMA, write it as a content project.

The steps: check the target directory; read everything (``reading``); turn the site, the
schema, uploads and records into the content project's files (``site``, ``schema``,
``uploads``, ``records``), downloading each upload's file (and a video's HLS rendition and
poster, ``videos``) into a temporary folder beside the target; keep what the emulator can
load (``checking``); write the JSON files; load the whole folder once as the emulator will;
then put it in place of the target at once. A failure leaves the target as it was. A dry run
reads and checks everything but downloads and writes nothing.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import time
from collections.abc import Callable, Mapping
from pathlib import Path, PurePosixPath
from typing import Any

from datocms_app.cma import Client
from datocms_app.emulator.content import load_project
from datocms_app.emulator.exceptions import ContentError
from datocms_app.emulator.project import Upload
from datocms_app.emulator.snapshot.checking import (
    UploadIds,
    check_records,
    check_schema,
    check_upload,
    record_where,
)
from datocms_app.emulator.snapshot.downloads import Downloader
from datocms_app.emulator.snapshot.reading import ProjectSource, read_project
from datocms_app.emulator.snapshot.records import RecordFiles
from datocms_app.emulator.snapshot.report import SnapshotError, SnapshotReport
from datocms_app.emulator.snapshot.schema import ModelShape, build_schema_file
from datocms_app.emulator.snapshot.site import build_site_file
from datocms_app.emulator.snapshot.uploads import upload_entry
from datocms_app.emulator.snapshot.videos import MUX_URLS, VideoURLs, fetch_video
from datocms_app.exceptions import DatoCMSError, InvalidArgument

__all__ = ["take_snapshot"]


def _quiet(message: str) -> None:
    del message


def take_snapshot(
    client: Client,
    directory: str | Path,
    *,
    video_urls: VideoURLs = MUX_URLS,
    dry_run: bool = False,
    replace: bool = False,
    progress: Callable[[str], None] = _quiet,
) -> SnapshotReport:
    """Snapshot the project (and environment) ``client`` reads into the content project
    ``directory`` (new or empty; ``replace=True`` replaces a content project there).

    Raises ``SnapshotError`` for a target that cannot take it, ``CMAError`` & co. when the
    CMA refuses. Returns the report: counts, and what was not represented.
    """
    if not isinstance(client, Client):
        raise InvalidArgument(f"client must be a datocms_app.cma.Client, got {client!r}.")
    started = time.monotonic()
    target = Path(directory)
    _check_target(target, replace=replace, dry_run=dry_run)
    report = SnapshotReport(directory=target, dry_run=dry_run)
    source = read_project(client, progress)
    report.environment = source.environment
    site = build_site_file(source.site, source.environments, report)
    schema, shapes = build_schema_file(source.item_types, source.fields, report)
    project_schema = check_schema(site, schema)
    work = None if dry_run else _work_folder(target)
    try:
        entries, uploads = _uploads(client, source, work, video_urls, report, progress)
        _drop_missing_site_uploads(site, uploads, report)
        progress("Checking records...")
        records = _records(source, shapes, report)
        check_records(records, project_schema, uploads, report)
        for raw in records.values():
            report.records[_status(raw)] += 1
        if work is not None:
            progress(f"Writing {len(records)} records...")
            _write(work, site, schema, entries, records)
            try:
                load_project(work)
            except ContentError as exc:  # pragma: no cover - every part was checked
                raise SnapshotError(f"The snapshot does not load in the emulator: {exc}") from exc
            _put_in_place(work, target)
            work = None
    finally:
        if work is not None:
            shutil.rmtree(work, ignore_errors=True)
    report.seconds = time.monotonic() - started
    return report


# -- the target ---------------------------------------------------------------------------------


def _check_target(target: Path, *, replace: bool, dry_run: bool) -> None:
    if target.exists() and not target.is_dir():
        raise SnapshotError(f"{target} is a file: name a directory for the content project.")
    if target.is_dir() and any(target.iterdir()):
        if not (target / "schema.json").is_file():
            raise SnapshotError(
                f"{target} is not empty and holds no content project (no schema.json): name a "
                "new or empty directory."
            )
        if not replace and not dry_run:
            raise SnapshotError(
                f"{target} already holds a content project: pass --replace (replace=True) to "
                "replace it with the new snapshot."
            )


def _work_folder(target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f".{target.name}.snapshot-", dir=target.parent))


def _put_in_place(work: Path, target: Path) -> None:
    old = None
    if target.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
        target.rename(old / "content")
    work.rename(target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _write(
    work: Path,
    site: Mapping[str, Any],
    schema: Mapping[str, Any],
    uploads: list[dict[str, Any]],
    records: Mapping[str, Mapping[str, Any]],
) -> None:
    _dump(work / "site.json", site)
    _dump(work / "schema.json", schema)
    _dump(work / "uploads.json", uploads)
    (work / "uploads").mkdir(exist_ok=True)
    for raw in records.values():
        path = work / record_where(raw)
        path.parent.mkdir(parents=True, exist_ok=True)
        _dump(path, raw)


def _dump(path: Path, value: Any) -> None:
    path.write_text(json.dumps(value, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


# -- uploads ----------------------------------------------------------------------------------


def _uploads(
    client: Client,
    source: ProjectSource,
    work: Path | None,
    video_urls: VideoURLs,
    report: SnapshotReport,
    progress: Callable[[str], None],
) -> tuple[list[dict[str, Any]], Mapping[str, Upload]]:
    locales = report.locales
    entries = [upload_entry(upload, locales, report) for upload in source.uploads]
    videos = {str(u["id"]): u for u in source.uploads if u.get("mux_playback_id")}
    if work is None:
        report.uploads, report.videos = len(entries), len(videos)
        return entries, UploadIds([entry["id"] for entry in entries])
    downloader = Downloader(client)
    folder = work / "uploads"
    kept: list[dict[str, Any]] = []
    loaded: dict[str, Upload] = {}
    for index, (upload, entry) in enumerate(zip(source.uploads, entries, strict=True), 1):
        progress(f"Downloading uploads: {index}/{len(entries)} {entry['path']}")
        url = upload.get("url")
        try:
            if not isinstance(url, str):
                raise SnapshotError("the CMA gave no url for its file")
            downloader.fetch(url, folder / entry["path"])
        except DatoCMSError as exc:
            report.omit(f"upload {entry['id']}: its file could not be downloaded: {exc}")
            continue
        if entry["id"] in videos:
            _add_video(downloader, video_urls, videos[entry["id"]], entry, folder, report)
        checked = check_upload(entry, folder, locales, report)
        if checked is not None:
            kept.append(entry)
            loaded[entry["id"]] = checked
    report.uploads = len(kept)
    report.bytes_downloaded = downloader.bytes
    return kept, loaded


def _add_video(
    downloader: Downloader,
    urls: VideoURLs,
    upload: Mapping[str, Any],
    entry: dict[str, Any],
    folder: Path,
    report: SnapshotReport,
) -> None:
    relative = PurePosixPath(entry["path"]).parent
    width, height = upload.get("width"), upload.get("height")
    size = (width, height) if isinstance(width, int) and isinstance(height, int) else None
    try:
        entry["video"] = fetch_video(
            downloader, urls, str(upload["mux_playback_id"]), folder / relative, relative, size
        )
    except (DatoCMSError, OSError, UnicodeDecodeError) as exc:
        report.omit(
            f"upload {entry['id']}: kept as a plain file, not a video: its stream could not be "
            f"fetched from {urls.stream} ({exc}); pass the URL where its videos are served"
        )
        return
    report.videos += 1


def _drop_missing_site_uploads(
    site: dict[str, Any], uploads: Mapping[str, Upload], report: SnapshotReport
) -> None:
    favicon = site.get("favicon")
    if favicon is not None and favicon not in uploads:
        report.omit(f"site favicon {favicon}: the upload was left out")
        del site["favicon"]
    for locale, seo in (site.get("global_seo") or {}).items():
        image = (seo.get("fallback_seo") or {}).get("image")
        if image is not None and image not in uploads:
            report.omit(f"site global_seo.{locale}.fallback_seo.image: upload {image} left out")
            del seo["fallback_seo"]["image"]


# -- records ----------------------------------------------------------------------------------


def _records(
    source: ProjectSource, shapes: Mapping[str, ModelShape], report: SnapshotReport
) -> dict[str, dict[str, Any]]:
    converter = RecordFiles(shapes)
    files: dict[str, dict[str, Any]] = {}
    for record_id, current in sorted(source.current.items()):
        model = converter.model_of(current)
        if model is None or model.modular_block:
            report.omit(f"record {record_id}: its model {current.get('item_type')} is unknown")
            continue
        published = source.published.get(record_id)
        if (current.get("meta") or {}).get("status") == "updated" and published is None:
            report.omit(
                f"record {record_id}: its published version was not listed; kept as a draft"
            )
        files[record_id] = converter.record_file(current, published)
    return files


def _status(raw: Mapping[str, Any]) -> str:
    if "published" not in raw:
        return "draft"
    return "updated" if "draft" in raw else "published"
