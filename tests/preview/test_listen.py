"""Registering Real-time Updates channels: exactly the CDA's request, to the listen URL.

``ListenClient`` is tried against ``httpx.MockTransport``; ``register_channel`` against the
loopback ``FakeRealtime`` (``LISTEN_URL`` pointed at it) and through the listen-endpoint hook.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from django.test import override_settings

from datocms_app import __version__
from datocms_app.cda import hooks
from datocms_app.exceptions import ListenError
from datocms_app.preview.listen import ListenClient, register_channel
from datocms_app.preview.recording import RecordedQuery
from tests.preview.fake_realtime import FakeRealtime

QUERY = "query Article($slug: String) { article(filter: {slug: {eq: $slug}}) { title } }"
LISTEN = "https://graphql-listen.datocms.com/"
CHANNEL = "https://graphql-listen.datocms.com/channels/e4dae1a0-146e-4956-90e6-076ca9123eeb"


def client(handler: Any, **options: Any) -> ListenClient:
    return ListenClient(
        api_token="secret-token",
        endpoint=LISTEN,
        transport=httpx.MockTransport(handler),
        **options,
    )


def test_a_registration_is_the_cda_request_posted_to_the_listen_url() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"url": CHANNEL})

    url = client(handler, environment="staging").register(
        QUERY, {"slug": "alps"}, include_drafts=True, exclude_invalid=True
    )
    assert url == CHANNEL
    [request] = seen
    assert request.method == "POST"
    assert str(request.url) == LISTEN
    assert json.loads(request.content) == {"query": QUERY, "variables": {"slug": "alps"}}
    assert (
        request.content
        == json.dumps(
            {"query": QUERY, "variables": {"slug": "alps"}}, separators=(",", ":")
        ).encode()
    )
    sent = {k: v for k, v in request.headers.items() if k not in ("host", "content-length")}
    assert sent == {
        "accept": "application/json",
        "accept-encoding": "gzip, deflate",
        "authorization": "Bearer secret-token",
        "connection": "keep-alive",
        "content-type": "application/json",
        "user-agent": f"datocms-app/{__version__}",
        "x-cache-tags": "true",
        "x-environment": "staging",
        "x-exclude-invalid": "true",
        "x-include-drafts": "true",
    }


def test_options_override_the_client_defaults() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"url": CHANNEL})

    client(handler, include_drafts=True).register(QUERY, include_drafts=False)
    assert "x-include-drafts" not in seen[0].headers
    assert json.loads(seen[0].content) == {"query": QUERY}


@pytest.mark.parametrize(
    ("response", "message", "passing", "code"),
    [
        (
            httpx.Response(
                401,
                json={
                    "data": [
                        {
                            "id": "x",
                            "type": "api_error",
                            "attributes": {"code": "INVALID_AUTHORIZATION_HEADER", "details": {}},
                        }
                    ]
                },
            ),
            f"The Real-time Updates API at {LISTEN} answered HTTP 401 "
            "INVALID_AUTHORIZATION_HEADER.",
            False,
            "INVALID_AUTHORIZATION_HEADER",
        ),
        (
            httpx.Response(
                422,
                json={
                    "data": [
                        {
                            "id": "x",
                            "type": "api_error",
                            "attributes": {
                                "code": "INVALID_FIELD",
                                "details": {"message": "no such field"},
                            },
                        }
                    ]
                },
            ),
            f"The Real-time Updates API at {LISTEN} answered HTTP 422 INVALID_FIELD: "
            "no such field.",
            False,
            "INVALID_FIELD",
        ),
        (
            httpx.Response(503, text="<html>down</html>", headers={"content-type": "text/html"}),
            f"The Real-time Updates API at {LISTEN} answered HTTP 503, not the Real-time "
            "Updates API's answer (a proxy, or the wrong LISTEN_URL?).",
            True,
            "INVALID_RESPONSE",
        ),
        (
            httpx.Response(200, text="<html>portal</html>", headers={"content-type": "text/html"}),
            f"The Real-time Updates API at {LISTEN} answered HTTP 200, not the Real-time "
            "Updates API's answer (a proxy, or the wrong LISTEN_URL?).",
            True,
            "INVALID_RESPONSE",
        ),
        (
            httpx.Response(404, text="not found"),
            f"The Real-time Updates API at {LISTEN} answered HTTP 404, not the Real-time "
            "Updates API's answer (a proxy, or the wrong LISTEN_URL?).",
            False,
            "HTTP_404",
        ),
        (
            httpx.Response(429, json={"error": "slow down"}),
            f"The Real-time Updates API at {LISTEN} answered HTTP 429: rate limited.",
            True,
            "HTTP_429",
        ),
        (
            httpx.Response(200, json={"url": "javascript:alert(1)"}),
            f"The Real-time Updates API at {LISTEN} answered HTTP 200, not the Real-time "
            "Updates API's answer (a proxy, or the wrong LISTEN_URL?).",
            True,
            "INVALID_RESPONSE",
        ),
    ],
)
def test_failed_registrations_say_whether_to_try_again(
    response: httpx.Response, message: str, passing: bool, code: str
) -> None:
    with pytest.raises(ListenError) as caught:
        client(lambda request: response).register(QUERY)
    assert str(caught.value) == message
    assert caught.value.passing is passing
    assert caught.value.status == response.status_code
    assert caught.value.code == code
    assert "secret-token" not in message


def test_a_query_with_errors_is_refused_for_good() -> None:
    answer = {"errors": [{"message": "Field 'nope' doesn't exist on type 'Query'"}]}
    with pytest.raises(ListenError) as caught:
        client(lambda request: httpx.Response(200, json=answer)).register("{ nope }")
    assert str(caught.value) == (
        f"The Real-time Updates API at {LISTEN} refused the query: Field 'nope' doesn't exist "
        "on type 'Query'"
    )
    assert caught.value.passing is False


@pytest.mark.parametrize(
    ("error", "message"),
    [
        (
            httpx.ConnectError("refused"),
            f"Could not reach the Real-time Updates API at {LISTEN}: ConnectError.",
        ),
        (
            httpx.ReadTimeout("slow"),
            f"The Real-time Updates API at {LISTEN} did not answer within 2 s.",
        ),
    ],
)
def test_network_failures_are_passing(error: Exception, message: str) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise error

    with pytest.raises(ListenError) as caught:
        client(handler, timeout=2).register(QUERY)
    assert str(caught.value) == message
    assert caught.value.passing is True


@pytest.mark.parametrize(
    ("base", "url"),
    [
        ("", "/datocms/emulator/listen/channels/7?x=1"),
        ("http://127.0.0.1:8000", "http://127.0.0.1:8000/datocms/emulator/listen/channels/7?x=1"),
        (None, "http://emulator.invalid/datocms/emulator/listen/channels/7?x=1"),
    ],
)
def test_channel_urls_are_rebased_for_browsers(base: str | None, url: str) -> None:
    answer = {"url": "http://emulator.invalid/datocms/emulator/listen/channels/7?x=1"}
    listen = client(lambda request: httpx.Response(200, json=answer), channel_base_url=base)
    assert listen.register(QUERY) == url


# -- register_channel: which token, which endpoint -------------------------------------------


@pytest.fixture
def realtime() -> Iterator[FakeRealtime]:
    with FakeRealtime().running() as fake:
        yield fake


def recorded(include_drafts: bool, environment: str | None = None) -> RecordedQuery:
    return RecordedQuery(
        query=QUERY,
        variables={"slug": "alps"},
        environment=environment,
        include_drafts=include_drafts,
        exclude_invalid=False,
    )


@pytest.mark.parametrize(
    ("preview_token", "include_drafts", "authorization"),
    [
        ("preview-token", True, "Bearer preview-token"),
        ("preview-token", False, "Bearer api-token"),
        ("", True, "Bearer api-token"),
    ],
)
def test_drafts_register_with_the_preview_token(
    realtime: FakeRealtime, preview_token: str, include_drafts: bool, authorization: str
) -> None:
    conf = {
        "API_TOKEN": "api-token",
        "PREVIEW_API_TOKEN": preview_token,
        "LISTEN_URL": realtime.url,
        "ENVIRONMENT": "ignored",
    }
    with override_settings(DATOCMS=conf):
        url = register_channel(recorded(include_drafts, environment="staging"))
    assert url == f"{realtime.url}channels/1"
    [registration] = realtime.registrations
    headers = registration["headers"]
    assert headers["authorization"] == authorization
    assert headers.get("x-include-drafts") == ("true" if include_drafts else None)
    assert headers["x-environment"] == "staging"
    assert registration["body"] == {"query": QUERY, "variables": {"slug": "alps"}}


def test_without_a_token_or_an_offline_endpoint_there_is_nowhere_to_register() -> None:
    with override_settings(DATOCMS={}), pytest.raises(ListenError) as caught:
        register_channel(recorded(False))
    assert caught.value.passing is False
    assert str(caught.value) == (
        "Live updates have nowhere to register: no DATOCMS['API_TOKEN'] is set and no offline "
        "app (the emulator) installed a listen endpoint."
    )


def test_the_offline_listen_endpoint_hook_wins(realtime: FakeRealtime) -> None:
    def factory(conf: Any) -> hooks.ListenEndpoint | None:
        if conf.API_TOKEN:
            return None  # the emulator serves only tokenless settings
        return hooks.ListenEndpoint(url=realtime.url, api_token="emulator", channel_base_url="")

    previous = hooks.install_listen_endpoint_factory(factory)
    try:
        with override_settings(DATOCMS={}):
            assert register_channel(recorded(True)) == "/channels/1"
        with override_settings(DATOCMS={"API_TOKEN": "api-token", "LISTEN_URL": realtime.url}):
            assert register_channel(recorded(False)) == f"{realtime.url}channels/2"
    finally:
        assert hooks.install_listen_endpoint_factory(previous) is factory
    assert [r["headers"]["authorization"] for r in realtime.registrations] == [
        "Bearer emulator",
        "Bearer api-token",
    ]
    assert repr(factory(type("Conf", (), {"API_TOKEN": ""})())) == (
        f"<ListenEndpoint {realtime.url} token=***>"
    )
