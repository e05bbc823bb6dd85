"""Changing a running emulator over HTTP: ``POST /_emulator/changes``.

A running emulator (standalone, or embedded in a Django site) accepts one change per request
as JSON, with the same vocabulary as ``ContentEditor``::

    {"action": "update_record", "id": "...", "fields": {"title": "New"}, "locale": "it",
     "publish": true}
    {"action": "create_record", "item_type": "article", "fields": {...}, "publish": false}
    {"action": "publish_record" | "unpublish_record" | "delete_record", "id": "..."}
    {"action": "update_upload", "id": "...", "default_field_metadata": {...}, "author": ...}
    {"action": "update_site", "settings": {"name": "..."}}
    {"action": "drain_webhooks", "timeout": 10}

and answers ``200 {"action", "tags", "events", "record", "upload", "webhook_calls"}`` (the
webhook calls the change made, once each was attempted) or a CMA-style error body
``{"data": [{"type": "api_error", "attributes": {"code", "details"}}]}`` with 404 (no such
record/model/upload) or 422 (a refused change). ``RemoteEditor`` is the
client: it raises the same ``ContentChangeError`` subclasses as ``ContentEditor``.

The caller (the server's route or the Django view) authenticates the request; this module
never accepts a change without being asked by one of them.
"""

from __future__ import annotations

import contextlib
import copy
import json
from collections.abc import Mapping
from typing import Any

import httpx

from datocms_app.emulator.changes import ChangeResult, ContentEditor
from datocms_app.emulator.events import item_entity, upload_entity
from datocms_app.emulator.exceptions import (
    ContentChangeError,
    EmulatorUnreachable,
    InvalidFieldValue,
    InvalidStatusChange,
    RecordNotFound,
    UnknownModel,
    WebhookDrainTimeout,
)
from datocms_app.emulator.webhooks import TOTAL_TIMEOUT, WebhookCall, WebhookDispatcher

__all__ = [
    "ADMIN_PATH",
    "RemoteEditor",
    "RemoteResult",
    "call_summary",
    "describe_result",
    "error_body",
    "handle_change_request",
]

#: Where a running emulator accepts changes, relative to its base URL.
ADMIN_PATH = "_emulator/changes"
MAX_BODY = 5 * 1024 * 1024
#: How long a change's answer waits for the first attempt of its webhook calls: DatoCMS's
#: timeout for one call, and a little more.
DELIVERY_WAIT = TOTAL_TIMEOUT + 2

_ERRORS: dict[str, type[ContentChangeError]] = {
    cls.code: cls
    for cls in (ContentChangeError, UnknownModel, RecordNotFound, InvalidFieldValue,
                InvalidStatusChange)
}  # fmt: skip
_ACTIONS = {
    "create_record": ({"item_type", "fields"}, {"publish", "id", "locale", "dry_run"}),
    "update_record": ({"id", "fields"}, {"locale", "publish", "dry_run"}),
    "publish_record": ({"id"}, {"dry_run"}),
    "unpublish_record": ({"id"}, {"dry_run"}),
    "delete_record": ({"id"}, {"dry_run"}),
    "update_upload": (
        {"id"},
        {"default_field_metadata", "author", "copyright", "notes", "tags", "dry_run"},
    ),
    "update_site": ({"settings"}, {"dry_run"}),
    "drain_webhooks": (set(), {"timeout"}),
}


def error_body(code: str, message: str) -> dict[str, Any]:
    """DatoCMS's API error envelope."""
    return {
        "data": [
            {
                "id": code.lower(),
                "type": "api_error",
                "attributes": {"code": code, "details": {"message": message}},
            }
        ]
    }


def handle_change_request(
    editor: ContentEditor,
    body: bytes,
    *,
    dispatcher: WebhookDispatcher | None = None,
) -> tuple[int, dict[str, Any]]:
    """Apply the change a request body asks for; ``(HTTP status, JSON body)``."""
    if len(body) > MAX_BODY:
        return 413, error_body("REQUEST_TOO_LARGE", f"Bodies are limited to {MAX_BODY} bytes.")
    try:
        request = json.loads(body or b"null")
    except ValueError as exc:
        return 400, error_body("INVALID_JSON_BODY", f"The body is not valid JSON: {exc}.")
    try:
        action, arguments = _parse(request)
        if action == "drain_webhooks":
            return 200, _drain(dispatcher, arguments.get("timeout", 10))
        earlier = {call.id for call in dispatcher.calls} if dispatcher is not None else set()
        result = _apply(editor, action, arguments)
    except ContentChangeError as exc:
        status = 404 if isinstance(exc, RecordNotFound | UnknownModel) else 422
        return status, error_body(exc.code, str(exc))
    except WebhookDrainTimeout as exc:
        return 504, error_body("WEBHOOKS_PENDING", str(exc))
    state = editor.store.state
    record = result.record
    model = state.schema.models.get(record.model) if record is not None else None
    return 200, {
        "action": result.action,
        "tags": list(result.tags),
        "events": result.events,
        "record": item_entity(record, model) if record is not None and model else None,
        "upload": upload_entity(result.upload) if result.upload is not None else None,
        "webhook_calls": _first_attempts(dispatcher, earlier),
    }


