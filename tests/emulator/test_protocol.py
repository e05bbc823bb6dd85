"""The CDA's HTTP protocol: authentication, headers, error bodies, cache tags, faults.

Requests go through ``Emulator.handle`` (the protocol without I/O), through httpx's
``WSGITransport`` (the emulator as a WSGI app) and through our own client with the
emulator's transports (faults become the client's typed errors).
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from datocms_app.cda import AsyncClient, Client
from datocms_app.emulator.embedded import AsyncEmulatorTransport, EmulatorTransport
from datocms_app.emulator.faults import Fault
from datocms_app.emulator.server import Emulator, EmulatorRequest, EmulatorResponse
from datocms_app.exceptions import (
    AuthenticationError,
    GraphQLError,
    InvalidArgument,
    InvalidRequestError,
    RateLimitError,
    RequestTimeout,
    ServiceUnavailable,
    TransportError,
)

QUERY = json.dumps({"query": "{ page { title } }"}).encode()
AUTH = {"authorization": "Bearer token"}


def post(emulator: Emulator, body: bytes = QUERY, **headers: str) -> EmulatorResponse:
    headers = {key.replace("_", "-"): value for key, value in headers.items()}
    return emulator.handle(EmulatorRequest("POST", "/", headers={**AUTH, **headers}, body=body))


def api_error(response: EmulatorResponse) -> tuple[int, str, str]:
    (error,) = response.json()["data"]
    assert error["type"] == "api_error"
    assert isinstance(error["id"], str)
    assert error["id"]
    attributes = error["attributes"]
    return response.status, attributes["code"], attributes["details"]["message"]


def test_success(emulator: Emulator) -> None:
    response = post(emulator)
    assert response.status == 200
    assert response.json() == {"data": {"page": {"title": "The page"}}}
    assert response.header("Content-Type") == "application/json; charset=utf-8"
    assert response.header("Content-Length") == str(len(response.body))
    assert response.header("Access-Control-Allow-Origin") == "*"
    assert response.header("X-Cache-Tags") is None


def test_request_ids_are_unique_on_every_response(emulator: Emulator) -> None:
    responses = [post(emulator), post(emulator, authorization="nope"), post(emulator, b"{")]
    ids = [response.header("x-request-id") for response in responses]
    assert all(ids)
    assert len(set(ids)) == 3


def test_cache_tags_only_when_asked(emulator: Emulator) -> None:
    assert post(emulator, x_cache_tags="false").header("X-Cache-Tags") is None
    tags = post(emulator, x_cache_tags="true").header("X-Cache-Tags")
    assert tags is not None
    assert len(tags.split(" ")) == 3  # schema, page collection, page record


@pytest.mark.parametrize(
    "authorization", [None, "", "Bearer", "Bearer wrong", "Basic token", "Bearer token2"]
)
def test_bad_authorization(emulator: Emulator, authorization: str | None) -> None:
    headers = {} if authorization is None else {"authorization": authorization}
    response = emulator.handle(EmulatorRequest("POST", "/", headers=headers, body=QUERY))
    assert api_error(response) == (
        401,
        "INVALID_AUTHORIZATION_HEADER",
        "The Authorization header is missing or its API token is not valid: send "
        "'Authorization: Bearer <token>' with a token the emulator knows.",
    )


def test_token_without_bearer_prefix_is_accepted(emulator: Emulator) -> None:
    assert post(emulator, authorization="token").status == 200
    assert post(emulator, authorization="bearer   token").status == 200


def test_environments(emulator: Emulator) -> None:
    assert post(emulator, x_environment="sandbox").status == 200
    assert post(emulator, x_environment="main").status == 200
    response = post(emulator, x_environment="nope")
    assert api_error(response) == (
        422, "INVALID_ENVIRONMENT", "The environment 'nope' does not exist; this project has "
        "main, sandbox.",
    )  # fmt: skip
    assert response.json()["data"][0]["attributes"]["details"]["environment"] == "nope"


@pytest.mark.parametrize("value", ["false", "True", "1", ""])
def test_include_drafts_only_true(emulator: Emulator, value: str) -> None:
    assert api_error(post(emulator, x_include_drafts=value)) == (
        422, "INVALID_X_INCLUDE_DRAFTS_HEADER", "X-Include-Drafts header can only be set to `true`"
    )  # fmt: skip


@pytest.mark.parametrize("value", ["false", "yes"])
def test_exclude_invalid_only_true(emulator: Emulator, value: str) -> None:
    assert api_error(post(emulator, x_exclude_invalid=value)) == (
        422, "INVALID_X_EXCLUDE_INVALID_HEADER",
        "X-Exclude-Invalid header can only be set to `true`",
    )  # fmt: skip


def test_drafts_and_strict_mode_headers(emulator: Emulator) -> None:
    body = json.dumps({"query": "{ _allPostsMeta { count } }"}).encode()
    assert post(emulator, body).json() == {"data": {"_allPostsMeta": {"count": 4}}}
    drafts = post(emulator, body, x_include_drafts="true")
    assert drafts.json() == {"data": {"_allPostsMeta": {"count": 5}}}
    strict = post(emulator, body, x_exclude_invalid="true")
    assert strict.json() == {"data": {"_allPostsMeta": {"count": 3}}}


def test_visual_editing_headers(emulator: Emulator) -> None:
    assert api_error(post(emulator, x_visual_editing="v2"))[:2] == (
        422, "INVALID_X_VISUAL_EDITING_HEADER"
    )  # fmt: skip
    assert api_error(post(emulator, x_visual_editing="v1"))[:2] == (
        422, "INVALID_X_BASE_EDITING_URL_HEADER"
    )  # fmt: skip
    ok = post(emulator, x_visual_editing="vercel-v1", x_base_editing_url="https://x.admin.test")
    assert ok.status == 200


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"{",
        b"[]",
        b'"query"',
        b"{}",
        b'{"query": ""}',
        b'{"query": 3}',
        b'{"query": "{ page { id } }", "variables": [1]}',
        b'{"query": "{ page { id } }", "operationName": 1}',
        b"\xff\xfe",
    ],
)
def test_invalid_json_body(emulator: Emulator, body: bytes) -> None:
    assert api_error(post(emulator, body)) == (
        422, "INVALID_JSON_BODY", "The JSON body you submitted is not a valid GraphQL request"
    )  # fmt: skip


def test_authorization_is_checked_before_the_body(emulator: Emulator) -> None:
    response = emulator.handle(EmulatorRequest("POST", "/", body=b"{"))
    assert api_error(response)[1] == "INVALID_AUTHORIZATION_HEADER"


def test_graphql_errors_are_http_200(emulator: Emulator) -> None:
    response = post(emulator, json.dumps({"query": "{ page { nope } }"}).encode())
    assert response.status == 200
    assert response.json() == {
        "errors": [
            {
                "message": "Cannot query field 'nope' on type 'PageRecord'.",
                "locations": [{"line": 1, "column": 10}],
            }
        ]
    }
    syntax = post(emulator, json.dumps({"query": "{ page {"}).encode())
    assert syntax.status == 200
    assert syntax.json()["errors"][0]["message"] == "Syntax Error: Expected Name, found <EOF>."


def test_variables_and_operation_name(emulator: Emulator) -> None:
    body = {
        "query": "query A($s: String) { post(filter: {slug: {eq: $s}}) { id } } "
        "query B { page { id } }",
        "variables": {"s": "beta"},
        "operationName": "A",
    }
    assert post(emulator, json.dumps(body).encode()).json() == {"data": {"post": {"id": "p2"}}}


def test_cors_preflight_and_methods(emulator: Emulator) -> None:
    preflight = emulator.handle(EmulatorRequest("OPTIONS", "/"))
    assert preflight.status == 204
    assert preflight.header("Access-Control-Allow-Methods") == "POST, OPTIONS"
    assert "X-Include-Drafts" in (preflight.header("Access-Control-Allow-Headers") or "")
    get = emulator.handle(EmulatorRequest("GET", "/"))
    assert api_error(get) == (
        405, "METHOD_NOT_ALLOWED", "The Content Delivery API takes POST requests with a JSON body."
    )  # fmt: skip
    assert get.header("Allow") == "POST, OPTIONS"
    missing = emulator.handle(EmulatorRequest("POST", "/graphql", headers=AUTH, body=QUERY))
    assert api_error(missing)[:2] == (404, "NOT_FOUND")


def test_wsgi_application(emulator: Emulator) -> None:
    with httpx.Client(transport=httpx.WSGITransport(app=emulator), base_url="http://e") as http:
        response = http.post("/", content=QUERY, headers={"Authorization": "Bearer token",
                                                          "X-Cache-Tags": "true"})  # fmt: skip
        assert response.status_code == 200
        assert response.json() == {"data": {"page": {"title": "The page"}}}
        assert response.headers["x-request-id"]
        assert len(response.headers["x-cache-tags"].split()) == 3
        image = http.get("/assets/up2/two.png")
        assert image.status_code == 200
        assert image.headers["content-type"] == "image/png"


# -- through our client: errors and faults ---------------------------------------------------


def client(emulator: Emulator, **options: Any) -> Client:
    options.setdefault("max_retries", 0)
    return Client(api_token="token", endpoint="http://emulator.invalid/",
                  transport=EmulatorTransport(emulator), **options)  # fmt: skip


def test_client_reads_data_tags_and_request_id(emulator: Emulator) -> None:
    with client(emulator) as http:
        response = http.execute("{ page { title } }")
    assert response.data == {"page": {"title": "The page"}}
    assert len(response.cache_tags) == 3
    assert response.request_id


def test_client_errors(emulator: Emulator) -> None:
    with client(emulator) as http:
        with pytest.raises(GraphQLError, match="Cannot query field 'nope'"):
            http.query("{ nope }")
        with pytest.raises(InvalidRequestError) as invalid:
            http.query("{ page { id } }", environment="nope")
        assert invalid.value.code == "INVALID_ENVIRONMENT"
    with (
        Client(api_token="wrong", transport=EmulatorTransport(emulator)) as http,
        pytest.raises(AuthenticationError) as denied,
    ):
        http.query("{ page { id } }")
    assert denied.value.status == 401
    assert denied.value.request_id


def test_fault_rate_limit(emulator: Emulator) -> None:
    emulator.faults.push(Fault.rate_limit(reset=7))
    with client(emulator) as http, pytest.raises(RateLimitError) as limited:
        http.query("{ page { id } }")
    assert limited.value.retry_after == 7
    assert limited.value.response is not None
    assert limited.value.response.headers["x-ratelimit-limit"] == "40"
    assert len(emulator.faults) == 0


def test_fault_server_error_then_retry_succeeds(emulator: Emulator) -> None:
    emulator.faults.push(Fault.server_error(503))
    with client(emulator, max_retries=1) as http:
        assert http.query("{ page { id } }") == {"page": {"id": "page"}}
    emulator.faults.push(Fault.server_error(502), times=2)
    with client(emulator, max_retries=1) as http, pytest.raises(ServiceUnavailable) as failed:
        http.query("{ page { id } }")
    assert failed.value.status == 502
    assert failed.value.code == "INVALID_RESPONSE"


def test_fault_disconnect(emulator: Emulator) -> None:
    emulator.faults.push(Fault.disconnect())
    with client(emulator) as http, pytest.raises(TransportError, match="RemoteProtocolError"):
        http.query("{ page { id } }")


def test_fault_latency_within_and_beyond_the_timeout(emulator: Emulator) -> None:
    emulator.faults.push(Fault.latency(0.01))
    with client(emulator) as http:
        assert http.query("{ page { id } }") == {"page": {"id": "page"}}
    emulator.faults.push(Fault.latency(5))
    with client(emulator, timeout=0.05) as http, pytest.raises(RequestTimeout):
        http.query("{ page { id } }")


def test_faults_are_consumed_in_order_and_can_be_cleared(emulator: Emulator) -> None:
    emulator.faults.push(Fault.latency(0))
    emulator.faults.push(Fault.rate_limit())
    assert emulator.faults.pending == [Fault.latency(0), Fault.rate_limit()]
    assert post(emulator).status == 429  # the latency fault lets the next one through
    emulator.faults.push(Fault.server_error(), times=3)
    emulator.faults.clear()
    assert post(emulator).status == 200


def test_faults_never_touch_assets(emulator: Emulator) -> None:
    emulator.faults.push(Fault.server_error())
    assert emulator.handle(EmulatorRequest("GET", "/assets/up2/two.png")).status == 200
    assert post(emulator).status == 503


@pytest.mark.parametrize(
    "make",
    [
        lambda: Fault.rate_limit(reset=-1),
        lambda: Fault.server_error(404),
        lambda: Fault.latency(-1),
    ],
)
def test_fault_arguments_are_checked(make: Any) -> None:
    with pytest.raises(InvalidArgument):
        make()


def test_push_checks_its_arguments(emulator: Emulator) -> None:
    with pytest.raises(InvalidArgument, match="push\\(\\) takes a Fault"):
        emulator.faults.push("rate_limit")  # type: ignore[arg-type]
    with pytest.raises(InvalidArgument, match="times must be a positive integer"):
        emulator.faults.push(Fault.disconnect(), times=0)


@pytest.mark.anyio
async def test_async_transport(emulator: Emulator) -> None:
    async with AsyncClient(api_token="token", transport=AsyncEmulatorTransport(emulator),
                           max_retries=0) as http:  # fmt: skip
        assert await http.query("{ page { title } }") == {"page": {"title": "The page"}}
        emulator.faults.push(Fault.disconnect())
        with pytest.raises(TransportError):
            await http.query("{ page { title } }")
