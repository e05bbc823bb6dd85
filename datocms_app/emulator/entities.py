"""Records, models, fields, uploads and the site as the CMA serializes them (JSON:API).

One serializer per resource, shared by the webhooks' payloads (``events``) and the emulated
CMA (``cma``): ``{"id", "type", "attributes", "relationships", "meta"}`` with the CMA's
attribute names. Records' field values are in the CMA's shape: JSON fields as JSON strings,
blocks as ids — or, given the schema (``?nested=true``), as block objects ``{"type":
"item", "id", "attributes", "relationships": {"item_type": ...}}`` at every depth. Pure
functions of the content; nothing here reads settings.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from datocms_app.emulator import dast
from datocms_app.emulator.project import (
    Block,
    Field,
    Model,
    ProjectSchema,
    Record,
    RecordVersion,
    Site,
    Upload,
)
from datocms_app.emulator.upload_facts import upload_facts

__all__ = [
    "CREATOR",
    "DEFAULT_APPEARANCE",
    "block_entity",
    "current_version",
    "field_entity",
    "item_entity",
    "item_type_entity",
    "site_entity",
    "upload_entity",
]

#: The emulator's stand-in for the CMA token that made every change.
CREATOR = {"id": "emulator", "type": "access_token"}
#: The editor a field gets when none is given (the CMA's ``appearance.editor``).
DEFAULT_APPEARANCE = {
    "string": "single_line", "text": "textarea", "boolean": "boolean", "integer": "integer",
    "float": "float", "date": "date_picker", "date_time": "date_time_picker",
    "color": "color_picker", "json": "json", "lat_lon": "map", "seo": "seo", "slug": "slug",
    "link": "link_select", "links": "links_select", "file": "file", "gallery": "gallery",
    "rich_text": "rich_text", "single_block": "framed_single_block",
    "structured_text": "structured_text",
}  # fmt: skip
#: Which resolved models each validator that names models lists (``Field`` attributes).
_MODEL_VALIDATORS = {
    "item_item_type": "link_models",
    "items_item_type": "link_models",
    "structured_text_links": "link_models",
    "rich_text_blocks": "block_models",
    "single_block_blocks": "block_models",
    "structured_text_blocks": "block_models",
    "structured_text_inline_blocks": "inline_block_models",
}


def _link(resource_type: str, resource_id: str | None) -> dict[str, Any]:
    return {"data": {"id": resource_id, "type": resource_type} if resource_id else None}


# -- records ----------------------------------------------------------------------------------


def current_version(record: Record) -> str:
    """A stable id for the record's latest version (the CMA's ``meta.current_version``)."""
    digest = hashlib.blake2b(
        f"{record.id}\x1f{record.current.updated_at}".encode(), digest_size=6
    ).digest()
    return str(int.from_bytes(digest, "big"))


def item_entity(
    record: Record,
    model: Model,
    *,
    version: RecordVersion | None = None,
    schema: ProjectSchema | None = None,
) -> dict[str, Any]:
    """A record as the CMA serializes it: its latest version, or ``version`` (the published
    one for ``?version=published``); blocks expanded when ``schema`` is given."""
    shown = version if version is not None else record.current
    attributes = _attributes(model, shown.fields, shown.blocks, schema)
    if model.sortable or model.tree:
        attributes["position"] = record.position
    if model.tree:
        attributes["parent_id"] = record.parent_id
    published = record.published
    return {
        "id": record.id,
        "type": "item",
        "attributes": attributes,
        "relationships": {
            "item_type": _link("item_type", model.id),
            "creator": {"data": dict(CREATOR)},
        },
        "meta": {
            "created_at": record.created_at,
            "updated_at": record.current.updated_at,
            "published_at": record.published_at,
            "first_published_at": record.first_published_at,
            "publication_scheduled_at": record.publication_scheduled_at,
            "unpublishing_scheduled_at": record.unpublishing_scheduled_at,
            "status": record.status,
            "is_current_version_valid": record.current.is_valid,
            "is_published_version_valid": published.is_valid if published is not None else None,
            "is_valid": record.current.is_valid,
            "current_version": current_version(record),
            "stage": None,
            "has_children": None,
        },
    }


def block_entity(
    block: Block, blocks: Mapping[str, Block], schema: ProjectSchema, *, expand: bool = True
) -> dict[str, Any]:
    """A block as ``?nested=true`` shows it (its own blocks expanded too), or with its
    blocks as ids (``expand=False``: the ``included`` of a saved record)."""
    model = schema.models[block.model]
    return {
        "type": "item",
        "id": block.id,
        "attributes": _attributes(model, block.fields, blocks, schema if expand else None),
        "relationships": {"item_type": _link("item_type", model.id)},
    }


def _attributes(
    model: Model,
    fields: Mapping[str, Any],
    blocks: Mapping[str, Block],
    schema: ProjectSchema | None,
) -> dict[str, Any]:
    attributes = {}
    for field in model.fields:
        value = fields.get(field.api_key)
        if field.localized and isinstance(value, Mapping):
            attributes[field.api_key] = {
                locale: _value(field, one, blocks, schema) for locale, one in value.items()
            }
        else:
            attributes[field.api_key] = _value(field, value, blocks, schema)
    return attributes


def _value(
    field: Field, value: Any, blocks: Mapping[str, Block], schema: ProjectSchema | None
) -> Any:
    if value is None:
        return None
    if field.field_type == "json":
        return json.dumps(value, ensure_ascii=False)
    if schema is None:
        return value

    def expand(block_id: Any) -> Any:
        block = blocks.get(block_id) if isinstance(block_id, str) else None
        return block_entity(block, blocks, schema) if block is not None else block_id

    if field.field_type == "rich_text":
        return [expand(block_id) for block_id in value]
    if field.field_type == "single_block":
        return expand(value)
    if field.field_type == "structured_text":
        return dast.with_block_items(value, lambda kind, item: expand(item))
    return value


# -- schema -----------------------------------------------------------------------------------


def item_type_entity(
    model: Model, *, singleton_item: str | None = None, has_singleton_item: bool = False
) -> dict[str, Any]:
    """A model or block model as the CMA serializes it (``/item-types``)."""
    fields_by_key = model.fields_by_key
    title = fields_by_key.get(model.title_field or "")
    image = fields_by_key.get(model.image_preview_field or "")
    attributes: dict[str, Any] = {
        "name": model.name,
        "api_key": model.api_key,
        "singleton": model.singleton,
        "sortable": model.sortable,
        "modular_block": model.modular_block,
        "tree": model.tree,
        "ordering_direction": None,
        "ordering_meta": None,
        "draft_mode_active": model.draft_mode_active,
        "all_locales_required": model.all_locales_required,
        "collection_appearance": "compact",
        "hint": model.hint,
        "inverse_relationships_enabled": False,
        "draft_saving_active": model.draft_saving_active,
    }
    attributes.update({k: v for k, v in model.extra.items() if k in attributes})
    return {
        "id": model.id,
        "type": "item_type",
        "attributes": attributes,
        "relationships": {
            "fields": {"data": [{"id": f.id, "type": "field"} for f in model.fields]},
            "fieldsets": {"data": []},
            "singleton_item": _link("item", singleton_item),
            "presentation_title_field": _link("field", title.id if title else None),
            "presentation_image_field": _link("field", image.id if image else None),
            "title_field": _link("field", title.id if title else None),
            "image_preview_field": _link("field", image.id if image else None),
            "excerpt_field": _link("field", None),
            "ordering_field": _link("field", None),
            "workflow": _link("workflow", None),
        },
        "meta": {"has_singleton_item": has_singleton_item},
    }


def field_entity(field: Field, model: Model, schema: ProjectSchema) -> dict[str, Any]:
    """A field as the CMA serializes it: validators name models by id, as DatoCMS's do."""
    validators: dict[str, Any] = {}
    for name, options in field.validators.items():
        if name in _MODEL_VALIDATORS:
            keys: tuple[str, ...] = getattr(field, _MODEL_VALIDATORS[name])
            options = {**(options or {}), "item_types": [schema.models[k].id for k in keys]}
        validators[name] = options
    appearance = field.appearance or {
        "editor": DEFAULT_APPEARANCE[field.field_type],
        "parameters": {"heading": False} if field.field_type == "string" else {},
        "addons": [],
    }
    return {
        "id": field.id,
        "type": "field",
        "attributes": {
            "label": field.label,
            "field_type": field.field_type,
            "api_key": field.api_key,
            "localized": field.localized,
            "validators": validators,
            "position": model.fields.index(field) + 1,
            "hint": field.hint,
            "default_value": field.default_value,
            "appearance": dict(appearance),
            "deep_filtering_enabled": field.deep_filtering_enabled,
        },
        "relationships": {
            "item_type": _link("item_type", model.id),
            "fieldset": _link("fieldset", None),
        },
    }


