"""What the site's ``MIDDLEWARE`` and URLconf hold, as the checks need to know it.

Checks read the site here and never change it; a middleware path that cannot be imported is
skipped (Django reports it), and a URLconf that cannot be imported fails as Django's own URL
checks do.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils.module_loading import import_string

__all__ = [
    "Placed",
    "find_middleware",
    "include_hint",
    "include_line",
    "is_reversible",
    "reversed_prefix",
    "reversed_url",
    "root_urlconf",
]


class Placed(NamedTuple):
    """A middleware's index in ``MIDDLEWARE``, its path as written there, and what that
    path imports."""

    position: int
    path: str
    middleware: Any


def find_middleware(cls: type, *, subclasses: bool = False) -> list[Placed]:
    """Where ``cls`` is in ``MIDDLEWARE`` (under any import path), in order; with
    ``subclasses``, its subclasses too."""
    found = []
    for position, path in enumerate(getattr(settings, "MIDDLEWARE", None) or ()):
        try:
            middleware = import_string(path)
        except ImportError:
            continue  # Django reports middleware that cannot be imported
        if middleware is cls or (
            subclasses and isinstance(middleware, type) and issubclass(middleware, cls)
        ):
            found.append(Placed(position, path, middleware))
    return found


def is_reversible(
    name: str, view: Callable[..., Any] | None = None, kwargs: Mapping[str, str] | None = None
) -> bool:
    """True if the URL named ``name`` (or else of ``view``) can be reversed."""
    return reversed_url(name, view, kwargs) is not None


def reversed_url(
    name: str, view: Callable[..., Any] | None = None, kwargs: Mapping[str, str] | None = None
) -> str | None:
    """The URL named ``name`` (or else of ``view``: a site may mount a view by itself,
    without its name) reversed with ``kwargs``; None if neither can be reversed."""
    for target in (name, view):
        if target is None:
            continue
        try:
            return reverse(target, kwargs=dict(kwargs) if kwargs else None)
        except NoReverseMatch:
            continue
    return None


def reversed_prefix(
    name: str, view: Callable[..., Any] | None = None, kwargs: Mapping[str, str] | None = None
) -> str | None:
    """``reversed_url`` without the part ``kwargs`` fill, in order (``/assets/<id>/<file>``
    -> ``/assets``); None if it cannot be reversed."""
    url = reversed_url(name, view, kwargs)
    if url is None or not kwargs:
        return url
    return url.removesuffix("/" + "/".join(kwargs.values()))


def root_urlconf() -> str:
    """``ROOT_URLCONF`` as a module name, for a message."""
    urlconf = settings.ROOT_URLCONF
    return urlconf if isinstance(urlconf, str) else getattr(urlconf, "__name__", str(urlconf))


def include_line(route: str, urls: str) -> str:
    """The ``path()`` that mounts the URLconf module ``urls`` at ``route``."""
    return f'path("{route}", include("{urls}"))'


def include_hint(route: str, urls: str) -> str:
    """The line to paste into the site's URLconf, as a sentence of a hint."""
    return (
        f"Add {include_line(route, urls)} to the urlpatterns of {root_urlconf()} "
        "(from django.urls import include, path)"
    )
