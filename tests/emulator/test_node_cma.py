"""DatoCMS's own ``@datocms/cma-client-node`` runs the seeds' examples against the emulator.

Starts ``manage.py datocms_emulator`` on the CMA tests' content project and runs
``node/cma_client.mjs``: the examples of *Create a new record* (simple fields, modular
content, single block, structured text with blocks, assets and galleries from local files and
URLs, links, localized fields) and *Update a record* (a field, a block through a nested read,
reordering, adding and deleting blocks, adding and removing a locale, optimistic locking with
two writers), then a model and a field, publishing seen through ``@datocms/cda-client``, and
``allUploads``. Each ``inspectItem`` output is the seeds' "Returned output" with this run's
ids. Needs node and ``make node`` (skipped on a laptop without them, failed under CI=true).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PIL import Image

from tests.emulator.cma.project import BOOK_ID, HERO_ID, write_cma_project
from tests.emulator.standalone import node_script, standalone

TOKEN = "node-cma-token"


@pytest.fixture(scope="module")
def seen(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    content = write_cma_project(tmp_path_factory.mktemp("cma-content"))
    files = tmp_path_factory.mktemp("example-files")
    for name, size, colour in (("2018-10-17-194326.jpg", (80, 60), (10, 100, 200)),
                               ("hero-background.jpg", (120, 40), (200, 200, 20)),
                               ("local.jpg", (50, 50), (20, 200, 20))):  # fmt: skip
        Image.new("RGB", size, colour).save(files / name)
    with standalone("--token", TOKEN, "--content", str(content)) as endpoint:
        yield node_script(
            "cma_client.mjs", f"{endpoint}cma", TOKEN, endpoint,
            package="@datocms/cma-client-node", cwd=files,
        )  # fmt: skip


def tree(*lines: str) -> str:
    return "\n".join(lines) + "\n"


def test_create_a_record_with_simple_fields(seen: dict[str, Any]) -> None:
    book = seen["book"]
    assert book["inspect"] == tree(
        f'└ Item "{book["id"]}" (item_type: "{BOOK_ID}")',
        '  ├ title: "The JavaScript Guide"',
        '  ├ genre: "Programming"',
        '  ├ synopsis: "A comprehensive guide to modern JavaScript.\\nPerfect for beginners '
        'and experts..."',
        "  └ pages: 450",
    )  # fmt: skip
    product = seen["product"]
    assert product["inspect"] == tree(
        f'└ Item "{product["id"]}" (item_type: "product")',
        '  ├ name: "Premium Wireless Headphones"',
        '  ├ category: "Electronics"',
        '  ├ description: "High-quality noise-cancelling wireless headphones.\\nPerfect for '
        'music and calls."',
        "  ├ price: 299",
        "  ├ weight: 0.25",
        "  ├ release_date: 2024-03-15T10:30:00+00:00",
        "  ├ in_stock: true",
        "  ├ warehouse_location",
        "  │ ├ latitude: 45.0703393",
        "  │ └ longitude: 7.686864",
        "  ├ brand_color: #EFD09C",
        '  └ specifications: {"bluetooth":"5.0","battery_life":"30h","warranty":"2y"}',
    )  # fmt: skip


def test_modular_content_with_an_upload_from_a_local_file(seen: dict[str, Any]) -> None:
    page = seen["landingPage"]
    hero, testimonial = page["sections"]
    assert page["regular"] == tree(
        f'└ Item "{page["id"]}" (item_type: "landing_page")',
        '  ├ title: "Product Launch Landing Page"',
        "  └ sections",
        f'    ├ [0] "{hero}"',
        f'    └ [1] "{testimonial}"',
    )
    assert page["nested"] == tree(
        f'└ Item "{page["id"]}" (item_type: "landing_page")',
        '  ├ title: "Product Launch Landing Page"',
        "  └ sections",
        f'    ├ [0] Item "{hero}" (item_type: "{HERO_ID}")',
        '    │ ├ headline: "Revolutionary New Product"',
        '    │ ├ subtitle: "Transform your workflow with our cutting-edge solution.\\nBuilt for '
        'modern teams."',
        "    │ └ background_image",
        f'    │   └ upload_id: "{page["upload"]}"',
        f'    └ [1] Item "{testimonial}" (item_type: "testimonial_block")',
        '      ├ quote: "This product completely transformed our business operations."',
        '      └ author_name: "Sarah Johnson, CEO"',
    )  # fmt: skip
    assert page["uploadUrl"].endswith(f"/assets/{page['upload']}/2018-10-17-194326.jpg")


def test_single_block_fields(seen: dict[str, Any]) -> None:
    page = seen["productPage"]
    assert page["regular"] == tree(
        f'└ Item "{page["id"]}" (item_type: "product_page")',
        '  ├ title: "Premium Wireless Headphones"',
        "  ├ price: 299.99",
        f'  └ hero_section: "{page["heroSection"]}"',
    )
    assert page["nested"] == tree(
        f'└ Item "{page["id"]}" (item_type: "product_page")',
        '  ├ title: "Premium Wireless Headphones"',
        "  ├ price: 299.99",
        "  └ hero_section",
        f'    └ Item "{page["heroSection"]}" (item_type: "product_hero_block")',
        '      ├ headline: "Experience Audio Excellence"',
        '      ├ description: "Immerse yourself in crystal-clear sound with our premium '
        'wireless headphones...."',
        "      ├ button",
        f'      │ └ Item "{page["button"]}" (item_type: "button_block")',
        '      │   ├ text: "Learn more"',
        '      │   └ url: "/details"',
        "      └ background_image",
        f'        └ upload_id: "{page["upload"]}"',
    )  # fmt: skip


def test_structured_text_with_blocks_and_uploads_from_urls(seen: dict[str, Any]) -> None:
    article = seen["article"]
    gallery, cta = article["blocks"]
    existing, created = article["uploads"]
    # skipCreationIfAlreadyExists found the project's photo by its MD5; the resized one is new
    assert existing == "photo"
    assert created not in ("photo", seen["landingPage"]["upload"])
    text = [
        "  └ content",
        "    ├ paragraph",
        '    │ └ span "Web development is rapidly evolving."',
        "    ├ heading (level: 2)",
        '    │ └ span "Key Technologies to Watch"',
        "    ├ paragraph",
        '    │ ├ span "From "',
        '    │ ├ span (marks: strong) "serverless architectures"',
        '    │ ├ span " to "',
        '    │ └ span (marks: emphasis) "edge computing"',
    ]
    head = [f'└ Item "{article["id"]}" (item_type: "article")',
            '  ├ title: "The Future of Web Development"']  # fmt: skip
    assert article["regular"] == tree(
        *head, *text, f'    ├ block "{gallery}"', f'    └ block "{cta}"'
    )
    assert article["nested"] == tree(
        *head, *text,
        "    ├ block",
        f'    │ └ Item "{gallery}" (item_type: "image_gallery_block")',
        '    │   ├ title: "Modern Development Environments"',
        "    │   └ images",
        "    │     ├ [0]",
        '    │     │ ├ upload_id: "photo"',
        '    │     │ ├ alt: "Modern IDE setup"',
        '    │     │ └ title: "Development Environment"',
        "    │     └ [1]",
        f'    │       ├ upload_id: "{created}"',
        '    │       ├ alt: "Code collaboration tools"',
        '    │       └ title: "Team Collaboration"',
        "    └ block",
        f'      └ Item "{cta}" (item_type: "cta_block")',
        '        ├ title: "Ready to Level Up Your Skills?"',
        '        ├ description: "Join our community of forward-thinking developers."',
        '        ├ button_text: "Join the Community"',
        '        └ button_url: "https://example.com/join"',
    )  # fmt: skip


def test_assets_and_galleries(seen: dict[str, Any]) -> None:
    portfolio = seen["portfolio"]
    remote, local = portfolio["uploads"]
    assert remote == "photo"
    assert portfolio["inspect"] == tree(
        f'└ Item "{portfolio["id"]}" (item_type: "portfolio")',
        '  ├ title: "Architecture Photography"',
        "  ├ featured_image",
        f'  │ └ upload_id: "{remote}"',
        "  └ gallery",
        "    └ [0]",
        f'      ├ upload_id: "{local}"',
        '      ├ alt: "Modern architecture"',
        '      ├ title: "Urban Design"',
        '      ├ custom_data: {"add_watermark":true}',
        "      └ focal_point: x=30% y=20%",
    )


def test_links_to_other_records(seen: dict[str, Any]) -> None:
    author = seen["author"]
    assert author["inspect"] == tree(
        f'└ Item "{author["id"]}" (item_type: "author")',
        '  ├ name: "Sarah Johnson"',
        "  ├ collaborators",
        '  │ ├ [0] "author-cy"',
        '  │ ├ [1] "author-bob"',
        '  │ └ [2] "author-ada"',
        '  └ mentor: "author-cy"',
    )


def test_localized_fields(seen: dict[str, Any]) -> None:
    basic, all_locales = seen["pets"]["ids"]
    assert seen["pets"]["basic"] == tree(
        f'└ Item "{basic}" (item_type: "pet")',
        "  ├ name",
        '  │ ├ en: "Sir Fluffington McWhiskers"',
        '  │ └ it: "Signor Pelosetto Baffetti"',
        "  ├ description",
        '  │ ├ en: "A noble cat with an impeccable mustache."',
        '  │ └ it: "Un gatto nobile con baffi impeccabili."',
        '  └ category: "indoor"',
    )
    assert seen["pets"]["allLocales"] == tree(
        f'└ Item "{all_locales}" (item_type: "pet")',
        "  ├ name",
        '  │ ├ en: "Luna"',
        '  │ ├ fr: ""',
        '  │ └ it: "Luna"',
        "  ├ description",
        '  │ ├ en: "A mysterious black cat that appears at midnight."',
        '  │ ├ fr: ""',
        '  │ └ it: "Un gatto nero misterioso che appare a mezzanotte."',
        '  └ category: "outdoor"',
    )


def test_updates_of_fields_blocks_and_locales(seen: dict[str, Any]) -> None:
    assert seen["simpleUpdate"] == {"en": "[EDIT] My first blog post!", "it": "Il mio titolo"}
    assert seen["blockUpdate"] == {
        "ids": ["block-one", "block-two", "block-three"],
        "titles": ["Example block #1 (Updated title)", "Example block #2", "Example block #3"],
    }
    blocks = seen["blockList"]
    new_block = blocks["added"][0]
    assert blocks == {
        "reordered": ["block-three", "block-two", "block-one"],
        "added": [new_block, "block-three", "block-two", "block-one"],
        "removed": [new_block, "block-three", "block-one"],
    }
    assert seen["locales"] == {
        "added": {
            "title": {"en": "My title", "it": "Il mio titolo", "de": "Mein Titel"},
            "content": {"en": "Article content", "it": "Contenuto articolo",
                        "de": "Artikelinhalt"},
            "votes": 10,
        },
        "removed": {"title": {"en": "My title"}, "content": {"en": "Article content"}},
    }  # fmt: skip
    assert seen["mismatch"] == {"apiError": True, "field": "content"}


def test_optimistic_locking_with_two_writers(seen: dict[str, Any]) -> None:
    log = seen["locking"]["log"]
    assert seen["locking"]["counter"] == 12
    assert sum("STALE_ITEM_VERSION, retrying" in line for line in log) == 1
    assert sorted(line for line in log if line.endswith("updated")) == ["A: updated", "B: updated"]


def test_schema_publishing_and_uploads_through_the_cda(seen: dict[str, Any]) -> None:
    schema = seen["schema"]
    assert schema["field"] == "content"
    assert list(schema["validators"]) == ["rich_text_blocks"]
    assert schema["locales"] == ["en", "it", "fr", "de"]
    drafts = seen["drafts"]
    assert drafts["status"] == ["draft", "published"]
    assert drafts["before"] == {"post": None}
    assert drafts["beforeDrafts"] == {"post": {"title": "Drafted", "_status": "draft"}}
    assert drafts["after"] == {"post": {"title": "Drafted", "_status": "published"}}
    uploads = seen["allUploads"]
    assert uploads["_allUploadsMeta"] == {"count": 5}
    assert [(u["id"], u["width"]) for u in uploads["allUploads"]] == [
        ("photo", 64),
        (seen["landingPage"]["upload"], 80),
        (seen["productPage"]["upload"], 120),
        (seen["article"]["uploads"][1], 20),
        (seen["portfolio"]["uploads"][1], 50),
    ]
    first = uploads["allUploads"][0]["responsiveImage"]
    assert first["width"] == 8
    assert first["src"].endswith("/assets/photo/photo.png?w=8")
