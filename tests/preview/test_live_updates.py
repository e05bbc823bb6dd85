"""Live updates, server side: the recorded queries, the signed description in the page, and
the endpoint that registers their channels (against ``FakeRealtime`` as ``LISTEN_URL``).

No token may reach the page or the description: both are searched for every token and
secret the site holds, the description decoded.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.core import signing
from django.test import Client, RequestFactory, override_settings

from datocms_app.exceptions import InvalidArgument
from datocms_app.preview.cookies import COOKIE_NAME
from datocms_app.preview.live_updates import render_live_updates
from datocms_app.preview.recording import MAX_RECORDED_QUERIES, RecordedQuery, record_queries
from datocms_app.preview.signing import DESCRIPTION_SALT
from tests.caching.fake_cda import FakeCDA
from tests.preview.conftest import SECRET
from tests.preview.fake_realtime import FakeRealtime
from tests.preview.site import ITEMS, NAV

ENDPOINT = "/datocms/live-updates/"
SCRIPT = re.compile(
    r'<script src="/static/datocms/live-updates\.js" defer data-datocms-live-updates '
    r'data-endpoint="/datocms/live-updates/" data-description="(?P<description>[^"]+)" '
    r'data-channels="(?P<channels>\d+)" data-digest="(?P<digest>[0-9a-f]{16})" '
    r'data-mode="(?P<mode>\w+)" data-refresh-delay="(?P<delay>\d+)"></script>\n\Z'
)


@pytest.fixture
def realtime() -> Iterator[FakeRealtime]:
    with FakeRealtime().running() as fake:
        yield fake


@pytest.fixture
def site(content: FakeCDA, realtime: FakeRealtime) -> Iterator[dict[str, Any]]:
    conf = content.settings(
        PREVIEW_SECRET=SECRET, PREVIEW_API_TOKEN="preview-token", LISTEN_URL=realtime.url
    )
    with override_settings(DATOCMS=conf, ROOT_URLCONF="tests.preview.site"):
        yield conf


def editor() -> Client:
    client = Client()
    client.get("/datocms/draft-mode/enable/", {"token": SECRET})
    return client


def script_of(page: str) -> dict[str, str]:
    """The live-updates script element's attributes (the page ends with it)."""
    match = SCRIPT.search(page)
    assert match is not None, page
    return match.groupdict()


def decoded(description: str) -> Any:
    return signing.loads(description, salt=DESCRIPTION_SALT)


SECRETS = ("fake-token", "preview-token", SECRET, "tests-only-secret-key")


def query_entry(query: str, variables: Any, drafts: bool) -> dict[str, Any]:
    return {
        "query": query,
        "variables": variables,
        "environment": None,
        "include_drafts": drafts,
        "exclude_invalid": False,
    }


# -- the page -----------------------------------------------------------------------------------


@pytest.mark.usefixtures("site")
@pytest.mark.parametrize("path", ["/page/", "/async/"])
def test_a_draft_page_describes_its_queries_without_any_token(path: str) -> None:
    page = editor().get(path).content.decode()
    script = script_of(page)
    assert script["channels"] == "2"
    assert script["mode"] == "reload"
    assert script["delay"] == "0"
    items = {"first": 2} if path == "/page/" else {"first": 2, "skip": 0}
    assert decoded(script["description"]) == {
        "v": 1,
        "queries": [query_entry(NAV, None, True), query_entry(ITEMS, items, True)],
    }
    for secret in SECRETS:
        assert secret not in page
        assert secret not in json.dumps(decoded(script["description"]))


@pytest.mark.usefixtures("site")
def test_visitors_get_no_live_updates_by_default() -> None:
    assert "live-updates" not in Client().get("/page/").content.decode()


@pytest.mark.usefixtures("site")
def test_with_live_updates_for_everyone_visitors_follow_published_queries(
    site: dict[str, Any],
) -> None:
    with override_settings(DATOCMS={**site, "LIVE_UPDATES": "always"}):
        client = Client()
        first = client.get("/page/?mode=swap")
        hit = client.get("/page/?mode=swap")
    assert hit["X-DatoCMS-Cache"] in ("HIT", "BYPASS")
    script = script_of(first.content.decode())
    assert script["mode"] == "swap"
    assert script["delay"] == "1000"
    assert [q["include_drafts"] for q in decoded(script["description"])["queries"]] == [
        False,
        False,
    ]


