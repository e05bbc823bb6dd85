"""The Content Management API client: ``Client`` (sync) and ``AsyncClient`` (async).

Both share ``BaseClient``, which owns everything that is not I/O: the headers the docs
prescribe (``Authorization: Bearer``, ``Accept: application/json``, ``X-Api-Version: 3``,
``Content-Type: application/vnd.api+json`` on requests with a body, ``X-Environment``), the
requests, the flows of ``datocms_app.cma.protocol`` (retries, rate limits, asynchronous
jobs), the project's schema, read once per environment, and the resources (``client.items``
& co., ``datocms_app.cma.resources``). The two subclasses only perform the flows' effects —
send, sleep, upload a file — as ``run`` and ``stream`` drive them::

    with cma.Client(api_token=TOKEN) as client:          # or cma.get_client()
        record = client.items.create({"item_type": Schema.Dog.REF, "name": "Buddy"})
        client.items.publish(record)

``transport`` takes any httpx transport (``httpx.MockTransport`` in tests, an emulator's).
What the CDA client does alike (checking the options, the ``repr``, the pool's lifetime) is
``datocms_app.http_clients``'s.

This module must never put the API token anywhere but the ``Authorization`` header of CMA
requests: not in a message, a ``repr``, a log line, nor the PUT of an upload.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, Self, TypedDict, TypeVar, Unpack

import httpx

from datocms_app import flows
from datocms_app.cma import jsonapi
from datocms_app.cma.items import ItemCalls
from datocms_app.cma.protocol import (
    Blocking,
    Download,
    Effect,
    PutFile,
    RetryPolicy,
    Send,
    Sleep,
    call,
)
from datocms_app.cma.resources import Fields, Items, ItemTypes, Site, Uploads
from datocms_app.cma.schema import SCHEMA_INCLUDE, ProjectSchema
from datocms_app.cma.schema_endpoints import FieldCalls, ItemTypeCalls, SiteCalls
from datocms_app.cma.uploads import UploadCalls
from datocms_app.conf import DEFAULT_CMA_URL
from datocms_app.exceptions import InvalidArgument
from datocms_app.flows import Flow
from datocms_app.http_clients import (
    USER_AGENT,
    APIClient,
    AsyncAPIClient,
    SyncAPIClient,
    positive_seconds,
)

__all__ = ["AsyncClient", "BaseClient", "CallOptions", "Client"]

R = TypeVar("R")
S = TypeVar("S")
T = TypeVar("T")

#: How many records' models a client remembers (to check updates and links offline).
REMEMBERED_RECORDS = 10_000
#: Bytes per read when a file is uploaded or downloaded.
CHUNK_SIZE = 1 << 16
#: How many sets of request headers (kind of request x environment) a client keeps built.
KEPT_HEADER_SETS = 32


class CallOptions(TypedDict, total=False):
    """The options of one call: its query ``params`` (nested dicts as ``filter[type]=...``),
    its JSON:API ``body``, its ``environment`` (None: the client's, ``""``: the primary)."""

    params: Mapping[str, Any] | None
    body: Any
    environment: str | None


class BaseClient(APIClient):
    """Configuration, requests, flows, resources and the schema cache shared by both clients.

    ``timeout`` bounds one call in seconds, its retries, rate-limit waits and the wait for an
    asynchronous job included; ``max_retries`` bounds retries of transient errors;
    ``backoff`` is the mean wait before the first of them (doubled each time);
    ``poll_interval`` the first wait before asking for a job's result. ``schema`` gives the
    project's schema for the client's environment instead of reading it from the CMA.
    """

    URL_OPTION = "base_url"
    DEFAULT_URL = DEFAULT_CMA_URL
    CREDENTIAL_HINT = (
        "a full-access API token, or one whose role may do what you ask (your DatoCMS "
        "project's Settings > API tokens)."
    )
    API_HEADERS = {"Accept": "application/json", "X-Api-Version": "3", "User-Agent": USER_AGENT}

    def __init__(
        self: Self,  # so that client.items is an Items[Client] or an Items[AsyncClient]
        *,
        api_token: str,
        base_url: str = DEFAULT_CMA_URL,
        environment: str | None = None,
        timeout: float = 60.0,
        max_retries: int = 3,
        backoff: float = 0.5,
        poll_interval: float = 1.0,
        headers: Mapping[str, str] | None = None,
        schema: ProjectSchema | None = None,
    ) -> None:
        super().__init__(
            api_token=api_token,
            url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            headers=headers,
        )
        if schema is not None and not isinstance(schema, ProjectSchema):
            raise InvalidArgument(f"schema must be a ProjectSchema, got {type(schema).__name__}.")
        self.base_url = base_url.rstrip("/")
        self.policy = RetryPolicy(
            timeout=self.timeout,
            max_retries=max_retries,
            backoff=positive_seconds("backoff", backoff),
            poll_interval=positive_seconds("poll_interval", poll_interval),
        )
        self.environment = self._environment(environment) if environment else None
        self._schemas: dict[str | None, ProjectSchema] = {}
        self._given_schemas: dict[str | None, ProjectSchema] = {}
        if schema is not None:
            self._schemas[self.environment] = self._given_schemas[self.environment] = schema
        self._header_sets: dict[tuple[bool, str | None], httpx.Headers] = {}
        self._record_models: OrderedDict[str, str] = OrderedDict()
        self._record_models_lock = threading.Lock()  # the module's client serves many threads
        self.items = Items(self, ItemCalls(self))
        self.item_types = ItemTypes(self, ItemTypeCalls(self))
        self.fields = Fields(self, FieldCalls(self))
        self.site = Site(self, SiteCalls(self))
        self.uploads = Uploads(self, UploadCalls(self))

    # -- requests ---------------------------------------------------------------------------

    def _environment(self, environment: str | None) -> str | None:
        """The environment of a call: None is the client's, ``""`` the primary one."""
        if environment is None:
            return self.environment
        if not isinstance(environment, str) or any(c in environment for c in "\r\n/"):
            raise InvalidArgument(f"environment must be an environment name, got {environment!r}.")
        return environment or None

    def build_send(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        body: Any = None,
        environment: str | None = None,
    ) -> Send:
        """The request of a call: ``path`` under ``base_url``, a JSON:API ``body`` if any."""
        content = None if body is None else jsonapi.dumps(body)
        headers = self._request_headers(content is not None, self._environment(environment))
        pairs = jsonapi.query_params(params) if params else ()
        # Positional: keyword construction of a dataclass is slower, on every call.
        return Send(method, self.base_url + path, headers, pairs, content, self.policy.timeout)

    def _request_headers(self, with_body: bool, environment: str | None) -> httpx.Headers:
        """Every header of a request (the pool's defaults merged in, as httpx would): built
        once per kind of request and environment, then shared by the requests of that kind
        (httpx copies them into each request)."""
        key = (with_body, environment)
        headers = self._header_sets.get(key)
        if headers is None:
            wanted = dict(self._base_headers)
            if with_body:
                wanted["Content-Type"] = "application/vnd.api+json"
            if environment:
                wanted["X-Environment"] = environment
            headers = self._pool_headers.copy()
            headers.update(wanted)
            if len(self._header_sets) < KEPT_HEADER_SETS:  # environments are caller input
                self._header_sets[key] = headers
        return headers

    def call_flow(
        self, method: str, path: str, **options: Unpack[CallOptions]
    ) -> Flow[Effect, Any]:
        """The flow of one call: its answer's JSON (a job's result for a 202), or None."""
        send = self.build_send(method, path, **options)
        environment = options.get("environment")

        def job_request(job_id: str) -> Send:
            return self.build_send(
                "GET", f"/job-results/{jsonapi.to_id(job_id, 'job')}", environment=environment
            )

        return call(send, job_request, self.policy)

    def simple_flow(
        self, method: str, path: str, **options: Unpack[CallOptions]
    ) -> Flow[Effect, Any]:
        """The flow of a call that answers resources: them, in the simple shape."""
        return jsonapi.deserialize((yield from self.call_flow(method, path, **options)))

    # -- the schema and the records seen --------------------------------------------------

    def schema_flow(self, environment: str | None = None) -> Flow[Effect, ProjectSchema]:
        """The project's schema, read once per environment (``GET /site?include=...``)."""
        key = self._environment(environment)
        cached = self._schemas.get(key)
        if cached is not None:
            return cached
        document = yield from self.call_flow(
            "GET", "/site", params={"include": SCHEMA_INCLUDE}, environment=environment
        )
        schema = ProjectSchema.from_site_document(document)
        self._schemas[key] = schema
        return schema

    def forget_schema(self, environment: str | None = None) -> None:
        """Read the schema again on next use (after it changed elsewhere); a schema given to
        the client is kept."""
        key = self._environment(environment)
        if key in self._given_schemas:
            self._schemas[key] = self._given_schemas[key]
        else:
            self._schemas.pop(key, None)

    def schema_may_be_stale(self, environment: str | None = None) -> bool:
        """Whether the schema kept for ``environment`` was read earlier from the CMA."""
        key = self._environment(environment)
        return key in self._schemas and key not in self._given_schemas

    def remember(self, records: Any) -> None:
        """Note the model of each record (a simple-shaped dict, or a list of them)."""
        seen = [
            pair
            for record in (records if isinstance(records, list) else (records,))
            if (pair := _record_and_model(record)) is not None
        ]
        with self._record_models_lock:
            for record_id, model_id in seen:
                self._record_models[record_id] = model_id
                self._record_models.move_to_end(record_id)
            while len(self._record_models) > REMEMBERED_RECORDS:
                self._record_models.popitem(last=False)

    def model_of(self, record_id: str) -> str | None:
        """The model id of a record this client has read or written, if it remembers it."""
        return self._record_models.get(record_id)


def _record_and_model(record: Any) -> tuple[str, str] | None:
    """``(id, model id)`` of a simple-shaped record, or None if it is not one."""
    if not isinstance(record, (dict, Mapping)):
        return None
    model, record_id = record.get("item_type"), record.get("id")
    if isinstance(record_id, str) and isinstance(model, (dict, Mapping)):
        return record_id, str(model.get("id"))
    return None


class Client(SyncAPIClient, BaseClient):
    """A synchronous CMA client. Use it as a context manager, or call ``close()``."""

    def run(self, flow: Flow[Effect, R]) -> R:
        """Drive a flow of this package with this client's I/O."""
        return flows.run(flow, self._perform)

    def stream(
        self, pages: Iterator[Flow[Effect, S]], items_of: Callable[[S], Iterable[T]]
    ) -> Iterator[T]:
        """Run the flows of ``pages`` one after the other, handing out ``items_of`` each."""
        for page in pages:
            yield from items_of(self.run(page))

    def call(self, method: str, path: str, **options: Unpack[CallOptions]) -> Any:
        """Any endpoint, raw: ``client.call("GET", "/webhooks")`` answers the JSON:API
        document (or a job's result), with the client's retries and job handling."""
        return self.run(self.call_flow(method, path, **options))

    def schema(self, environment: str | None = None) -> ProjectSchema:
        """The project's schema (read once per environment, then kept)."""
        return self.run(self.schema_flow(environment))

    def _perform(self, effect: Effect) -> Any:
        if isinstance(effect, Send):
            return self._http.send(effect.request(self._http.cookies))
        if isinstance(effect, Sleep):
            time.sleep(effect.seconds)
            return None
        if isinstance(effect, Blocking):
            return effect.function()
        if isinstance(effect, PutFile):
            with effect.path.open("rb") as stream:
                return self._http.put(
                    effect.url, content=stream, headers=effect.headers, timeout=effect.timeout
                )
        assert isinstance(effect, Download)
        with self._http.stream(
            "GET", effect.url, timeout=effect.timeout, follow_redirects=True
        ) as response:
            if not response.is_success:
                response.read()
                return response
            with effect.destination.open("wb") as target:
                for chunk in response.iter_bytes(CHUNK_SIZE):
                    target.write(chunk)
        return response


class AsyncClient(AsyncAPIClient, BaseClient):
    """The asynchronous twin of ``Client``: ``await client.items.create(...)``.

    An httpx async pool belongs to the event loop that opened it: one client per loop
    (``datocms_app.cma.get_async_client`` does that for you).
    """

    async def run(self, flow: Flow[Effect, R]) -> R:
        """Drive a flow of this package with this client's async I/O."""
        return await flows.arun(flow, self._perform)

    async def stream(
        self, pages: Iterator[Flow[Effect, S]], items_of: Callable[[S], Iterable[T]]
    ) -> AsyncIterator[T]:
        """The async twin of ``Client.stream``."""
        for page in pages:
            for item in items_of(await self.run(page)):
                yield item

    async def call(self, method: str, path: str, **options: Unpack[CallOptions]) -> Any:
        """The async twin of ``Client.call``."""
        return await self.run(self.call_flow(method, path, **options))

    async def schema(self, environment: str | None = None) -> ProjectSchema:
        """The async twin of ``Client.schema``."""
        return await self.run(self.schema_flow(environment))

    async def _perform(self, effect: Effect) -> Any:
        if isinstance(effect, Send):
            return await self._http.send(effect.request(self._http.cookies))
        if isinstance(effect, Sleep):
            await asyncio.sleep(effect.seconds)
            return None
        if isinstance(effect, Blocking):
            return await asyncio.to_thread(effect.function)
        if isinstance(effect, PutFile):
            return await self._http.put(
                effect.url,
                content=_read_chunks(effect.path),
                headers=effect.headers,
                timeout=effect.timeout,
            )
        assert isinstance(effect, Download)
        async with self._http.stream(
            "GET", effect.url, timeout=effect.timeout, follow_redirects=True
        ) as response:
            if not response.is_success:
                await response.aread()
                return response
            target = await asyncio.to_thread(effect.destination.open, "wb")
            try:
                async for chunk in response.aiter_bytes(CHUNK_SIZE):
                    await asyncio.to_thread(target.write, chunk)
            finally:
                await asyncio.to_thread(target.close)
        return response


async def _read_chunks(path: Path) -> AsyncIterator[bytes]:
    source = await asyncio.to_thread(path.open, "rb")
    try:
        while chunk := await asyncio.to_thread(source.read, CHUNK_SIZE):
            yield chunk
    finally:
        await asyncio.to_thread(source.close)
