"""Every example of the seeds' CMA documents, run from Python (``datocms_app.cma``) against
the emulator, with the documented results.

Seeds 000/001 (*Create a new record*), 002 (field types and localization) and 003 (*Update a
record*), in order: the JavaScript of each example translated line for line to the Python
client (``client.items.create``, ``build_block_record``, ``uploads.create_from_local_file``
/ ``create_from_url``...), and each "Returned output" asserted on the record the client
returns — ids excepted, which are this run's. ``test_python_client`` covers the client's own
flows (paging, schema checks); ``test_node_cma`` runs the same examples with DatoCMS's JS
client. Where two seeds disagree, or a seed disagrees with itself, the test says which one
it follows:

* JSON fields: seed 002 answers the JSON text pretty-printed, seed 000 compact; the
  emulator answers it compact (``json.dumps``): the value is asserted;
* a gallery's ``custom_data``: seed 000 shows ``{"add_watermark": true}`` as sent, seed 002
  ``{}`` for the same payload: seed 000 is followed;
* date-times without an offset: the seeds' project is in Europe/London (``+01:00``), the
  emulator's in UTC (``+00:00``);
* the ``menu_item`` tree of seed 002 sends ``name: "Parent"`` although its table says the
  field is localized: the field is not localized here, so that the code runs as written.

The models of seed 002's "Dog" examples (one field set per example) and the tree models are
created through the CMA by the fixtures, from Python too.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from datocms_app import cma
from datocms_app.cma import build_block_record, dast
from datocms_app.emulator.embedded import EmulatorTransport
from datocms_app.emulator.server import Emulator
from datocms_app.emulator.store import ContentStore
from datocms_app.exceptions import CMAError
from tests.emulator.cma.conftest import BASE, TOKEN
from tests.emulator.cma.project import BOOK_ID, HERO_ID

FILE_DEFAULTS = {"alt": None, "title": None, "focal_point": None, "custom_data": {}}


@pytest.fixture
def client(cma_client: cma.Client) -> cma.Client:
    return cma_client


@pytest.fixture
def pictures(tmp_path: Path) -> Path:
    for name, size, colour in (
        ("2018-10-17-194326.jpg", (80, 60), (10, 100, 200)),
        ("hero-background.jpg", (120, 40), (200, 200, 20)),
        ("local.jpg", (50, 50), (20, 200, 20)),
    ):
        Image.new("RGB", size, colour).save(tmp_path / name)
    return tmp_path


def ref(emulator: Emulator, api_key: str) -> dict[str, str]:
    """``Schema.X.REF``: the model's linkage."""
    return {"type": "item_type", "id": emulator.store.state.schema.models[api_key].id}


def shown(record: dict[str, Any]) -> dict[str, Any]:
    """What ``inspectItem`` shows of a record: its model and fields (no id, meta, creator)."""
    return {k: v for k, v in record.items() if k not in ("id", "type", "meta", "creator")}


def block(block_id: str, item_type: str, **attributes: Any) -> dict[str, Any]:
    """A block as a nested answer shows it."""
    return {
        "type": "item",
        "id": block_id,
        "attributes": attributes,
        "relationships": {"item_type": {"data": {"id": item_type, "type": "item_type"}}},
    }


def upload_file(upload_id: str, **metadata: Any) -> dict[str, Any]:
    return {"upload_id": upload_id, **FILE_DEFAULTS, **metadata}


# -- seed 000: Create a new record --------------------------------------------------------


def test_000_basic_example(client: cma.Client) -> None:
    record = client.items.create(
        {
            "item_type": {"type": "item_type", "id": BOOK_ID},
            "title": "The JavaScript Guide",
            "genre": "Programming",
            "synopsis": "A comprehensive guide to modern JavaScript.\nPerfect for beginners and "
            "experts alike.",
            "pages": 450,
        }
    )
    assert shown(record) == {
        "item_type": {"type": "item_type", "id": BOOK_ID},
        "title": "The JavaScript Guide",
        "genre": "Programming",
        "synopsis": "A comprehensive guide to modern JavaScript.\nPerfect for beginners and "
        "experts alike.",
        "pages": 450,
    }
    assert cma.is_valid_id(record["id"])


