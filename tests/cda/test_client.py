"""The CDA client against httpx.MockTransport: headers, errors, retries, deadlines."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from pydantic import BaseModel

from datocms_app.cda import AsyncClient, Client
from datocms_app.conf import DEFAULT_CDA_URL
from datocms_app.exceptions import (
    APIError,
    AuthenticationError,
    CDAError,
    DatoCMSError,
    GraphQLError,
    InvalidArgument,
    InvalidRequestError,
    PermissionDenied,
    RateLimitError,
    RequestTimeout,
    ResultValidationError,
    ServiceUnavailable,
    TransportError,
)

TOKEN = "secret-token-1234567890"
QUERY = "{ allArticles { title } }"
DATA = {"allArticles": [{"title": "Hello"}]}

Handler = Callable[[httpx.Request], httpx.Response]


JSON = {"content-type": "application/json"}


def ok(data: dict[str, Any] = DATA, **headers: str) -> httpx.Response:
    return httpx.Response(200, json={"data": data}, headers=headers)


def api_error_body(code: str, message: str = "") -> dict[str, Any]:
    # The shape documented in "Error codes & handling failures (CDA)".
    return {
        "id": "abcde12345",
        "type": "api_error",
        "attributes": {"code": code, "details": {"message": message} if message else {}},
    }


def make_client(handler: Handler, **options: Any) -> Client:
    options.setdefault("api_token", TOKEN)
    return Client(transport=httpx.MockTransport(handler), **options)


class Recorder:
    """A MockTransport handler that answers from a script and keeps the requests."""

    def __init__(self, *responses: httpx.Response | Exception) -> None:
        self.responses = list(responses)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        answer = self.responses.pop(0) if len(self.responses) > 1 else self.responses[0]
        if isinstance(answer, Exception):
            raise answer
        return answer


# -- headers and body -------------------------------------------------------------------------


def test_default_headers_and_body() -> None:
    recorder = Recorder(ok())
    with make_client(recorder) as client:
        client.query(QUERY, {"slug": "a"})
    (request,) = recorder.requests
    assert request.method == "POST"
    assert str(request.url) == "https://graphql.datocms.com/"
    assert request.headers["authorization"] == f"Bearer {TOKEN}"
    assert request.headers["content-type"] == "application/json"
    assert request.headers["accept"] == "application/json"
    assert request.headers["x-cache-tags"] == "true"
    for absent in (
        "x-include-drafts",
        "x-exclude-invalid",
        "x-environment",
        "x-visual-editing",
        "x-base-editing-url",
    ):
        assert absent not in request.headers
    assert json.loads(request.content) == {"query": QUERY, "variables": {"slug": "a"}}


def test_body_without_variables_has_no_variables_key() -> None:
    recorder = Recorder(ok())
    with make_client(recorder) as client:
        client.query(QUERY)
    assert json.loads(recorder.requests[0].content) == {"query": QUERY}


def test_option_headers_exactly_as_documented() -> None:
    recorder = Recorder(ok())
    with make_client(recorder) as client:
        client.query(
            QUERY,
            environment="staging",
            include_drafts=True,
            exclude_invalid=True,
            content_link="v1",
            base_editing_url="https://acme.admin.datocms.com",
        )
    headers = recorder.requests[0].headers
    assert headers["x-environment"] == "staging"
    assert headers["x-include-drafts"] == "true"
    assert headers["x-exclude-invalid"] == "true"
    assert headers["x-visual-editing"] == "v1"
    assert headers["x-base-editing-url"] == "https://acme.admin.datocms.com"


def test_false_options_are_omitted_never_sent_as_false() -> None:
    recorder = Recorder(ok())
    with make_client(recorder, include_drafts=True, exclude_invalid=True) as client:
        client.query(QUERY, include_drafts=False, exclude_invalid=False)
        client.query(QUERY)
    first, second = recorder.requests
    assert "x-include-drafts" not in first.headers
    assert "x-exclude-invalid" not in first.headers
    assert second.headers["x-include-drafts"] == "true"
    assert second.headers["x-exclude-invalid"] == "true"


def test_base_editing_url_alone_is_allowed() -> None:
    recorder = Recorder(ok())
    with make_client(recorder, base_editing_url="https://acme.admin.datocms.com") as client:
        client.query(QUERY)
    headers = recorder.requests[0].headers
    assert headers["x-base-editing-url"] == "https://acme.admin.datocms.com"
    assert "x-visual-editing" not in headers


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"content_link": "v2", "base_editing_url": "https://a.b"}, "content_link must be one of"),
        ({"content_link": "v1"}, "content_link needs base_editing_url"),
        ({"base_editing_url": "ftp://x"}, "base_editing_url must be an http\\(s\\) URL"),
        ({"environment": "main\r\nX-Evil: 1"}, "environment must be an environment name"),
    ],
)
def test_bad_options_raise_invalid_argument(options: dict[str, Any], message: str) -> None:
    with make_client(Recorder(ok())) as client, pytest.raises(InvalidArgument, match=message):
        client.query(QUERY, **options)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"api_token": ""}, "api_token must be a non-empty string"),
        ({"api_token": TOKEN, "endpoint": "graphql.datocms.com"}, "endpoint must be an http"),
        ({"api_token": TOKEN, "timeout": 0}, "timeout must be a positive number"),
        ({"api_token": TOKEN, "max_retries": -1}, "max_retries must be an integer >= 0"),
    ],
)
def test_bad_client_arguments(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(InvalidArgument, match=message):
        Client(**kwargs)


@pytest.mark.parametrize(
    ("query", "variables", "message"),
    [
        ("", None, "query must be a GraphQL document string"),
        (None, None, "query must be a GraphQL document string, got NoneType"),
        (QUERY, ["a"], "variables must be a dict of GraphQL variables, got list"),
        (QUERY, {"when": object()}, "variables must be JSON-serialisable"),
    ],
)
def test_bad_query_arguments(query: Any, variables: Any, message: str) -> None:
    recorder = Recorder(ok())
    with make_client(recorder) as client, pytest.raises(InvalidArgument, match=message):
        client.query(query, variables)
    assert recorder.requests == []


# -- successful responses ---------------------------------------------------------------------


def test_execute_returns_data_tags_request_id_and_headers() -> None:
    response = ok(**{"x-cache-tags": "N*r;L?   9#Ov; N*r;L?", "x-request-id": "req-42"})
    with make_client(Recorder(response)) as client:
        result = client.execute(QUERY)
    assert result.data == DATA
    assert result.cache_tags == ["N*r;L?", "9#Ov;"]
    assert result.request_id == "req-42"
    assert result.headers["x-request-id"] == "req-42"
    assert result.status_code == 200


def test_no_cache_tags_header_means_empty_list() -> None:
    with make_client(Recorder(ok())) as client:
        assert client.execute(QUERY).cache_tags == []


class Article(BaseModel):
    title: str


class Articles(BaseModel):
    allArticles: list[Article]


def test_typed_result_with_model() -> None:
    with make_client(Recorder(ok())) as client:
        result = client.query(QUERY, model=Articles)
    assert result == Articles(allArticles=[Article(title="Hello")])


def test_typed_result_mismatch_raises_result_validation_error() -> None:
    with make_client(Recorder(ok({"allArticles": [{"name": "x"}]}))) as client:
        with pytest.raises(ResultValidationError, match="does not fit Articles") as info:
            client.query(QUERY, model=Articles)
    assert isinstance(info.value, CDAError)


# -- GraphQL errors (HTTP 200) ----------------------------------------------------------------


def test_graphql_errors_in_200_body() -> None:
    errors = [
        {
            "message": "Field 'Sku' doesn't exist on type 'ArticleRecord'",
            "locations": [{"line": 16, "column": 5}],
            "path": ["query", "allArticles", "Sku"],
            "extensions": {"code": "undefinedField", "typeName": "ArticleRecord"},
        },
        {"message": "second"},
    ]
    response = httpx.Response(200, json={"errors": errors}, headers={"x-request-id": "r1"})
    with make_client(Recorder(response)) as client, pytest.raises(GraphQLError) as info:
        client.query(QUERY)
    error = info.value
    assert str(error) == (
        "GraphQL error at query.allArticles.Sku: "
        "Field 'Sku' doesn't exist on type 'ArticleRecord' (and 1 more)"
    )
    assert error.errors == errors
    assert error.errors[0]["extensions"]["code"] == "undefinedField"
    assert error.request_id == "r1"
    assert error.response is not None
    assert error.response.status_code == 200


# -- API errors -------------------------------------------------------------------------------

DOCUMENTED_ERRORS = [
    (401, "INVALID_AUTHORIZATION_HEADER", AuthenticationError),
    (422, "INVALID_ENVIRONMENT", InvalidRequestError),
    (422, "INVALID_JSON_BODY", InvalidRequestError),
    (422, "ENVIRONMENT_NOT_READY", ServiceUnavailable),
    (422, "DEACTIVATED_SITE", ServiceUnavailable),
    (422, "SITE_NOT_READY", ServiceUnavailable),
    (403, "INSUFFICIENT_PERMISSIONS", PermissionDenied),
    (422, "INVALID_X_INCLUDE_DRAFTS_HEADER", InvalidRequestError),
    (422, "INVALID_X_EXCLUDE_INVALID_HEADER", InvalidRequestError),
    (422, "INVALID_X_VISUAL_EDITING_HEADER", InvalidRequestError),
    (422, "INVALID_X_BASE_EDITING_URL_HEADER", InvalidRequestError),
]


@pytest.mark.parametrize(("status", "code", "cls"), DOCUMENTED_ERRORS)
def test_documented_api_errors(status: int, code: str, cls: type[APIError]) -> None:
    body = api_error_body(code, "human readable")
    recorder = Recorder(httpx.Response(status, json=body))
    with make_client(recorder) as client, pytest.raises(cls) as info:
        client.query(QUERY)
    error = info.value
    assert error.code == code
    assert error.status == status
    assert error.details == {"message": "human readable"}
    assert str(error).startswith(f"DatoCMS answered HTTP {status} {code}: human readable")
    assert len(recorder.requests) == 1  # not retried


@pytest.mark.parametrize(
    "body",
    [
        {"data": [api_error_body("INVALID_AUTHORIZATION_HEADER")]},
        {"data": api_error_body("INVALID_AUTHORIZATION_HEADER")},
        {"code": "INVALID_AUTHORIZATION_HEADER", "details": {}},
    ],
    ids=["data-list", "data-object", "bare"],
)
def test_error_body_variants(body: dict[str, Any]) -> None:
    with make_client(Recorder(httpx.Response(401, json=body))) as client:
        with pytest.raises(AuthenticationError, match="Check DATOCMS\\['API_TOKEN'\\]"):
            client.query(QUERY)


def test_unknown_datocms_code_from_a_5xx_is_service_unavailable_not_retried() -> None:
    # DatoCMS's own body: its code is kept, and only 502/503/504 are worth another try.
    recorder = Recorder(httpx.Response(500, json=api_error_body("INTERNAL_ERROR", "boom")))
    with make_client(recorder) as client, pytest.raises(ServiceUnavailable) as info:
        client.query(QUERY)
    assert (info.value.code, info.value.status) == ("INTERNAL_ERROR", 500)
    assert str(info.value) == "DatoCMS answered HTTP 500 INTERNAL_ERROR: boom"
    assert len(recorder.requests) == 1


# -- retries ----------------------------------------------------------------------------------


def test_429_with_reset_then_success() -> None:
    limited = httpx.Response(429, headers={"x-ratelimit-reset": "0"})
    recorder = Recorder(limited, ok())
    with make_client(recorder) as client:
        assert client.query(QUERY) == DATA
    assert len(recorder.requests) == 2


def test_429_without_reset_waits_one_second() -> None:
    recorder = Recorder(httpx.Response(429), ok())
    with make_client(recorder) as client:
        started = time.monotonic()
        client.query(QUERY)
    assert time.monotonic() - started >= 1.0
    assert len(recorder.requests) == 2


def test_429_gives_up_when_reset_is_past_the_deadline() -> None:
    recorder = Recorder(httpx.Response(429, headers={"x-ratelimit-reset": "59"}))
    with make_client(recorder, timeout=2) as client, pytest.raises(RateLimitError) as info:
        client.query(QUERY)
    assert info.value.retry_after == 59
    assert info.value.status == 429
    assert len(recorder.requests) == 1


@pytest.mark.parametrize("status", [502, 503, 504])
def test_5xx_then_success(status: int) -> None:
    recorder = Recorder(httpx.Response(status), httpx.Response(status), ok())
    with make_client(recorder) as client:
        assert client.query(QUERY) == DATA
    assert len(recorder.requests) == 3


def test_max_retries_bounds_attempts() -> None:
    recorder = Recorder(httpx.Response(503))
    with make_client(recorder, max_retries=2) as client, pytest.raises(ServiceUnavailable):
        client.query(QUERY)
    assert len(recorder.requests) == 3


def test_max_retries_zero_means_one_attempt() -> None:
    recorder = Recorder(httpx.Response(503))
    with make_client(recorder, max_retries=0) as client, pytest.raises(ServiceUnavailable):
        client.query(QUERY)
    assert len(recorder.requests) == 1


def test_connection_error_retried_then_success() -> None:
    recorder = Recorder(httpx.ConnectError("refused"), ok())
    with make_client(recorder) as client:
        assert client.query(QUERY) == DATA
    assert len(recorder.requests) == 2


def test_connection_errors_exhausted_raise_transport_error() -> None:
    recorder = Recorder(httpx.ConnectError("refused"))
    with make_client(recorder, max_retries=1) as client, pytest.raises(TransportError) as info:
        client.query(QUERY)
    assert "Could not reach https://graphql.datocms.com/: ConnectError: refused" in str(info.value)
    assert isinstance(info.value.__cause__, httpx.ConnectError)
    assert len(recorder.requests) == 2


def test_timeout_raises_request_timeout() -> None:
    recorder = Recorder(httpx.ReadTimeout("slow"))
    with make_client(recorder, timeout=3) as client, pytest.raises(RequestTimeout) as info:
        client.query(QUERY)
    assert str(info.value) == (
        "The Content Delivery API did not answer within the 3 s deadline "
        "(DATOCMS['TIMEOUT'], retries included)."
    )
    assert isinstance(info.value, TransportError)


@pytest.mark.parametrize(
    "answer",
    [httpx.Response(503), httpx.Response(200, content=b'{"data": {"allArt', headers=JSON)],
    ids=["503", "cut-short-200"],
)
def test_total_time_is_bounded_by_the_deadline(answer: httpx.Response) -> None:
    def slow(request: httpx.Request) -> httpx.Response:
        time.sleep(0.2)
        return answer

    with make_client(slow, timeout=0.5, max_retries=10) as client:
        started = time.monotonic()
        with pytest.raises(ServiceUnavailable):
            client.query(QUERY)
    assert time.monotonic() - started < 1.0


def test_each_attempt_gets_the_remaining_deadline_as_timeout() -> None:
    seen: list[float] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.extensions["timeout"]["read"])
        return httpx.Response(503) if len(seen) == 1 else ok()

    with make_client(handler, timeout=5) as client:
        client.query(QUERY)
    assert 4.0 < seen[0] <= 5.0
    assert seen[1] < seen[0]


def failure(client: Client, response: httpx.Response) -> APIError:
    """The error ``client`` makes of ``response``."""
    response.request = httpx.Request("POST", client.endpoint)
    with pytest.raises(APIError) as info:
        client.parse_response(response)
    return info.value


def test_retry_delay_policy() -> None:
    client = make_client(Recorder(ok()), max_retries=5)
    reset = failure(client, httpx.Response(429, headers={"x-ratelimit-reset": "3"}))
    delay = client.retry_delay(0, error=reset)
    assert delay is not None
    assert 3.0 <= delay <= 3.25
    no_reset = client.retry_delay(0, error=failure(client, httpx.Response(429)))
    assert no_reset is not None
    assert 1.0 <= no_reset <= 1.25
    # Connection errors (no answer), 503s and answers that are not DatoCMS's back off alike.
    cut_short = httpx.Response(200, content=b'{"data": {', headers=JSON)
    for error in (None, failure(client, httpx.Response(503)), failure(client, cut_short)):
        for n in range(5):
            ceiling = min(8.0, 0.25 * 2**n)
            value = client.retry_delay(n, error=error)
            assert value is not None
            assert ceiling / 2 <= value <= ceiling
        assert client.retry_delay(5, error=error) is None
    bad_body = httpx.Response(422, json=api_error_body("INVALID_JSON_BODY"))
    assert client.retry_delay(0, error=failure(client, bad_body)) is None
    assert client.retry_delay(0, error=failure(client, httpx.Response(404))) is None
    client.close()


# -- secrets ----------------------------------------------------------------------------------


def test_token_never_in_messages_reprs_or_logs(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="datocms_app")
    failures: list[DatoCMSError] = []
    scripts: list[Handler] = [
        Recorder(httpx.Response(401, json=api_error_body("INVALID_AUTHORIZATION_HEADER"))),
        Recorder(httpx.Response(200, json={"errors": [{"message": "bad"}]})),
        Recorder(httpx.ConnectError("refused")),
        Recorder(httpx.ReadTimeout("slow")),
        Recorder(httpx.Response(503)),
    ]
    for handler in scripts:
        with make_client(handler, max_retries=1) as client:
            assert TOKEN not in repr(client)
            try:
                client.query(QUERY)
            except DatoCMSError as exc:
                failures.append(exc)
    assert len(failures) == len(scripts)
    for exc in failures:
        assert TOKEN not in str(exc)
        assert TOKEN not in repr(exc)
        assert TOKEN not in str(exc.args)
    assert caplog.records
    for record in caplog.records:
        assert TOKEN not in record.getMessage()


def test_request_id_logged(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="datocms_app")
    with make_client(Recorder(ok(**{"x-request-id": "req-99"}))) as client:
        client.query(QUERY)
    assert any("req-99" in record.getMessage() for record in caplog.records)


# -- async parity -----------------------------------------------------------------------------


def make_async_client(handler: Handler, **options: Any) -> AsyncClient:
    options.setdefault("api_token", TOKEN)
    return AsyncClient(transport=httpx.MockTransport(handler), **options)


@pytest.mark.anyio
async def test_async_headers_body_and_result() -> None:
    recorder = Recorder(ok(**{"x-cache-tags": "a b", "x-request-id": "r"}))
    async with make_async_client(recorder, environment="main") as client:
        result = await client.execute(QUERY, {"x": 1}, include_drafts=True)
    request = recorder.requests[0]
    assert request.headers["x-include-drafts"] == "true"
    assert request.headers["x-environment"] == "main"
    assert request.headers["x-cache-tags"] == "true"
    assert json.loads(request.content) == {"query": QUERY, "variables": {"x": 1}}
    assert (result.data, result.cache_tags, result.request_id) == (DATA, ["a", "b"], "r")


@pytest.mark.anyio
async def test_async_retries_and_errors() -> None:
    recorder = Recorder(
        httpx.Response(429, headers={"x-ratelimit-reset": "0"}),
        httpx.ConnectError("refused"),
        httpx.Response(502),
        ok(),
    )
    async with make_async_client(recorder) as client:
        assert await client.query(QUERY, model=Articles) == Articles(
            allArticles=[Article(title="Hello")]
        )
    assert len(recorder.requests) == 4

    gql = Recorder(httpx.Response(200, json={"errors": [{"message": "nope"}]}))
    async with make_async_client(gql) as client:
        with pytest.raises(GraphQLError, match="GraphQL error: nope"):
            await client.query(QUERY)

    timeout = Recorder(httpx.ConnectTimeout("slow"))
    async with make_async_client(timeout) as client:
        with pytest.raises(RequestTimeout):
            await client.query(QUERY)


# -- the request on the wire --------------------------------------------------------------------


@pytest.mark.parametrize(
    "options",
    [{}, {"include_drafts": True}, {"environment": "sandbox", "exclude_invalid": True}],
    ids=["defaults", "drafts", "environment"],
)
def test_a_request_carries_what_httpx_would_merge_into_it(options: dict[str, Any]) -> None:
    # The client merges its pool's default headers (Accept-Encoding, Connection...) into the
    # CDA's once per header set, not per request: the result must be what
    # httpx.Client.post() builds, byte for byte and in order, for both clients.
    requests: list[httpx.Request] = []

    def recorder(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        return httpx.Response(200, json={"data": {"a": 1}}, headers={"x-cache-tags": "t"})

    with make_client(recorder) as client:
        client.execute(QUERY, {"x": 1}, **options)
        client.execute(QUERY, {"x": 1}, **options)
        headers = client.build_headers(**options)

    async def from_the_async_client() -> None:
        async with AsyncClient(api_token=TOKEN, transport=httpx.MockTransport(recorder)) as aclient:
            await aclient.execute(QUERY, {"x": 1}, **options)

    asyncio.run(from_the_async_client())
    with httpx.Client() as plain:
        expected = plain.build_request(
            "POST", DEFAULT_CDA_URL, headers=headers, content=requests[0].content
        )
    assert [request.headers.raw for request in requests] == [expected.headers.raw] * 3
    assert {request.content for request in requests} == {expected.content}


def test_a_cookie_an_answer_sets_is_sent_back_as_httpx_does() -> None:
    answer = httpx.Response(200, json={"data": {"a": 1}}, headers={"set-cookie": "lb=7; Path=/"})
    recorder = Recorder(answer)
    with make_client(recorder) as client:
        client.execute(QUERY)
        client.execute(QUERY)
    assert [request.headers.get("cookie") for request in recorder.requests] == [None, "lb=7"]


def test_each_attempt_gets_the_remaining_deadline_in_httpx_timeout_extension() -> None:
    recorder = Recorder(httpx.Response(200, json={"data": {"a": 1}}))
    with make_client(recorder, timeout=7.5) as client:
        client.execute(QUERY)
    timeouts = recorder.requests[0].extensions["timeout"]
    assert set(timeouts) == {"connect", "read", "write", "pool"}
    assert len(set(timeouts.values())) == 1
    assert 7.0 < timeouts["read"] <= 7.5
