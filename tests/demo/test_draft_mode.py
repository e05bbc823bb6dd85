"""Draft mode on the demo: its drafts show to editors only, under the banner, in their language,
and the Web Previews plugin's links point at the demo's localized URLs."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from django.conf import settings
from django.test import Client, override_settings

SECRET = "demo-preview-secret"
DRAFT_ONLY = "/it/articoli/il-treno-notte-per-palermo/"


@pytest.fixture(autouse=True)
def preview_secret() -> Iterator[None]:
    with override_settings(DATOCMS={**settings.DATOCMS, "PREVIEW_SECRET": SECRET}):
        yield


def test_a_draft_shows_in_draft_mode_only_with_the_banner_in_the_page_s_language() -> None:
    client = Client()
    assert client.get(DRAFT_ONLY).status_code == 404
    client.get("/datocms/draft-mode/enable/", {"token": SECRET, "redirect": DRAFT_ONLY})
    response = client.get(DRAFT_ONLY)
    page = response.content.decode()
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert "Il treno notte per Palermo" in page
    assert (
        "Modalità bozza: stai vedendo contenuti non pubblicati. "
        '<a href="/datocms/draft-mode/disable/?redirect=%2Fit%2Farticoli%2Fil-treno-notte-per-'
        'palermo%2F" style="color:inherit;font-weight:600">Esci dalla modalità bozza</a>'
    ) in page
    client.get("/datocms/draft-mode/disable/", {"redirect": DRAFT_ONLY})
    assert client.get(DRAFT_ONLY).status_code == 404


@pytest.mark.parametrize(
    ("locale", "path"),
    [
        ("en", "%2Farticles%2Fthe-night-train-to-palermo%2F"),
        ("it", "%2Fit%2Farticoli%2Fil-treno-notte-per-palermo%2F"),
    ],
)
def test_preview_links_use_the_demo_s_resolver_in_the_editor_s_locale(
    locale: str, path: str
) -> None:
    body = {
        "item": {
            "id": "night-train",
            "type": "item",
            "attributes": {
                "title": {"en": "The night train to Palermo", "it": "Il treno notte per Palermo"},
                "slug": {"en": "the-night-train-to-palermo", "it": "il-treno-notte-per-palermo"},
            },
            "meta": {"status": "draft"},
        },
        "itemType": {"id": "article", "type": "item_type", "attributes": {"api_key": "article"}},
        "locale": locale,
        "environmentId": "main",
    }
    response = Client().post(
        f"/datocms/preview-links/?token={SECRET}", json.dumps(body), content_type="application/json"
    )
    assert json.loads(response.content) == {
        "previewLinks": [
            {
                "label": "Draft version",
                "url": f"http://testserver/datocms/draft-mode/enable/?redirect={path}&token={SECRET}",
            }
        ]
    }
