"""Localized fields through the CMA: the rules of *Create a new record* and *Update a record*.

The record ``blog`` has ``title`` and ``content`` in en and it, ``guide`` has ``title`` and
``content_blocks`` (modular content) in en and it; locales are en, it, fr, de. The token
``italian-editor`` may write it and fr only.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from datocms_app.emulator.server import Emulator
from tests.emulator.cma.conftest import (
    ITALIAN_TOKEN,
    api_error,
    changed_item,
    error,
    errors,
    new_item,
)


def fields_of(api: httpx.Client, record_id: str) -> dict[str, Any]:
    attributes: dict[str, Any] = api.get(f"/items/{record_id}").json()["data"]["attributes"]
    return attributes


def mismatch(field: str, locales: list[str], expected: list[str], described: str) -> dict[str, Any]:
    return api_error(
        "INVALID_FIELD",
        f"Every localized field of a record must have the same locales: {field!r} would have "
        f"{', '.join(locales)} but the payload gives {described}. To add or remove a locale, "
        "send every localized field with the new set of locales.",
        field=field,
        code="VALIDATION_LOCALES_MISMATCH",
        locales=locales,
        expected_locales=expected,
    )


def test_create_with_a_subset_of_locales(api: httpx.Client, emulator: Emulator) -> None:
    response = api.post("/items", json=new_item(
        "pet", emulator, name={"en": "Sir Fluffington", "it": "Signor Pelosetto"},
        description={"en": "A noble cat.", "it": "Un gatto nobile."}, category="indoor",
    ))  # fmt: skip
    assert response.status_code == 201
    assert response.json()["data"]["attributes"] == {
        "name": {"en": "Sir Fluffington", "it": "Signor Pelosetto"},
        "description": {"en": "A noble cat.", "it": "Un gatto nobile."},
        "category": "indoor",
    }
    query = "{ allPets { _locales nameIt: name(locale: it) nameFr: name(locale: fr) } }"
    assert emulator.execute(query).body["data"]["allPets"] == [
        {"_locales": ["en", "it"], "nameIt": "Signor Pelosetto", "nameFr": None}
    ]


def test_a_null_translation_keeps_its_locale(api: httpx.Client, emulator: Emulator) -> None:
    response = api.post("/items", json=new_item(
        "pet", emulator, name={"en": "Luna", "it": "Luna", "fr": None},
        description={"en": "A black cat.", "it": "Un gatto nero.", "fr": None},
    ))  # fmt: skip
    assert response.json()["data"]["attributes"]["name"] == {"en": "Luna", "it": "Luna", "fr": ""}


def test_a_localized_field_left_out_gets_the_same_locales(
    api: httpx.Client, emulator: Emulator
) -> None:
    response = api.post("/items", json=new_item("pet", emulator, name={"it": "Asso"}))
    assert response.json()["data"]["attributes"]["description"] == {"it": None}


def test_create_localized_fields_must_agree(api: httpx.Client, emulator: Emulator) -> None:
    response = api.post("/items", json=new_item(
        "pet", emulator, name={"en": "Title", "it": "Titolo"},
        description={"en": "Description", "fr": "Description"},
    ))  # fmt: skip
    assert response.status_code == 422
    assert errors(response) == [mismatch("description", ["en", "fr"], ["en", "it"], "en, it")]


def test_create_needs_at_least_one_locale(api: httpx.Client, emulator: Emulator) -> None:
    response = api.post("/items", json=new_item("pet", emulator, category="indoor"))
    assert error(response) == api_error(
        "MISSING_LOCALES",
        "A 'pet' record needs a value in at least one locale: give its localized fields (name, "
        "description) as objects keyed by locale, e.g. {'en': ...}.",
    )


def test_all_locales_required(api: httpx.Client, emulator: Emulator) -> None:
    response = api.post("/items", json=new_item("translation", emulator, title={"en": "Title"}))
    assert error(response) == api_error(
        "INVALID_FIELD",
        "Model 'translation' requires every locale: 'title' lacks de, fr, it (a null value is "
        "fine, the key is required).",
        field="title",
        code="VALIDATION_REQUIRED_LOCALES",
        locales=["de", "fr", "it"],
    )
    every = {"en": "Title", "it": None, "fr": None, "de": None}
    assert api.post("/items", json=new_item("translation", emulator, title=every)).is_success


def test_unknown_locales_and_non_objects(api: httpx.Client, emulator: Emulator) -> None:
    unknown = api.post("/items", json=new_item("pet", emulator, name={"en": "x", "es": "x"}))
    assert error(unknown) == api_error(
        "INVALID_FIELD",
        "Field 'name' has values for unknown locale(s) es; the project's locales are en, it, "
        "fr, de.",
        field="name",
        code="VALIDATION_INVALID_LOCALE",
        locales=["es"],
    )
    flat = api.post("/items", json=new_item("pet", emulator, name="x"))
    assert error(flat)["details"]["code"] == "VALIDATION_INVALID"


# -- updates (Rules 1 and 2 of "Updating Localized Fields") -----------------------------------


def test_an_update_sends_a_fields_whole_set_of_locales(api: httpx.Client) -> None:
    response = api.put("/items/blog", json=changed_item(
        "blog", title={"en": "My title", "it": "Il mio titolo (updated)"}))  # fmt: skip
    assert response.status_code == 200
    assert response.json()["data"]["attributes"]["title"] == {
        "en": "My title", "it": "Il mio titolo (updated)"
    }  # fmt: skip


def test_sending_one_locale_of_one_field_is_refused(api: httpx.Client) -> None:
    response = api.put("/items/blog", json=changed_item("blog", title={"it": "Solo"}))
    assert response.status_code == 422
    assert errors(response) == [mismatch("content", ["en", "it"], ["it"], "it")]
    assert fields_of(api, "blog")["title"] == {"en": "My title", "it": "Il mio titolo"}


def test_adding_a_locale_means_sending_every_localized_field(api: httpx.Client) -> None:
    response = api.put("/items/blog", json=changed_item(
        "blog",
        title={"en": "My title", "it": "Il mio titolo", "de": "Mein Titel"},
        content={"en": "Article content", "it": "Contenuto articolo", "de": "Artikelinhalt"},
    ))  # fmt: skip
    assert response.status_code == 200
    assert response.json()["data"]["attributes"]["content"] == {
        "en": "Article content", "it": "Contenuto articolo", "de": "Artikelinhalt"
    }  # fmt: skip
    assert response.json()["data"]["attributes"]["votes_count"] == 10


def test_removing_a_locale(api: httpx.Client, emulator: Emulator) -> None:
    response = api.put("/items/guide", json=changed_item(
        "guide", title={"en": "Guide"}, content_blocks={"en": ["en-one", "en-two"]},
    ))  # fmt: skip
    assert response.status_code == 200
    assert emulator.store.state.records["guide"].current.locales == ("en",)
    assert "it-one" not in emulator.store.state.records["guide"].current.blocks


def test_a_block_of_one_locale_changes_and_the_others_stay(
    api: httpx.Client, emulator: Emulator
) -> None:
    response = api.put("/items/guide", json=changed_item("guide", content_blocks={
        "en": [{"id": "en-one", "type": "item", "attributes": {"title": "Updated English"}},
               "en-two"],
        "it": ["it-one"],
    }))  # fmt: skip
    assert response.status_code == 200
    blocks = emulator.store.state.records["guide"].current.blocks
    assert blocks["en-one"].fields["title"] == "Updated English"
    assert blocks["it-one"].fields["title"] == "Italiano uno"


# -- Rule 3: tokens limited to some locales ---------------------------------------------------


def with_token(api: httpx.Client, token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_a_limited_token_updates_its_locales_and_keeps_the_others(api: httpx.Client) -> None:
    response = api.put(
        "/items/guide",
        json=changed_item("guide", title={"it": "Guida nuova"}, content_blocks={"it": ["it-one"]}),
        headers=with_token(api, ITALIAN_TOKEN),
    )  # fmt: skip
    assert response.status_code == 200
    assert response.json()["data"]["attributes"]["title"] == {"en": "Guide", "it": "Guida nuova"}
    assert response.json()["data"]["attributes"]["content_blocks"] == {
        "en": ["en-one", "en-two"], "it": ["it-one"]
    }  # fmt: skip


@pytest.mark.parametrize(
    ("sent", "final"),
    [
        ({"it": "Ciao"}, {"en": "My title", "it": "Ciao"}),  # English preserved
        ({"it": "Ciao", "fr": "Salut"}, {"en": "My title", "it": "Ciao", "fr": "Salut"}),
        ({"fr": "Salut"}, {"en": "My title", "fr": "Salut"}),  # Italian removed, French added
    ],
)
def test_the_update_scenarios_of_a_limited_token(
    api: httpx.Client, sent: dict[str, str], final: dict[str, str]
) -> None:
    response = api.put(
        "/items/blog",
        json=changed_item("blog", title=sent, content=dict.fromkeys(sent, "x")),
        headers=with_token(api, ITALIAN_TOKEN),
    )  # fmt: skip
    assert response.status_code == 200, response.text
    assert response.json()["data"]["attributes"]["title"] == final


def test_a_limited_token_cannot_write_other_locales(api: httpx.Client, emulator: Emulator) -> None:
    response = api.put(
        "/items/blog", json=changed_item("blog", title={"en": "No", "it": "No"}),
        headers=with_token(api, ITALIAN_TOKEN),
    )  # fmt: skip
    assert response.status_code == 403
    assert error(response) == api_error(
        "INSUFFICIENT_PERMISSIONS",
        "This API token may only write the locales fr, it; field 'title' sends en. Send only "
        "the locales the token manages: the others are kept as they are.",
        field="title",
        locales=["en"],
    )
    created = api.post("/items", json=new_item("pet", emulator, name={"en": "x"}),
                       headers=with_token(api, ITALIAN_TOKEN))  # fmt: skip
    assert error(created)["code"] == "INSUFFICIENT_PERMISSIONS"
    assert ITALIAN_TOKEN not in response.text
