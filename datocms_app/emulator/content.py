"""Loading a content project from disk (the format is described in ``docs/emulator.md``).

::

    <content dir>/
      schema.json     {"models": [{"api_key": "article", "fields": [...]}, ...]}  (CMA shape)
      site.json       {"name", "locales", "environments", "global_seo", "favicon", ...}
      uploads.json    [{"id", "path", "default_field_metadata": {"en": {"alt", ...}}}, ...]
                      (a video also has "video": {"mux_playback_id", "hls", "poster"})
      uploads/        the files of the uploads
      records/**.json one record per file: {"id", "item_type", "meta", "published", "draft"}

``load_project`` reads and checks everything (``schema.json`` with ``content_schema``) and
returns a ``ProjectContent``; any mistake raises ``ContentError`` naming the file and the
value, with the expected shape. It never writes to the content directory (a project that
generates files does it in its ``PREPARE`` hook, see ``content_dir``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from datocms_app.emulator import project
from datocms_app.emulator.content_schema import build_schema, expect_object
from datocms_app.emulator.exceptions import ContentError
from datocms_app.emulator.validation import version_problems
from datocms_app.emulator.values import ID_PATTERN, FieldValues, normalize_datetime
from datocms_app.emulator.videos import build_video

__all__ = ["build_record", "build_site", "build_uploads", "build_version", "load_project"]

LOCALE = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")
DEFAULT_TIMESTAMP = "2024-01-01T00:00:00+00:00"


def load_project(directory: str | Path) -> project.ProjectContent:
    """Read and check the content project in ``directory``."""
    root = Path(directory)
    if not (root / "schema.json").is_file():
        raise ContentError(
            f"{root} is not a content project: it has no schema.json. Point "
            "DATOCMS['EMULATOR']['CONTENT_DIR'] (or --content) at a directory holding "
            "schema.json, site.json, uploads.json and records/ (see docs/emulator.md)."
        )
    site_raw = read_json(root / "site.json") if (root / "site.json").is_file() else {}
    site = build_site(site_raw, "site.json")
    schema = build_schema(read_json(root / "schema.json"), site.locales, "schema.json")
    uploads_file = root / "uploads.json"
    uploads_raw = read_json(uploads_file) if uploads_file.is_file() else []
    uploads = build_uploads(uploads_raw, root / "uploads", site.locales, "uploads.json")
    if site.favicon is not None and site.favicon not in uploads:
        raise ContentError(f"site.json: favicon {site.favicon!r} is not an upload id.")
    for locale, seo in site.global_seo.items():
        image = (seo.fallback_seo or {}).get("image")
        if image is not None and image not in uploads:
            raise ContentError(
                f"site.json: global_seo.{locale}.fallback_seo.image {image!r} is not an upload."
            )

    raw_records: list[tuple[str, Mapping[str, Any]]] = []
    for path in sorted((root / "records").rglob("*.json")):
        where = path.relative_to(root).as_posix()
        data = read_json(path)
        items = data if isinstance(data, list) else [data]
        raw_records.extend((f"{where}[{i}]" if len(items) > 1 else where, r) for i, r in
                           enumerate(items))  # fmt: skip
    record_models: dict[str, str] = {}
    for where, raw in raw_records:
        record_id, model_key = _record_identity(raw, schema, where)
        if record_id in record_models:
            raise ContentError(f"{where}: record id {record_id!r} is used by another record.")
        record_models[record_id] = model_key
    records: dict[str, project.Record] = {}
    for where, raw in raw_records:
        record = build_record(raw, schema, record_models, uploads, where)
        records[record.id] = record
    for model in schema.models.values():
        count = sum(1 for r in records.values() if r.model == model.api_key)
        if model.singleton and count > 1:
            raise ContentError(f"records: singleton model {model.api_key!r} has {count} records.")
    return project.ProjectContent(
        schema=schema, site=site, uploads=uploads, records=records, directory=root
    )


def read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ContentError(f"{path}: file not found.") from None
    except json.JSONDecodeError as exc:
        raise ContentError(
            f"{path}: invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}."
        ) from None


# -- site -----------------------------------------------------------------------------------


def build_site(raw: Any, where: str) -> project.Site:
    expect_object(raw, where, {"name", "locales", "environments", "global_seo", "favicon",
                                "no_index", "theme_color", "timezone"})  # fmt: skip
    locales = raw.get("locales", ["en"])
    if (
        not isinstance(locales, list)
        or not locales
        or not all(isinstance(loc, str) and LOCALE.match(loc) for loc in locales)
        or len(set(locales)) != len(locales)
    ):
        raise ContentError(
            f"{where}: 'locales' must be a non-empty list of distinct locale codes, the "
            f'default first, e.g. ["en", "it"]; got {locales!r}.'
        )
    environments = raw.get("environments", ["main"])
    if (
        not isinstance(environments, list)
        or not environments
        or not all(
            isinstance(e, str) and re.match(r"^[a-z0-9][a-z0-9-]*$", e) for e in environments
        )
    ):
        raise ContentError(
            f"{where}: 'environments' must list environment names, the primary first, "
            f'e.g. ["main", "staging"]; got {environments!r}.'
        )
    if raw.get("timezone", "UTC") != "UTC":
        raise ContentError(f"{where}: the emulator only supports the 'UTC' timezone.")
    global_seo_raw = raw.get("global_seo") or {}
    if not isinstance(global_seo_raw, Mapping):
        raise ContentError(f"{where}.global_seo: expected an object.")
    if global_seo_raw and not set(global_seo_raw) <= set(locales):
        global_seo_raw = dict.fromkeys(locales, global_seo_raw)
    global_seo = {
        locale: _global_seo(value, f"{where}.global_seo.{locale}")
        for locale, value in global_seo_raw.items()
    }
    for key in ("name", "favicon", "theme_color"):
        if raw.get(key) is not None and not isinstance(raw[key], str):
            raise ContentError(f"{where}.{key}: expected a string, got {raw[key]!r}.")
    return project.Site(
        name=raw.get("name") or "Emulated site",
        locales=tuple(locales),
        environments=tuple(environments),
        global_seo=global_seo,
        favicon=raw.get("favicon"),
        no_index=bool(raw.get("no_index", False)),
        theme_color=raw.get("theme_color"),
    )


def _global_seo(raw: Any, where: str) -> project.GlobalSeo:
    expect_object(raw, where, {"site_name", "title_suffix", "twitter_account",
                                "facebook_page_url", "fallback_seo"})  # fmt: skip
    fallback = raw.get("fallback_seo")
    if fallback is not None:
        expect_object(fallback, f"{where}.fallback_seo",
                       {"title", "description", "image", "twitter_card"})  # fmt: skip
    return project.GlobalSeo(
        site_name=raw.get("site_name"),
        title_suffix=raw.get("title_suffix"),
        twitter_account=raw.get("twitter_account"),
        facebook_page_url=raw.get("facebook_page_url"),
        fallback_seo=dict(fallback) if fallback else None,
    )


# -- uploads --------------------------------------------------------------------------------


def build_uploads(
    raw: Any, directory: Path, locales: tuple[str, ...], where: str
) -> dict[str, project.Upload]:
    if isinstance(raw, Mapping) and "uploads" in raw:
        raw = raw["uploads"]
    if not isinstance(raw, list):
        raise ContentError(f"{where}: expected a list of uploads.")
    uploads: dict[str, project.Upload] = {}
    playback_ids: dict[str, str] = {}
    for index, item in enumerate(raw):
        item_where = f"{where}[{index}]"
        expect_object(item, item_where, {"id", "path", "default_field_metadata", "author",
                                          "copyright", "notes", "tags", "created_at",
                                          "updated_at", "video"})  # fmt: skip
        upload_id = item.get("id")
        if not isinstance(upload_id, str) or not ID_PATTERN.match(upload_id):
            raise ContentError(f"{item_where}.id: upload ids are 1-64 letters, digits, '-', '_'.")
        if upload_id in uploads:
            raise ContentError(f"{item_where}.id: upload id {upload_id!r} is used twice.")
        relative = item.get("path")
        path = (directory / relative).resolve() if isinstance(relative, str) else None
        if path is None or not path.is_relative_to(directory.resolve()) or not path.is_file():
            raise ContentError(
                f"{item_where}.path: {relative!r} must name a file inside {directory}."
            )
        metadata = item.get("default_field_metadata") or {}
        if not isinstance(metadata, Mapping) or not set(metadata) <= set(locales):
            raise ContentError(
                f"{item_where}.default_field_metadata: expected an object keyed by locale "
                f"({', '.join(locales)}) of {{'alt', 'title', 'focal_point', 'custom_data'}}."
            )
        for locale, values in metadata.items():
            expect_object(values, f"{item_where}.default_field_metadata.{locale}",
                           {"alt", "title", "focal_point", "custom_data"})  # fmt: skip
        tags = item.get("tags", [])
        if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
            raise ContentError(f"{item_where}.tags: expected a list of strings.")
        created = normalize_datetime(item.get("created_at", DEFAULT_TIMESTAMP), item_where)
        video = None
        if "video" in item:
            video = build_video(item["video"], directory, path, item_where)
            if video.mux_playback_id in playback_ids:
                raise ContentError(
                    f"{item_where}.video.mux_playback_id: {video.mux_playback_id!r} is also the "
                    f"playback id of upload {playback_ids[video.mux_playback_id]!r}."
                )
            playback_ids[video.mux_playback_id] = upload_id
        uploads[upload_id] = project.Upload(
            id=upload_id,
            path=path,
            default_field_metadata={k: dict(v) for k, v in metadata.items()},
            author=item.get("author"),
            copyright=item.get("copyright"),
            notes=item.get("notes"),
            tags=tuple(tags),
            created_at=created,
            updated_at=normalize_datetime(item.get("updated_at", created), item_where),
            video=video,
        )
    return uploads


# -- records --------------------------------------------------------------------------------


def _record_identity(raw: Any, schema: project.ProjectSchema, where: str) -> tuple[str, str]:
    expect_object(raw, where, {"id", "item_type", "meta", "published", "draft", "position",
                                "parent_id"})  # fmt: skip
    record_id = raw.get("id")
    if not isinstance(record_id, str) or not ID_PATTERN.match(record_id):
        raise ContentError(
            f"{where}.id: record ids are 1-64 letters, digits, '-' or '_', got {record_id!r}."
        )
    model_key = raw.get("item_type")
    model = schema.models.get(model_key) if isinstance(model_key, str) else None
    if model is None or model.modular_block:
        names = [m.api_key for m in schema.models.values() if not m.modular_block]
        raise ContentError(
            f"{where}.item_type: {model_key!r} is not a model; models are: {', '.join(names)}."
        )
    return record_id, model.api_key


def build_record(
    raw: Mapping[str, Any],
    schema: project.ProjectSchema,
    record_models: Mapping[str, str],
    uploads: Mapping[str, project.Upload],
    where: str,
) -> project.Record:
    """A ``Record`` from its file's JSON (``record_models``: every record id -> model)."""
    record_id, model_key = _record_identity(raw, schema, where)
    model = schema.models[model_key]
    meta = raw.get("meta") or {}
    expect_object(meta, f"{where}.meta", {"created_at", "updated_at", "published_at",
                                           "first_published_at", "status",
                                           "publication_scheduled_at",
                                           "unpublishing_scheduled_at"})  # fmt: skip
    created = normalize_datetime(meta.get("created_at", DEFAULT_TIMESTAMP), f"{where}.meta")
    updated = normalize_datetime(meta.get("updated_at", created), f"{where}.meta")
    published_raw, draft_raw = raw.get("published"), raw.get("draft")
    if published_raw is None and draft_raw is None:
        raise ContentError(
            f"{where}: a record needs 'published' field values, 'draft' field values, or both "
            "(published plus unpublished changes)."
        )
    status = "draft" if published_raw is None else "published" if draft_raw is None else "updated"
    if meta.get("status") not in (None, status):
        raise ContentError(
            f"{where}.meta.status: says {meta['status']!r} but the file holds a {status!r} "
            "record ('published' only: published; 'draft' only: draft; both: updated)."
        )
    published_at = first_published_at = None
    published = None
    if published_raw is not None:
        published_at = normalize_datetime(meta.get("published_at", updated), f"{where}.meta")
        first_published_at = normalize_datetime(
            meta.get("first_published_at", published_at), f"{where}.meta"
        )
        published = _version(
            model, published_raw, schema, record_id, record_models, uploads,
            published_at if draft_raw is not None else updated, f"{where}.published", None,
        )  # fmt: skip
    current = published
    if draft_raw is not None:
        current = _version(
            model, draft_raw, schema, record_id, record_models, uploads, updated,
            f"{where}.draft", published,
        )  # fmt: skip
    assert current is not None
    position = raw.get("position")
    if position is not None and (not isinstance(position, int) or isinstance(position, bool)):
        raise ContentError(f"{where}.position: expected an integer.")
    parent_id = raw.get("parent_id")
    if parent_id is not None and record_models.get(parent_id) != model_key:
        raise ContentError(f"{where}.parent_id: {parent_id!r} is not a {model_key!r} record.")
    scheduled = {
        key: normalize_datetime(meta[key], f"{where}.meta.{key}") if meta.get(key) else None
        for key in ("publication_scheduled_at", "unpublishing_scheduled_at")
    }
    return project.Record(
        id=record_id,
        model=model_key,
        created_at=created,
        current=current,
        published=published,
        published_at=published_at,
        first_published_at=first_published_at,
        position=position,
        parent_id=parent_id,
        **scheduled,
    )


def _version(
    model: project.Model,
    raw: Any,
    schema: project.ProjectSchema,
    record_id: str,
    record_models: Mapping[str, str],
    uploads: Mapping[str, project.Upload],
    timestamp: str,
    where: str,
    previous: project.RecordVersion | None,
) -> project.RecordVersion:
    values = FieldValues(
        schema,
        owner_id=record_id,
        timestamp=timestamp,
        record_models=record_models,
        upload_ids=uploads.keys(),
        known_blocks=previous.blocks if previous else None,
    )
    return build_version(values, model, raw, where, timestamp)


def build_version(
    values: FieldValues, model: project.Model, raw: Mapping[str, Any], where: str, timestamp: str
) -> project.RecordVersion:
    """The version of a record whose field values are ``raw``, stored through ``values``.

    Raises ``ContentError`` when a value does not fit its field. The version is valid when
    no validator of ``model`` is broken and every embedded block is valid.
    """
    fields, locales = values.record_fields(model, raw, where)
    problems = version_problems(model, fields, locales)
    return project.RecordVersion(
        fields=fields,
        updated_at=timestamp,
        blocks=values.blocks,
        is_valid=not problems and all(block.is_valid for block in values.blocks.values()),
        locales=locales,
    )
