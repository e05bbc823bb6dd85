"""The emulator's in-memory content model: schema, site, uploads, records and blocks.

These are plain frozen dataclasses, built by ``content`` from the files of a content project
(or by the content-mutation engine from CMA payloads) and held by ``store``. Field values are
kept in the CMA's shape (see ``values``), with block objects replaced by their ids: a record
version carries the blocks it contains in ``blocks``. Nothing here touches the disk or
GraphQL.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

__all__ = [
    "FIELD_TYPES",
    "Block",
    "Field",
    "GlobalSeo",
    "Model",
    "ProjectContent",
    "ProjectSchema",
    "Record",
    "RecordVersion",
    "Site",
    "Upload",
    "UploadVideo",
    "View",
]

#: The field types the emulator understands (CMA ``field_type`` values).
FIELD_TYPES = frozenset(
    {
        "string", "text", "boolean", "integer", "float", "date", "date_time", "color",
        "lat_lon", "json", "seo", "slug", "link", "links", "file", "gallery",
        "structured_text", "rich_text", "single_block",
    }
)  # fmt: skip

#: Which version of the records a request sees: ``published`` (the default) or ``draft``
#: (``X-Include-Drafts: true``: the latest version of every record).
View = Literal["published", "draft"]


@dataclass(frozen=True, slots=True)
class Field:
    """A field of a model or block model, in the CMA's terms."""

    id: str
    api_key: str
    field_type: str
    label: str = ""
    localized: bool = False
    validators: Mapping[str, Any] = field(default_factory=dict)
    hint: str | None = None
    #: Model API keys a ``link``/``links`` field (or structured text's ``itemLink`` and
    #: ``inlineItem`` nodes) may point to.
    link_models: tuple[str, ...] = ()
    #: Block model API keys a ``rich_text``/``single_block``/``structured_text`` field embeds.
    block_models: tuple[str, ...] = ()
    #: Block model API keys structured text accepts in ``inlineBlock`` nodes.
    inline_block_models: tuple[str, ...] = ()
    #: The value a record created without this field gets (``{locale: value}`` when
    #: localized); the CMA's ``default_value``.
    default_value: Any = None
    #: The CMA's ``appearance`` (editor, parameters, addons), kept as given.
    appearance: Mapping[str, Any] | None = None
    deep_filtering_enabled: bool = False

    @property
    def required(self) -> bool:
        return "required" in self.validators


@dataclass(frozen=True, slots=True)
class Model:
    """A model (``modular_block`` False) or a block model (True)."""

    id: str
    api_key: str
    name: str
    fields: tuple[Field, ...]
    singleton: bool = False
    modular_block: bool = False
    sortable: bool = False
    tree: bool = False
    draft_mode_active: bool = True
    all_locales_required: bool = False
    #: API key of the string field used as the record's title (SEO fallbacks).
    title_field: str | None = None
    #: API key of the ``file`` field used as the record's image (SEO fallbacks).
    image_preview_field: str | None = None
    #: Whether invalid records may be saved (the CMA refuses them otherwise).
    draft_saving_active: bool = False
    hint: str | None = None
    #: Other CMA attributes (``collection_appearance``, ``ordering_meta``...), kept as given.
    extra: Mapping[str, Any] = field(default_factory=dict)
    fields_by_key: Mapping[str, Field] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        if not self.fields_by_key:
            object.__setattr__(self, "fields_by_key", {f.api_key: f for f in self.fields})

    @property
    def localized(self) -> bool:
        return any(f.localized for f in self.fields)


@dataclass(frozen=True, slots=True)
class ProjectSchema:
    """Every model and block model, and the project's locales (the first is the default)."""

    models: Mapping[str, Model]
    locales: tuple[str, ...]

    @property
    def default_locale(self) -> str:
        return self.locales[0]

    def model(self, api_key: str) -> Model:
        return self.models[api_key]


@dataclass(frozen=True, slots=True)
class GlobalSeo:
    """The site's global SEO settings for one locale (CMA ``global_seo``)."""

    site_name: str | None = None
    title_suffix: str | None = None
    twitter_account: str | None = None
    facebook_page_url: str | None = None
    fallback_seo: Mapping[str, Any] | None = None


