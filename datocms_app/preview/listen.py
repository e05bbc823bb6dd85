"""Registering Real-time Updates channels, server-side, so that no token reaches a page.

DatoCMS's Real-time Updates API takes the same request as the Content Delivery API (headers,
token, JSON body), ``POST``ed to ``https://graphql-listen.datocms.com/`` instead, and answers
``{"url": "https://graphql-listen.datocms.com/channels/<id>"}``: a Server-Sent Events channel
the browser must open within 15 seconds. ``ListenClient`` is the CDA client's headers and
body (``BaseClient``) with that answer instead of a GraphQL result; ``register_channel`` picks
the client for a recorded query: ``PREVIEW_API_TOKEN`` (or ``API_TOKEN``) for drafts,
``API_TOKEN`` for published content, ``LISTEN_URL`` as the endpoint, or the listen endpoint an
offline app installed on ``datocms_app.cda.hooks`` (the emulator, when no token is set).

A registration is tried once: the browser's script retries with backoff. ``ListenError`` says
whether a later try may work (``passing``).

This module must never put a token anywhere but the ``Authorization`` header of the
registration: not in a channel URL it hands on, an exception message or a log line.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx

from datocms_app.cda import hooks
from datocms_app.cda.answers import api_error, is_passing, read_json
from datocms_app.cda.client import BaseClient
from datocms_app.conf import DatoCMSSettings, SettingsBound
from datocms_app.exceptions import ListenError
from datocms_app.http_clients import public_url
from datocms_app.preview.recording import RecordedQuery

__all__ = ["ListenClient", "Listeners", "build_listeners", "get_listeners", "register_channel"]

logger = logging.getLogger("datocms_app.preview")


class ListenClient(BaseClient):
    """Registers a query with a Real-time Updates API and returns its channel URL.

    Built like the CDA ``Client`` (``api_token``, ``endpoint``: the listen URL,
    ``environment``, ``include_drafts``, ``exclude_invalid``, ``timeout``...); ``transport``
    is any ``httpx.BaseTransport``; ``channel_base_url`` rewrites the channel URLs' scheme and
    host (see ``datocms_app.cda.hooks.ListenEndpoint``).
    """

    def __init__(
        self,
        *,
        transport: httpx.BaseTransport | None = None,
        channel_base_url: str | None = None,
        **options: Any,
    ) -> None:
        super().__init__(**options)
        self.channel_base_url = channel_base_url
        self._http = httpx.Client(transport=transport, timeout=httpx.Timeout(self.timeout))

    def close(self) -> None:
        self._http.close()

    def register(self, query: str, variables: dict[str, Any] | None = None, **options: Any) -> str:
        """The URL of a new channel streaming ``query``'s result; ``ListenError`` if none.

        Options (``environment``, ``include_drafts``, ``exclude_invalid``) override the
        client's defaults, as for ``Client.execute``.
        """
        request = self.build_query(query, variables, options)
        where = public_url(self.endpoint)
        try:
            response = self._http.post(self.endpoint, content=request.body, headers=request.headers)
        except httpx.TimeoutException as exc:
            raise ListenError(
                f"The Real-time Updates API at {where} did not answer within {self.timeout:g} s.",
                passing=True,
            ) from exc
        except httpx.TransportError as exc:
            raise ListenError(
                f"Could not reach the Real-time Updates API at {where}: {type(exc).__name__}.",
                passing=True,
            ) from exc
        return self.channel_url(response)

    def channel_url(self, response: httpx.Response) -> str:
        """The channel URL in a registration answer, or the ``ListenError`` it amounts to."""
        status = response.status_code
        where = public_url(response.request.url)
        body = read_json(response.content, response.headers.get("content-type"))
        if 200 <= status < 300 and isinstance(body, dict):
            url = body.get("url")
            if isinstance(url, str) and urlsplit(url).scheme in ("https", "http"):
                return self._rebased(url)
            if body.get("errors"):
                raise ListenError(
                    f"The Real-time Updates API at {where} refused the query: "
                    f"{_first_message(body['errors'])}",
                    passing=False,
                    status=status,
                )
        error = api_error(body, response.request, response)
        passing = is_passing(error) or status >= 500
        if error.details.get("message"):
            detail = f" {error.code}: {error.details['message']}"
        elif not error.code.startswith("HTTP_") and error.code != "INVALID_RESPONSE":
            detail = f" {error.code}"
        elif status == 429:
            detail = ": rate limited"
        else:
            detail = ", not the Real-time Updates API's answer (a proxy, or the wrong LISTEN_URL?)"
        raise ListenError(
            f"The Real-time Updates API at {where} answered HTTP {status}{detail}.",
            passing=passing,
            status=status,
            code=error.code,
        )

    def _rebased(self, url: str) -> str:
        if self.channel_base_url is None:
            return url
        parts = urlsplit(url)
        base = self.channel_base_url.rstrip("/")
        return base + urlunsplit(("", "", parts.path or "/", parts.query, ""))


def _first_message(errors: Any) -> str:
    first = errors[0] if isinstance(errors, list) and errors else errors
    message = first.get("message") if isinstance(first, dict) else None
    return str(message) if message else "the query has errors"


@dataclass(frozen=True)
class Listeners:
    """The clients registrations go through: ``published`` (``API_TOKEN``) and ``drafts``
    (``PREVIEW_API_TOKEN`` or ``API_TOKEN``); both None when there is nowhere to register
    (no token and no offline listen endpoint installed)."""

    published: ListenClient | None
    drafts: ListenClient | None


def build_listeners(conf: DatoCMSSettings) -> Listeners:
    """The listen clients for ``conf`` (see ``Listeners``)."""
    # No environment or strict-mode default: a recorded query says what it was sent with.
    options: dict[str, Any] = {"timeout": conf.TIMEOUT, "max_retries": 0}
    offline = hooks.build_listen_endpoint(conf)
    if offline is not None:
        client = ListenClient(
            api_token=offline.api_token,
            endpoint=offline.url,
            transport=offline.transport,
            channel_base_url=offline.channel_base_url,
            **options,
        )
        return Listeners(published=client, drafts=client)
    if not conf.API_TOKEN:
        return Listeners(published=None, drafts=None)
    published = ListenClient(api_token=conf.API_TOKEN, endpoint=conf.LISTEN_URL, **options)
    drafts = published
    if conf.PREVIEW_API_TOKEN:
        drafts = ListenClient(api_token=conf.PREVIEW_API_TOKEN, endpoint=conf.LISTEN_URL, **options)
    return Listeners(published=published, drafts=drafts)


_listeners: SettingsBound[Listeners] = SettingsBound(build_listeners)


def get_listeners() -> Listeners:
    """The listen clients for ``settings.DATOCMS`` (rebuilt when it changes)."""
    return _listeners.get()


def register_channel(recorded: RecordedQuery) -> str:
    """A new channel for ``recorded`` (with the token its drafts flag calls for)."""
    listeners = get_listeners()
    client = listeners.drafts if recorded.include_drafts else listeners.published
    if client is None:
        raise ListenError(
            "Live updates have nowhere to register: no DATOCMS['API_TOKEN'] is set and no "
            "offline app (the emulator) installed a listen endpoint.",
            passing=False,
        )
    return client.register(
        recorded.query,
        recorded.variables,
        environment=recorded.environment,
        include_drafts=recorded.include_drafts,
        exclude_invalid=recorded.exclude_invalid,
    )