def test_000_managing_simple_fields(client: cma.Client, emulator: Emulator) -> None:
    record = client.items.create(
        {
            "item_type": ref(emulator, "product"),
            "name": "Premium Wireless Headphones",
            "category": "Electronics",
            "description": "High-quality noise-cancelling wireless headphones.\nPerfect for music "
            "and calls.",
            "price": 299,
            "weight": 0.25,
            "release_date": "2024-03-15T10:30:00",
            "in_stock": True,
            "warehouse_location": cma.lat_lon(45.0703393, 7.686864),
            "brand_color": {"alpha": 255, "blue": 156, "green": 208, "red": 239},
            "specifications": cma.json_value(
                {"bluetooth": "5.0", "battery_life": "30h", "warranty": "2y"}
            ),
        }
    )
    assert shown(record) == {
        "item_type": ref(emulator, "product"),
        "name": "Premium Wireless Headphones",
        "category": "Electronics",
        "description": "High-quality noise-cancelling wireless headphones.\nPerfect for music "
        "and calls.",
        "price": 299,
        "weight": 0.25,
        "release_date": "2024-03-15T10:30:00+00:00",
        "in_stock": True,
        "warehouse_location": {"latitude": 45.0703393, "longitude": 7.686864},
        "brand_color": cma.color_from_hex("#EFD09C"),
        "specifications": '{"bluetooth": "5.0", "battery_life": "30h", "warranty": "2y"}',
    }


def test_000_modular_content_fields(client: cma.Client, emulator: Emulator, pictures: Path) -> None:
    upload = client.uploads.create_from_local_file(pictures / "2018-10-17-194326.jpg")
    record = client.items.create(
        {
            "item_type": ref(emulator, "landing_page"),
            "title": "Product Launch Landing Page",
            "sections": [
                build_block_record(
                    HERO_ID,
                    headline="Revolutionary New Product",
                    subtitle="Transform your workflow with our cutting-edge "
                    "solution.\nBuilt for modern teams.",
                    background_image={"upload_id": upload["id"]},
                ),
                build_block_record(
                    ref(emulator, "testimonial_block"),
                    quote="This product completely transformed our business operations.",
                    author_name="Sarah Johnson, CEO",
                ),
            ],
        }
    )
    hero, testimonial = record["sections"]
    assert shown(record) == {
        "item_type": ref(emulator, "landing_page"),
        "title": "Product Launch Landing Page",
        "sections": [hero, testimonial],
    }
    nested = client.items.find(record, nested=True)
    assert shown(nested) == {
        "item_type": ref(emulator, "landing_page"),
        "title": "Product Launch Landing Page",
        "sections": [
            block(
                hero,
                HERO_ID,
                headline="Revolutionary New Product",
                subtitle="Transform your workflow with our cutting-edge solution.\nBuilt for "
                "modern teams.",
                background_image=upload_file(upload["id"]),
            ),
            block(
                testimonial,
                ref(emulator, "testimonial_block")["id"],
                quote="This product completely transformed our business operations.",
                author_name="Sarah Johnson, CEO",
            ),
        ],
    }


def test_000_single_block_fields(client: cma.Client, emulator: Emulator, pictures: Path) -> None:
    upload = client.uploads.create_from_local_file(pictures / "hero-background.jpg")
    description = (
        "Immerse yourself in crystal-clear sound with our premium wireless "
        "headphones.\nFeatures noise cancellation and 30-hour battery life."
    )
    record = client.items.create(
        {
            "item_type": ref(emulator, "product_page"),
            "title": "Premium Wireless Headphones",
            "price": 299.99,
            "hero_section": build_block_record(
                ref(emulator, "product_hero_block"),
                headline="Experience Audio Excellence",
                description=description,
                button=build_block_record(
                    ref(emulator, "button_block"), text="Learn more", url="/details"
                ),
                background_image={"upload_id": upload["id"]},
            ),
        }
    )
    hero = record["hero_section"]
    assert shown(record) == {
        "item_type": ref(emulator, "product_page"),
        "title": "Premium Wireless Headphones",
        "price": 299.99,
        "hero_section": hero,
    }
    nested = client.items.find(record, nested=True)
    button = nested["hero_section"]["attributes"]["button"]["id"]
    assert nested["hero_section"] == block(
        hero,
        "product_hero_block",
        headline="Experience Audio Excellence",
        description=description,
        button=block(button, "button_block", text="Learn more", url="/details"),
        background_image=upload_file(upload["id"]),
    )


