"""The Web Previews plugin's Preview Links API: the plugin's body in, the exact answer out.

Bodies are shaped as the plugin sends them (``datocms/plugins``, web-previews
``src/utils/common.ts``: ``item``, ``itemType``, ``environmentId``, ``locale``,
``currentUser``, ``siteId``, JSON-encoded with two-space indentation), for a magazine's models
and the test site's ``RECORD_URL_RESOLVER`` (``tests.preview.site.record_url``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client, override_settings

from datocms_app.preview.links import Item, cma_record_view
from tests.preview.conftest import SECRET

ENDPOINT = f"/datocms/preview-links/?token={SECRET}"
SITE = {"PREVIEW_SECRET": SECRET, "RECORD_URL_RESOLVER": "tests.preview.site.record_url"}
CORS = {"Access-Control-Allow-Origin": "*"}


def article(status: str | None = "updated", **attributes: Any) -> dict[str, Any]:
    """The plugin's body for the article "Crossing the Alps on foot"."""
    return {
        "item": {
            "id": "alps",
            "type": "item",
            "attributes": {
                "title": {"en": "Crossing the Alps on foot", "it": "Attraversare le Alpi a piedi"},
                "slug": {"en": "crossing-the-alps-on-foot", "it": "attraversare-le-alpi-a-piedi"},
                "published_at": "2024-09-01T08:00:00Z",
                "cover_image": {"upload_id": "hero-alps", "alt": None},
                "author": "ada",
                **attributes,
            },
            "relationships": {
                "item_type": {"data": {"id": "article-model", "type": "item_type"}},
                "creator": {"data": {"id": "42", "type": "user"}},
            },
            "meta": {
                "created_at": "2024-09-01T08:00:00Z",
                "status": status,
                "is_valid": True,
                "current_version": "v2",
            },
        },
        "itemType": {
            "id": "article-model",
            "type": "item_type",
            "attributes": {"name": "Article", "api_key": "article", "singleton": False},
        },
        "environmentId": "main",
        "locale": "en",
        "currentUser": {"id": "42", "type": "user", "attributes": {"email": "ed@example.com"}},
        "siteId": "123",
    }


@pytest.fixture(autouse=True)
def site() -> Iterator[None]:
    with override_settings(DATOCMS=SITE):
        yield


def post(body: Any, url: str = ENDPOINT, **extra: Any) -> Any:
    content = body if isinstance(body, str | bytes) else json.dumps(body, indent=2)
    return Client().post(url, content, content_type="application/json", **extra)


def answer(response: Any) -> Any:
    assert response["Content-Type"] == "application/json"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Cache-Control"] == "no-store"
    return json.loads(response.content)


DRAFT_LINK = {
    "label": "Draft version",
    "url": "http://testserver/datocms/draft-mode/enable/"
    f"?redirect=%2Farticles%2Fcrossing-the-alps-on-foot%2F&token={SECRET}",
}
PUBLISHED_LINK = {
    "label": "Published version",
    "url": "http://testserver/datocms/draft-mode/disable/"
    "?redirect=%2Farticles%2Fcrossing-the-alps-on-foot%2F",
}


@pytest.mark.parametrize(
    ("status", "links"),
    [
        ("updated", [DRAFT_LINK, PUBLISHED_LINK]),
        ("draft", [DRAFT_LINK]),
        ("published", [PUBLISHED_LINK]),
        (None, [DRAFT_LINK, PUBLISHED_LINK]),
    ],
)
def test_links_follow_the_record_status(status: str | None, links: list[dict[str, str]]) -> None:
    response = post(article(status))
    assert response.status_code == 200
    assert answer(response) == {"previewLinks": links}


def test_links_are_in_the_editor_s_locale() -> None:
    response = post({**article("published"), "locale": "it"})
    assert answer(response) == {
        "previewLinks": [
            {
                "label": "Published version",
                "url": "http://testserver/datocms/draft-mode/disable/"
                "?redirect=%2Fit%2Farticles%2Fattraversare-le-alpi-a-piedi%2F",
            }
        ]
    }


