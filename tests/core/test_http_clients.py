"""What the CDA and CMA clients share (datocms_app.http_clients): the same checks of their
options in the same words, the token in one header only, the repr, the pool's lifetime, and
the helpers of their retries and messages."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import httpx
import pytest

from datocms_app import cda, cma
from datocms_app.exceptions import CDAError, CMAError, InvalidArgument
from datocms_app.http_clients import (
    jittered_backoff,
    public_url,
    quoted_beginning,
    rate_limit_reset,
    within,
)

TOKEN = "shared-secret-token-0123456789"
CDA_HINT = "the read-only API token from your DatoCMS project's Settings > API tokens."
CMA_HINT = (
    "a full-access API token, or one whose role may do what you ask (your DatoCMS project's "
    "Settings > API tokens)."
)
#: Each client: its class, the option naming its URL, DatoCMS's URL, the token it wants.
CLIENTS = [
    pytest.param(cda.Client, "endpoint", "https://graphql.datocms.com/", CDA_HINT, id="cda"),
    pytest.param(cma.Client, "base_url", "https://site-api.datocms.com", CMA_HINT, id="cma"),
]


def echo(request: httpx.Request) -> httpx.Response:
    """A CDA answer the CMA client takes too: JSON with a ``data`` object."""
    return httpx.Response(
        200, json={"data": {"id": "1", "type": "site"}}, headers={"x-cache-tags": "a"}
    )


def ask(client: Any) -> None:
    if isinstance(client, cda.Client):
        client.query("{ _site { locales } }")
    else:
        client.site.find()


@pytest.mark.parametrize(("client_class", "url_option", "default_url", "hint"), CLIENTS)
@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"api_token": ""}, "api_token must be a non-empty string: {hint}"),
        ({"api_token": None}, "api_token must be a non-empty string: {hint}"),
        ({"api_token": " \n"}, "api_token must be a non-empty string: {hint}"),
        (
            {"url": "graphql.datocms.com"},
            "{url_option} must be an http(s) URL, got 'graphql.datocms.com' (DatoCMS's is "
            "{default_url!r}).",
        ),
        ({"timeout": 0}, "timeout must be a positive number of seconds, got 0."),
        ({"timeout": True}, "timeout must be a positive number of seconds, got True."),
        ({"timeout": "5"}, "timeout must be a positive number of seconds, got '5'."),
        ({"max_retries": -1}, "max_retries must be an integer >= 0, got -1."),
        ({"max_retries": 1.5}, "max_retries must be an integer >= 0, got 1.5."),
    ],
)
def test_both_clients_refuse_bad_options_in_the_same_words(
    client_class: Any,
    url_option: str,
    default_url: str,
    hint: str,
    options: dict[str, Any],
    message: str,
) -> None:
    arguments = {"api_token": TOKEN, **options}
    if "url" in arguments:
        arguments[url_option] = arguments.pop("url")
    with pytest.raises(InvalidArgument) as info:
        client_class(**arguments)
    assert str(info.value) == message.format(
        hint=hint, url_option=url_option, default_url=default_url
    )


@pytest.mark.parametrize(("client_class", "url_option", "default_url", "hint"), CLIENTS)
@pytest.mark.parametrize("token", [f"{TOKEN}\nX-Evil: 1", f"{TOKEN}\r\nX-Evil: 1", f"a\r{TOKEN}"])
def test_a_line_break_inside_the_token_is_refused_before_a_message_can_quote_it(
    client_class: Any, url_option: str, default_url: str, hint: str, token: str
) -> None:
    # Sent, it would end the header early; h11 refuses that quoting the header, token and all.
    with pytest.raises(InvalidArgument) as info:
        client_class(api_token=token)
    assert str(info.value) == f"api_token must be a non-empty string: {hint}"
    assert TOKEN not in str(info.value)


@pytest.mark.parametrize(("client_class", "url_option", "default_url", "hint"), CLIENTS)
def test_the_token_is_stripped_and_sent_in_the_authorization_header_alone(
    client_class: Any, url_option: str, default_url: str, hint: str
) -> None:
    # A token read from a file or an environment variable often ends with a line break.
    sent: list[httpx.Request] = []

    def recorder(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return echo(request)

    with client_class(api_token=f" {TOKEN}\n", transport=httpx.MockTransport(recorder)) as client:
        ask(client)
    [request] = sent
    assert request.headers["authorization"] == f"Bearer {TOKEN}"
    assert [name for name, value in request.headers.items() if TOKEN in value] == ["authorization"]
    assert TOKEN not in str(request.url)


@pytest.mark.parametrize(
    ("client_class", "options", "shown"),
    [
        (cda.Client, {}, "<Client https://graphql.datocms.com/ environment=primary token=***>"),
        (
            cda.AsyncClient,
            {"environment": "staging", "endpoint": "http://127.0.0.1:9/cda/"},
            "<AsyncClient http://127.0.0.1:9/cda/ environment=staging token=***>",
        ),
        (cma.Client, {}, "<Client https://site-api.datocms.com environment=primary token=***>"),
        (
            cma.AsyncClient,
            {"environment": "staging", "base_url": "http://127.0.0.1:9/cma/"},
            "<AsyncClient http://127.0.0.1:9/cma environment=staging token=***>",
        ),
    ],
)
def test_the_repr_names_the_url_and_environment_never_the_token(
    client_class: Any, options: dict[str, Any], shown: str
) -> None:
    client = client_class(api_token=TOKEN, **options)
    assert repr(client) == shown


@pytest.mark.parametrize(("client_class", "url_option", "default_url", "hint"), CLIENTS)
def test_leaving_the_with_block_closes_the_pool(
    client_class: Any, url_option: str, default_url: str, hint: str
) -> None:
    with client_class(api_token=TOKEN, transport=httpx.MockTransport(echo)) as client:
        ask(client)
    with pytest.raises(RuntimeError) as info:
        ask(client)
    assert str(info.value) == "Cannot send a request, as the client has been closed."


@pytest.mark.parametrize("client_class", [cda.AsyncClient, cma.AsyncClient])
def test_leaving_the_async_with_block_closes_the_pool(client_class: Any) -> None:
    async def scenario() -> None:
        async with client_class(api_token=TOKEN, transport=httpx.MockTransport(echo)) as client:
            opened = client
        ask_later = (
            opened.query("{ _site { locales } }")
            if isinstance(opened, cda.AsyncClient)
            else opened.site.find()
        )
        await ask_later

    with pytest.raises(RuntimeError) as info:
        asyncio.run(scenario())
    assert str(info.value) == "Cannot send a request, as the client has been closed."


# -- retries -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("attempt", "first", "ceiling"), [(0, 0.25, 0.25), (3, 0.25, 2.0), (2, 0.5, 2.0), (9, 0.5, 8.0)]
)
def test_jittered_backoff_waits_between_half_the_ceiling_and_the_ceiling(
    attempt: int, first: float, ceiling: float
) -> None:
    waits = [jittered_backoff(attempt, first) for _ in range(200)]
    assert all(ceiling / 2 <= wait <= ceiling for wait in waits)
    assert len(set(waits)) > 100  # jitter: clients failing together do not retry together


def test_within_keeps_a_wait_only_if_it_ends_before_the_deadline() -> None:
    now = time.monotonic()
    assert within(1.0, now + 60) == 1.0
    assert within(5.0, now + 1) is None
    assert within(None, now + 60) is None


@pytest.mark.parametrize(
    ("headers", "seconds"),
    [({"x-ratelimit-reset": "3"}, 3.0), ({"x-ratelimit-reset": "2.5"}, 2.5),
     ({"x-ratelimit-reset": "-2"}, 0.0), ({"x-ratelimit-reset": "soon"}, 1.0), ({}, 1.0)],
)  # fmt: skip
def test_rate_limit_reset_reads_the_header_or_waits_one_second(
    headers: dict[str, str], seconds: float
) -> None:
    assert rate_limit_reset(httpx.Response(429, headers=headers)) == seconds


# -- messages ----------------------------------------------------------------------------------


def test_public_url_drops_credentials_query_and_fragment() -> None:
    assert (
        public_url("https://user:pw@cda.example/graphql?token=x#f") == "https://cda.example/graphql"
    )


def test_quoted_beginning_collapses_whitespace_and_never_shows_the_token() -> None:
    request = httpx.Request("GET", "https://cda.example/", headers={"Authorization": "Bearer abc"})
    assert quoted_beginning(b"<html>\n  <body>", request, 60) == "<html> <body>"
    # The token straddles the cut: it is replaced before the text is cut.
    assert quoted_beginning(b"x" * 58 + b"abc and more", request, 60) == "x" * 58 + "**…"
    assert quoted_beginning("é".encode() * 70, request, 60) == "é" * 60 + "…"


def test_both_errors_keep_the_exchange_alike() -> None:
    response = httpx.Response(500, headers={"x-request-id": "r-1"})
    for error in (CDAError("failed", response=response), CMAError("failed", response=response)):
        assert (error.message, error.response, error.request_id) == ("failed", response, "r-1")
        assert repr(error) == f"{type(error).__name__}('failed')"
    assert CMAError("no answer").request_id is None