def test_000_structured_text_fields(client: cma.Client, emulator: Emulator) -> None:
    # The project already holds photo.png: skip_creation_if_already_exists finds it by MD5.
    upload1 = client.uploads.create_from_url(
        "http://cma.test/assets/photo/photo.png", skip_creation_if_already_exists=True
    )
    upload2 = client.uploads.create_from_url(
        "http://cma.test/assets/photo/photo.png?w=20", skip_creation_if_already_exists=True
    )
    assert upload1["id"] == "photo"
    assert upload2["id"] != "photo"
    introduction = (
        "Web development is rapidly evolving, and new technologies are reshaping "
        "how we build digital experiences. In this article, we'll explore the "
        "latest trends and tools that are defining the future."
    )
    outlook = (
        "As we look ahead, the integration of AI-powered tools and improved developer "
        "experiences will continue to accelerate innovation in our field."
    )
    join = (
        "Join our community of forward-thinking developers and stay ahead of the curve "
        "with cutting-edge tutorials, tools, and insights."
    )
    record = client.items.create(
        {
            "item_type": ref(emulator, "article"),
            "title": "The Future of Web Development",
            "content": dast.document(
                dast.paragraph(introduction),
                dast.heading(2, "Key Technologies to Watch"),
                dast.paragraph(
                    "From ",
                    dast.span("serverless architectures", "strong"),
                    " to ",
                    dast.span("edge computing", "emphasis"),
                    ", developers now have unprecedented tools for building scalable applications.",
                ),
                dast.block(
                    build_block_record(
                        ref(emulator, "image_gallery_block"),
                        title="Modern Development Environments",
                        images=[
                            {
                                "upload_id": upload1["id"],
                                "alt": "Modern IDE setup",
                                "title": "Development Environment",
                            },
                            {
                                "upload_id": upload2["id"],
                                "alt": "Code collaboration tools",
                                "title": "Team Collaboration",
                            },
                        ],
                    )
                ),
                dast.paragraph(outlook),
                dast.block(
                    build_block_record(
                        ref(emulator, "cta_block"),
                        title="Ready to Level Up Your Skills?",
                        description=join,
                        button_text="Join the Community",
                        button_url="https://example.com/join",
                    )
                ),
            ),
        }
    )
    children = record["content"]["document"]["children"]
    gallery, cta = children[3]["item"], children[5]["item"]
    assert [child["type"] for child in children] == [
        "paragraph",
        "heading",
        "paragraph",
        "block",
        "paragraph",
        "block",
    ]
    assert children[2]["children"] == [
        {"type": "span", "marks": [], "value": "From "},
        {"type": "span", "marks": ["strong"], "value": "serverless architectures"},
        {"type": "span", "marks": [], "value": " to "},
        {"type": "span", "marks": ["emphasis"], "value": "edge computing"},
        {
            "type": "span",
            "marks": [],
            "value": ", developers now have unprecedented tools for "
            "building scalable applications.",
        },
    ]
    assert children[1] == {
        "type": "heading",
        "level": 2,
        "children": [{"type": "span", "marks": [], "value": "Key Technologies to Watch"}],
    }
    nested = client.items.find(record, nested=True)["content"]["document"]["children"]
    assert nested[3]["item"] == block(
        gallery,
        "image_gallery_block",
        title="Modern Development Environments",
        images=[
            upload_file("photo", alt="Modern IDE setup", title="Development Environment"),
            upload_file(upload2["id"], alt="Code collaboration tools", title="Team Collaboration"),
        ],
    )
    assert nested[5]["item"] == block(
        cta,
        "cta_block",
        title="Ready to Level Up Your Skills?",
        description=join,
        button_text="Join the Community",
        button_url="https://example.com/join",
    )


def test_000_linking_assets_to_records(
    client: cma.Client, emulator: Emulator, pictures: Path
) -> None:
    upload1 = client.uploads.create_from_url(
        "http://cma.test/assets/photo/photo.png", skip_creation_if_already_exists=True
    )
    upload2 = client.uploads.create_from_local_file(
        pictures / "local.jpg", skip_creation_if_already_exists=True
    )
    record = client.items.create(
        {
            "item_type": ref(emulator, "portfolio"),
            "title": "Architecture Photography",
            "featured_image": {"upload_id": upload1["id"]},
            "gallery": [
                {
                    "upload_id": upload2["id"],
                    "alt": "Modern architecture",
                    "title": "Urban Design",
                    "focal_point": {"x": 0.3, "y": 0.2},
                    "custom_data": {"add_watermark": True},
                }
            ],
        }
    )
    assert shown(record) == {
        "item_type": ref(emulator, "portfolio"),
        "title": "Architecture Photography",
        "featured_image": upload_file("photo"),
        "gallery": [
            upload_file(
                upload2["id"],
                alt="Modern architecture",
                title="Urban Design",
                focal_point={"x": 0.3, "y": 0.2},
                custom_data={"add_watermark": True},
            )
        ],
    }
    again = client.uploads.create_from_local_file(
        pictures / "local.jpg", skip_creation_if_already_exists=True
    )
    assert again["id"] == upload2["id"]


