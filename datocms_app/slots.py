"""Slots: the places where an optional part of the app plugs a function into the core.

The core never imports an optional part (the emulator, the caching package's query cache):
it defines a ``Slot`` and the part installs its function there, in its ``AppConfig.ready()``
— the way Django's cache framework never imports a backend it is not configured with.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

from datocms_app.exceptions import InvalidArgument

__all__ = ["Slot"]

F = TypeVar("F", bound=Callable[..., Any])


class Slot(Generic[F]):
    """One function an optional part installs (``install``) and the core calls
    (``installed``, None while nothing is installed)."""

    __slots__ = ("installed", "installer", "takes")

    def __init__(self, installer: str, takes: str) -> None:
        #: The public function that installs into this slot, and what it takes, for errors.
        self.installer = installer
        self.takes = takes
        self.installed: F | None = None

    def __repr__(self) -> str:
        return f"<Slot {self.installer} installed={self.installed is not None}>"

    def install(self, function: F | None) -> F | None:
        """Install ``function`` (None empties the slot); returns the one it replaces."""
        if function is not None and not callable(function):
            raise InvalidArgument(
                f"{self.installer}() takes {self.takes}, got {type(function).__name__}."
            )
        previous, self.installed = self.installed, function
        return previous
