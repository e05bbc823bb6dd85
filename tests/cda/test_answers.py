"""Answers that are not DatoCMS's JSON: outages (retried, then ServiceUnavailable) or, for
3xx/4xx, configuration problems; DatoCMS's own error bodies keep their codes."""

from __future__ import annotations

import logging

import httpx
import pytest

from datocms_app.cda.answers import is_json_content_type
from datocms_app.exceptions import (
    AuthenticationError,
    InvalidRequestError,
    PermissionDenied,
    ServiceUnavailable,
)
from tests.cda.test_client import (
    DATA,
    JSON,
    QUERY,
    TOKEN,
    Recorder,
    api_error_body,
    make_async_client,
    make_client,
    ok,
)

URL = "https://graphql.datocms.com/"
HTML = {"content-type": "text/html; charset=utf-8"}
OUTAGE = (
    ", not DatoCMS's JSON: a proxy, load balancer, CDN or firewall between this site and "
    "DatoCMS, or the network, is failing. Treated as an outage: retried within "
    "DATOCMS['MAX_RETRIES'] and DATOCMS['TIMEOUT']."
)
BAD_GATEWAY_PAGE = (
    b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    b"<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n"
    b"</body>\r\n</html>\r\n"
)

#: (answer, what the message says was received), each an outage.
OUTAGES = {
    "cut-short-200": (
        httpx.Response(200, content=b'{"data": {"allArticles": [{"tit', headers=JSON),
        "application/json that is not valid JSON, cut short or garbled "
        '(31 bytes, beginning \'{"data": {"allArticles": [{"tit\')',
    ),
    "html-200": (
        httpx.Response(200, content=b"<html>oops</html>", headers=HTML),
        "Content-Type text/html; charset=utf-8 (17 bytes, beginning '<html>oops</html>')",
    ),
    "html-502": (
        httpx.Response(502, content=BAD_GATEWAY_PAGE, headers=HTML),
        "Content-Type text/html; charset=utf-8 (150 bytes, beginning "
        "'<html> <head><title>502 Bad Gateway</title></head> <body>…')",
    ),
    "foreign-json-200": (
        httpx.Response(200, content=b'{"foo": 1}', headers=JSON),
        "application/json that is neither a GraphQL result nor DatoCMS's error body "
        "(10 bytes, beginning '{\"foo\": 1}')",
    ),
    "data-labelled-text-200": (
        httpx.Response(200, content=b'{"data": {}}', headers={"content-type": "text/plain"}),
        "Content-Type text/plain (12 bytes, beginning '{\"data\": {}}')",
    ),
    "no-content-type-200": (
        httpx.Response(200, content=b'{"data": {}}'),
        "no Content-Type (12 bytes, beginning '{\"data\": {}}')",
    ),
    "empty-200": (httpx.Response(200), "an empty body"),
    "bare-500": (httpx.Response(500), "an empty body"),
    "waf-403": (
        httpx.Response(403, content=b"<h1>Access denied</h1>", headers=HTML),
        "Content-Type text/html; charset=utf-8 (22 bytes, beginning '<h1>Access denied</h1>')",
    ),
}


@pytest.mark.parametrize(("answer", "received"), OUTAGES.values(), ids=OUTAGES.keys())
def test_foreign_answers_are_outages_retried_then_service_unavailable(
    answer: httpx.Response, received: str
) -> None:
    recorder = Recorder(answer)
    with make_client(recorder, max_retries=1) as client, pytest.raises(ServiceUnavailable) as info:
        client.query(QUERY)
    assert len(recorder.requests) == 2  # the first try and max_retries retries
    error = info.value
    assert (error.code, error.status, error.details) == ("INVALID_RESPONSE", answer.status_code, {})
    assert str(error) == f"{URL} answered HTTP {answer.status_code} with {received}{OUTAGE}"
    assert error.response is answer