def test_000_linking_records_to_other_records(client: cma.Client, emulator: Emulator) -> None:
    other_authors = client.items.list(type="author", version="current")
    assert other_authors
    record = client.items.create(
        {
            "item_type": ref(emulator, "author"),
            "name": "Sarah Johnson",
            "collaborators": [author["id"] for author in other_authors],
            "mentor": other_authors[0]["id"],
        }
    )
    assert shown(record) == {
        "item_type": ref(emulator, "author"),
        "name": "Sarah Johnson",
        "collaborators": ["author-cy", "author-bob", "author-ada"],
        "mentor": "author-cy",
    }


def test_000_managing_localized_fields(client: cma.Client, emulator: Emulator) -> None:
    basic = client.items.create(
        {
            "item_type": ref(emulator, "pet"),
            "name": {"en": "Sir Fluffington McWhiskers", "it": "Signor Pelosetto Baffetti"},
            "description": {
                "en": "A noble cat with an impeccable mustache.",
                "it": "Un gatto nobile con baffi impeccabili.",
            },
            "category": "indoor",
        }
    )
    assert shown(basic) == {
        "item_type": ref(emulator, "pet"),
        "name": {"en": "Sir Fluffington McWhiskers", "it": "Signor Pelosetto Baffetti"},
        "description": {
            "en": "A noble cat with an impeccable mustache.",
            "it": "Un gatto nobile con baffi impeccabili.",
        },
        "category": "indoor",
    }
    all_locales = client.items.create(
        {
            "item_type": ref(emulator, "pet"),
            "name": {"en": "Luna", "it": "Luna", "fr": None},
            "description": {
                "en": "A mysterious black cat that appears at midnight.",
                "it": "Un gatto nero misterioso che appare a mezzanotte.",
                "fr": None,
            },
            "category": "outdoor",
        }
    )
    assert shown(all_locales) == {
        "item_type": ref(emulator, "pet"),
        "name": {"en": "Luna", "it": "Luna", "fr": ""},
        "description": {
            "en": "A mysterious black cat that appears at midnight.",
            "it": "Un gatto nero misterioso che appare a mezzanotte.",
            "fr": "",
        },
        "category": "outdoor",
    }


def tree_model(client: cma.Client, api_key: str) -> dict[str, str]:
    model = client.item_types.create(
        {"name": api_key.replace("_", " ").title(), "api_key": api_key, "tree": True}
    )
    client.fields.create(model, {"label": "Name", "api_key": "name", "field_type": "string"})
    return {"type": "item_type", "id": model["id"]}


@pytest.mark.parametrize("api_key", ["category", "menu_item"])  # seed 000, then seed 002
def test_000_and_002_tree_like_structure(client: cma.Client, api_key: str) -> None:
    model = tree_model(client, api_key)
    parent = client.items.create({"item_type": model, "name": "Parent"})
    child1 = client.items.create(
        {"item_type": model, "name": "Child 1", "parent_id": parent["id"], "position": 1}
    )
    child2 = client.items.create(
        {"item_type": model, "name": "Child 2", "parent_id": parent["id"], "position": 2}
    )
    assert [shown(record) for record in (parent, child1, child2)] == [
        {"item_type": model, "name": "Parent", "position": 1, "parent_id": None},
        {"item_type": model, "name": "Child 1", "position": 1, "parent_id": parent["id"]},
        {"item_type": model, "name": "Child 2", "position": 2, "parent_id": parent["id"]},
    ]


# -- seed 002: field types and localization ------------------------------------------------


def create_model(client: cma.Client, api_key: str, *fields: dict[str, Any], **options: Any) -> str:
    model = client.item_types.create(
        {"name": api_key.replace("_", " ").title(), "api_key": api_key, **options}
    )
    for field in fields:
        client.fields.create(model, {"label": field["api_key"].title(), **field})
    return str(model["id"])


def field(api_key: str, field_type: str, **options: Any) -> dict[str, Any]:
    return {"api_key": api_key, "field_type": field_type, **options}


