"""The emulator's Real-time Updates API: channels streaming a query's result as it changes.

DatoCMS's Real-time Updates API takes the CDA's request (headers, token, body) and answers
``{"url": ".../channels/<id>"}``: a Server-Sent Events channel, to be connected within 15
seconds. ``ListenChannels`` keeps those channels for one emulator; the HTTP side is the
emulator's (``server``: ``POST {LISTEN_PATH}`` registers, ``GET {LISTEN_PATH}/channels/<id>``
streams), and so are the threads.

- ``register(request)`` opens a channel for a checked ``GraphQLRequest``. A channel not
  connected within ``ttl`` seconds is gone, and one serves a single connection: a client that
  loses it registers again, as DatoCMS's ``datocms-listen`` does.
- ``stream(channel)`` is a connection's body. At once an ``update`` event with
  ``{"response": {"data": ...}}``; then, after each content change, the query runs again on
  the new snapshot and another ``update`` goes out only when ``data`` differs. A result with
  errors is a ``channelError`` (``INVALID_QUERY``, ``fatal``: true, the errors in
  ``response``) and ends the stream. A comment line every ``keep_alive`` seconds keeps
  proxies from timing the stream out and lets the server notice a client that left (its
  write fails).
- ``close_all()`` ends every stream and forgets the channels not connected yet: the server
  stops, or the emulator is replaced.

A stream blocks the thread that serves it on a condition that the store's listener
notifies; the threaded servers give every connection a thread. Channels live in this
process: behind several worker processes a registration and its connection may land in
different ones (and each process has its own embedded emulator anyway).

The store's listener runs under the store's lock: it must only notify, never run a query.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Callable, Generator
from dataclasses import dataclass
from typing import Any, Final

from datocms_app.emulator.execution import GraphQLRequest, QueryResult
from datocms_app.emulator.store import Change, ContentStore, StoreState
from datocms_app.exceptions import InvalidArgument

__all__ = [
    "CHANNEL_TTL",
    "INVALID_QUERY_MESSAGE",
    "KEEP_ALIVE",
    "LISTEN_PATH",
    "Channel",
    "ListenChannels",
    "sse_event",
]

#: Where an emulator serves its Real-time Updates API (``POST``) and channels (``GET``).
LISTEN_PATH: Final = "/listen"
#: Seconds a channel waits for its connection (DatoCMS: "after 15 seconds you will no
#: longer be able to access it").
CHANNEL_TTL: Final = 15.0
#: Seconds between comment lines on an idle stream.
KEEP_ALIVE: Final = 5.0
#: DatoCMS's message for a query whose result has errors.
INVALID_QUERY_MESSAGE: Final = (
    "The query returned an erroneous response. Please consult the response details to "
    "understand the cause."
)
_COMMENT: Final = b": keep-alive\n\n"
#: What a stream has sent before its first update (``None`` is a possible ``data``).
_NOTHING: Final = object()

#: Runs a channel's request against a snapshot (the emulator's URL prefixes included).
Runner = Callable[[StoreState, GraphQLRequest], QueryResult]


@dataclass(frozen=True, eq=False, slots=True)
class Channel:
    """A registered query waiting for (or serving) its one connection."""

    id: str
    request: GraphQLRequest
    registered_at: float


def sse_event(name: str, data: Any) -> bytes:
    """One Server-Sent Events event; the JSON is on one line (``json.dumps`` escapes
    newlines inside strings), as the ``data:`` field requires."""
    payload = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
    return f"event: {name}\ndata: {payload}\n\n".encode()


class ListenChannels:
    """The channels of one emulator's Real-time Updates API (see the module docstring)."""

    def __init__(
        self,
        store: ContentStore,
        run: Runner,
        *,
        ttl: float = CHANNEL_TTL,
        keep_alive: float = KEEP_ALIVE,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if not ttl > 0 or not keep_alive > 0:
            raise InvalidArgument(
                f"ttl and keep_alive must be positive numbers of seconds, got {ttl!r} and "
                f"{keep_alive!r}."
            )
        self._store = store
        self._run = run
        self.ttl = ttl
        self.keep_alive = keep_alive
        self._clock = clock
        self._condition = threading.Condition()
        self._waiting: dict[str, Channel] = {}
        self._streams = 0
        # ``close_all`` moves to a new epoch; a stream ends when its epoch is over.
        self._epoch = 0
        store.subscribe(self._changed)

    def __repr__(self) -> str:
        return f"<ListenChannels waiting={len(self._waiting)} streams={self._streams}>"

    @property
    def streams(self) -> int:
        """How many connections are streaming now."""
        return self._streams

    def register(self, request: GraphQLRequest) -> Channel:
        """A new channel for ``request``, to be connected within ``ttl`` seconds."""
        if not isinstance(request, GraphQLRequest):
            raise InvalidArgument(
                f"register() takes a GraphQLRequest, got {type(request).__name__}."
            )
        now = self._clock()
        channel = Channel(str(uuid.uuid4()), request, now)
        with self._condition:
            self._forget_expired(now)
            self._waiting[channel.id] = channel
        return channel

    def claim(self, channel_id: str) -> Channel | None:
        """The channel ``channel_id`` for the connection that asks, once; None when there is
        no such channel, it expired, or it was claimed already."""
        with self._condition:
            self._forget_expired(self._clock())
            return self._waiting.pop(channel_id, None)

    def stream(self, channel: Channel) -> Generator[bytes, None, None]:
        """The body of ``channel``'s connection, event by event, until the query fails, the
        consumer closes the generator (its client left) or ``close_all`` is called."""
        with self._condition:
            epoch = self._epoch
            self._streams += 1
        try:
            sent: Any = _NOTHING
            while True:
                state = self._store.state
                result = self._run(state, channel.request)
                if not result.ok:
                    yield sse_event("channelError", _invalid_query(result))
                    return
                data = result.body.get("data")
                if data != sent:
                    yield sse_event("update", {"response": {"data": data}})
                    sent = data
                while not self._wait_for_change(state.version, epoch):
                    yield _COMMENT
                if epoch != self._epoch:
                    return
        finally:
            with self._condition:
                self._streams -= 1
                self._condition.notify_all()

    def close_all(self, *, wait: float = 0.0) -> None:
        """End every stream and forget the channels waiting for a connection; with ``wait``,
        give the streams that long to finish (their servers' threads to return)."""
        with self._condition:
            self._epoch += 1
            self._waiting.clear()
            self._condition.notify_all()
            if wait > 0:
                self._condition.wait_for(lambda: self._streams == 0, timeout=wait)

    # -- internals ------------------------------------------------------------------------

    def _changed(self, change: Change, tags: list[str]) -> None:
        with self._condition:
            self._condition.notify_all()

    def _wait_for_change(self, version: int, epoch: int) -> bool:
        """Whether the content moved past ``version`` (or the epoch ended) within
        ``keep_alive`` seconds."""
        with self._condition:
            return self._condition.wait_for(
                lambda: epoch != self._epoch or self._store.state.version != version,
                timeout=self.keep_alive,
            )

    def _forget_expired(self, now: float) -> None:
        # Channels wait in the order they were registered: the oldest come first.
        expired = []
        for channel in self._waiting.values():
            if now - channel.registered_at <= self.ttl:
                break
            expired.append(channel.id)
        for channel_id in expired:
            del self._waiting[channel_id]


def _invalid_query(result: QueryResult) -> dict[str, Any]:
    return {
        "code": "INVALID_QUERY",
        "message": INVALID_QUERY_MESSAGE,
        "fatal": True,
        "response": {"errors": result.body.get("errors", [])},
    }