@pytest.mark.usefixtures("site")
def test_the_cached_page_keeps_its_description(site: dict[str, Any]) -> None:
    with override_settings(DATOCMS={**site, "LIVE_UPDATES": "always"}):
        client = Client()
        first = client.get("/page/")
        hit = client.get("/page/")
    assert first["X-DatoCMS-Cache"] == "MISS"
    assert hit["X-DatoCMS-Cache"] == "HIT"
    assert hit.content == first.content


@pytest.mark.usefixtures("site")
def test_no_script_when_live_updates_are_off_or_the_page_ran_no_query(
    site: dict[str, Any],
) -> None:
    with override_settings(DATOCMS={**site, "LIVE_UPDATES": "off"}):
        assert "live-updates" not in editor().get("/page/").content.decode()
    assert "live-updates" not in editor().get("/empty/").content.decode()


def test_no_script_without_anywhere_to_register() -> None:
    request = RequestFactory().get("/")
    request.datocms_draft = True  # type: ignore[attr-defined]
    with override_settings(DATOCMS={"PREVIEW_SECRET": SECRET}), record_queries() as recorder:
        recorder._queries["k"] = RecordedQuery("{ a }", None, None, True, False)
        assert render_live_updates(request) == ""


def test_an_unknown_mode_is_refused() -> None:
    with pytest.raises(InvalidArgument) as caught:
        render_live_updates(None, mode="morph")
    assert str(caught.value) == "mode must be one of ('reload', 'swap'), got 'morph'."


def test_the_recorder_keeps_distinct_queries_of_its_endpoint_up_to_a_limit(
    content: FakeCDA,
) -> None:
    from datocms_app import cda

    content.content["{ other }"] = ({"other": 1}, ["t"])
    with override_settings(DATOCMS=content.settings()):
        with record_queries(endpoint=content.url) as recorder:
            cda.query(NAV)
            cda.query(ITEMS, {"first": 1, "skip": 0})
            cda.query(ITEMS, {"skip": 0, "first": 1})  # the same variables
            cda.query(NAV, include_drafts=True)
        with record_queries(endpoint="https://graphql.datocms.com/") as elsewhere:
            cda.query(NAV)
        with record_queries() as many:
            for n in range(MAX_RECORDED_QUERIES + 3):
                cda.query(ITEMS, {"first": n})
    assert [(q.query, q.variables, q.include_drafts) for q in recorder.queries] == [
        (NAV, None, False),
        (ITEMS, {"first": 1, "skip": 0}, False),
        (NAV, None, True),
    ]
    assert elsewhere.queries == ()
    assert len(many.queries) == MAX_RECORDED_QUERIES
    assert many.dropped == 3


# -- the endpoint -------------------------------------------------------------------------------


def post(client: Client, body: Any, **extra: Any) -> Any:
    content = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post(ENDPOINT, content, content_type="application/json", **extra)


def answer(response: Any) -> Any:
    assert response["Content-Type"] == "application/json"
    # "private, no-store" in draft mode (the middleware's), "no-store" otherwise
    assert response["Cache-Control"] in ("no-store", "private, no-store")
    return json.loads(response.content)


def draft_description(client: Client) -> str:
    return script_of(client.get("/page/").content.decode())["description"]


@pytest.mark.usefixtures("site")
def test_the_endpoint_registers_each_query_with_the_preview_token(
    realtime: FakeRealtime,
) -> None:
    client = editor()
    description = draft_description(client)
    first = post(client, {"description": description, "channel": 0})
    second = post(client, {"description": description, "channel": 1})
    assert first.status_code == 200
    assert answer(first) == {"url": f"{realtime.url}channels/1"}
    assert answer(second) == {"url": f"{realtime.url}channels/2"}
    assert [r["body"] for r in realtime.registrations] == [
        {"query": NAV},
        {"query": ITEMS, "variables": {"first": 2}},
    ]
    for registration in realtime.registrations:
        assert registration["headers"]["authorization"] == "Bearer preview-token"
        assert registration["headers"]["x-include-drafts"] == "true"