@pytest.fixture
def dog(client: cma.Client) -> dict[str, str]:
    """Seed 002's Dog model, with the fields of its simple, asset and link examples."""
    model_id = create_model(
        client,
        "dog",
        field("name", "string"),
        field("breed", "string"),
        field("description", "text"),
        field("age", "integer"),
        field("height", "float"),
        field("date_of_birth", "date_time"),
        field("available", "boolean"),
        field("location", "lat_lon"),
        field("color", "color"),
        field("other_stuff", "json"),
        field("picture", "file"),
        field("carousel", "gallery"),
    )
    client.fields.create(
        model_id,
        field(
            "friends",
            "links",
            label="Friends",
            validators={"items_item_type": {"item_types": [model_id]}},
        ),
    )
    client.fields.create(
        model_id,
        field(
            "best_friend",
            "link",
            label="Best friend",
            validators={"item_item_type": {"item_types": [model_id]}},
        ),
    )
    return {"type": "item_type", "id": model_id}


def test_002_a_dog_with_simple_fields(client: cma.Client, dog: dict[str, str]) -> None:
    basic = client.items.create(
        {
            "item_type": dog,
            "name": "Buddy",
            "breed": "Labrador",
            "description": "Very friendly and calm.\nI love it.",
            "age": 4,
        }
    )
    assert {k: basic[k] for k in ("name", "breed", "description", "age")} == {
        "name": "Buddy",
        "breed": "Labrador",
        "description": "Very friendly and calm.\nI love it.",
        "age": 4,
    }
    assert basic["meta"]["status"] == "published"
    record = client.items.create(
        {
            "item_type": dog,
            "name": "Buddy",
            "breed": "Labrador",
            "description": "Very friendly and calm.\nI love it.",
            "age": 4,
            "height": 50.5,
            "date_of_birth": "2020-04-17T17:25:00",
            "available": True,
            "location": {"latitude": 45.0703393, "longitude": 7.686864},
            "color": {"alpha": 255, "blue": 156, "green": 208, "red": 239},
            "other_stuff": json.dumps({"foo": "bar", "additionalData": "1234"}),
        }
    )
    assert {
        key: record[key] for key in ("height", "date_of_birth", "available", "location", "color")
    } == {
        "height": 50.5,
        "date_of_birth": "2020-04-17T17:25:00+00:00",
        "available": True,
        "location": {"latitude": 45.0703393, "longitude": 7.686864},
        "color": {"red": 239, "green": 208, "blue": 156, "alpha": 255},
    }
    assert json.loads(record["other_stuff"]) == {"foo": "bar", "additionalData": "1234"}


def test_002_a_dog_with_assets(client: cma.Client, dog: dict[str, str], pictures: Path) -> None:
    upload = client.uploads.create_from_url(
        "http://cma.test/assets/photo/photo.png", skip_creation_if_already_exists=True
    )
    record = client.items.create(
        {
            "item_type": dog,
            "name": "Buddy",
            "picture": {"upload_id": upload["id"]},
            "carousel": [
                {
                    "upload_id": upload["id"],
                    "alt": "Dog picture",
                    "title": "Buddy",
                    "focal_point": {"x": 0.3, "y": 0.2},
                    "custom_data": {"add_watermark": True},
                }
            ],
        }
    )
    assert record["picture"] == upload_file("photo")
    assert record["carousel"] == [
        upload_file(
            "photo",
            alt="Dog picture",
            title="Buddy",
            focal_point={"x": 0.3, "y": 0.2},
            custom_data={"add_watermark": True},
        ),
    ]


def test_002_a_dog_with_links(client: cma.Client, dog: dict[str, str]) -> None:
    for name in ("Rex", "Fido"):
        client.items.create({"item_type": dog, "name": name})
    friends = client.items.list(type="dog")
    record = client.items.create(
        {
            "item_type": dog,
            "name": "Buddy",
            "friends": [friend["id"] for friend in friends],
            "best_friend": friends[0]["id"],
        }
    )
    assert record["friends"] == [friend["id"] for friend in friends]
    assert sorted(friend["name"] for friend in friends) == ["Fido", "Rex"]
    assert record["best_friend"] == friends[0]["id"]


@pytest.fixture
def dog_blocks(client: cma.Client) -> dict[str, str]:
    """Seed 002's Prize, Description and Carousel block models."""
    return {
        "prize": create_model(
            client,
            "prize_block",
            field("name", "string"),
            field("year", "integer"),
            field("picture", "file"),
            modular_block=True,
        ),
        "description": create_model(
            client, "description_block", field("description", "text"), modular_block=True
        ),
        "carousel": create_model(
            client, "carousel_block", field("carousel", "gallery"), modular_block=True
        ),
    }