def site_entity(site: Site, schema: ProjectSchema) -> dict[str, Any]:
    """The project as the CMA's ``/site`` describes it (the settings the emulator has)."""
    return {
        "id": "emulator",
        "type": "site",
        "attributes": {
            "name": site.name,
            "locales": list(site.locales),
            "domain": None,
            "internal_domain": None,
            "favicon": site.favicon,
            "global_seo": {
                locale: {
                    "site_name": seo.site_name,
                    "title_suffix": seo.title_suffix,
                    "twitter_account": seo.twitter_account,
                    "facebook_page_url": seo.facebook_page_url,
                    "fallback_seo": dict(seo.fallback_seo) if seo.fallback_seo else None,
                }
                for locale, seo in site.global_seo.items()
            },
            "no_index": site.no_index,
            "timezone": "UTC",
            "imgix_host": None,
            "google_maps_api_token": None,
            "require_2fa": False,
            "ip_tracking_enabled": False,
            "force_use_of_sandbox_environments": False,
            "theme": _theme(site.theme_color),
            "assets_cdn_default_settings": {"image": {}, "video": {}},
        },
        "relationships": {
            "item_types": {
                "data": [{"id": m.id, "type": "item_type"} for m in schema.models.values()]
            },
            "owner": {"data": {"id": "emulator", "type": "account"}},
        },
        "meta": {
            "improved_timezone_management": True,
            "improved_hex_management": True,
            "improved_gql_multilocale_fields": True,
            "improved_gql_visibility_control": True,
            "improved_boolean_fields": True,
            "draft_mode_default": False,
            "improved_validation_at_publishing": True,
            "improved_exposure_of_inline_blocks_in_cda": True,
            "improved_items_listing": True,
            "milliseconds_in_datetime": False,
            "custom_upload_storage_settings": False,
        },
    }


