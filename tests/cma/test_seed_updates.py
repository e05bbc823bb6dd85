"""The update examples of seeds/003 (and the block rules of seeds/004's "Record" guide): the
exact body sent for each kind of block update, localized updates, adding and removing a
locale. Payloads are validated on the way (the record's model is read once)."""

from __future__ import annotations

from typing import Any

from datocms_app.cma import ProjectSchema, build_block_record, update_block_record
from tests.cma.fakes import SEEDS_SCHEMA, FakeCMA, answer, item, item_document, site_document

RECORD = "A4gkL_8pTZmcyJ-IlIEd2w"


def linkage(model_id: str) -> dict[str, Any]:
    return {"item_type": {"data": {"type": "item_type", "id": model_id}}}


def updated(
    changes: dict[str, Any], current: dict[str, Any], schema: ProjectSchema = SEEDS_SCHEMA
) -> dict[str, Any]:
    """Update the ``page`` record ``RECORD``; the body of the PUT."""
    cma_ = (
        FakeCMA()
        .on("GET", f"/items/{RECORD}", answer(200, item_document(RECORD, "page", current)))
        .on("PUT", f"/items/{RECORD}", item(RECORD, "page", 200, **current))
    )
    with cma_.client(schema=schema) as client:
        client.items.update(RECORD, changes)
        client.items.update(RECORD, changes)  # the model is remembered: no second GET
    assert [request.method for request in cma_.requests] == ["GET", "PUT", "PUT"]
    body: dict[str, Any] = cma_.bodies("PUT")[0]
    assert body["data"]["id"] == RECORD
    assert body["data"]["type"] == "item"
    assert set(body["data"]) == {"id", "type", "attributes"}
    return body["data"]["attributes"]  # type: ignore[no-any-return]


def test_only_the_fields_that_change_are_sent() -> None:
    sent = updated({"votes_count": 11}, {"votes_count": 10, "counter": 3})
    assert sent == {"votes_count": 11}


def test_updating_one_block_of_a_nested_read_keeps_the_others_as_ids() -> None:
    blocks = [
        {
            "type": "item",
            "attributes": {"title": "Example block #1"},
            "relationships": linkage("textblock"),
            "id": "ToBApjdYQaCgeFJxp_ty0A",
        },
        {
            "type": "item",
            "attributes": {"title": "Example block #2"},
            "relationships": linkage("textblock"),
            "id": "YGrrPYrkSNaq-dBaP7aSaQ",
        },
    ]
    cma_ = (
        FakeCMA()
        .on(
            "GET",
            f"/items/{RECORD}",
            answer(200, item_document(RECORD, "page", {"modular_content_field": blocks})),
        )
        .on(
            "PUT",
            f"/items/{RECORD}",
            item(
                RECORD,
                "page",
                200,
                modular_content_field=["ToBApjdYQaCgeFJxp_ty0A", "YGrrPYrkSNaq-dBaP7aSaQ"],
            ),
        )
    )
    with cma_.client(schema=SEEDS_SCHEMA) as client:
        current = client.items.find(RECORD, nested=True)
        changed = [
            {
                **block,
                "attributes": {**block["attributes"], "title": "Example block #1 (Updated title)"},
            }
            if block["id"] == "ToBApjdYQaCgeFJxp_ty0A"
            else block["id"]
            for block in current["modular_content_field"]
        ]
        result = client.items.update(RECORD, {"modular_content_field": changed})
    assert [request.method for request in cma_.requests] == ["GET", "PUT"]  # model known
    assert cma_.bodies("PUT")[0]["data"]["attributes"] == {
        "modular_content_field": [
            {
                "type": "item",
                "attributes": {"title": "Example block #1 (Updated title)"},
                "relationships": linkage("textblock"),
                "id": "ToBApjdYQaCgeFJxp_ty0A",
            },
            "YGrrPYrkSNaq-dBaP7aSaQ",
        ]
    }
    assert result["modular_content_field"] == ["ToBApjdYQaCgeFJxp_ty0A", "YGrrPYrkSNaq-dBaP7aSaQ"]


def test_update_block_record_sends_only_id_and_changed_attributes() -> None:
    sent = updated(
        {
            "modular_content_field": [
                "fG8hI1jKlMnOpQrStUvWxY",
                update_block_record("kL9mN3pQrStUvWxYzAbCdE", title="Updated Title"),
                "dhVR2HqgRVCTGFi_0bWqLqA",
            ]
        },
        {},
    )
    assert sent["modular_content_field"][1] == {
        "id": "kL9mN3pQrStUvWxYzAbCdE",
        "type": "item",
        "attributes": {"title": "Updated Title"},
    }


def test_reordering_blocks_sends_their_ids_in_the_new_order() -> None:
    sent = updated({"modular_content_field": ["565346548", "565346547", "565346546"]}, {})
    assert sent == {"modular_content_field": ["565346548", "565346547", "565346546"]}