def test_002_a_dog_with_modular_content(
    client: cma.Client, dog_blocks: dict[str, str], pictures: Path
) -> None:
    ids = list(dog_blocks.values())
    model = create_model(
        client,
        "dog_with_blocks",
        field("name", "string"),
        field("description", "rich_text", validators={"rich_text_blocks": {"item_types": ids}}),
    )
    upload = client.uploads.create_from_local_file(pictures / "2018-10-17-194326.jpg")
    record = client.items.create(
        {
            "item_type": {"type": "item_type", "id": model},
            "name": "Buddy",
            "description": [
                build_block_record(
                    dog_blocks["prize"],
                    name="Best dog in the world",
                    year=2020,
                    picture={"upload_id": upload["id"]},
                ),
                build_block_record(
                    dog_blocks["description"], description="Very friendly and calm.\nI love it."
                ),
                build_block_record(dog_blocks["carousel"], carousel=[{"upload_id": upload["id"]}]),
            ],
        }
    )
    assert record["name"] == "Buddy"
    assert len(set(record["description"])) == 3
    nested = client.items.find(record, nested=True)["description"]
    assert [b["relationships"]["item_type"]["data"]["id"] for b in nested] == ids
    assert nested[0]["attributes"] == {
        "name": "Best dog in the world",
        "year": 2020,
        "picture": upload_file(upload["id"]),
    }


def test_002_a_dog_with_structured_text(
    client: cma.Client, dog_blocks: dict[str, str], pictures: Path
) -> None:
    ids = list(dog_blocks.values())
    model = create_model(
        client,
        "dog_with_text",
        field("name", "string"),
        field(
            "description",
            "structured_text",
            validators={
                "structured_text_blocks": {"item_types": ids},
                "structured_text_links": {"item_types": []},
            },
        ),
    )
    upload = client.uploads.create_from_url(
        "http://cma.test/assets/photo/photo.png", skip_creation_if_already_exists=True
    )
    record = client.items.create(
        {
            "item_type": {"type": "item_type", "id": model},
            "name": "Buddy",
            "description": dast.document(
                dast.heading(1, "Hello world!"),
                dast.block(
                    build_block_record(
                        dog_blocks["prize"],
                        name="Best dog in the world",
                        year=2020,
                        picture={"upload_id": upload["id"]},
                    )
                ),
                dast.block(
                    build_block_record(
                        dog_blocks["description"], description="Very friendly and calm.\nI love it."
                    )
                ),
                dast.block(
                    build_block_record(
                        dog_blocks["carousel"], carousel=[{"upload_id": upload["id"]}]
                    )
                ),
            ),
        }
    )
    children = record["description"]["document"]["children"]
    assert children[0] == {
        "type": "heading",
        "level": 1,
        "children": [{"type": "span", "marks": [], "value": "Hello world!"}],
    }
    assert [child["type"] for child in children[1:]] == ["block", "block", "block"]
    assert len({child["item"] for child in children[1:]}) == 3
    assert record["description"]["schema"] == "dast"


def test_002_a_dog_with_localized_fields(client: cma.Client) -> None:
    model = {
        "type": "item_type",
        "id": create_model(
            client,
            "localized_dog",
            field("name", "string", localized=True),
            field("age", "integer", localized=True),
        ),
    }
    both = client.items.create(
        {"item_type": model, "name": {"en": "Alfie", "it": "Asso"}, "age": {"en": 30, "it": 12}}
    )
    assert (both["name"], both["age"]) == ({"en": "Alfie", "it": "Asso"}, {"en": 30, "it": 12})
    italian = client.items.create({"item_type": model, "name": {"it": "Asso"}, "age": {"it": 12}})
    assert (italian["name"], italian["age"]) == ({"it": "Asso"}, {"it": 12})


# -- seed 003: Update a record ---------------------------------------------------------------


def test_003_only_the_fields_sent_change(client: cma.Client) -> None:
    book = client.items.create(
        {
            "item_type": {"type": "item_type", "id": BOOK_ID},
            "title": "My first blog post!",
            "genre": "Essay",
            "pages": 12,
        }
    )
    item = client.items.update(book["id"], {"title": "[EDIT] My first blog post!"})
    assert (item["title"], item["genre"], item["pages"]) == (
        "[EDIT] My first blog post!",
        "Essay",
        12,
    )
    assert item["meta"]["current_version"] != book["meta"]["current_version"]


