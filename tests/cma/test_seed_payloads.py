"""Each example of seeds 000-003, written with the Python client: the exact JSON:API body it
sends (and, where the seed shows one, the simple-shaped record it returns). Every payload is
validated against the seeds' schema on the way: none of them may be refused."""

from __future__ import annotations

from typing import Any

from datocms_app import cma
from datocms_app.cma import build_block_record, dast
from tests.cma.fakes import SEEDS_SCHEMA, FakeCMA, answer, item, item_document

REF = {"type": "item_type"}


def ref(model_id: str) -> dict[str, str]:
    return {"type": "item_type", "id": model_id}


def linkage(model_id: str) -> dict[str, Any]:
    return {"item_type": {"data": ref(model_id)}}


def created(payload: dict[str, Any], response_attributes: dict[str, Any] | None = None) -> Any:
    """Create ``payload`` against a fake CMA; the body sent and the record returned."""
    model = payload["item_type"]["id"]
    cma_ = FakeCMA().on(
        "POST", "/items", item("E3eHzSH6QSGbTDmlKlSusw", model, 201, **(response_attributes or {}))
    )
    with cma_.client(schema=SEEDS_SCHEMA) as client:
        record = client.items.create(payload)
    (body,) = cma_.bodies("POST", "/items")
    return body, record


def test_basic_example_book() -> None:
    payload = {
        "item_type": ref("book"),
        "title": "The JavaScript Guide",
        "genre": "Programming",
        "synopsis": (
            "A comprehensive guide to modern JavaScript.\nPerfect for beginners and experts alike."
        ),
        "pages": 450,
    }
    body, record = created(payload, {"title": "The JavaScript Guide", "pages": 450})
    assert body == {
        "data": {
            "type": "item",
            "attributes": {
                "title": "The JavaScript Guide",
                "genre": "Programming",
                "synopsis": (
                    "A comprehensive guide to modern JavaScript.\n"
                    "Perfect for beginners and experts alike."
                ),
                "pages": 450,
            },
            "relationships": linkage("book"),
        }
    }
    assert list(record) == ["id", "type", "title", "pages", "item_type", "creator", "meta"]
    assert record["item_type"] == ref("book")
    assert record["creator"] == {"type": "access_token", "id": "322"}
    assert record["meta"]["current_version"] == "8045084"


def test_simple_fields_product() -> None:
    payload = {
        "item_type": ref("product"),
        "name": "Premium Wireless Headphones",
        "category": "Electronics",
        "description": (
            "High-quality noise-cancelling wireless headphones.\nPerfect for music and calls."
        ),
        "price": 299,
        "weight": 0.25,
        "release_date": "2024-03-15T10:30:00",
        "in_stock": True,
        "warehouse_location": cma.lat_lon(45.0703393, 7.686864),
        "brand_color": cma.color(239, 208, 156, 255),
        "specifications": cma.json_value(
            {"bluetooth": "5.0", "battery_life": "30h", "warranty": "2y"}
        ),
    }
    body, _ = created(payload)
    assert body["data"]["attributes"] == {
        "name": "Premium Wireless Headphones",
        "category": "Electronics",
        "description": (
            "High-quality noise-cancelling wireless headphones.\nPerfect for music and calls."
        ),
        "price": 299,
        "weight": 0.25,
        "release_date": "2024-03-15T10:30:00",
        "in_stock": True,
        "warehouse_location": {"latitude": 45.0703393, "longitude": 7.686864},
        "brand_color": {"alpha": 255, "blue": 156, "green": 208, "red": 239},
        # exactly JSON.stringify's text
        "specifications": '{"bluetooth":"5.0","battery_life":"30h","warranty":"2y"}',
    }


