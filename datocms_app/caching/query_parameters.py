"""Which query parameters a cached page is keyed on, and which requests bypass the page cache.

Each distinct key the page cache is asked for can hold a whole page, so a key must name
something a visitor can ask for again. The query string enters a key only as its canonical
form (``keyed_query``):

- the parameters a view declares (``datocms_cache_page(query_parameters=[...])``, else
  ``DATOCMS["PAGE_CACHE_QUERY_PARAMETERS"]``) are kept, sorted by name, decoded and
  re-encoded (``?b=1&a=`` and ``?a&b=%31`` share a key; ``?a=`` and no ``a`` do not);
- other tracking parameters (``DATOCMS["PAGE_CACHE_TRACKING_PARAMETERS"]``: ``utm_*``,
  ``gclid``, ...) are dropped: ``/?utm_source=x`` is served the page of ``/``;
- any other parameter, or a declared one given twice (Django's ``request.GET[name]`` reads
  the last value and ``getlist`` all of them, so no single key is right for both), makes
  the request bypass the cache: it is rendered and served, and nothing is written.

This module must never let two requests share a key unless their views see the same
declared parameters with the same values.
"""

from __future__ import annotations

import functools
from collections.abc import Collection
from typing import Final
from urllib.parse import urlencode

from django.core.exceptions import TooManyFieldsSent
from django.http import Http404, HttpRequest
from django.urls import resolve

from datocms_app.conf import PARAMETER_NAME, DatoCMSSettings
from datocms_app.exceptions import InvalidArgument

__all__ = [
    "QUERY_PARAMETERS_ATTRIBUTE",
    "TrackingParameters",
    "declared_parameters",
    "keyed_query",
]

#: The attribute ``datocms_cache_page(query_parameters=...)`` sets on the view it returns:
#: ``PageCacheMiddleware`` reads it from the view a request resolves to.
QUERY_PARAMETERS_ATTRIBUTE: Final = "datocms_query_parameters"


class TrackingParameters:
    """Names and ``prefix*`` patterns of parameters dropped from every page key."""

    __slots__ = ("_everything", "_names", "_prefixes")

    def __init__(self, patterns: Collection[str]) -> None:
        self._everything = "*" in patterns
        self._names = frozenset(p for p in patterns if not p.endswith("*"))
        self._prefixes = tuple(p[:-1] for p in patterns if p.endswith("*") and p != "*")

    @classmethod
    def of(cls, conf: DatoCMSSettings) -> TrackingParameters:
        return _tracking_parameters(tuple(conf.PAGE_CACHE_TRACKING_PARAMETERS))

    def matches(self, name: str) -> bool:
        return self._everything or name in self._names or name.startswith(self._prefixes)


@functools.lru_cache(maxsize=8)
def _tracking_parameters(patterns: tuple[str, ...]) -> TrackingParameters:
    return TrackingParameters(patterns)


def declared_parameters(names: Collection[str] | None) -> frozenset[str] | None:
    """``query_parameters`` of ``datocms_cache_page``, checked (None: not declared)."""
    if names is None:
        return None
    if isinstance(names, str | bytes) or not isinstance(names, Collection):
        raise InvalidArgument(
            "query_parameters must be a list of parameter names such as ['page'], "
            f"got {type(names).__name__} {names!r}."
        )
    for name in names:
        if not isinstance(name, str) or not PARAMETER_NAME.fullmatch(name):
            raise InvalidArgument(
                "query_parameters must be a list of parameter names such as ['page'] "
                f"(no blanks, '&', '=', '#' or '*'), got {name!r}."
            )
    return frozenset(names)


def keyed_query(
    request: HttpRequest, conf: DatoCMSSettings, declared: frozenset[str] | None
) -> str | None:
    """The canonical query string of ``request``'s page key; None if it must bypass.

    ``declared`` is the view's own list (from the decorator); None means the declaration
    of the view the request resolves to, else ``PAGE_CACHE_QUERY_PARAMETERS``.
    """
    if not request.META.get("QUERY_STRING"):
        return ""
    try:
        parameters = request.GET.lists()
    except TooManyFieldsSent:
        # The view will answer 400 when it reads them; nothing of it is worth a key.
        return None
    if declared is None:
        declared = _view_parameters(request, conf)
        if declared is None:
            return None
    tracking = TrackingParameters.of(conf)
    pairs = []
    for name, values in parameters:
        if name in declared:
            if len(values) != 1:
                return None
            pairs.append((name, values[0]))
        elif not tracking.matches(name):
            return None
    return urlencode(sorted(pairs))


def _view_parameters(request: HttpRequest, conf: DatoCMSSettings) -> frozenset[str] | None:
    """The parameters the view of ``request`` declares (None: no view, so no key)."""
    try:
        match = resolve(request.path_info, getattr(request, "urlconf", None))
    except Http404:
        return None
    declared: frozenset[str] | None = getattr(match.func, QUERY_PARAMETERS_ATTRIBUTE, None)
    if declared is None:
        declared = frozenset(conf.PAGE_CACHE_QUERY_PARAMETERS)
    return declared
