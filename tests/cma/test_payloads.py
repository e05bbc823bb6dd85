"""Payload helpers, the dast builder and record ids."""

from __future__ import annotations

import pytest

from datocms_app import cma
from datocms_app.cma import build_block_record, dast, update_block_record
from datocms_app.exceptions import InvalidArgument


class HeroBlock:  # a marker as manage.py datocms_schema writes them
    ID = "T4m4tPymSACFzsqbZS65WA"


def test_block_records_as_the_js_client_builds_them() -> None:
    assert build_block_record(HeroBlock, headline="Hi", background_image=cma.file("u1")) == {
        "type": "item",
        "attributes": {"headline": "Hi", "background_image": {"upload_id": "u1"}},
        "relationships": {
            "item_type": {"data": {"type": "item_type", "id": "T4m4tPymSACFzsqbZS65WA"}}
        },
    }
    assert build_block_record({"type": "item_type", "id": "x"}) == {
        "type": "item",
        "attributes": {},
        "relationships": {"item_type": {"data": {"type": "item_type", "id": "x"}}},
    }
    assert update_block_record("b1", title="New") == {
        "id": "b1",
        "type": "item",
        "attributes": {"title": "New"},
    }
    assert update_block_record("b1", item_type=HeroBlock)["relationships"] == {
        "item_type": {"data": {"type": "item_type", "id": "T4m4tPymSACFzsqbZS65WA"}}
    }
    with pytest.raises(InvalidArgument, match="Expected a model \\(item type\\) id"):
        build_block_record(None)


def test_value_helpers() -> None:
    assert cma.color(239, 208, 156) == {"red": 239, "green": 208, "blue": 156, "alpha": 255}
    assert cma.color_from_hex("#EFD09C80") == {"red": 239, "green": 208, "blue": 156, "alpha": 128}
    assert cma.lat_lon(45.0703393, 7.686864) == {"latitude": 45.0703393, "longitude": 7.686864}
    assert (
        cma.json_value({"foo": "bar", "additionalData": "1234"})
        == '{"foo":"bar","additionalData":"1234"}'
    )
    assert cma.seo(title="T", image={"id": "u9", "type": "upload"}, twitter_card="summary") == {
        "title": "T",
        "image": "u9",
        "twitter_card": "summary",
    }
    assert cma.file("u1", alt="A", title="T", focal_point=(0.34, 0.45), custom_data={"k": "v"}) == {
        "upload_id": "u1",
        "alt": "A",
        "title": "T",
        "focal_point": {"x": 0.34, "y": 0.45},
        "custom_data": {"k": "v"},
    }
    assert cma.gallery("u1", cma.file("u2", alt="x"), {"upload_id": "u3"}) == [
        {"upload_id": "u1"},
        {"upload_id": "u2", "alt": "x"},
        {"upload_id": "u3"},
    ]
    youtube = cma.video(
        provider="youtube",
        provider_uid="vUdGBEb1i9g",
        url="https://www.youtube.com/watch?v=qJhobECFQYk",
        width=459,
        height=344,
        thumbnail_url="https://i.ytimg.com/vi/vUdGBEb1i9g/hqdefault.jpg",
        title="Next.js Conf Booth Welcoming!",
    )
    assert youtube["provider_uid"] == "vUdGBEb1i9g"
    assert cma.link({"id": "r1", "type": "item"}) == "r1"
    assert cma.links("r1", {"id": "r2"}) == ["r1", "r2"]
    assert cma.localized({"pt-BR": "Olá"}, en="Hi", it=None) == {
        "pt-BR": "Olá",
        "en": "Hi",
        "it": None,
    }


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda: cma.color(256, 0, 0),
            (
                "A color value is a dict of red, green, blue and alpha, integers 0-255 "
                "(cma.color(...)), but 'red' is 256."
            ),
        ),
        (lambda: cma.color_from_hex("red"), "A hex color is '#RRGGBB' or '#RRGGBBAA', got 'red'."),
        (
            lambda: cma.lat_lon(0, 181),
            (
                "A lat_lon value is a dict of latitude (-90 to 90) and longitude (-180 to 180) "
                "(cma.lat_lon(...)), but 'longitude' is 181."
            ),
        ),
        (
            lambda: cma.seo(twitter_card="big"),
            (
                "A seo value is a dict of title, description, image (an upload id), twitter_card "
                "('summary' or 'summary_large_image') and no_index, all optional (cma.seo(...)), "
                "but 'twitter_card' is 'big'."
            ),
        ),
        (
            lambda: cma.file("u", focal_point=(2, 0)),
            (
                "A file value is a dict of upload_id and, optionally, alt, title, focal_point "
                "({'x', 'y'} from 0 to 1) and custom_data (cma.file(...)), but 'focal_point' is "
                "{'x': 2, 'y': 0}."
            ),
        ),
        (
            lambda: cma.json_value({1, 2}),
            (
                "A JSON field's value must be JSON-serialisable: Object of type set is not JSON "
                "serializable."
            ),
        ),
        (
            lambda: cma.localized(),
            (
                "localized() takes one value per locale, such as localized(en='Hi', it='Ciao'); "
                "got {}."
            ),
        ),
    ],
)
def test_helpers_refuse_wrong_values(call: object, message: str) -> None:
    with pytest.raises(InvalidArgument) as info:
        call()  # type: ignore[operator]
    assert str(info.value) == message