def _first_attempts(
    dispatcher: WebhookDispatcher | None, earlier: set[str]
) -> list[dict[str, Any]]:
    """The webhook calls of the change just made, once each was attempted (or after
    ``DELIVERY_WAIT`` seconds): the caller learns where they went and how they fared."""
    if dispatcher is None:
        return []
    made = [call for call in dispatcher.calls if call.id not in earlier]
    if made:
        # Calls still waiting after DELIVERY_WAIT are reported as they are: pending.
        with contextlib.suppress(WebhookDrainTimeout):
            dispatcher.drain(DELIVERY_WAIT, retries=False)
    return [call_summary(call) for call in made]


def _parse(request: Any) -> tuple[str, dict[str, Any]]:
    if not isinstance(request, Mapping) or request.get("action") not in _ACTIONS:
        raise ContentChangeError(
            "The body must be a JSON object whose 'action' is one of "
            f"{', '.join(_ACTIONS)}; e.g. "
            '{"action": "publish_record", "id": "<record id>"}.'
        )
    action = str(request["action"])
    required, optional = _ACTIONS[action]
    given = set(request) - {"action"}
    missing, unknown = required - given, given - required - optional
    if missing or unknown:
        raise ContentChangeError(
            f"{action} takes {', '.join(sorted(required)) or 'nothing'}"
            + (f" (and optionally {', '.join(sorted(optional))})" if optional else "")
            + (f"; missing: {', '.join(sorted(missing))}" if missing else "")
            + (f"; unknown: {', '.join(sorted(unknown))}" if unknown else "")
            + "."
        )
    return action, {k: v for k, v in request.items() if k != "action"}


def _apply(editor: ContentEditor, action: str, args: dict[str, Any]) -> ChangeResult:
    for flag in ("publish", "dry_run"):
        if flag in args and not isinstance(args[flag], bool):
            raise InvalidFieldValue(f"'{flag}' must be true or false, got {args[flag]!r}.")
    if args.pop("dry_run", False):
        editor = editor.dry_run()
    if action == "create_record":
        return editor.create_record(
            args["item_type"],
            args["fields"],
            publish=args.get("publish", False),
            id=args.get("id"),
            locale=args.get("locale"),
        )
    if action == "update_record":
        return editor.update_record(
            args["id"],
            args["fields"],
            locale=args.get("locale"),
            publish=args.get("publish", False),
        )
    if action == "publish_record":
        return editor.publish_record(args["id"])
    if action == "unpublish_record":
        return editor.unpublish_record(args["id"])
    if action == "delete_record":
        return editor.delete_record(args["id"])
    if action == "update_upload":
        upload_id = args.pop("id")
        return editor.update_upload(upload_id, **args)
    settings = args["settings"]
    if not isinstance(settings, Mapping):
        raise InvalidFieldValue('\'settings\' must be an object such as {"name": "My site"}.')
    return editor.update_site(**settings)


def _drain(dispatcher: WebhookDispatcher | None, timeout: Any) -> dict[str, Any]:
    if isinstance(timeout, bool) or not isinstance(timeout, int | float) or not 0 <= timeout <= 60:
        raise InvalidFieldValue(f"'timeout' must be 0-60 seconds, got {timeout!r}.")
    if dispatcher is None:
        return {"action": "drain_webhooks", "webhook_calls": []}
    dispatcher.drain(float(timeout))
    return {
        "action": "drain_webhooks",
        "webhook_calls": [call_summary(c) for c in dispatcher.calls],
    }


def call_summary(call: WebhookCall) -> dict[str, Any]:
    last = call.last_attempt
    return {
        "id": call.id,
        "webhook_id": call.webhook_id,
        "entity_type": call.entity_type,
        "event_type": call.event_type,
        "request_url": call.request_url,
        "status": call.status,
        "attempts": len(call.attempts),
        "response_status": last.response_status if last else None,
        "error": last.error if last else None,
    }


# -- the client -----------------------------------------------------------------------------


class RemoteResult(dict[str, Any]):
    """The JSON answer of a change: ``["tags"]``, ``["events"]``, ``["record"]``..."""

    @property
    def tags(self) -> list[str]:
        return list(self.get("tags") or [])

    @property
    def events(self) -> list[str]:
        return list(self.get("events") or [])


