"""The emulator's webhook settings: the CMA's ``webhook`` object as pydantic models.

``DATOCMS["EMULATOR"]["WEBHOOKS"]`` is a list of dicts with the keys of DatoCMS's webhook
(``url``, ``name``, ``headers``, ``events``, ``http_basic_user``, ``http_basic_password``,
``enabled``, ``auto_retry``, ``id``); ``coerce_webhooks`` validates them and raises
``ConfigurationError`` naming the webhook and the key, worded by the library's one formatter
(``datocms_app.validation_errors``). Custom (Mustache) payloads are not supported. Pure data:
no I/O, and a password or a header value never appears in a ``repr`` or a message.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from datocms_app.exceptions import ConfigurationError
from datocms_app.validation_errors import Location, describe_validation_error, names_a_secret

__all__ = [
    "EVENT_TYPES",
    "Webhook",
    "WebhookEvent",
    "WebhookFilter",
    "coerce_webhooks",
    "describe_events",
]

EntityType = Literal[
    "item_type",
    "item",
    "upload",
    "build_trigger",
    "environment",
    "maintenance_mode",
    "sso_user",
    "cda_cache_tags",
]
#: The events DatoCMS offers for each entity (General concepts > Webhooks > triggers).
EVENT_TYPES: dict[str, frozenset[str]] = {
    "item": frozenset({"create", "update", "delete", "publish", "unpublish"}),
    "item_type": frozenset({"create", "update", "delete"}),
    "upload": frozenset({"create", "update", "delete"}),
    "build_trigger": frozenset({"deploy_started", "deploy_succeeded", "deploy_failed"}),
    "environment": frozenset({"deploy_started", "deploy_succeeded", "deploy_failed", "promote"}),
    "maintenance_mode": frozenset({"change"}),
    "sso_user": frozenset({"create"}),
    "cda_cache_tags": frozenset({"invalidate"}),
}


class WebhookFilter(BaseModel):
    """Restrict a trigger to some records (``item``) or models (``item_type``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    entity_type: Literal["item_type", "item", "build_trigger", "environment", "environment_type"]
    entity_ids: tuple[str, ...]


class WebhookEvent(BaseModel):
    """One trigger of a webhook, as in the CMA's ``webhook.events``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    entity_type: EntityType
    event_types: tuple[str, ...]
    filters: tuple[WebhookFilter, ...] | None = None

    @model_validator(mode="after")
    def _known_event_types(self) -> WebhookEvent:
        allowed = EVENT_TYPES[self.entity_type]
        unknown = sorted(set(self.event_types) - allowed)
        if unknown or not self.event_types:
            raise ValueError(
                f"event_types of {self.entity_type!r} must be a non-empty list of "
                f"{sorted(allowed)}, got {list(self.event_types)}"
            )
        return self


def _default_events() -> tuple[WebhookEvent, ...]:
    return (WebhookEvent(entity_type="cda_cache_tags", event_types=("invalidate",)),)


class Webhook(BaseModel):
    """A configured webhook: the CMA's ``webhook`` object, minus custom payloads.

    ``events`` defaults to the one trigger a Django site needs: *CDA Cache Tags >
    Invalidate*. ``id`` defaults to the webhook's position in the list, starting at ``"1"``.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = ""
    name: str = ""
    url: str
    enabled: bool = True
    headers: dict[str, str] = Field(default_factory=dict)
    events: tuple[WebhookEvent, ...] = Field(default_factory=_default_events)
    http_basic_user: str | None = None
    http_basic_password: str | None = Field(default=None, repr=False)
    auto_retry: bool = True

    @field_validator("url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError(
                "must be an http(s) URL such as "
                "'http://127.0.0.1:8000/datocms/webhooks/cache-tags/'"
            )
        return value

    @field_validator("headers")
    @classmethod
    def _header_names(cls, value: dict[str, str]) -> dict[str, str]:
        for name, header_value in value.items():
            if (
                not name
                or not name.isascii()
                or any(c in name for c in " :\r\n")
                or any(c in header_value for c in "\r\n")
                or not _latin1(header_value)
            ):
                raise ValueError(f"{name!r} is not a valid HTTP header name and value")
        return value

    @model_validator(mode="after")
    def _complete_basic_auth(self) -> Webhook:
        if (self.http_basic_user is None) != (self.http_basic_password is None):
            raise ValueError("set both http_basic_user and http_basic_password, or neither")
        return self

    def triggers_on(
        self,
        entity_type: str,
        event_type: str,
        *,
        filter_ids: Mapping[str, Collection[str]] | None = None,
    ) -> bool:
        """Whether an event fires this webhook. ``filter_ids`` maps filter entity types
        (``item``, ``item_type``) to the ids the event's entity is known by (a model by its
        id and its API key)."""
        if not self.enabled:
            return False
        for event in self.events:
            if event.entity_type != entity_type or event_type not in event.event_types:
                continue
            if not event.filters:
                return True
            ids = filter_ids or {}
            if all(set(ids.get(f.entity_type, ())) & set(f.entity_ids) for f in event.filters):
                return True
        return False


def _latin1(text: str) -> bool:
    try:
        text.encode("latin-1")
    except UnicodeEncodeError:
        return False
    return True


def coerce_webhooks(webhooks: Sequence[Webhook | Mapping[str, Any]]) -> Iterable[Webhook]:
    """Validate webhook dicts (or ``Webhook``s); number the ones without an ``id``."""
    if isinstance(webhooks, str | bytes | Mapping):
        raise ConfigurationError(
            "Webhooks must be a list of webhook dicts, e.g. "
            '[{"url": "http://127.0.0.1:8000/datocms/webhooks/cache-tags/", '
            '"http_basic_user": "dato", "http_basic_password": "secret"}].'
        )
    seen: set[str] = set()
    for position, webhook in enumerate(webhooks, start=1):
        if not isinstance(webhook, Webhook):
            try:
                keys = dict(webhook)
            except (TypeError, ValueError):
                raise ConfigurationError(
                    f"Webhook #{position} must be a dict of webhook keys, got "
                    f"{type(webhook).__name__}. Known keys: "
                    f"{', '.join(sorted(Webhook.model_fields))}."
                ) from None
            try:
                webhook = Webhook.model_validate(keys)
            except ValidationError as exc:
                problems = describe_validation_error(
                    exc, root="webhook", model=Webhook, hide=_hidden_in_webhooks
                )
                raise ConfigurationError(f"Webhook #{position} is not valid: {problems}.") from None
        if not webhook.id:
            webhook = webhook.model_copy(update={"id": str(position)})
        if webhook.id in seen:
            raise ConfigurationError(
                f"Two webhooks have the id {webhook.id!r}; give each a distinct id."
            )
        seen.add(webhook.id)
        yield webhook


def _hidden_in_webhooks(location: Location) -> bool:
    # Header values carry credentials as often as the password does (Authorization, API keys).
    return names_a_secret(location) or location[:1] == ("headers",)


def describe_events() -> str:
    return "; ".join(
        f"{entity}: {', '.join(sorted(events))}" for entity, events in EVENT_TYPES.items()
    )
