"""The CMA's protocol: headers, tokens, environments, bodies, error bodies, faults, jobs."""

from __future__ import annotations

import httpx
import pytest

from datocms_app.emulator import Fault
from datocms_app.emulator.cma.routing import Router
from datocms_app.emulator.embedded import EmulatorTransport
from datocms_app.emulator.server import Emulator
from datocms_app.exceptions import InvalidArgument
from tests.emulator.cma.conftest import BASE, HEADERS, TOKEN, api_error, error, job_result


def send(emulator: Emulator, method: str, path: str, **options: object) -> httpx.Response:
    with httpx.Client(transport=EmulatorTransport(emulator), base_url=BASE) as client:
        return client.request(method, path, **options)  # type: ignore[arg-type]


def test_a_successful_answer_has_json_and_the_protocol_headers(api: httpx.Client) -> None:
    response = api.get("/site", headers={"X-Environment": "sandbox"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json; charset=utf-8"
    assert response.headers["x-api-version"] == "3"
    assert response.headers["x-environment"] == "sandbox"
    assert response.headers["access-control-allow-origin"] == "*"
    assert len(response.headers["x-request-id"]) == 36
    assert response.json()["data"]["attributes"]["locales"] == ["en", "it", "fr", "de"]


def test_the_api_version_header_is_required(emulator: Emulator) -> None:
    for headers in ({k: v for k, v in HEADERS.items() if k != "X-Api-Version"},
                    {**HEADERS, "X-Api-Version": "2"}):  # fmt: skip
        response = send(emulator, "GET", "/site", headers=headers)
        assert response.status_code == 422
        assert error(response) == api_error(
            "INVALID_API_VERSION",
            "Send 'X-Api-Version: 3': the emulator speaks version 3 of the Content Management API.",
        )


@pytest.mark.parametrize("authorization", [None, "Bearer wrong", "Bearer ", "Basic x"])
def test_a_token_of_the_emulator_is_required(emulator: Emulator, authorization: str | None) -> None:
    headers = {k: v for k, v in HEADERS.items() if k != "Authorization"}
    if authorization is not None:
        headers["Authorization"] = authorization
    response = send(emulator, "GET", "/items", headers=headers)
    assert response.status_code == 401
    assert error(response) == api_error(
        "INVALID_AUTHORIZATION_HEADER",
        "The Authorization header is missing or its API token is not valid: send "
        "'Authorization: Bearer <token>' with one of the emulator's tokens.",
    )
    assert "wrong" not in response.text


def test_the_bare_token_is_accepted_too(emulator: Emulator) -> None:
    response = send(emulator, "GET", "/site", headers={**HEADERS, "Authorization": TOKEN})
    assert response.status_code == 200


def test_accept_must_allow_json(emulator: Emulator) -> None:
    response = send(emulator, "GET", "/site", headers={**HEADERS, "Accept": "text/html"})
    assert response.status_code == 422
    assert error(response) == api_error(
        "INVALID_ACCEPT_HEADER",
        "The Accept header must allow application/json or application/vnd.api+json.",
    )
    for accept in ("*/*", "application/vnd.api+json", "text/html, application/json;q=0.9"):
        assert send(emulator, "GET", "/site", headers={**HEADERS, "Accept": accept}).is_success


def test_an_unknown_environment_is_refused(api: httpx.Client) -> None:
    response = api.get("/site", headers={"X-Environment": "nope"})
    assert response.status_code == 422
    assert error(response) == api_error(
        "INVALID_ENVIRONMENT",
        "The environment 'nope' does not exist; this project has main, sandbox.",
        environment="nope",
    )


def test_unknown_endpoints_and_methods(api: httpx.Client) -> None:
    unknown = api.get("/webhooks")
    assert unknown.status_code == 404
    assert error(unknown) == api_error(
        "INVALID_ENDPOINT",
        "GET /webhooks is not an endpoint of the emulated Content Management API (see "
        "docs/emulator.md for the ones it implements).",
    )
    wrong_method = api.delete("/site")
    assert wrong_method.status_code == 404
    assert error(wrong_method) == api_error(
        "INVALID_ENDPOINT",
        "DELETE /site does not exist; this path answers GET.",
        allowed=["GET"],
    )
    several = api.delete("/uploads")
    assert error(several) == api_error(
        "INVALID_ENDPOINT",
        "DELETE /uploads does not exist; this path answers POST, GET.",
        allowed=["POST", "GET"],
    )


def test_a_route_takes_its_handlers_by_http_method() -> None:
    router = Router()
    with pytest.raises(InvalidArgument) as refused:
        router.add("/things", get=print)
    assert str(refused.value) == (
        "Router.add('/things') takes its handlers by HTTP method, e.g. GET=find_item; got get."
    )
    with pytest.raises(InvalidArgument, match="got none"):
        router.add("/things")
    assert router.routes == []


def test_a_body_needs_a_json_content_type(api: httpx.Client) -> None:
    response = api.post("/items", content=b'{"data": {}}', headers={"Content-Type": "text/plain"})
    assert response.status_code == 422
    assert error(response) == api_error(
        "INVALID_CONTENT_TYPE_HEADER",
        "A request with a body needs 'Content-Type: application/vnd.api+json' (or "
        "application/json); got 'text/plain'.",
    )


def test_application_json_is_accepted_as_datocms_own_client_sends_it(
    api: httpx.Client, emulator: Emulator
) -> None:
    response = api.post(
        "/upload-requests",
        content=b'{"data": {"type": "upload_request", "attributes": {"filename": "a.png"}}}',
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 201


def test_a_body_that_is_not_json(api: httpx.Client) -> None:
    response = api.post("/items", content=b"{nope")
    assert response.status_code == 422
    assert error(response) == api_error(
        "INVALID_JSON_BODY",
        "The body is not valid JSON: Expecting property name enclosed in double quotes: line 1 "
        "column 2 (char 1).",
    )


def test_a_body_that_is_not_a_resource_of_the_right_type(api: httpx.Client) -> None:
    response = api.post("/items", json={"data": {"type": "upload", "attributes": []}})
    assert response.status_code == 422
    messages = ["#/data/type: must be 'item', got 'upload'", "#/data/attributes: must be an object"]
    assert error(response) == api_error("INVALID_FORMAT", "; ".join(messages), messages=messages)


def test_bad_query_parameters(api: httpx.Client) -> None:
    unknown = api.get("/items", params={"sort": "x"})
    assert error(unknown) == api_error(
        "INVALID_PARAMS",
        "Unknown query parameter(s) sort; this endpoint takes filter, locale, nested, "
        "order_by, page, version.",
        params=["sort"],
    )
    too_many = api.get("/items", params={"page[limit]": "501"})
    assert too_many.status_code == 422
    assert error(too_many) == api_error(
        "INVALID_PARAMS",
        "page[limit] must be an integer from 0 to 500, got '501'.",
        param="page[limit]",
    )
    nested = api.get("/items", params={"page[limit]": "31", "nested": "true"})
    assert error(nested)["details"]["message"] == (
        "page[limit] must be an integer from 0 to 30, got '31'."
    )


def test_cors_preflight(emulator: Emulator) -> None:
    response = send(emulator, "OPTIONS", "/items")
    assert response.status_code == 204
    assert response.headers["access-control-allow-methods"] == "GET, POST, PUT, DELETE, OPTIONS"
    assert "X-Api-Version" in response.headers["access-control-allow-headers"]


def test_a_rate_limit_fault_answers_429_with_the_reset(
    api: httpx.Client, emulator: Emulator
) -> None:
    emulator.cma.faults.push(Fault.rate_limit(reset=3))
    response = api.get("/site")
    assert response.status_code == 429
    assert response.headers["x-ratelimit-reset"] == "3"
    assert response.headers["x-ratelimit-limit"] == "60"
    assert error(response) == {
        **api_error("RATE_LIMIT_EXCEEDED", "Simulated rate limit: 60 requests per 3 seconds."),
        "transient": True,
    }
    assert api.get("/site").status_code == 200


def test_server_error_faults(api: httpx.Client, emulator: Emulator) -> None:
    emulator.cma.faults.push(Fault.server_error(503))
    response = api.get("/site")
    assert response.status_code == 503
    assert error(response) == {
        **api_error("SERVICE_UNAVAILABLE", "Simulated server error of the emulated CMA."),
        "transient": True,
    }
    emulator.cma.faults.push(Fault.disconnect())
    with pytest.raises(httpx.RemoteProtocolError):
        api.get("/site")


def test_cda_faults_do_not_touch_the_cma(api: httpx.Client, emulator: Emulator) -> None:
    emulator.faults.push(Fault.rate_limit())
    assert api.get("/site").status_code == 200
    assert len(emulator.faults) == 1


def test_a_job_is_404_while_it_runs_then_its_result(api: httpx.Client, emulator: Emulator) -> None:
    emulator.cma.jobs.seconds = 0.3
    job = api.delete("/items/counter")
    assert job.status_code == 202
    assert job.json() == {"data": {"type": "job", "id": job.json()["data"]["id"]}}
    running = api.get(f"/job-results/{job.json()['data']['id']}")
    assert running.status_code == 404
    assert error(running)["code"] == "NOT_FOUND"
    assert "counter" in emulator.store.state.records  # the work happens when the job runs
    result = job_result(api, job)
    assert result["status"] == 200
    assert result["payload"]["data"]["id"] == "counter"
    assert "counter" not in emulator.store.state.records


def test_a_failed_job_carries_the_error(api: httpx.Client, emulator: Emulator) -> None:
    job = api.delete("/items/author-ada")  # linked from posts
    result = job_result(api, job)
    assert result["status"] == 422
    (entity,) = result["payload"]["data"]
    assert entity["attributes"] == api_error(
        "REQUIRED_BY_ASSOCIATION",
        "Record 'author-ada' is linked from draft-post (author): remove those links first (the "
        "emulator has no on_reference_delete_strategy).",
        id="author-ada",
        references=["draft-post"],
    )