class RemoteEditor:
    """``ContentEditor``'s methods, applied to a running emulator over HTTP.

    ``base_url`` is the emulator's root (``http://127.0.0.1:8700/``, or a Django site's
    ``http://127.0.0.1:8000/datocms/emulator/``); ``token`` its admin token.
    """

    def __init__(
        self,
        base_url: str,
        *,
        token: str,
        timeout: float = 30.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        if not isinstance(base_url, str) or not base_url.startswith(("http://", "https://")):
            raise InvalidFieldValue(
                "The emulator URL must be http(s), e.g. 'http://127.0.0.1:8700/'; "
                f"got {base_url!r}."
            )
        self.url = base_url.rstrip("/") + "/" + ADMIN_PATH
        self._dry_run = False
        self._client = httpx.Client(
            transport=transport,
            timeout=timeout,
            headers={"Authorization": f"Bearer {token}", "Accept": "application/json"},
            trust_env=False,
        )

    def close(self) -> None:
        self._client.close()

    def dry_run(self) -> RemoteEditor:
        """An editor whose changes the emulator only tries on a private copy of its content:
        the answer says what would change and which tags, and nothing is committed. It
        shares this editor's connection (closing either closes both)."""
        editor = copy.copy(self)
        editor._dry_run = True
        return editor

    def __enter__(self) -> RemoteEditor:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def create_record(
        self,
        item_type: str,
        fields: Mapping[str, Any],
        *,
        publish: bool = False,
        id: str | None = None,
        locale: str | None = None,
    ) -> RemoteResult:
        body: dict[str, Any] = {"item_type": item_type, "fields": dict(fields), "publish": publish}
        if id is not None:
            body["id"] = id
        if locale is not None:
            body["locale"] = locale
        return self.send("create_record", **body)

    def update_record(
        self,
        record_id: str,
        fields: Mapping[str, Any],
        *,
        locale: str | None = None,
        publish: bool = False,
    ) -> RemoteResult:
        body: dict[str, Any] = {"id": record_id, "fields": dict(fields), "publish": publish}
        if locale is not None:
            body["locale"] = locale
        return self.send("update_record", **body)

    def publish_record(self, record_id: str) -> RemoteResult:
        return self.send("publish_record", id=record_id)

    def unpublish_record(self, record_id: str) -> RemoteResult:
        return self.send("unpublish_record", id=record_id)

    def delete_record(self, record_id: str) -> RemoteResult:
        return self.send("delete_record", id=record_id)

    def update_upload(self, upload_id: str, **metadata: Any) -> RemoteResult:
        return self.send("update_upload", id=upload_id, **metadata)

    def update_site(self, **settings: Any) -> RemoteResult:
        return self.send("update_site", settings=settings)

    def drain_webhooks(self, timeout: float = 10.0) -> list[dict[str, Any]]:
        calls: list[dict[str, Any]] = self.send("drain_webhooks", timeout=timeout)["webhook_calls"]
        return calls

    def send(self, action: str, **arguments: Any) -> RemoteResult:
        """POST one change; raise the ``ContentChangeError`` the emulator answered with."""
        body = {"action": action, **arguments}
        if self._dry_run and action != "drain_webhooks":
            body["dry_run"] = True
        try:
            response = self._client.post(self.url, json=body)
        except httpx.HTTPError as exc:
            # No connection means nothing was sent: the caller may safely try elsewhere.
            error = (
                EmulatorUnreachable if isinstance(exc, httpx.ConnectError) else ContentChangeError
            )
            raise error(
                f"Could not reach the emulator at {self.url}: {exc}. Is it running? Start it "
                "with 'manage.py datocms_emulator' (or 'manage.py runserver' for the embedded one)."
            ) from exc
        try:
            payload = response.json()
        except ValueError:
            payload = None
        if response.status_code == 200 and isinstance(payload, dict):
            return RemoteResult(payload)
        code, message = _error_of(payload)
        if response.status_code in (401, 403):
            raise ContentChangeError(
                f"The emulator at {self.url} refused the admin token (HTTP "
                f"{response.status_code}): {message or response.text[:200]}. Pass the token the "
                "emulator was started with (--token)."
            )
        if response.status_code == 504:
            raise WebhookDrainTimeout(message)
        error_class = _ERRORS.get(code or "", ContentChangeError)
        raise error_class(message or f"HTTP {response.status_code} from {self.url}: "
                          f"{response.text[:200]}")  # fmt: skip


def _error_of(payload: Any) -> tuple[str | None, str]:
    try:
        attributes = payload["data"][0]["attributes"]
        return str(attributes["code"]), str(attributes["details"].get("message", ""))
    except (KeyError, IndexError, TypeError, AttributeError):
        return None, ""


def describe_result(result: Mapping[str, Any] | ChangeResult) -> str:
    """One line for a terminal: what changed, the events, how many tags were invalidated."""
    if isinstance(result, ChangeResult):
        action, events, tag_list = result.action, result.events, list(result.tags)
        record_id = result.record.id if result.record else None
    else:
        action, events = result["action"], result.get("events") or []
        tag_list, record_id = result.get("tags") or [], (result.get("record") or {}).get("id")
    subject = f" record {record_id}" if record_id else ""
    fired = f" (webhook events: {', '.join(events)})" if events else ""
    return f"{action}{subject}{fired}; invalidated {len(tag_list)} cache tag(s)"