def test_an_outage_that_ends_within_the_retries_returns_the_data(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING, logger="datocms_app")
    cut_short = httpx.Response(200, content=b'{"data": {"allArt', headers=JSON)
    recorder = Recorder(
        cut_short, httpx.Response(502, content=BAD_GATEWAY_PAGE, headers=HTML), ok()
    )
    with make_client(recorder, max_retries=3) as client:
        assert client.query(QUERY) == DATA
    assert len(recorder.requests) == 3
    reasons = [record.getMessage().split("; retry")[0] for record in caplog.records]
    assert reasons == [
        "CDA request failed (HTTP 200 INVALID_RESPONSE, application/json, request id None)",
        "CDA request failed (HTTP 502 INVALID_RESPONSE, text/html; charset=utf-8, request id None)",
    ]


def test_max_retries_zero_raises_the_outage_at_once() -> None:
    recorder = Recorder(httpx.Response(200, content=b"<html></html>", headers=HTML))
    with make_client(recorder, max_retries=0) as client, pytest.raises(ServiceUnavailable):
        client.query(QUERY)
    assert len(recorder.requests) == 1


@pytest.mark.anyio
async def test_async_foreign_answers_are_outages_too() -> None:
    recorder = Recorder(httpx.Response(200, content=b'{"data": {"allArt', headers=JSON))
    async with make_async_client(recorder, max_retries=1) as client:
        with pytest.raises(ServiceUnavailable) as info:
            await client.query(QUERY)
    assert info.value.code == "INVALID_RESPONSE"
    assert len(recorder.requests) == 2

    recovered = Recorder(httpx.Response(200, content=b"<p>portal</p>", headers=HTML), ok())
    async with make_async_client(recovered, max_retries=1) as client:
        assert await client.query(QUERY) == DATA
    assert len(recovered.requests) == 2


# -- configuration problems: 3xx and 4xx that DatoCMS did not write ---------------------------

CHECK_URL = (
    ". Check DATOCMS['CDA_URL'] (DatoCMS's is 'https://graphql.datocms.com/') and any proxy "
    "in between."
)


@pytest.mark.parametrize(
    ("answer", "said"),
    [
        (
            httpx.Response(404, content=b"<!doctype html><h1>Not Found</h1>", headers=HTML),
            "HTTP 404 with Content-Type text/html; charset=utf-8 (33 bytes, beginning "
            "'<!doctype html><h1>Not Found</h1>'), not DatoCMS's JSON: what answers there is "
            "not DatoCMS's Content Delivery API",
        ),
        (
            httpx.Response(405, text="Method Not Allowed"),
            "HTTP 405 with Content-Type text/plain; charset=utf-8 (18 bytes, beginning "
            "'Method Not Allowed'), not DatoCMS's JSON: what answers there is not DatoCMS's "
            "Content Delivery API",
        ),
        (
            httpx.Response(401, content=b"<h1>Log in</h1>", headers=HTML),
            "HTTP 401 with Content-Type text/html; charset=utf-8 (15 bytes, beginning "
            "'<h1>Log in</h1>'), not DatoCMS's JSON: what answers there is not DatoCMS's "
            "Content Delivery API",
        ),
        (
            httpx.Response(301, headers={"location": "/graphql?token=x"}),
            "HTTP 301 with an empty body, not DatoCMS's JSON: it redirects to "
            "https://graphql.datocms.com/graphql",
        ),
    ],
    ids=["html-404", "text-405", "html-401", "redirect-301"],
)
def test_foreign_3xx_and_4xx_are_configuration_errors_not_retried(
    answer: httpx.Response, said: str
) -> None:
    recorder = Recorder(answer)
    with make_client(recorder, max_retries=3) as client, pytest.raises(InvalidRequestError) as info:
        client.query(QUERY)
    assert len(recorder.requests) == 1
    error = info.value
    assert (error.code, error.status) == (f"HTTP_{answer.status_code}", answer.status_code)
    assert str(error) == f"{URL} answered {said}{CHECK_URL}"


