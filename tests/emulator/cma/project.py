"""The content project of the CMA tests: the models of the seeds' examples.

Seeds 000-003 (*Create a new record*, *Update a record*) name their models in comments:
Book, Product, LandingPage (HeroBlock, TestimonialBlock), ProductPage (a hero block with a
button block), Article (CtaBlock, ImageGalleryBlock), Portfolio, Author, Pet, a blog post
with localized fields and modular content, a guide with localized modular content, a
counter (optimistic locking). Added for the rules the
examples do not show: ``post`` (draft/published, a required title, a link), ``translation``
(``all_locales_required``), ``stack`` (blocks in blocks, for the nesting limit), ``home``
(a singleton). Locales: en, it, fr, de. Model ids are DatoCMS-shaped where the API keys would
hide an id/API-key mix-up.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from PIL import Image

__all__ = ["BOOK_ID", "RECORDS", "SCHEMA", "SITE", "UPLOADS", "write_cma_project"]

BOOK_ID = "UZyfjdBES8y2W2ruMEHSoA"
HERO_ID = "T4m4tPymSACFzsqbZS65WA"


def f(api_key: str, field_type: str, **options: Any) -> dict[str, Any]:
    return {"api_key": api_key, "field_type": field_type, **options}


def blocks(validator: str, *item_types: str) -> dict[str, Any]:
    return {validator: {"item_types": list(item_types)}}


def model(api_key: str, *fields: dict[str, Any], **options: Any) -> dict[str, Any]:
    return {"api_key": api_key, "draft_mode_active": False, "fields": list(fields), **options}


def block(api_key: str, *fields: dict[str, Any], **options: Any) -> dict[str, Any]:
    return {"api_key": api_key, "modular_block": True, "fields": list(fields), **options}


SCHEMA: dict[str, Any] = {
    "models": [
        model("book", f("title", "string"), f("genre", "string"), f("synopsis", "text"),
              f("pages", "integer"), id=BOOK_ID, name="Book"),
        model("product", f("name", "string"), f("category", "string"),
              f("description", "text"), f("price", "integer"), f("weight", "float"),
              f("release_date", "date_time"), f("in_stock", "boolean"),
              f("warehouse_location", "lat_lon"), f("brand_color", "color"),
              f("specifications", "json")),
        model("landing_page", f("title", "string"),
              f("sections", "rich_text",
                validators=blocks("rich_text_blocks", HERO_ID, "testimonial_block"))),
        block("hero_block", f("headline", "string"), f("subtitle", "text"),
              f("background_image", "file"), id=HERO_ID),
        block("testimonial_block", f("quote", "text"), f("author_name", "string")),
        model("product_page", f("title", "string"), f("price", "float"),
              f("hero_section", "single_block",
                validators=blocks("single_block_blocks", "product_hero_block"))),
        block("product_hero_block", f("headline", "string"), f("description", "text"),
              f("button", "single_block", validators=blocks("single_block_blocks",
                                                             "button_block")),
              f("background_image", "file")),
        block("button_block", f("text", "string"), f("url", "string")),
        model("article", f("title", "string"),
              f("content", "structured_text", validators={
                  **blocks("structured_text_blocks", "cta_block", "image_gallery_block"),
                  **blocks("structured_text_inline_blocks"),
                  **blocks("structured_text_links", "article")})),
        block("cta_block", f("title", "string"), f("description", "text"),
              f("button_text", "string"), f("button_url", "string")),
        block("image_gallery_block", f("title", "string"), f("images", "gallery")),
        model("portfolio", f("title", "string"), f("featured_image", "file"),
              f("gallery", "gallery")),
        model("author", f("name", "string"),
              f("collaborators", "links", validators=blocks("items_item_type", "author")),
              f("mentor", "link", validators=blocks("item_item_type", "author"))),
        model("pet", f("name", "string", localized=True),
              f("description", "string", localized=True), f("category", "string")),
        model("blog_post", f("title", "string", localized=True),
              f("content", "text", localized=True), f("votes_count", "integer"),
              f("modular_content_field", "rich_text",
                validators=blocks("rich_text_blocks", "example_block"))),
        model("guide", f("title", "string", localized=True),
              f("content_blocks", "rich_text", localized=True,
                validators=blocks("rich_text_blocks", "example_block"))),
        block("example_block", f("title", "string"),
              f("inner", "single_block", validators=blocks("single_block_blocks", "leaf_block"))),
        block("leaf_block", f("label", "string")),
        model("counter", f("counter", "integer"), f("description", "string")),
        model("post", f("title", "string", validators={"required": {}, "length": {"max": 20}}),
              f("body", "text"),
              f("author", "link", validators=blocks("item_item_type", "author")),
              f("related", "link", validators=blocks("item_item_type", "post")),
              draft_mode_active=True),
        model("translation", f("title", "string", localized=True), all_locales_required=True),
        model("stack", f("title", "string"),
              f("layers", "rich_text", validators=blocks("rich_text_blocks", "layer_block"))),
        block("layer_block", f("name", "string"),
              f("layers", "rich_text", validators=blocks("rich_text_blocks", "layer_block"))),
        model("home", f("headline", "string"), singleton=True),
    ]
}  # fmt: skip

SITE: dict[str, Any] = {"name": "CMA tests", "locales": ["en", "it", "fr", "de"],
                        "environments": ["main", "sandbox"]}  # fmt: skip
UPLOADS: list[dict[str, Any]] = [
    {"id": "photo", "path": "photo.png", "tags": ["travel"],
     "default_field_metadata": {"en": {"alt": "A red photo", "title": "Red"}},
     "created_at": "2024-01-01T00:00:00Z"},
]  # fmt: skip
STAMP = "2024-01-01T00:00:00Z"
RECORDS: list[dict[str, Any]] = [
    {"id": "author-ada", "item_type": "author", "meta": {"created_at": "2024-01-01T00:00:00Z"},
     "published": {"name": "Ada"}},
    {"id": "author-bob", "item_type": "author", "meta": {"created_at": "2024-01-02T00:00:00Z"},
     "published": {"name": "Bob"}},
    {"id": "author-cy", "item_type": "author", "meta": {"created_at": "2024-01-03T00:00:00Z"},
     "published": {"name": "Cy"}},
    {"id": "blog", "item_type": "blog_post", "meta": {"created_at": STAMP},
     "published": {
         "title": {"en": "My title", "it": "Il mio titolo"},
         "content": {"en": "Article content", "it": "Contenuto articolo"},
         "votes_count": 10,
         "modular_content_field": [
             {"id": "block-one", "item_type": "example_block", "title": "Example block #1"},
             {"id": "block-two", "item_type": "example_block", "title": "Example block #2",
              "inner": {"id": "leaf-one", "item_type": "leaf_block", "label": "Leaf"}},
             {"id": "block-three", "item_type": "example_block", "title": "Example block #3"},
         ],
     }},
    {"id": "guide", "item_type": "guide", "meta": {"created_at": STAMP},
     "published": {
         "title": {"en": "Guide", "it": "Guida"},
         "content_blocks": {
             "en": [{"id": "en-one", "item_type": "example_block", "title": "English one"},
                    {"id": "en-two", "item_type": "example_block", "title": "English two"}],
             "it": [{"id": "it-one", "item_type": "example_block", "title": "Italiano uno"}],
         },
     }},
    {"id": "counter", "item_type": "counter", "meta": {"created_at": STAMP},
     "published": {"counter": 10, "description": "start"}},
    {"id": "draft-post", "item_type": "post", "meta": {"created_at": STAMP},
     "draft": {"title": "Unpublished", "author": "author-ada"}},
    {"id": "live-post", "item_type": "post", "meta": {"created_at": "2024-01-02T00:00:00Z"},
     "published": {"title": "Live", "author": "author-bob"}},
    {"id": "home", "item_type": "home", "meta": {"created_at": STAMP},
     "published": {"headline": "Welcome"}},
]  # fmt: skip


def write_cma_project(directory: Path) -> Path:
    """Write the project (and its one image) to ``directory``."""
    (directory / "uploads").mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (64, 48), (200, 30, 30)).save(directory / "uploads" / "photo.png")
    files = {"schema.json": SCHEMA, "site.json": SITE, "uploads.json": UPLOADS}
    for name, data in files.items():
        (directory / name).write_text(json.dumps(data, indent=2))
    (directory / "records").mkdir(exist_ok=True)
    for record in RECORDS:
        (directory / "records" / f"{record['id']}.json").write_text(json.dumps(record))
    return directory