def test_dast_builder_block_level_and_inline_nodes() -> None:
    value = dast.document(
        dast.heading(1, "Hello world!"),
        dast.paragraph(
            "See ",
            dast.link("https://example.com", "this", meta={"target": "_blank"}),
            ", ",
            dast.item_link({"id": "a1"}, dast.span("our author", "strong")),
            " and ",
            dast.inline_item("a2"),
            dast.inline_block(build_block_record("mention", label="x")),
        ),
        dast.bulleted_list("one", ["two", dast.paragraph("more")]),
        dast.blockquote("Quoted", attribution="Someone"),
        dast.code("print(1)", "python", [0]),
        dast.thematic_break(),
        dast.block("existing-block-id"),
        dast.block(update_block_record("b2", title="changed")),
    )
    children = value["document"]["children"]
    assert value["schema"] == "dast"
    assert value["document"]["type"] == "root"
    assert children[0] == {
        "type": "heading",
        "level": 1,
        "children": [{"type": "span", "marks": [], "value": "Hello world!"}],
    }
    assert children[1]["children"][1] == {
        "type": "link",
        "url": "https://example.com",
        "children": [{"type": "span", "marks": [], "value": "this"}],
        "meta": [{"id": "target", "value": "_blank"}],
    }
    assert children[1]["children"][3] == {
        "type": "itemLink",
        "item": "a1",
        "children": [{"type": "span", "marks": ["strong"], "value": "our author"}],
    }
    assert children[1]["children"][5] == {"type": "inlineItem", "item": "a2"}
    assert children[1]["children"][6] == {
        "type": "inlineBlock",
        "item": {
            "type": "item",
            "attributes": {"label": "x"},
            "relationships": {"item_type": {"data": {"type": "item_type", "id": "mention"}}},
        },
    }
    assert children[2] == {
        "type": "list",
        "style": "bulleted",
        "children": [
            {
                "type": "listItem",
                "children": [
                    {
                        "type": "paragraph",
                        "children": [{"type": "span", "marks": [], "value": "one"}],
                    }
                ],
            },
            {
                "type": "listItem",
                "children": [
                    {
                        "type": "paragraph",
                        "children": [{"type": "span", "marks": [], "value": "two"}],
                    },
                    {
                        "type": "paragraph",
                        "children": [{"type": "span", "marks": [], "value": "more"}],
                    },
                ],
            },
        ],
    }
    assert children[3]["attribution"] == "Someone"
    assert children[4] == {
        "type": "code",
        "code": "print(1)",
        "language": "python",
        "highlight": [0],
    }
    assert children[5] == {"type": "thematicBreak"}
    assert children[6] == {"type": "block", "item": "existing-block-id"}
    assert children[7] == {
        "type": "block",
        "item": {"id": "b2", "type": "item", "attributes": {"title": "changed"}},
    }
    from datocms_app.structured_text import validate

    placeholder = dast.document(*children[:6])
    placeholder["document"]["children"][1]["children"][6]["item"] = "block-id"
    validate(placeholder)  # the builder's nodes are valid dast


def test_dast_builder_refuses_what_dast_forbids() -> None:
    with pytest.raises(InvalidArgument, match=r"A heading level is 1 to 6, got 7\."):
        dast.heading(7, "x")
    with pytest.raises(InvalidArgument, match="A paragraph needs at least one child"):
        dast.paragraph()
    with pytest.raises(
        InvalidArgument, match=r"A paragraph's child is a string or a dast node, got 3\."
    ):
        dast.paragraph(3)  # type: ignore[arg-type]


def test_generated_ids_are_valid_like_the_js_clients() -> None:
    ids = {cma.generate_id() for _ in range(200)}
    assert len(ids) == 200
    assert all(len(i) == 22 and cma.is_valid_id(i) and i[0].isalpha() for i in ids)
    assert cma.is_valid_id("hWl-mnkWRYmMCSTq4z_piQ")  # the seeds' example
    assert cma.is_valid_id("4572128")  # an older numeric id
    assert not cma.is_valid_id("281474976710656")  # past 48 bits
    assert not cma.is_valid_id("hWl-mnkWRYmMCSTq4z_piZ")  # 22nd character leaves bits over
    assert not cma.is_valid_id("AAAAAAAAAAAAAAAAAAAAAA")  # not a version 4 UUID
    assert not cma.is_valid_id(None)