@pytest.mark.usefixtures("site")
def test_a_draft_description_needs_draft_mode() -> None:
    description = draft_description(editor())
    response = post(Client(), {"description": description, "channel": 0})
    assert response.status_code == 403
    assert answer(response) == {
        "ok": False,
        "error": "not_in_draft_mode",
        "message": "This browser is not in draft mode (its cookie expired or was cleared): "
        "reload the page, or turn draft mode on again from DatoCMS.",
    }


@pytest.mark.usefixtures("site")
def test_a_draft_description_expires_and_a_public_one_does_not(
    site: dict[str, Any], realtime: FakeRealtime
) -> None:
    client = editor()
    with override_settings(DATOCMS={**site, "LIVE_UPDATES": "always"}):
        draft = draft_description(client)
        public = script_of(Client().get("/page/").content.decode())["description"]
    time.sleep(2.1)  # the signature's timestamp has a resolution of one second
    with override_settings(DATOCMS={**site, "LIVE_UPDATES": "always", "LIVE_UPDATES_MAX_AGE": 1}):
        expired = post(client, {"description": draft, "channel": 0})
        kept = post(Client(), {"description": public, "channel": 0})
    assert expired.status_code == 410
    assert answer(expired) == {
        "ok": False,
        "error": "expired_description",
        "message": "The description is older than 1 s (DATOCMS['LIVE_UPDATES_MAX_AGE']): reload "
        "the page for a fresh one.",
    }
    assert kept.status_code == 200
    [registration] = realtime.registrations
    assert registration["headers"]["authorization"] == "Bearer fake-token"
    assert "x-include-drafts" not in registration["headers"]


@pytest.mark.usefixtures("site")
def test_in_draft_only_mode_a_public_description_needs_draft_mode(site: dict[str, Any]) -> None:
    with override_settings(DATOCMS={**site, "LIVE_UPDATES": "always"}):
        public = script_of(Client().get("/page/").content.decode())["description"]
    response = post(Client(), {"description": public, "channel": 0})
    assert response.status_code == 403
    assert answer(response)["error"] == "not_in_draft_mode"


def _tampered(description: str) -> str:
    return description[:-2] + ("AA" if not description.endswith("AA") else "BB")


@pytest.mark.usefixtures("site")
@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            "{",
            'Expected {"description": "<the page\'s description>", "channel": <number>}: '
            "the body is not JSON.",
        ),
        (
            {"description": "x"},
            'Expected {"description": "<the page\'s description>", '
            '"channel": <number>}: channel: Field required.',
        ),
        (
            {"description": "x", "channel": "0"},
            'Expected {"description": "<the page\'s '
            'description>", "channel": <number>}: channel: Input should be a valid integer '
            "(got str '0').",
        ),
        (
            {"description": "x", "channel": -1},
            'Expected {"description": "<the page\'s '
            'description>", "channel": <number>}: channel: Input should be greater than or equal '
            "to 0 (got int -1).",
        ),
        (
            {"description": "x", "channel": 0, "query": "{ all }"},
            'Expected {"description": '
            '"<the page\'s description>", "channel": <number>}: query: unknown key.',
        ),
        (
            {"description": "not-signed", "channel": 0},
            "The description was not signed by this site (or was changed since).",
        ),
        ("TAMPERED", "The description was not signed by this site (or was changed since)."),
        ("OTHER_SALT", "The description was not signed by this site (or was changed since)."),
        ("WRONG_SHAPE", "The description is not in this site's format."),
        ("NO_QUERY", "The description names no query."),
        (
            "BAD_QUERY",
            "A query of the description is not what this site records: expected the "
            "keys ['environment', 'exclude_invalid', 'include_drafts', 'query', 'variables'] with "
            "their types.",
        ),
        ("CHANNEL_5", "The description has 2 queries, numbered from 0."),
    ],
)
def test_bodies_that_are_not_the_script_s_are_400(body: Any, message: str) -> None:
    client = editor()
    description = draft_description(client)
    bodies = {
        "TAMPERED": {"description": _tampered(description), "channel": 0},
        "OTHER_SALT": {"description": signing.dumps({"v": 1, "queries": []}), "channel": 0},
        "WRONG_SHAPE": {"description": signing.dumps([1], salt=DESCRIPTION_SALT), "channel": 0},
        "NO_QUERY": {
            "description": signing.dumps({"v": 1, "queries": []}, salt=DESCRIPTION_SALT),
            "channel": 0,
        },
        "BAD_QUERY": {
            "description": signing.dumps(
                {"v": 1, "queries": [{"query": 1}]}, salt=DESCRIPTION_SALT
            ),
            "channel": 0,
        },
        "CHANNEL_5": {"description": description, "channel": 5},
    }
    response = post(client, bodies.get(body, body) if isinstance(body, str) else body)
    assert response.status_code == 400
    assert answer(response) == {"ok": False, "error": "invalid_body", "message": message}