def test_adding_a_block_sends_a_new_block_among_the_ids() -> None:
    new = build_block_record(
        {"type": "item_type", "id": "textblock"},
        text="new block record text",
        subtext="another text",
    )
    sent = updated({"modular_content_field": [new, "565346546", "565346547", "565346548"]}, {})
    assert sent["modular_content_field"] == [
        {
            "type": "item",
            "attributes": {"text": "new block record text", "subtext": "another text"},
            "relationships": linkage("textblock"),
        },
        "565346546",
        "565346547",
        "565346548",
    ]


def test_deleting_a_block_leaves_its_id_out() -> None:
    sent = updated({"modular_content_field": ["565346546", "565346548"]}, {})
    assert sent == {"modular_content_field": ["565346546", "565346548"]}


def test_a_nested_block_is_updated_through_its_parent_block() -> None:
    wrapper = update_block_record(
        "dhVR2HqgRVCTGFi_0bWqLqA",
        nested_content=[
            update_block_record("kL9mN3pQrStUvWxYzAbCdE", title="Updated Child Block 1"),
            "fG8hI1jKlMnOpQrStUvWxY",
        ],
    )
    sent = updated({"modular_content_field": [wrapper]}, {})
    assert sent["modular_content_field"] == [
        {
            "id": "dhVR2HqgRVCTGFi_0bWqLqA",
            "type": "item",
            "attributes": {
                "nested_content": [
                    {
                        "id": "kL9mN3pQrStUvWxYzAbCdE",
                        "type": "item",
                        "attributes": {"title": "Updated Child Block 1"},
                    },
                    "fG8hI1jKlMnOpQrStUvWxY",
                ]
            },
        }
    ]


def test_updating_a_block_in_one_locale_sends_every_locale() -> None:
    changes = {
        "content_blocks": {
            "en": [
                update_block_record("dhVR2HqgRVCTGFi0bWqLqA", title="Updated English Title"),
                "kL9mN3pQrStUvWxYzAbCdE",
            ],
            "it": ["dhVR2HqgRVCTGFi_0bWqLqA", "kL9mN3pQrStUvWxYzAbCdE"],
        }
    }
    assert updated(changes, {}) == {
        "content_blocks": {
            "en": [
                {
                    "id": "dhVR2HqgRVCTGFi0bWqLqA",
                    "type": "item",
                    "attributes": {"title": "Updated English Title"},
                },
                "kL9mN3pQrStUvWxYzAbCdE",
            ],
            "it": ["dhVR2HqgRVCTGFi_0bWqLqA", "kL9mN3pQrStUvWxYzAbCdE"],
        }
    }


def test_adding_a_block_to_one_locale() -> None:
    new = build_block_record("textblock", title="Nuovo Blocco")
    changes = {
        "content_blocks": {
            "en": ["dhVR2HqgRVCTGFi_0bWqLqA", "kL9mN3pQrStUvWxYzAbCdE"],
            "it": ["fG8hI1jKlMnOpQrStUvWxY", new, "dhVR2HqgRVCTGFi0bWqLqA"],
        }
    }
    sent = updated(changes, {})
    assert sent["content_blocks"]["it"][1] == {
        "type": "item",
        "attributes": {"title": "Nuovo Blocco"},
        "relationships": linkage("textblock"),
    }


def test_adding_a_new_locale_to_a_record_with_blocks() -> None:
    changes = {
        "title": {"en": "English Title", "fr": "Titre Français"},
        "content_blocks": {
            "en": ["dhVR2HqgRVCTGFi_0bWqLqA", "kL9mN3pQrStUvWxYzAbCdE"],
            "fr": [build_block_record("textblock", title="Nouveau Bloc Français")],
        },
    }
    sent = updated(changes, {})
    assert sent["title"] == {"en": "English Title", "fr": "Titre Français"}
    assert sent["content_blocks"]["fr"] == [
        {
            "type": "item",
            "attributes": {"title": "Nouveau Bloc Français"},
            "relationships": linkage("textblock"),
        }
    ]


GERMAN = ProjectSchema.from_site_document(site_document(locales=["en", "it", "de"]))
CURRENT = {
    "title": {"en": "My title", "it": "Il mio titolo"},
    "content": {"en": "Article content", "it": "Contenuto articolo"},
    "votes_count": 10,
}


def test_adding_the_de_locale_sends_all_localized_fields() -> None:
    changes = {
        "title": {"en": "My title", "it": "Il mio titolo", "de": "Mein Titel"},
        "content": {"en": "Article content", "it": "Contenuto articolo", "de": "Artikelinhalt"},
    }
    assert updated(changes, CURRENT, GERMAN) == changes


def test_removing_the_it_locale_sends_all_localized_fields() -> None:
    changes = {"title": {"en": "My title"}, "content": {"en": "Article content"}}
    assert updated(changes, CURRENT, GERMAN) == changes