def test_modular_content_landing_page_and_both_response_modes() -> None:
    payload = {
        "item_type": ref("landing"),
        "title": "Product Launch Landing Page",
        "sections": [
            build_block_record(
                ref("hero"),
                headline="Revolutionary New Product",
                subtitle=(
                    "Transform your workflow with our cutting-edge solution.\n"
                    "Built for modern teams."
                ),
                background_image={"upload_id": "VUkBZ214TnK1UeHbJuoAmw"},
            ),
            build_block_record(
                ref("testimonial"),
                quote="This product completely transformed our business operations.",
                author_name="Sarah Johnson, CEO",
            ),
        ],
    }
    body, record = created(
        payload,
        {
            "title": "Product Launch Landing Page",
            "sections": ["XhYlJCL5Rv-2UN2kRXnPcA", "S3hGBEOXTyKfOs6ac4o37Q"],
        },
    )
    assert body["data"]["attributes"]["sections"] == [
        {
            "type": "item",
            "attributes": {
                "headline": "Revolutionary New Product",
                "subtitle": (
                    "Transform your workflow with our cutting-edge solution.\n"
                    "Built for modern teams."
                ),
                "background_image": {"upload_id": "VUkBZ214TnK1UeHbJuoAmw"},
            },
            "relationships": linkage("hero"),
        },
        {
            "type": "item",
            "attributes": {
                "quote": "This product completely transformed our business operations.",
                "author_name": "Sarah Johnson, CEO",
            },
            "relationships": linkage("testimonial"),
        },
    ]
    assert record["sections"] == ["XhYlJCL5Rv-2UN2kRXnPcA", "S3hGBEOXTyKfOs6ac4o37Q"]

    nested_block = {
        "type": "item",
        "id": "XhYlJCL5Rv-2UN2kRXnPcA",
        "attributes": {"headline": "Revolutionary New Product"},
        "relationships": linkage("hero"),
    }
    cma_ = FakeCMA().on(
        "GET",
        "/items/Qw3wP3n8Qf286PjYiYzgXw",
        answer(
            200, item_document("Qw3wP3n8Qf286PjYiYzgXw", "landing", {"sections": [nested_block]})
        ),
    )
    with cma_.client() as client:
        nested = client.items.find(record | {"id": "Qw3wP3n8Qf286PjYiYzgXw"}, nested=True)
    assert str(cma_.requests[0].url).endswith("/items/Qw3wP3n8Qf286PjYiYzgXw?nested=true")
    assert nested["sections"] == [nested_block]  # blocks stay JSON:API resources


def test_single_block_product_page_with_a_nested_single_block() -> None:
    payload = {
        "item_type": ref("productpage"),
        "title": "Premium Wireless Headphones",
        "price": 299.99,
        "hero_section": build_block_record(
            ref("herosection"),
            headline="Experience Audio Excellence",
            description="Immerse yourself in crystal-clear sound.",
            button=build_block_record(ref("button"), text="Learn more", url="/details"),
            background_image={"upload_id": "JP0pXTl3S0SFP42PYK2Mug"},
        ),
    }
    body, _ = created(payload)
    assert body["data"]["attributes"]["hero_section"] == {
        "type": "item",
        "attributes": {
            "headline": "Experience Audio Excellence",
            "description": "Immerse yourself in crystal-clear sound.",
            "button": {
                "type": "item",
                "attributes": {"text": "Learn more", "url": "/details"},
                "relationships": linkage("button"),
            },
            "background_image": {"upload_id": "JP0pXTl3S0SFP42PYK2Mug"},
        },
        "relationships": linkage("herosection"),
    }


