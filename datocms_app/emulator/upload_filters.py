"""Filtering and ordering uploads (Content Delivery API > Filtering uploads).

``compile_upload_filter`` turns an ``UploadFilter`` (the CDA's input, coerced: camelCase
names, typed values) into a predicate over uploads; ``sort_uploads`` applies an
``UploadOrderBy`` list. The CDA's ``allUploads`` (``upload_queries``) and the CMA's
``GET /uploads`` (``cma.uploads``, whose snake_case names are translated first) share them.
Operators mean what they mean for records (``filters.value_test``): date-times are truncated
to the minute, ``matches`` takes ``{pattern, caseSensitive, regexp}``, ``alt`` and ``title``
are the upload's default metadata in the query's locale.

``UPLOAD_FILTERS`` lists the filters implemented, with their operators; DatoCMS's others
(``inUse``, ``resolution``, ``colors``, ``_antivirusStatus``) are not.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from graphql import GraphQLError

from datocms_app.emulator.filters import value_test
from datocms_app.emulator.project import Upload
from datocms_app.emulator.upload_facts import upload_facts

__all__ = [
    "UPLOAD_FILTERS",
    "UPLOAD_ORDERINGS",
    "UploadPredicate",
    "compile_upload_filter",
    "sort_uploads",
]

UploadPredicate = Callable[[Upload], bool]
_EQUALITY = ("eq", "neq", "in", "notIn")
_MATCHES = ("matches", "notMatches")
_RANGE = ("eq", "neq", "gt", "gte", "lt", "lte")
_TAGS = ("contains", "allIn", "anyIn", "notIn", "eq")

#: Filter name -> (kind of value, operators): the ``UploadFilter`` inputs implemented.
UPLOAD_FILTERS: dict[str, tuple[str, tuple[str, ...]]] = {
    "id": ("id", _EQUALITY),
    "type": ("upload_type", _EQUALITY),
    "format": ("string", _EQUALITY),
    "md5": ("string", _EQUALITY),
    "mimeType": ("string", (*_EQUALITY, *_MATCHES)),
    "filename": ("string", _MATCHES),
    "basename": ("string", _MATCHES),
    "author": ("string", (*_MATCHES, "exists")),
    "copyright": ("string", (*_MATCHES, "exists")),
    "notes": ("string", (*_MATCHES, "exists")),
    "alt": ("string", (*_EQUALITY, *_MATCHES, "exists")),
    "title": ("string", (*_EQUALITY, *_MATCHES, "exists")),
    "size": ("integer", _RANGE),
    "width": ("integer", _RANGE),
    "height": ("integer", _RANGE),
    "tags": ("tags", _TAGS),
    "smartTags": ("tags", _TAGS),
    "orientation": ("orientation", ("eq", "neq")),
    "_createdAt": ("datetime", _RANGE),
    "_updatedAt": ("datetime", _RANGE),
}
#: The ``UploadOrderBy`` fields (each with ``_ASC`` and ``_DESC``).
UPLOAD_ORDERINGS = (
    "_createdAt", "_updatedAt", "basename", "filename", "format", "id", "mimeType",
    "resolution", "size",
)  # fmt: skip


def _getter(name: str, locale: str, fallbacks: Sequence[str]) -> Callable[[Upload], Any]:
    if name in ("alt", "title"):

        def metadata(upload: Upload) -> Any:
            for candidate in (locale, *fallbacks):
                value = upload.metadata(candidate, name)
                if value:
                    return value
            return None

        return metadata
    plain: dict[str, Callable[[Upload], Any]] = {
        "id": lambda u: u.id,
        "filename": lambda u: u.filename,
        "basename": lambda u: u.basename,
        "author": lambda u: u.author,
        "copyright": lambda u: u.copyright,
        "notes": lambda u: u.notes,
        "tags": lambda u: list(u.tags),
        "smartTags": lambda u: [],
        "_createdAt": lambda u: u.created_at,
        "_updatedAt": lambda u: u.updated_at,
        "type": lambda u: upload_facts(u).kind,
        "format": lambda u: upload_facts(u).format,
        "md5": lambda u: upload_facts(u).md5,
        "mimeType": lambda u: upload_facts(u).mime_type,
        "size": lambda u: upload_facts(u).size,
        "width": lambda u: upload_facts(u).width,
        "height": lambda u: upload_facts(u).height,
        "orientation": _orientation,
        "resolution": _resolution,
    }
    return plain[name]


def _orientation(upload: Upload) -> str | None:
    facts = upload_facts(upload)
    if facts.width is None or facts.height is None:
        return None
    if facts.width == facts.height:
        return "square"
    return "landscape" if facts.width > facts.height else "portrait"


def _resolution(upload: Upload) -> int | None:
    facts = upload_facts(upload)
    return facts.width * facts.height if facts.width and facts.height else None


def compile_upload_filter(
    spec: Mapping[str, Any] | None, locale: str, fallbacks: Sequence[str] = ()
) -> UploadPredicate:
    """A predicate for an ``UploadFilter``; ``GraphQLError`` naming what is not supported."""
    if not spec:
        return lambda upload: True
    checks: list[UploadPredicate] = []
    for name, condition in spec.items():
        if condition is None:
            continue
        if name in ("AND", "OR"):
            parts = [compile_upload_filter(part, locale, fallbacks) for part in condition if part]
            checks.append(_combined(name, parts))
            continue
        if name not in UPLOAD_FILTERS:
            raise GraphQLError(
                f"Uploads cannot be filtered by {name!r} in the emulator; filters are: "
                f"{', '.join(UPLOAD_FILTERS)}, AND, OR."
            )
        kind, operators = UPLOAD_FILTERS[name]
        get = _getter(name, locale, fallbacks)
        for operator, argument in condition.items():
            if argument is None:
                continue
            if operator not in operators:
                raise GraphQLError(
                    f"Uploads' {name!r} filter takes {', '.join(operators)}, not {operator!r}."
                )
            checks.append(_tested(get, value_test(kind, operator, argument, name)))
    return lambda upload: all(check(upload) for check in checks)


def _combined(operator: str, parts: list[UploadPredicate]) -> UploadPredicate:
    if operator == "AND":
        return lambda upload: all(part(upload) for part in parts)
    return lambda upload: any(part(upload) for part in parts)


def _tested(get: Callable[[Upload], Any], test: Callable[[Any], bool]) -> UploadPredicate:
    return lambda upload: test(get(upload))


def sort_uploads(
    uploads: Sequence[Upload], order_by: Sequence[str] | None, locale: str
) -> list[Upload]:
    """``uploads`` in ``order_by`` order (default ``_createdAt_ASC``), nulls last."""
    ordered = sorted(uploads, key=lambda upload: (upload.created_at, upload.id))
    for spec in reversed([s for s in (order_by or ()) if s]):
        name, _, direction = spec.rpartition("_")
        if name not in UPLOAD_ORDERINGS or direction not in ("ASC", "DESC"):
            raise GraphQLError(
                f"Uploads cannot be ordered by {spec!r}; use <field>_ASC or <field>_DESC with "
                f"one of {', '.join(UPLOAD_ORDERINGS)}."
            )
        get = _getter(name, locale, ())
        descending = direction == "DESC"

        def key(upload: Upload, get: Callable[[Upload], Any] = get, desc: bool = descending) -> Any:
            value = get(upload)
            if value is None:
                return (not desc, 0)
            return (desc, value.casefold() if isinstance(value, str) else value)

        ordered.sort(key=key, reverse=descending)
    return ordered
