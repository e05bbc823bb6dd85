"""What a CMA handler is given (``CMARequest``) and what it answers (``Answer``).

``CMARequest`` is a request that passed the CMA's checks (API version, token, environment,
content type, JSON body): the emulator, the token it carried and the locales that token may
write (Rule 3 of *Update a record*), the parsed query, the body, the path's ``:name`` values
and the absolute URL of the CMA. Handlers read the store through ``state`` and change it
through ``editor``; they answer an ``Answer`` (status and JSON:API document) or raise
``CMARefused``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from datocms_app.emulator.changes import ContentEditor
from datocms_app.emulator.cma.params import Params
from datocms_app.emulator.http_messages import EmulatorRequest
from datocms_app.emulator.store import StoreState

if TYPE_CHECKING:
    from datocms_app.emulator.cma.app import ContentManagementAPI
    from datocms_app.emulator.server import Emulator

__all__ = ["Answer", "CMARequest"]


@dataclass(frozen=True, slots=True)
class Answer:
    """A CMA answer: an HTTP status and its JSON:API document (None: no body, 204)."""

    status: int
    document: Any = None


@dataclass(slots=True)
class CMARequest:
    emulator: Emulator
    cma: ContentManagementAPI
    http: EmulatorRequest
    params: Params
    body: Any
    values: Mapping[str, str] = field(default_factory=dict)
    #: The emulator token the request carried (None on public routes).
    token: str | None = None
    environment: str = "main"
    #: Absolute URL of the CMA (``http://127.0.0.1:8700/cma``), for the URLs it hands out.
    cma_url: str = ""

    @property
    def state(self) -> StoreState:
        return self.emulator.store.state

    @property
    def editor(self) -> ContentEditor:
        return self.emulator.changes

    @property
    def writable_locales(self) -> frozenset[str] | None:
        """The locales this request's token may write, or None for every locale."""
        if self.token is None:
            return None
        return self.cma.token_locales.get(self.token)

    def value(self, name: str) -> str:
        return self.values[name]

    def assets_base(self) -> str:
        """Where upload URLs point: the emulator's assets, made absolute when they are a
        path (the embedded emulator's ``ASSETS_BASE``) with the origin the client used."""
        base = self.emulator.assets_base
        if base.startswith("/") and not base.startswith("//"):
            scheme, _, rest = self.http.root_url().partition("://")
            return f"{scheme}://{rest.split('/', 1)[0]}{base}"
        return base