def test_structured_text_with_blocks_article() -> None:
    intro = (
        "Web development is rapidly evolving, and new technologies are reshaping how we build "
        "digital experiences."
    )
    payload = {
        "item_type": ref("article"),
        "title": "The Future of Web Development",
        "content": dast.document(
            dast.paragraph(intro),
            dast.heading(2, "Key Technologies to Watch"),
            dast.paragraph(
                "From ",
                dast.span("serverless architectures", "strong"),
                " to ",
                dast.span("edge computing", "emphasis"),
                ", developers now have unprecedented tools.",
            ),
            dast.block(
                build_block_record(
                    ref("gallery"),
                    title="Modern Development Environments",
                    images=[
                        cma.file(
                            "LkyN_T-oTq-o0RGt9EDUMQ",
                            alt="Modern IDE setup",
                            title="Development Environment",
                        ),
                        cma.file(
                            "YptkFcGyRXi3QOTUymmm2A",
                            alt="Code collaboration tools",
                            title="Team Collaboration",
                        ),
                    ],
                )
            ),
            dast.block(
                build_block_record(
                    ref("cta"),
                    title="Ready to Level Up Your Skills?",
                    description="Join our community.",
                    button_text="Join the Community",
                    button_url="https://example.com/join",
                )
            ),
        ),
    }
    body, _ = created(payload)
    assert body["data"]["attributes"]["content"] == {
        "schema": "dast",
        "document": {
            "type": "root",
            "children": [
                {"type": "paragraph", "children": [{"type": "span", "marks": [], "value": intro}]},
                {
                    "type": "heading",
                    "level": 2,
                    "children": [
                        {"type": "span", "marks": [], "value": "Key Technologies to Watch"}
                    ],
                },
                {
                    "type": "paragraph",
                    "children": [
                        {"type": "span", "marks": [], "value": "From "},
                        {"type": "span", "marks": ["strong"], "value": "serverless architectures"},
                        {"type": "span", "marks": [], "value": " to "},
                        {"type": "span", "marks": ["emphasis"], "value": "edge computing"},
                        {
                            "type": "span",
                            "marks": [],
                            "value": ", developers now have unprecedented tools.",
                        },
                    ],
                },
                {
                    "type": "block",
                    "item": {
                        "type": "item",
                        "attributes": {
                            "title": "Modern Development Environments",
                            "images": [
                                {
                                    "upload_id": "LkyN_T-oTq-o0RGt9EDUMQ",
                                    "alt": "Modern IDE setup",
                                    "title": "Development Environment",
                                },
                                {
                                    "upload_id": "YptkFcGyRXi3QOTUymmm2A",
                                    "alt": "Code collaboration tools",
                                    "title": "Team Collaboration",
                                },
                            ],
                        },
                        "relationships": linkage("gallery"),
                    },
                },
                {
                    "type": "block",
                    "item": {
                        "type": "item",
                        "attributes": {
                            "title": "Ready to Level Up Your Skills?",
                            "description": "Join our community.",
                            "button_text": "Join the Community",
                            "button_url": "https://example.com/join",
                        },
                        "relationships": linkage("cta"),
                    },
                },
            ],
        },
    }


def test_assets_and_galleries_portfolio() -> None:
    payload = {
        "item_type": ref("portfolio"),
        "title": "Architecture Photography",
        "featured_image": cma.file("HWhE3MhgTxCfqRfIMGW7Jg"),
        "gallery": cma.gallery(
            cma.file(
                {"id": "KJQT9BgrRjKJPALM9fsXgA", "type": "upload"},
                alt="Modern architecture",
                title="Urban Design",
                focal_point=(0.3, 0.2),
                custom_data={"add_watermark": True},
            )
        ),
    }
    body, _ = created(payload)
    assert body["data"]["attributes"] == {
        "title": "Architecture Photography",
        "featured_image": {"upload_id": "HWhE3MhgTxCfqRfIMGW7Jg"},
        "gallery": [
            {
                "upload_id": "KJQT9BgrRjKJPALM9fsXgA",
                "alt": "Modern architecture",
                "title": "Urban Design",
                "focal_point": {"x": 0.3, "y": 0.2},
                "custom_data": {"add_watermark": True},
            }
        ],
    }