@pytest.mark.usefixtures("site")
def test_the_draft_mode_cookie_is_no_description() -> None:
    client = editor()
    cookie = client.cookies[COOKIE_NAME].value
    response = post(client, {"description": cookie, "channel": 0})
    assert response.status_code == 400


@pytest.mark.usefixtures("site")
@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({"HTTP_SEC_FETCH_SITE": "cross-site"}, 403),
        ({"HTTP_SEC_FETCH_SITE": "same-site"}, 403),
        ({"HTTP_ORIGIN": "https://evil.example"}, 403),
        ({"HTTP_ORIGIN": "http://testserver.evil.example"}, 403),
        ({"HTTP_ORIGIN": "null"}, 403),
        ({"HTTP_SEC_FETCH_SITE": "same-origin", "HTTP_ORIGIN": "http://testserver"}, 200),
        ({}, 200),
    ],
)
def test_cross_site_requests_are_refused(headers: dict[str, str], status: int) -> None:
    client = editor()
    response = post(client, {"description": draft_description(client), "channel": 0}, **headers)
    assert response.status_code == status
    if status == 403:
        assert answer(response) == {
            "ok": False,
            "error": "cross_site",
            "message": "The live-updates endpoint answers the site's own pages only.",
        }


@pytest.mark.usefixtures("site")
def test_other_refusals(site: dict[str, Any]) -> None:
    client = editor()
    body = json.dumps({"description": draft_description(client), "channel": 0})
    form = client.post(ENDPOINT, body, content_type="text/plain")
    assert (form.status_code, answer(form)["error"]) == (415, "unsupported_media_type")
    get = client.get(ENDPOINT)
    assert (get.status_code, get["Allow"], answer(get)["error"]) == (
        405,
        "POST",
        "method_not_allowed",
    )
    large = post(client, {"description": "x" * 300_000, "channel": 0})
    assert (large.status_code, answer(large)["error"]) == (413, "payload_too_large")
    with override_settings(DATOCMS={**site, "LIVE_UPDATES": "off"}):
        off = post(client, body)
    assert (off.status_code, answer(off)["error"]) == (404, "live_updates_off")


@pytest.mark.usefixtures("site")
@pytest.mark.parametrize(
    ("status", "body", "ours", "error", "message"),
    [
        (
            401,
            {
                "data": [
                    {
                        "id": "1",
                        "type": "api_error",
                        "attributes": {"code": "INVALID_AUTHORIZATION_HEADER", "details": {}},
                    }
                ]
            },
            502,
            "listen_refused",
            "answered HTTP 401 INVALID_AUTHORIZATION_HEADER.",
        ),
        (
            503,
            {"oops": True},
            503,
            "listen_unavailable",
            "answered HTTP 503, not the Real-time Updates API's answer (a proxy, or the wrong "
            "LISTEN_URL?).",
        ),
    ],
)
def test_listen_failures_become_502_or_503(
    realtime: FakeRealtime, status: int, body: Any, ours: int, error: str, message: str
) -> None:
    client = editor()
    description = draft_description(client)
    realtime.answer_with = (status, body)
    response = post(client, {"description": description, "channel": 0})
    assert response.status_code == ours
    assert answer(response) == {
        "ok": False,
        "error": error,
        "message": f"The Real-time Updates API at {realtime.url} {message}",
    }
    assert "preview-token" not in response.content.decode()
