"""The reader-letter form: built from the ``letter`` model, CSRF-protected, creating drafts.

Against the embedded emulator (no token at all: ``datocms_app.cma`` writes to it through the
emulator app's offline CMA). A letter is a draft record: visible through the CMA and the
CDA with drafts, never through the published CDA. Refusals of the CMA become form errors
when they name a field, else an error page in the magazine's layout that gives the letter
back — never a traceback.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client, override_settings

from datocms_app import cda, cma
from datocms_app.emulator import Fault
from datocms_app.emulator.embedded import get_emulator, reset_emulator
from tests.demo_content import DEMO_CONTENT_DIR, demo_datocms

FORM = "/articles/crossing-the-alps-on-foot/letter/"
SENT = "/articles/crossing-the-alps-on-foot/letter/sent/"
LETTER = {"name": "Maria Rossi", "email": "maria@example.org", "city": "Torino",
          "body": "I walked the same pass last summer.\nThank you for the memories."}  # fmt: skip


@pytest.fixture(autouse=True)
def fresh_content() -> Iterator[None]:
    """Each test starts from the demo content (letters sent by one stay out of the next)."""
    reset_emulator()
    yield
    reset_emulator()


def main(html: str) -> str:
    return html[html.index("<main") : html.index("</main>") + len("</main>")]


def form_of(html: str) -> str:
    found = re.search(r'<form class="letter-form".*?</form>', html, flags=re.DOTALL)
    assert found is not None
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', 'name="csrfmiddlewaretoken"',
                  found.group(0))  # fmt: skip


def token_of(client: Client) -> str:
    page = client.get(FORM).content.decode()
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert found is not None
    return found.group(1)


def letters(version: str = "current") -> list[dict[str, Any]]:
    return list(cma.get_client().items.iterate(type="letter", version=version))


def test_the_form_follows_the_letter_models_validators() -> None:
    response = Client().get(FORM)
    assert response.status_code == 200
    assert response["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"
    html = response.content.decode()
    assert '<meta name="robots" content="noindex">' in html
    assert "<title>A letter about “Crossing the Alps on foot” — The Northern Review</title>" in html
    assert form_of(html) == (
        '<form class="letter-form" method="post" action="/articles/crossing-the-alps-on-foot/'
        'letter/">\n'
        '    <input type="hidden" name="csrfmiddlewaretoken">\n'
        "    \n"
        "    \n"
        '    <div class="form-field">\n'
        '      <label for="id_name">Your name</label>\n'
        '      <input type="text" name="name" maxlength="80" minlength="2" required id="id_name">\n'
        "      \n"
        "    </div>\n"
        "    \n"
        '    <div class="form-field">\n'
        '      <label for="id_email">Email</label>\n'
        '      <input type="email" name="email" maxlength="320" required id="id_email">\n'
        "      \n"
        "    </div>\n"
        "    \n"
        '    <div class="form-field">\n'
        '      <label for="id_city">City <span class="optional">(optional)</span></label>\n'
        '      <input type="text" name="city" maxlength="60" id="id_city">\n'
        "      \n"
        "    </div>\n"
        "    \n"
        '    <div class="form-field">\n'
        '      <label for="id_body">Your letter</label>\n'
        '      <textarea name="body" cols="40" rows="8" maxlength="2000" minlength="20" required '
        'id="id_body">\n'
        "</textarea>\n"
        "      \n"
        "    </div>\n"
        "    \n"
        '    <p class="form-actions">\n'
        '      <button type="submit">Send the letter</button>\n'
        '      <a href="/articles/crossing-the-alps-on-foot/">Back to the article</a>\n'
        "    </p>\n"
        "  </form>"
    )


def test_the_article_links_to_its_letter_form_in_both_languages() -> None:
    english = Client().get("/articles/crossing-the-alps-on-foot/").content.decode()
    assert (
        '<p class="letter-link"><a href="/articles/crossing-the-alps-on-foot/letter/">Write to '
        "the editor about this article</a></p>" in english
    )
    italian = Client().get("/it/articoli/attraversare-le-alpi-a-piedi/lettera/")
    assert italian.status_code == 200
    html = italian.content.decode()
    assert "<h1>Una lettera su «Attraversare le Alpi a piedi»</h1>" in html
    assert '<label for="id_name">Il tuo nome</label>' in html
    assert '<label for="id_city">Città <span class="optional">(facoltativo)</span></label>' in html
    assert '<button type="submit">Invia la lettera</button>' in html
    assert 'hreflang="en" href="http://testserver/articles/crossing-the-alps-on-foot/letter/"' in (
        html
    )


def test_a_letter_becomes_a_draft_record_seen_only_with_drafts() -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post(FORM, {**LETTER, "csrfmiddlewaretoken": token_of(client)})
    assert response.status_code == 303
    assert response["Location"] == SENT
    (letter,) = letters()
    assert {key: letter[key] for key in ("name", "email", "city", "body", "article")} == {
        **LETTER, "article": "alps-crossing",
    }  # fmt: skip
    assert letter["meta"]["status"] == "draft"
    assert letters("published") == []
    query = "{ allLetters { name city article { slug } } }"
    assert cda.query(query) == {"allLetters": []}
    assert get_emulator().execute(query, include_drafts=True).body == {
        "data": {"allLetters": [{"name": "Maria Rossi", "city": "Torino",
                                 "article": {"slug": "crossing-the-alps-on-foot"}}]}
    }  # fmt: skip
    thanks = client.get(SENT)
    assert thanks.status_code == 200
    assert (
        '<p>Your letter about <a href="/articles/crossing-the-alps-on-foot/">Crossing the Alps on '
        "foot</a> reached the editors. They read every letter; the ones they print appear in the "
        "magazine.</p>" in thanks.content.decode()
    )


def test_a_post_without_the_csrf_token_is_refused() -> None:
    response = Client(enforce_csrf_checks=True).post(FORM, LETTER)
    assert response.status_code == 403
    assert letters() == []


def test_the_schemas_rules_are_form_errors() -> None:
    response = Client().post(FORM, {"name": "M", "email": "not-an-address", "city": "x" * 61,
                                     "body": "Too short."})  # fmt: skip
    assert response.status_code == 400
    html = main(response.content.decode())
    pattern = (
        r'<div id="id_(\w+)_errors" class="field-errors" role="alert">'
        r'<ul class="errorlist" id="id_\w+_error"><li>(.*?)</li>'
    )
    errors = re.findall(pattern, html)
    assert errors == [
        ("name", "Ensure this value has at least 2 characters (it has 1)."),
        ("email", "Enter a valid email address."),
        ("city", "Ensure this value has at most 60 characters (it has 61)."),
        ("body", "Ensure this value has at least 20 characters (it has 10)."),
    ]
    assert 'value="not-an-address"' in html
    italian = Client().post("/it/articoli/attraversare-le-alpi-a-piedi/lettera/", {})
    assert italian.status_code == 400
    assert italian.content.decode().count("Questo campo è obbligatorio.") == 3
    assert letters() == []


def test_a_failing_cma_shows_an_error_page_that_gives_the_letter_back() -> None:
    get_emulator().cma.faults.push(Fault.server_error(500))
    response = Client().post(FORM, LETTER)
    assert response.status_code == 502
    html = main(response.content.decode())
    assert "<h1>Your letter could not be sent</h1>" in html
    assert (
        "<p>DatoCMS, where the magazine keeps its letters, refused it (<code>EXCEPTION</code>).</p>"
        in html
    )
    assert (
        '<dl class="letter-copy"><dt>Your name</dt><dd>Maria Rossi</dd><dt>Email</dt>'
        "<dd>maria@example.org</dd><dt>City</dt><dd>Torino</dd><dt>Your letter</dt><dd>I walked "
        "the same pass last summer.<br>Thank you for the memories.</dd></dl>" in html
    )
    assert "Traceback" not in html
    get_emulator().cma.faults.push(Fault.disconnect())
    unreachable = Client().post(FORM, LETTER)
    assert unreachable.status_code == 503
    assert (
        "<p>The magazine could not reach DatoCMS, where it keeps its letters. Please try again in "
        "a few minutes.</p>" in unreachable.content.decode()
    )
    assert letters() == []


@pytest.fixture
def strict_city(tmp_path: Path) -> Iterator[None]:
    """The demo content, its letters' ``city`` limited to an ``enum`` the form does not know."""
    content = tmp_path / "content"
    shutil.copytree(DEMO_CONTENT_DIR, content, ignore=shutil.ignore_patterns("*.py"))
    schema = json.loads((content / "schema.json").read_text())
    (letter,) = [model for model in schema["models"] if model["api_key"] == "letter"]
    (city,) = [field for field in letter["fields"] if field["api_key"] == "city"]
    city["validators"]["enum"] = {"values": ["Torino", "Oslo"]}
    (content / "schema.json").write_text(json.dumps(schema))
    with override_settings(DATOCMS=demo_datocms(EMULATOR={"CONTENT_DIR": str(content),
                                                          "PREPARE": None})):  # fmt: skip
        reset_emulator()
        yield


def test_a_cma_refusal_naming_a_field_is_an_error_on_that_field(strict_city: None) -> None:
    response = Client().post(FORM, {**LETTER, "city": "Bergen"})
    assert response.status_code == 400
    assert re.findall(r'<div id="id_(\w+)_errors".*?<li>(.*?)</li>', response.content.decode()) == [
        ("city", "DatoCMS did not accept this value (VALIDATION_ENUM).")
    ]
    assert letters() == []
    assert Client().post(FORM, LETTER).status_code == 303


def test_no_letter_model_is_an_error_page_not_a_traceback(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(DEMO_CONTENT_DIR, content, ignore=shutil.ignore_patterns("*.py"))
    schema = json.loads((content / "schema.json").read_text())
    schema["models"] = [model for model in schema["models"] if model["api_key"] != "letter"]
    (content / "schema.json").write_text(json.dumps(schema))
    with override_settings(DATOCMS=demo_datocms(EMULATOR={"CONTENT_DIR": str(content),
                                                          "PREPARE": None})):  # fmt: skip
        reset_emulator()
        response = Client().get(FORM)
    assert response.status_code == 503
    assert (
        "<p>This site does not take letters yet: it is not connected to the place where it "
        "keeps them.</p>" in response.content.decode()
    )