def test_links_author_after_listing_other_authors() -> None:
    others = [
        item_document(author_id, "author", {"name": name})["data"]
        for author_id, name in (("EF-CHNzIRAeFbt2ACY-K2Q", "Ann"), ("MeYQG9_HTEi0ZwhQi7kffA", "Bo"))
    ]
    cma_ = (
        FakeCMA()
        .on("GET", "/items", answer(200, {"data": others, "meta": {"total_count": 2}}))
        .on("POST", "/items", item("Eukon4pbSrGyuYPWbmDiPQ", "author", 201))
    )
    with cma_.client(schema=SEEDS_SCHEMA) as client:
        other_authors = client.items.list(type="author", version="current")
        client.items.create(
            {
                "item_type": ref("author"),
                "name": "Sarah Johnson",
                "collaborators": cma.links(*other_authors),
                "mentor": cma.link(other_authors[0]),
            }
        )
    assert [(r.method, str(r.url)) for r in cma_.requests] == [
        (
            "GET",
            (
                "https://site-api.datocms.com/items?filter%5Btype%5D=author&version=current&page%5Blimit%5D=30&page%5Boffset%5D=0"
            ),
        ),
        ("POST", "https://site-api.datocms.com/items"),  # the links' models were known: no lookup
    ]
    assert cma_.bodies("POST")[0]["data"]["attributes"] == {
        "name": "Sarah Johnson",
        "collaborators": ["EF-CHNzIRAeFbt2ACY-K2Q", "MeYQG9_HTEi0ZwhQi7kffA"],
        "mentor": "EF-CHNzIRAeFbt2ACY-K2Q",
    }


def test_localization_rule_1_a_subset_of_locales_consistent_across_fields() -> None:
    payload = {
        "item_type": ref("pet"),
        "name": cma.localized(en="Sir Fluffington McWhiskers", it="Signor Pelosetto Baffetti"),
        "description": {"en": "A noble cat.", "it": "Un gatto nobile."},
        "category": "indoor",
    }
    body, _ = created(payload)
    assert body["data"]["attributes"] == {
        "name": {"en": "Sir Fluffington McWhiskers", "it": "Signor Pelosetto Baffetti"},
        "description": {"en": "A noble cat.", "it": "Un gatto nobile."},
        "category": "indoor",
    }


def test_localization_rule_2_all_locales_required_with_null_values() -> None:
    payload = {
        "item_type": ref("strictpet"),
        "name": cma.localized(en="Luna", it="Luna", fr=None),
        "description": {
            "en": "A mysterious black cat.",
            "it": "Un gatto nero misterioso.",
            "fr": None,
        },
        "category": "outdoor",
    }
    body, _ = created(payload)
    assert body["data"]["attributes"]["name"] == {"en": "Luna", "it": "Luna", "fr": None}
    assert body["data"]["attributes"]["description"]["fr"] is None


def test_client_supplied_id_and_meta_dates() -> None:
    record_id = cma.generate_id()
    payload = {
        "id": record_id,
        "item_type": ref("book"),
        "title": "Imported",
        "meta": {
            "created_at": "2019-01-01T10:00:00Z",
            "first_published_at": "2019-01-02T10:00:00Z",
        },
    }
    body, _ = created(payload)
    assert body == {
        "data": {
            "id": record_id,
            "type": "item",
            "attributes": {"title": "Imported"},
            "relationships": linkage("book"),
            "meta": {
                "created_at": "2019-01-01T10:00:00Z",
                "first_published_at": "2019-01-02T10:00:00Z",
            },
        }
    }


def test_tree_records_take_parent_id_and_position() -> None:
    body, _ = created(
        {
            "item_type": ref("category"),
            "name": "Child 1",
            "parent_id": "Ov5N1h4_QwW89_IzbUBb4g",
            "position": 1,
        }
    )
    assert body["data"]["attributes"] == {
        "name": "Child 1",
        "parent_id": "Ov5N1h4_QwW89_IzbUBb4g",
        "position": 1,
    }