def test_links_use_the_base_url_setting_behind_a_proxy() -> None:
    with override_settings(DATOCMS={**SITE, "PREVIEW_BASE_URL": "https://www.example.com/"}):
        response = post(article("published"), secure=False)
    assert answer(response)["previewLinks"][0]["url"] == (
        "https://www.example.com/datocms/draft-mode/disable/"
        "?redirect=%2Farticles%2Fcrossing-the-alps-on-foot%2F"
    )


def test_https_requests_get_https_links() -> None:
    response = post(article("draft"), secure=True)
    assert answer(response)["previewLinks"][0]["url"].startswith(
        "https://testserver/datocms/draft-mode/enable/?"
    )


def test_without_live_updates_the_draft_link_asks_the_plugin_to_reload() -> None:
    with override_settings(DATOCMS={**SITE, "LIVE_UPDATES": "off"}):
        response = post(article("draft"))
    assert answer(response) == {
        "previewLinks": [{**DRAFT_LINK, "reloadPreviewOnRecordUpdate": {"delayInMs": 100}}]
    }


@pytest.mark.parametrize(
    ("model", "attributes", "links"),
    [
        # A model without pages, and an article whose slug has no value in the locale.
        ("quote_block", {}, []),
        ("article", {"slug": {"en": None, "it": "x"}}, []),
        # The home singleton is the home page.
        (
            "home",
            {},
            [
                {
                    "label": "Published version",
                    "url": "http://testserver/datocms/draft-mode/disable/?redirect=%2F",
                }
            ],
        ),
    ],
)
def test_each_model_links_to_its_page_if_it_has_one(
    model: str, attributes: dict[str, Any], links: list[Any]
) -> None:
    body = article("published", **attributes)
    body["itemType"]["attributes"]["api_key"] = model
    assert answer(post(body)) == {"previewLinks": links}


def test_the_preflight_allows_the_plugin() -> None:
    response = Client().options(
        ENDPOINT,
        HTTP_ORIGIN="https://plugins-cdn.datocms.com",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="content-type,x-custom-header",
        HTTP_ACCESS_CONTROL_REQUEST_PRIVATE_NETWORK="true",
    )
    assert response.status_code == 204
    assert response.content == b""
    assert {name: response[name] for name in response.headers if name.startswith("Access")} == {
        "Access-Control-Allow-Origin": "*",
        "Access-Control-Allow-Methods": "POST, OPTIONS",
        "Access-Control-Allow-Headers": "content-type,x-custom-header",
        "Access-Control-Max-Age": "86400",
        "Access-Control-Allow-Private-Network": "true",
    }


def test_the_preflight_never_echoes_what_is_not_a_header_list() -> None:
    response = Client().options(
        ENDPOINT, HTTP_ACCESS_CONTROL_REQUEST_HEADERS="content-type\r\nSet-Cookie: x=1"
    )
    assert response["Access-Control-Allow-Headers"] == "Content-Type"
    assert "Access-Control-Allow-Private-Network" not in response


@pytest.mark.parametrize("url", ["/datocms/preview-links/", "/datocms/preview-links/?token=nope"])
def test_a_wrong_token_is_401(url: str) -> None:
    response = post(article(), url)
    assert response.status_code == 401
    assert answer(response) == {
        "ok": False,
        "error": "invalid_token",
        "message": "The token is missing or wrong: the plugin's Preview Links API endpoint "
        "must end with ?token= and this site's preview secret.",
    }


def test_without_a_secret_previews_are_403() -> None:
    with override_settings(DATOCMS={"RECORD_URL_RESOLVER": "tests.preview.site.record_url"}):
        response = post(article(), "/datocms/preview-links/?token=")
    assert response.status_code == 403
    assert answer(response)["error"] == "preview_off"