# -- DatoCMS's own error bodies keep their meaning --------------------------------------------


@pytest.mark.parametrize(
    ("status", "code", "cls"),
    [
        (401, "INVALID_AUTHORIZATION_HEADER", AuthenticationError),
        (403, "INSUFFICIENT_PERMISSIONS", PermissionDenied),
        (200, "INVALID_AUTHORIZATION_HEADER", AuthenticationError),
    ],
)
def test_datocms_error_bodies_keep_their_code_and_class(
    status: int, code: str, cls: type[Exception]
) -> None:
    # application/vnd.api+json is JSON too (the CMA's media type).
    answer = httpx.Response(
        status,
        json={"data": [api_error_body(code)]},
        headers={"content-type": "application/vnd.api+json"},
    )
    recorder = Recorder(answer)
    with make_client(recorder) as client, pytest.raises(cls) as info:
        client.query(QUERY)
    assert len(recorder.requests) == 1
    assert str(info.value).startswith(f"DatoCMS answered HTTP {status} {code}.")


def test_datocms_503_body_is_retried_with_its_code() -> None:
    unavailable = httpx.Response(503, json=api_error_body("SERVICE_UNAVAILABLE", "down"))
    recorder = Recorder(unavailable)
    with make_client(recorder, max_retries=1) as client, pytest.raises(ServiceUnavailable) as info:
        client.query(QUERY)
    assert len(recorder.requests) == 2
    assert info.value.code == "SERVICE_UNAVAILABLE"
    assert str(info.value) == "DatoCMS answered HTTP 503 SERVICE_UNAVAILABLE: down"


# -- what a message may quote -----------------------------------------------------------------


def test_the_token_is_scrubbed_from_a_quoted_body() -> None:
    # A proxy's debug page that echoes the request headers.
    echo = f"<pre>Authorization: Bearer {TOKEN}</pre>".encode()
    recorder = Recorder(httpx.Response(502, content=echo, headers=HTML))
    with make_client(recorder, max_retries=0) as client, pytest.raises(ServiceUnavailable) as info:
        client.query(QUERY)
    assert TOKEN not in str(info.value)
    assert "beginning '<pre>Authorization: Bearer ***</pre>')" in str(info.value)


@pytest.mark.parametrize("start", [40, 57, 59, 60, 200, 239, 240, 250])
def test_a_token_across_the_quoted_length_is_never_quoted_in_part(start: int) -> None:
    body = ("x" * start + TOKEN + "y" * 300).encode()
    recorder = Recorder(httpx.Response(502, content=body, headers=HTML))
    with make_client(recorder, max_retries=0) as client, pytest.raises(ServiceUnavailable) as info:
        client.query(QUERY)
    message = str(info.value)
    quoted = message.split("beginning '")[1].split("')")[0]
    assert len(quoted) == 61  # 60 characters and an ellipsis
    assert quoted.endswith("…")
    for length in range(4, len(TOKEN) + 1):
        assert TOKEN[:length] not in message


def test_the_quote_stops_at_60_characters_of_a_long_body() -> None:
    body = b"A" * 5000
    recorder = Recorder(httpx.Response(200, content=body, headers=HTML))
    with make_client(recorder, max_retries=0) as client, pytest.raises(ServiceUnavailable) as info:
        client.query(QUERY)
    assert f"(5,000 bytes, beginning '{'A' * 60}…')" in str(info.value)


@pytest.mark.parametrize(
    ("content_type", "is_json"),
    [
        ("application/json", True),
        ("application/json; charset=utf-8", True),
        ("Application/JSON", True),
        (b"application/graphql-response+json", True),
        ("application/vnd.api+json", True),
        ("text/json", False),
        ("text/html", False),
        ("application/jsonp", False),
        ("", False),
        (None, False),
    ],
)
def test_json_content_types(content_type: str | bytes | None, is_json: bool) -> None:
    assert is_json_content_type(content_type) is is_json