@dataclass(frozen=True, slots=True)
class Site:
    """Project-wide settings: name, environments, SEO and favicon."""

    name: str
    locales: tuple[str, ...]
    environments: tuple[str, ...] = ("main",)
    global_seo: Mapping[str, GlobalSeo] = field(default_factory=dict)
    favicon: str | None = None
    no_index: bool = False
    theme_color: str | None = None

    @property
    def primary_environment(self) -> str:
        return self.environments[0]


@dataclass(frozen=True, slots=True)
class UploadVideo:
    """What Mux made of a video upload: a playback id, an HLS rendition, a poster, facts.

    ``hls_files`` maps every file the HLS playlist reaches (segments, nested playlists, init
    sections), by its path relative to the playlist's folder, to the file on disk. Width,
    height, duration and frame rate are read from the MP4 (``emulator.mp4``).
    """

    mux_playback_id: str
    mux_asset_id: str
    hls_playlist: Path
    hls_files: Mapping[str, Path]
    poster: Path
    width: int
    height: int
    #: Seconds (the CDA rounds it to an integer).
    duration: float
    #: Frames per second (the CDA rounds it to an integer).
    framerate: float


@dataclass(frozen=True, slots=True)
class Upload:
    """A media-area asset: a file in the project's ``uploads/`` folder plus its metadata."""

    id: str
    path: Path
    #: Per-locale defaults: ``{"en": {"alt", "title", "focal_point", "custom_data"}}``.
    default_field_metadata: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    author: str | None = None
    copyright: str | None = None
    notes: str | None = None
    tags: tuple[str, ...] = ()
    created_at: str = "2024-01-01T00:00:00+00:00"
    updated_at: str = "2024-01-01T00:00:00+00:00"
    #: Mux's encoding of a video upload (None for images and other files).
    video: UploadVideo | None = None

    @property
    def filename(self) -> str:
        return self.path.name

    @property
    def basename(self) -> str:
        return self.path.stem

    def metadata(self, locale: str, key: str) -> Any:
        return self.default_field_metadata.get(locale, {}).get(key)


@dataclass(frozen=True, slots=True)
class Block:
    """A block record embedded in a record version (modular content or structured text)."""

    id: str
    model: str
    fields: Mapping[str, Any]
    created_at: str
    updated_at: str
    is_valid: bool = True


@dataclass(frozen=True, slots=True)
class RecordVersion:
    """One version (published or latest) of a record's field values."""

    fields: Mapping[str, Any]
    updated_at: str
    #: Every block of this version by id, nested ones included.
    blocks: Mapping[str, Block] = field(default_factory=dict)
    is_valid: bool = True
    #: Locales the version has a value for (``_locales``); every locale if nothing is localized.
    locales: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Record:
    """A record with its published version and its latest version.

    ``published`` is None for a record that was never published (or was unpublished);
    ``current`` is the latest version, the same object as ``published`` when there are no
    unpublished changes. ``status`` follows: ``draft``, ``updated`` or ``published``.
    """

    id: str
    model: str
    created_at: str
    current: RecordVersion
    published: RecordVersion | None = None
    published_at: str | None = None
    first_published_at: str | None = None
    publication_scheduled_at: str | None = None
    unpublishing_scheduled_at: str | None = None
    position: int | None = None
    parent_id: str | None = None

    @property
    def status(self) -> Literal["draft", "updated", "published"]:
        if self.published is None:
            return "draft"
        if self.published is self.current:
            return "published"
        return "updated"

    def version(self, view: View) -> RecordVersion | None:
        """The version a request in ``view`` sees, or None when it sees no such record."""
        return self.current if view == "draft" else self.published

    def status_in(self, view: View) -> Literal["draft", "updated", "published"]:
        """``_status`` as seen from ``view``: the published version is always ``published``."""
        return self.status if view == "draft" else "published"

    def replace(self, **changes: Any) -> Record:
        return dataclasses.replace(self, **changes)


@dataclass(frozen=True, slots=True)
class ProjectContent:
    """Everything a content project holds, as loaded from disk."""

    schema: ProjectSchema
    site: Site
    uploads: Mapping[str, Upload]
    records: Mapping[str, Record]
    directory: Path | None = None