@pytest.mark.parametrize("method", ["get", "put", "delete"])
def test_other_methods_are_405(method: str) -> None:
    response = getattr(Client(), method)(ENDPOINT)
    assert response.status_code == 405
    assert response["Allow"] == "POST, OPTIONS"
    assert answer(response)["error"] == "method_not_allowed"


def _without(body: dict[str, Any], *path: str) -> dict[str, Any]:
    node = body
    for key in path[:-1]:
        node = node[key]
    del node[path[-1]]
    return body


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            "not json",
            "The body is not JSON: the Web Previews plugin sends the record as a JSON object.",
        ),
        ("[1, 2]", "The body must be a JSON object with item, itemType and locale, got list."),
        (
            "[" * 5000 + "]" * 5000,
            "The body is not JSON: the Web Previews plugin sends the record as a JSON object.",
        ),
        (
            _without(article(), "item", "meta", "status"),
            "Not a Web Previews plugin body: item.meta.status: Field required.",
        ),
        (
            _without(article(), "itemType"),
            "Not a Web Previews plugin body: itemType: Field required.",
        ),
        (_without(article(), "locale"), "Not a Web Previews plugin body: locale: Field required."),
        (
            {**article(), "item": {**article()["item"], "type": "upload"}},
            "Not a Web Previews plugin body: item.type: Input should be 'item' (got str 'upload').",
        ),
        (
            {**article(), "itemType": {"id": "m", "attributes": {"api_key": "Bad Key"}}},
            "Not a Web Previews plugin body: itemType.attributes.api_key: String should match "
            "pattern '^[a-z][a-z0-9_]*$' (got str 'Bad Key').",
        ),
        (
            {
                **article(),
                "itemType": {"id": "another-model", "attributes": {"api_key": "article"}},
            },
            "Not a Web Previews plugin body: body: item.relationships.item_type is "
            "'article-model' but itemType.id is 'another-model': they must name the same model.",
        ),
        (
            {**article("pending")},
            "Not a Web Previews plugin body: item.meta.status: Input should be 'draft', 'updated' "
            "or 'published' (got str 'pending').",
        ),
    ],
)
def test_a_malformed_body_is_400_saying_what_is_wrong(body: Any, message: str) -> None:
    response = post(body)
    assert response.status_code == 400
    assert answer(response) == {"ok": False, "error": "invalid_body", "message": message}


def test_a_body_too_large_is_413() -> None:
    body = article(title={"en": "x" * (2 * 1024 * 1024)})
    response = post(body)
    assert response.status_code == 413
    assert answer(response)["error"] == "payload_too_large"


def test_a_resolver_returning_a_non_string_is_a_500_that_says_so() -> None:
    with override_settings(DATOCMS={**SITE, "RECORD_URL_RESOLVER": "tests.preview.test_links.bad"}):
        response = post(article())
    assert response.status_code == 500
    assert answer(response)["message"] == (
        "settings.DATOCMS['RECORD_URL_RESOLVER'] returned int; it must return the record's URL "
        "as a string, or None when the record has no page."
    )


def bad(record: Any) -> Any:
    return 42


def test_cma_records_look_like_cda_records_to_the_resolver() -> None:
    item = Item.model_validate(article("updated", hero_title={"en": "Hi", "it": "Ciao"})["item"])
    assert cma_record_view(item, "blog_post", "it") == {
        "__typename": "BlogPostRecord",
        "id": "alps",
        "_modelApiKey": "blog_post",
        "_status": "updated",
        "title": "Attraversare le Alpi a piedi",
        "slug": "attraversare-le-alpi-a-piedi",
        "published_at": "2024-09-01T08:00:00Z",
        "publishedAt": "2024-09-01T08:00:00Z",
        "cover_image": {"upload_id": "hero-alps", "alt": None},
        "coverImage": {"upload_id": "hero-alps", "alt": None},
        "author": "ada",
        "hero_title": "Ciao",
        "heroTitle": "Ciao",
    }