def test_003_updating_one_block_of_a_nested_read(client: cma.Client) -> None:
    current = client.items.find("blog", nested=True)
    block_id = "block-one"
    current_block = next(b for b in current["modular_content_field"] if b["id"] == block_id)
    updated_block = {
        **current_block,
        "attributes": {**current_block["attributes"], "title": "Example block #1 (Updated title)"},
    }
    updated = client.items.update(
        "blog",
        {
            "modular_content_field": [
                updated_block if b["id"] == block_id else b["id"]
                for b in current["modular_content_field"]
            ]
        },
    )
    assert updated["modular_content_field"] == ["block-one", "block-two", "block-three"]
    after = client.items.find("blog", nested=True)["modular_content_field"]
    assert [b["attributes"]["title"] for b in after] == [
        "Example block #1 (Updated title)",
        "Example block #2",
        "Example block #3",
    ]
    assert after[1]["attributes"]["inner"]["id"] == "leaf-one"  # the untouched stay as they were


def test_003_reordering_adding_and_deleting_blocks(client: cma.Client, emulator: Emulator) -> None:
    reordered = client.items.update(
        "blog", {"modular_content_field": ["block-three", "block-two", "block-one"]}
    )
    assert reordered["modular_content_field"] == ["block-three", "block-two", "block-one"]
    added = client.items.update(
        "blog",
        {
            "modular_content_field": [
                build_block_record(ref(emulator, "example_block"), title="new block record text"),
                "block-three",
                "block-two",
                "block-one",
            ]
        },
    )
    new_block = added["modular_content_field"][0]
    assert added["modular_content_field"] == [new_block, "block-three", "block-two", "block-one"]
    removed = client.items.update(
        "blog", {"modular_content_field": [new_block, "block-three", "block-one"]}
    )
    assert removed["modular_content_field"] == [new_block, "block-three", "block-one"]
    assert "block-two" not in emulator.store.state.records["blog"].current.blocks


def test_003_rule_1_a_locale_is_changed_by_sending_the_whole_set(client: cma.Client) -> None:
    item = client.items.update(
        "blog",
        {
            "title": {"en": "Hello World", "it": "Ciao a tutti! (Updated)"},
            "content": {"en": "Article content", "it": "Contenuto articolo"},
        },
    )
    assert item["title"] == {"en": "Hello World", "it": "Ciao a tutti! (Updated)"}
    # Sending Italian alone would drop English from title only: the locale sync refuses it.
    with pytest.raises(CMAError) as refused:
        client.items.update("blog", {"title": {"it": "Solo italiano"}})
    assert refused.value.find_error(
        "INVALID_FIELD", field="content", code="VALIDATION_LOCALES_MISMATCH"
    )
    assert client.items.find("blog")["title"] == item["title"]


def test_003_rule_2_adding_and_removing_a_locale_sends_every_localized_field(
    client: cma.Client,
) -> None:
    added = client.items.update(
        "blog",
        {
            "title": {"en": "My title", "it": "Il mio titolo", "de": "Mein Titel"},
            "content": {"en": "Article content", "it": "Contenuto articolo", "de": "Artikelinhalt"},
        },
    )
    assert (added["title"], added["content"], added["votes_count"]) == (
        {"en": "My title", "it": "Il mio titolo", "de": "Mein Titel"},
        {"en": "Article content", "it": "Contenuto articolo", "de": "Artikelinhalt"},
        10,
    )
    removed = client.items.update(
        "blog", {"title": {"en": "My title"}, "content": {"en": "Article content"}}
    )
    assert (removed["title"], removed["content"], removed["votes_count"]) == (
        {"en": "My title"},
        {"en": "Article content"},
        10,
    )


@pytest.fixture
def roles(cma_project: Path) -> Iterator[Emulator]:
    """An emulator whose tokens manage the locales of seed 003's table."""
    emulator = Emulator(
        ContentStore.from_directory(cma_project),
        tokens=[TOKEN, "en", "en-it", "en-it-fr"],
        token_locales={"en": ["en"], "en-it": ["en", "it"], "en-it-fr": ["en", "it", "fr"]},
    )
    yield emulator
    emulator.close()


