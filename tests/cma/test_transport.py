"""The CMA client's transport: headers, errors, rate limits, retries, jobs, deadlines, secrets."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import httpx
import pytest

from datocms_app.cma import Client, CMAError, CMATimeout, CMATransportError
from datocms_app.exceptions import CMAErrorEntity, DatoCMSError, InvalidArgument
from tests.cma.fakes import (
    BASE,
    TOKEN,
    USER_AGENT,
    FakeCMA,
    answer,
    api_error,
    errors,
    item,
    item_document,
    job,
    job_result,
    sent_headers,
)

SITE = {"data": {"type": "site", "id": "155", "attributes": {"name": "Seeds", "locales": ["en"]}}}


# -- headers and bodies -----------------------------------------------------------------------


def test_a_get_sends_exactly_the_documented_headers() -> None:
    cma = FakeCMA().on("GET", "/site", answer(200, SITE))
    with cma.client() as client:
        assert client.site.find() == {
            "id": "155",
            "type": "site",
            "name": "Seeds",
            "locales": ["en"],
        }
    (request,) = cma.requests
    assert str(request.url) == f"{BASE}/site"
    assert sent_headers(request) == {
        "authorization": f"Bearer {TOKEN}",
        "accept": "application/json",
        "x-api-version": "3",
        "user-agent": USER_AGENT,
    }


def test_a_request_with_a_body_says_it_is_json_api() -> None:
    cma = FakeCMA().on("POST", "/items", item("4572128", "1234", 201, name="Buddy"))
    with cma.client() as client:
        client.items.create({"item_type": "1234", "name": "Buddy"}, validate=False)
    (request,) = cma.requests
    assert sent_headers(request) == {
        "authorization": f"Bearer {TOKEN}",
        "accept": "application/json",
        "x-api-version": "3",
        "user-agent": USER_AGENT,
        "content-type": "application/vnd.api+json",
    }
    assert request.content == (
        b'{"data":{"type":"item","attributes":{"name":"Buddy"},'
        b'"relationships":{"item_type":{"data":{"type":"item_type","id":"1234"}}}}}'
    )


def test_environment_from_the_client_and_overridden_per_call() -> None:
    cma = FakeCMA().on("GET", "/site", answer(200, SITE))
    with cma.client(environment="sandbox") as client:
        client.site.find()
        client.site.find(environment="other")
        client.site.find(environment="")  # the primary environment
    assert [r.headers.get("x-environment") for r in cma.requests] == ["sandbox", "other", None]


def test_base_url_may_have_a_path_and_query_parameters_use_brackets() -> None:
    cma = FakeCMA().on("GET", "/cma/items", answer(200, {"data": [], "meta": {"total_count": 0}}))
    with cma.client(base_url="http://127.0.0.1:8000/cma/") as client:
        client.items.list(type="dog", fields={"name": {"eq": "Buddy"}}, version="current", limit=5)
    assert str(cma.requests[0].url) == (
        "http://127.0.0.1:8000/cma/items?filter%5Btype%5D=dog&filter%5Bfields%5D%5Bname%5D%5Beq%5D"
        "=Buddy&version=current&page%5Blimit%5D=5&page%5Boffset%5D=0"
    )


@pytest.mark.parametrize(
    ("options", "call", "extra"),
    [
        ({}, {}, {}),
        ({}, {"body": {"data": {"type": "item"}}}, {"Content-Type": "application/vnd.api+json"}),
        ({"environment": "sandbox"}, {}, {"X-Environment": "sandbox"}),
        ({"environment": "sandbox"}, {"environment": ""}, {}),
        ({"headers": {"X-Trace": "on"}}, {"environment": "other"}, {"X-Environment": "other"}),
    ],
)
def test_a_request_carries_what_httpx_would_merge_into_it(
    options: dict[str, Any], call: dict[str, Any], extra: dict[str, str]
) -> None:
    # The client merges its pool's default headers (Accept-Encoding: the answers come
    # compressed; Connection) into the CMA's once, not per request: the result must be what
    # httpx.Client.request() builds, byte for byte and in order, for both clients.
    method = "POST" if "body" in call else "GET"
    cma = FakeCMA().on(method, "/site", lambda request: answer(200, SITE))
    with cma.client(**options) as client:
        client.call(method, "/site", **call)

    async def from_the_async_client() -> None:
        async with cma.async_client(**options) as client:
            await client.call(method, "/site", **call)

    asyncio.run(from_the_async_client())
    documented = {
        "Authorization": f"Bearer {TOKEN}",
        "Accept": "application/json",
        "X-Api-Version": "3",
        "User-Agent": USER_AGENT,
        **options.get("headers", {}),
        **extra,
    }
    with httpx.Client() as plain:
        expected = plain.build_request(
            method, f"{BASE}/site", headers=documented, content=cma.requests[0].content or None
        )
    assert [request.headers.raw for request in cma.requests] == [expected.headers.raw] * 2


def test_a_cookie_an_answer_sets_is_sent_back_as_httpx_does() -> None:
    cma = FakeCMA().on("GET", "/site", answer(200, SITE, **{"set-cookie": "lb=7; Path=/"}))
    with cma.client() as client:
        client.site.find()
        client.site.find()
    assert [request.headers.get("cookie") for request in cma.requests] == [None, "lb=7"]


def test_each_request_has_what_is_left_of_the_deadline_as_its_timeout() -> None:
    cma = FakeCMA().on(
        "GET", "/site", errors(503, api_error("SERVICE_UNAVAILABLE")), answer(200, SITE)
    )
    with cma.client(timeout=7) as client:
        client.site.find()
    timeouts = [request.extensions["timeout"] for request in cma.requests]
    assert [sorted(timeout) for timeout in timeouts] == [["connect", "pool", "read", "write"]] * 2
    first, retry = ({*timeout.values()} for timeout in timeouts)
    assert len(first) == len(retry) == 1  # one value for every network operation
    assert 6.5 < max(retry) < max(first) <= 7


# -- errors -----------------------------------------------------------------------------------


def test_an_error_carries_every_api_error_and_find_error_filters_on_details() -> None:
    cma = FakeCMA().on(
        "POST",
        "/item-types",
        errors(
            422,
            api_error("INVALID_FIELD", {"field": "api_key", "code": "VALIDATION_UNIQUENESS"}),
            api_error("INVALID_FIELD", {"field": "name", "code": "VALIDATION_REQUIRED"}),
            **{"x-request-id": "req-42"},
        ),
    )
    with cma.client() as client, pytest.raises(CMAError) as info:
        client.item_types.create({"name": "Blog post", "api_key": "post"})
    error = info.value
    assert str(error) == (
        "POST https://site-api.datocms.com/item-types answered HTTP 422: INVALID_FIELD "
        '{"code": "VALIDATION_UNIQUENESS", "field": "api_key"}; INVALID_FIELD '
        '{"code": "VALIDATION_REQUIRED", "field": "name"}'
    )
    assert error.status == 422
    assert error.code == "INVALID_FIELD"
    assert error.request_id == "req-42"
    assert len(error.errors) == 2
    assert error.find_error("INVALID_FIELD", field="name") == CMAErrorEntity(
        code="INVALID_FIELD",
        details={"field": "name", "code": "VALIDATION_REQUIRED"},
        id="ce9dcb",
        doc_url="https://www.datocms.com/docs/content-management-api/errors#INVALID_FIELD",
    )
    assert error.find_error(["NOT_FOUND", "INVALID_FIELD"]) is error.errors[0]
    assert error.find_error("INVALID_FIELD", field="slug") is None
    assert error.find_error("STALE_ITEM_VERSION") is None
    assert isinstance(error, DatoCMSError)


def test_a_known_code_gets_a_hint() -> None:
    cma = FakeCMA().on("GET", "/site", errors(401, api_error("INVALID_AUTHORIZATION_HEADER")))
    with cma.client() as client, pytest.raises(CMAError) as info:
        client.site.find()
    assert str(info.value) == (
        "GET https://site-api.datocms.com/site answered HTTP 401: INVALID_AUTHORIZATION_HEADER. "
        "Check DATOCMS['CMA_API_TOKEN']: a full-access API token, or one whose role may do this "
        "(your project's Settings > API tokens)."
    )


def test_an_answer_that_is_not_datocms_json_is_quoted_without_the_token() -> None:
    page = f"<html>Bad gateway for Bearer {TOKEN}</html>".encode()
    cma = FakeCMA().on(
        "POST", "/items", httpx.Response(404, content=page, headers={"content-type": "text/html"})
    )
    with cma.client() as client, pytest.raises(CMAError) as info:
        client.items.create({"item_type": "1", "name": "x"}, validate=False)
    assert info.value.code == "HTTP_404"
    assert str(info.value) == (
        "POST https://site-api.datocms.com/items answered HTTP 404 with Content-Type text/html "
        "(69 bytes, beginning '<html>Bad gateway for Bearer ***</html>'), not DatoCMS's JSON: "
        "check DATOCMS['CMA_URL'] (DatoCMS's is 'https://site-api.datocms.com') and any proxy "
        "between this site and DatoCMS."
    )


# -- rate limits and retries --------------------------------------------------------------------


def test_429_waits_x_ratelimit_reset_and_does_not_count_as_a_retry() -> None:
    limited = errors(429, api_error("RATE_LIMIT_EXCEEDED"), **{"x-ratelimit-reset": "0"})
    cma = FakeCMA().on("GET", "/site", limited, limited, limited, limited, answer(200, SITE))
    with cma.client(max_retries=0) as client:
        assert client.site.find()["name"] == "Seeds"
    assert len(cma.requests) == 5


def test_429_gives_up_when_the_reset_is_past_the_deadline() -> None:
    limited = errors(429, api_error("RATE_LIMIT_EXCEEDED"), **{"x-ratelimit-reset": "59"})
    cma = FakeCMA().on("GET", "/site", limited)
    with cma.client(timeout=5) as client, pytest.raises(CMAError) as info:
        client.site.find()
    assert info.value.status == 429
    assert info.value.code == "RATE_LIMIT_EXCEEDED"
    assert len(cma.requests) == 1


def test_a_transient_error_is_retried_even_for_a_post() -> None:
    busy = errors(409, api_error("CONCURRENT_ITEM_UPDATE", transient=True))
    cma = FakeCMA().on("POST", "/items", busy, item("1", "2", 201, name="x"))
    with cma.client() as client:
        assert client.items.create({"item_type": "2", "name": "x"}, validate=False)["id"] == "1"
    assert len(cma.requests) == 2


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_a_5xx_is_retried_for_a_get(status: int) -> None:
    cma = FakeCMA().on("GET", "/site", errors(status, api_error("EXCEPTION")), answer(200, SITE))
    with cma.client() as client:
        client.site.find()
    assert len(cma.requests) == 2


@pytest.mark.parametrize(("status", "tries"), [(500, 1), (502, 1), (504, 1), (503, 2)])
def test_a_post_is_retried_only_when_datocms_did_nothing(status: int, tries: int) -> None:
    cma = FakeCMA().on(
        "POST", "/items", errors(status, api_error("EXCEPTION")), item("1", "2", 201)
    )
    with cma.client() as client:
        if tries == 1:
            with pytest.raises(CMAError):
                client.items.create({"item_type": "2"}, validate=False)
        else:
            client.items.create({"item_type": "2"}, validate=False)
    assert len(cma.requests) == tries


def test_retries_stop_at_max_retries() -> None:
    cma = FakeCMA().on("GET", "/site", errors(503, api_error("SERVICE_UNAVAILABLE")))
    with cma.client(max_retries=2) as client, pytest.raises(CMAError) as info:
        client.site.find()
    assert info.value.status == 503
    assert len(cma.requests) == 3


def test_connection_errors_are_retried_and_then_raised_without_the_token() -> None:
    refused = httpx.ConnectError("connection refused")
    cma = FakeCMA().on("GET", "/site", refused, refused, answer(200, SITE))
    with cma.client() as client:
        client.site.find()
    assert len(cma.requests) == 3

    dropped = httpx.ReadError("connection reset")
    cma = FakeCMA().on("POST", "/items", dropped)
    with cma.client() as client, pytest.raises(CMATransportError) as info:
        client.items.create({"item_type": "2"}, validate=False)
    assert len(cma.requests) == 1  # a POST whose connection dropped may have been processed
    assert str(info.value) == (
        "Could not reach https://site-api.datocms.com/items: ReadError: connection reset"
    )


def test_a_timeout_is_cma_timeout() -> None:
    cma = FakeCMA().on("GET", "/site", httpx.ReadTimeout("timed out"))
    with cma.client(timeout=7) as client, pytest.raises(CMATimeout) as info:
        client.site.find()
    assert str(info.value) == (
        "GET https://site-api.datocms.com/site did not succeed within the 7 s deadline "
        "(DATOCMS['CMA_TIMEOUT'] or the client's timeout=, retries and rate-limit waits included)."
    )


def test_retries_are_logged_without_the_token(caplog: pytest.LogCaptureFixture) -> None:
    cma = FakeCMA().on(
        "GET", "/site", errors(503, api_error("SERVICE_UNAVAILABLE")), answer(200, SITE)
    )
    with caplog.at_level(logging.DEBUG, logger="datocms_app"), cma.client() as client:
        client.site.find()
    messages = [record.getMessage() for record in caplog.records]
    assert messages[0] == "CMA GET https://site-api.datocms.com/site -> HTTP 503 (request id None)"
    assert messages[1].startswith(
        "CMA GET https://site-api.datocms.com/site failed (HTTP 503 SERVICE_UNAVAILABLE); retry in "
    )
    assert all(TOKEN not in message for message in messages)


# -- asynchronous jobs --------------------------------------------------------------------------


def test_a_job_is_awaited_through_job_results() -> None:
    created = item_document("7", "1234", {"name": "Buddy"})
    cma = (
        FakeCMA()
        .on("POST", "/items", job("4235"))
        .on(
            "GET",
            "/job-results/4235",
            errors(404, api_error("NOT_FOUND")),
            errors(404, api_error("NOT_FOUND")),
            job_result(201, created),
        )
    )
    with cma.client(environment="sandbox") as client:
        record = client.items.create({"item_type": "1234", "name": "Buddy"}, validate=False)
    assert record["id"] == "7"
    assert [(r.method, r.url.path) for r in cma.requests] == [
        ("POST", "/items"),
        ("GET", "/job-results/4235"),
        ("GET", "/job-results/4235"),
        ("GET", "/job-results/4235"),
    ]
    polled = cma.requests[1]
    assert polled.headers["authorization"] == f"Bearer {TOKEN}"
    assert polled.headers["x-environment"] == "sandbox"


def test_a_failed_job_raises_its_errors() -> None:
    failure = {"data": [api_error("INVALID_FIELD", {"field": "path"})]}
    cma = (
        FakeCMA()
        .on("POST", "/uploads", job("99"))
        .on("GET", "/job-results/99", job_result(422, failure, "99"))
    )
    with cma.client() as client, pytest.raises(CMAError) as info:
        client.call("POST", "/uploads", body={"data": {"type": "upload"}})
    assert info.value.status == 422
    assert info.value.job_id == "99"
    assert info.value.find_error("INVALID_FIELD", field="path") is not None
    assert str(info.value) == (
        "POST https://site-api.datocms.com/uploads started job 99, which ended with status "
        '422: INVALID_FIELD {"field": "path"}'
    )


def test_a_job_that_outlasts_the_deadline_is_cma_timeout_with_its_id() -> None:
    cma = (
        FakeCMA()
        .on("POST", "/uploads", job("5"))
        .on("GET", "/job-results/5", errors(404, api_error("NOT_FOUND")))
    )
    with cma.client(timeout=0.5, poll_interval=0.1) as client, pytest.raises(CMATimeout) as info:
        client.call("POST", "/uploads", body={"data": {"type": "upload"}})
    assert info.value.job_id == "5"
    assert str(info.value) == (
        "POST https://site-api.datocms.com/uploads started the asynchronous job 5, which did "
        "not finish within the 0.5 s deadline (DATOCMS['CMA_TIMEOUT'] or the client's "
        "timeout=). It may still complete: GET /job-results/5 gives its result."
    )


# -- the token ----------------------------------------------------------------------------------


def test_the_token_is_in_no_repr_message_or_log(caplog: pytest.LogCaptureFixture) -> None:
    echo = answer(422, {"data": [api_error("INVALID_FIELD", {"message": f"token {TOKEN} bad"})]})
    cma = FakeCMA().on("GET", "/site", echo)
    with caplog.at_level(logging.DEBUG), cma.client() as client:
        assert repr(client) == "<Client https://site-api.datocms.com environment=primary token=***>"
        with pytest.raises(CMAError) as info:
            client.site.find()
    assert TOKEN not in str(info.value)
    assert TOKEN not in repr(info.value)
    assert "token *** bad" in str(info.value)
    assert all(TOKEN not in record.getMessage() for record in caplog.records)


def test_bad_options_are_refused() -> None:
    with pytest.raises(InvalidArgument, match="api_token must be a non-empty string"):
        Client(api_token=" ")
    with pytest.raises(InvalidArgument, match="base_url must be an http"):
        Client(api_token=TOKEN, base_url="site-api.datocms.com")
    with pytest.raises(InvalidArgument, match="timeout must be a positive number"):
        Client(api_token=TOKEN, timeout=0)
    with pytest.raises(InvalidArgument, match="environment must be an environment name"):
        Client(api_token=TOKEN, environment="a\nb")


# -- the async twin ------------------------------------------------------------------------------


def test_the_async_client_runs_the_same_flows() -> None:
    limited = errors(429, api_error("RATE_LIMIT_EXCEEDED"), **{"x-ratelimit-reset": "0"})
    created = item_document("7", "1234", {"name": "Buddy"})
    cma = (
        FakeCMA()
        .on("POST", "/items", limited, job("1"))
        .on("GET", "/job-results/1", errors(404, api_error("NOT_FOUND")), job_result(201, created))
    )

    async def scenario() -> dict[str, Any]:
        async with cma.async_client() as client:
            assert repr(client).startswith("<AsyncClient ")
            return await client.items.create({"item_type": "1234", "name": "Buddy"}, validate=False)

    record = asyncio.run(scenario())
    assert record["name"] == "Buddy"
    assert [r.url.path for r in cma.requests] == [
        "/items",
        "/items",
        "/job-results/1",
        "/job-results/1",
    ]