def _theme(theme_color: str | None) -> dict[str, Any]:
    """The admin theme: the site's ``theme_color`` (``#rrggbb``) is its primary colour."""
    theme: dict[str, Any] = {"type": "monochromatic", "hue": None}
    digits = (theme_color or "").lstrip("#")
    if len(digits) == 6 and all(c in "0123456789abcdefABCDEF" for c in digits):
        theme["primary_color"] = _color(digits)
    return theme


# -- uploads ----------------------------------------------------------------------------------


def upload_entity(upload: Upload, *, url_base: str | None = None) -> dict[str, Any]:
    """An upload as the CMA serializes it; ``url`` (``{url_base}/{id}/{filename}``) when
    ``url_base`` is given. A video's Mux attributes appear only for videos."""
    try:
        facts = upload_facts(upload)
    except OSError:
        facts = None
    video = upload.video
    # A video upload's Mux attributes (the CMA has them for every upload, null for images).
    mux = {} if video is None else {
        "duration": round(video.duration),
        "frame_rate": round(video.framerate),
        "mux_playback_id": video.mux_playback_id,
        "mux_mp4_highest_res": "high",
    }  # fmt: skip
    attributes: dict[str, Any] = {
        "size": facts.size if facts else None,
        "width": facts.width if facts else None,
        "height": facts.height if facts else None,
        "path": f"/{upload.id}/{upload.filename}",
        "filename": upload.filename,
        "basename": upload.basename,
        "format": facts.format if facts else upload.path.suffix.lstrip(".").lower() or None,
        "mime_type": facts.mime_type if facts else None,
        "md5": facts.md5 if facts else None,
        "is_image": facts.is_image if facts else False,
        "blurhash": facts.blurhash if facts else None,
        "thumbhash": None,
        "colors": [_color(hex_color) for hex_color in facts.colors] if facts else [],
        **mux,
        "author": upload.author,
        "copyright": upload.copyright,
        "notes": upload.notes,
        "tags": list(upload.tags),
        "smart_tags": [],
        "exif_info": {},
        "default_field_metadata": {
            locale: dict(values) for locale, values in upload.default_field_metadata.items()
        },
        "created_at": upload.created_at,
        "updated_at": upload.updated_at,
    }
    if url_base is not None:
        attributes["url"] = f"{url_base.rstrip('/')}/{upload.id}/{upload.filename}"
    return {
        "id": upload.id,
        "type": "upload",
        "attributes": attributes,
        "relationships": {
            "creator": {"data": dict(CREATOR)},
            "upload_collection": {"data": None},
        },
        "meta": {"antivirus": {"status": "skipped", "checked_at": None, "threat_name": None}},
    }


def _color(hex_color: str) -> dict[str, int]:
    value = hex_color.lstrip("#")
    red, green, blue = (int(value[i : i + 2], 16) for i in (0, 2, 4))
    return {"red": red, "green": green, "blue": blue, "alpha": 255}