@pytest.mark.parametrize(
    ("role", "has", "sends", "result"),
    [
        ("en", {"en"}, {"en"}, {"en": "sent"}),
        ("en-it", {"en"}, {"en", "it"}, {"en": "sent", "it": "sent"}),
        ("en-it", {"en", "it"}, {"en"}, {"en": "sent"}),
        ("en-it", {"en", "it"}, {"en", "it"}, {"en": "sent", "it": "sent"}),
        ("en-it-fr", {"en", "it"}, {"en", "fr"}, {"en": "sent", "fr": "sent"}),
        ("en", {"en", "it"}, {"en"}, {"en": "sent", "it": "kept"}),
        ("en-it", {"en", "fr"}, {"en", "it"}, {"en": "sent", "fr": "kept", "it": "sent"}),
        ("en-it", {"en", "fr"}, {"it"}, {"fr": "kept", "it": "sent"}),
    ],
)
def test_003_rule_3_the_update_scenarios_at_a_glance(
    roles: Emulator, role: str, has: set[str], sends: set[str], result: dict[str, str]
) -> None:
    def connect(token: str) -> cma.Client:
        return cma.Client(api_token=token, base_url=BASE, transport=EmulatorTransport(roles))

    with connect(TOKEN) as admin, connect(role) as editor:
        pet = admin.items.create(
            {
                "item_type": ref(roles, "pet"),
                "name": dict.fromkeys(sorted(has), "kept"),
                "description": dict.fromkeys(sorted(has), "kept"),
            }
        )
        item = editor.items.update(
            pet["id"],
            {
                "name": dict.fromkeys(sorted(sends), "sent"),
                "description": dict.fromkeys(sorted(sends), "sent"),
            },
        )
    assert item["name"] == item["description"] == result


def test_003_blocks_in_one_locale(client: cma.Client, emulator: Emulator) -> None:
    updated = client.items.update(
        "guide",
        {
            "content_blocks": {
                "en": [cma.update_block_record("en-one", title="Updated English Title"), "en-two"],
                "it": ["it-one"],
            }
        },
    )
    assert updated["content_blocks"] == {"en": ["en-one", "en-two"], "it": ["it-one"]}
    added = client.items.update(
        "guide",
        {
            "content_blocks": {
                "en": ["en-one", "en-two"],
                "it": [
                    "it-one",
                    build_block_record(ref(emulator, "example_block"), title="Nuovo Blocco"),
                ],
            }
        },
    )
    new_block = added["content_blocks"]["it"][1]
    assert added["content_blocks"] == {"en": ["en-one", "en-two"], "it": ["it-one", new_block]}
    nested = client.items.find("guide", nested=True)["content_blocks"]
    assert [b["attributes"]["title"] for b in nested["en"]] == [
        "Updated English Title",
        "English two",
    ]
    assert [b["attributes"]["title"] for b in nested["it"]] == ["Italiano uno", "Nuovo Blocco"]


def test_003_adding_a_new_locale_with_blocks(client: cma.Client, emulator: Emulator) -> None:
    item = client.items.update(
        "guide",
        {
            "title": {"en": "English Title", "fr": "Titre Français"},
            "content_blocks": {
                "en": ["en-one", "en-two"],
                "fr": [
                    build_block_record(
                        ref(emulator, "example_block"), title="Nouveau Bloc Français"
                    )
                ],
            },
        },
    )
    assert item["title"] == {"en": "English Title", "fr": "Titre Français"}
    assert set(item["content_blocks"]) == {"en", "fr"}  # Italian was not sent: removed
    nested = client.items.find("guide", nested=True)["content_blocks"]["fr"]
    assert [b["attributes"]["title"] for b in nested] == ["Nouveau Bloc Français"]


def test_003_optimistic_locking(client: cma.Client, emulator: Emulator) -> None:
    log: list[str] = []

    def increment(item_id: str, interfere: bool) -> None:
        record = client.items.find(item_id)
        if interfere:  # another writer saves between the find and the update
            emulator.changes.update_record(item_id, {"counter": record["counter"] + 100})
        try:
            client.items.update(
                item_id,
                {
                    "counter": record["counter"] + 1,
                    "meta": {"current_version": record["meta"]["current_version"]},
                },
            )
            log.append("Done!")
        except CMAError as exc:
            if exc.find_error("STALE_ITEM_VERSION"):
                log.append("Stale version, retrying...")
                increment(item_id, False)
                return
            raise

    increment("counter", True)
    assert log == ["Stale version, retrying...", "Done!"]
    assert client.items.find("counter")["counter"] == 111


def test_003_optimistic_locking_with_concurrent_writers(client: cma.Client) -> None:
    def writer() -> None:
        for _ in range(5):
            client.items.update_with_retry(
                "counter", lambda record: {"counter": record["counter"] + 1}, attempts=50
            )

    threads = [threading.Thread(target=writer) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert client.items.find("counter")["counter"] == 10 + 15
