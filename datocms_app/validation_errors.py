"""A pydantic ``ValidationError`` in words a developer can act on, for every part of the library.

``describe_validation_error`` writes each error as ``<where>: <what is wrong>``, joined by
``"; "``: where is the dotted path of the value (``entity.attributes.tags.1``), or the form the
caller gives (``settings.DATOCMS['TIMEOUT']``); what is wrong is our own validator's message
as it is, or pydantic's message followed by the type expected (when the model is given) and
the value received (``got str 'ten'``, truncated). An unknown key lists the known ones.

This module must never echo a value whose location names a secret (a token, a secret, a
password: ``got str (value hidden)``), the value of an unknown key, or the whole object a
required key is missing from.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final, TypeGuard, get_args

from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo
from pydantic_core import ErrorDetails, core_schema

__all__ = ["Location", "describe_validation_error", "names_a_secret", "shown_value"]

Location = tuple[int | str, ...]

_SECRET_WORDS: Final = ("token", "secret", "password")
# Every error type pydantic itself raises; any other type comes from a PydanticCustomError of
# ours, whose message speaks for itself.
_PYDANTIC_ERROR_TYPES: Final = frozenset(get_args(core_schema.ErrorType))
# Pydantic's wrappers around an exception raised by one of our validators.
_OUR_EXCEPTION_TYPES: Final = frozenset({"value_error", "assertion_error"})
_SHOWN_CHARACTERS: Final = 60


def names_a_secret(location: Location) -> bool:
    """Whether a key on ``location`` names a token, a secret or a password."""
    return any(word in str(part).lower() for part in location for word in _SECRET_WORDS)


def describe_validation_error(
    exc: ValidationError,
    *,
    root: str = "value",
    where: Callable[[Location], str] | None = None,
    model: type[BaseModel] | None = None,
    hide: Callable[[Location], bool] = names_a_secret,
    limit: int = 5,
) -> str:
    """The first ``limit`` errors of ``exc``, each as ``<where>: <what is wrong>``.

    ``root`` names the whole value (errors about the value itself, not one of its keys);
    ``where`` writes a location instead of the dotted path; ``model`` (the model validated)
    adds the type each key expects and the keys an unknown one could have been; ``hide``
    says whose values must not be shown (by default those that name a secret).
    """
    errors = exc.errors(include_url=False)
    described = [
        _describe(error, root=root, where=where, model=model, hide=hide) for error in errors[:limit]
    ]
    more = f" (and {len(errors) - limit} more)" if len(errors) > limit else ""
    return "; ".join(described) + more


def _describe(
    error: ErrorDetails,
    *,
    root: str,
    where: Callable[[Location], str] | None,
    model: type[BaseModel] | None,
    hide: Callable[[Location], bool],
) -> str:
    location: Location = tuple(error["loc"])
    place = where(location) if where is not None else _dotted(location, root)
    if error["type"] == "extra_forbidden":
        known = _innermost_model(model, location[:-1])
        names = f"; known keys are: {', '.join(sorted(known.model_fields))}" if known else ""
        return f"{place}: unknown key{names}"
    ours = _our_message(error)
    if ours is not None:
        return f"{place}: {ours}"
    details = []
    fields = _fields_along(model, location)
    if fields:
        details.append(f"expected {_type_name(fields[-1].annotation)}")
    if error["type"] != "missing":  # the input of a missing key is the object it is missing from
        details.append(f"got {shown_value(error.get('input'), hidden=hide(location))}")
    return f"{place}: {error['msg']}" + (f" ({', '.join(details)})" if details else "")


def _our_message(error: ErrorDetails) -> str | None:
    """The message one of our validators wrote, or ``None`` for pydantic's own errors."""
    if error["type"] in _OUR_EXCEPTION_TYPES:
        return str(error.get("ctx", {}).get("error", error["msg"])).removesuffix(".")
    if error["type"] not in _PYDANTIC_ERROR_TYPES:
        return error["msg"].removesuffix(".")
    return None


def _dotted(location: Location, root: str) -> str:
    return ".".join(str(part) for part in location) or root


def shown_value(value: Any, *, hidden: bool = False) -> str:
    """A value for a message: its type and its ``repr``, cut to 60 characters (``str 'ten'``);
    only its type when ``hidden``."""
    if hidden:
        return f"{type(value).__name__} (value hidden)"
    text = repr(value)
    if len(text) > _SHOWN_CHARACTERS:
        text = text[: _SHOWN_CHARACTERS - 3] + "..."
    return f"{type(value).__name__} {text}"


def _is_model(annotation: Any) -> TypeGuard[type[BaseModel]]:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def _fields_along(model: type[BaseModel] | None, location: Location) -> list[FieldInfo]:
    """The fields of ``model`` (and of the models nested in it) along ``location``."""
    fields: list[FieldInfo] = []
    current: Any = model
    for part in location:
        field = current.model_fields.get(str(part)) if _is_model(current) else None
        if field is None:
            break
        fields.append(field)
        current = field.annotation
    return fields


def _innermost_model(model: type[BaseModel] | None, location: Location) -> type[BaseModel] | None:
    """The model (``model`` or one nested in it) that the object at ``location`` is."""
    fields = _fields_along(model, location)
    if len(fields) < len(location):
        return None
    inner = fields[-1].annotation if fields else model
    return inner if _is_model(inner) else None


def _type_name(annotation: Any) -> str:
    if isinstance(annotation, type):
        return annotation.__name__
    return str(annotation).replace("typing.", "")  # list[str], str | None
