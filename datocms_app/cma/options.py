"""Option groups that several CMA methods take, and the one check of the options a call got.

A method that takes an option group declares ``**options: Unpack[Group]``: type checkers hold
the call to the group's keys and types, and ``given`` holds it at run time (a keyword the
group does not have is an ``InvalidArgument`` naming those it has). Defaults are the method's
to say, in its docstring and where it reads the option.

This module must never decide what an option does: the flows read them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TypedDict

from datocms_app.exceptions import InvalidArgument

__all__ = ["PublishOptions", "StatusOptions", "WriteOptions", "given", "refuse_unknown"]


class WriteOptions(TypedDict, total=False):
    """``items.create``, ``update`` and ``update_with_retry``: ``validate`` the payload against
    the project's schema first (default True), in ``environment`` (None: the client's)."""

    validate: bool
    environment: str | None


class StatusOptions(TypedDict, total=False):
    """``items.unpublish`` (and ``publish``): ``recursive``, only ``content_in_locales``, in
    ``environment`` (None: the client's)."""

    recursive: bool | None
    content_in_locales: Sequence[str] | None
    environment: str | None


class PublishOptions(StatusOptions, total=False):
    """``items.publish``: ``StatusOptions``, and whether the ``non_localized_content`` too."""

    non_localized_content: bool | None


def refuse_unknown(
    names: Iterable[str], known: Sequence[str], what: str, *, besides: str = ""
) -> None:
    """``InvalidArgument`` naming the ``names`` that are not ``known`` (``"items.list() takes
    no sort; it takes type, ids, ..."``); ``besides`` names what else ``what`` takes."""
    unknown = sorted(set(names) - set(known))
    if unknown:
        takes = ", ".join((*known, f"and {besides}") if besides else known)
        raise InvalidArgument(f"{what} takes no {', '.join(unknown)}; it takes {takes}.")


def given(options: Mapping[str, Any], group: type, method: str) -> None:
    """Refuse an option ``method`` (``"items.create()"``) got that its ``group`` has not."""
    refuse_unknown(options, tuple(group.__annotations__), method)
