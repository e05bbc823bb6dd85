"""``manage.py datocms_emulator_change``: create, update, publish, unpublish or delete emulator
records (and edit uploads' metadata or site settings), firing DatoCMS's webhooks.

::

    manage.py datocms_emulator_change update ARTICLE_ID --field title="New title" --locale it
    manage.py datocms_emulator_change create article --field title=Hello --locale en --publish
    manage.py datocms_emulator_change publish ARTICLE_ID
    manage.py datocms_emulator_change delete ARTICLE_ID --url http://127.0.0.1:8700/

Without ``--url`` the change goes to this process's embedded emulator (the one the current
settings configure) and the command waits for its webhook deliveries before exiting. With
``--url`` it goes to a running emulator: ``manage.py datocms_emulator``'s, or a ``runserver``'s
embedded one at ``http://127.0.0.1:8000/datocms/emulator/`` (DEBUG only).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from datocms_app.emulator.conf import get_emulator_settings
from datocms_app.emulator.exceptions import WebhookDrainTimeout
from datocms_app.exceptions import DatoCMSError

if TYPE_CHECKING:
    from datocms_app.emulator.changes import ContentEditor
    from datocms_app.emulator.remote import RemoteEditor

ACTIONS = ("create", "update", "publish", "unpublish", "delete", "upload", "site")


class Command(BaseCommand):
    help = (
        "Change the emulator's content like an editor would: create/update/publish/unpublish/"
        "delete a record, edit an upload's metadata or the site's settings. Every change sends "
        "DatoCMS's webhooks (cache-tags invalidation, record events) to "
        "DATOCMS['EMULATOR']['WEBHOOKS']. Targets this process's embedded emulator, or a "
        "running one with --url."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=ACTIONS, help="what to do")
        parser.add_argument(
            "target",
            nargs="?",
            help="record id (update/publish/unpublish/delete), model API key (create) or "
            "upload id (upload); none for site",
        )
        parser.add_argument(
            "--field",
            action="append",
            default=[],
            metavar="KEY=VALUE",
            help="a field's value as a string (repeatable); with --locale, that locale's value",
        )
        parser.add_argument(
            "--json-field",
            action="append",
            default=[],
            metavar="KEY=JSON",
            help="a field's value as JSON: numbers, true/false, null, lists, objects "
            '(e.g. --json-field views=3 --json-field title=\'{"en": "Hi", "it": "Ciao"}\')',
        )
        parser.add_argument("--locale", help="the locale the values of localized fields are for")
        parser.add_argument(
            "--publish", action="store_true", help="create/update: publish the result too"
        )
        parser.add_argument("--id", dest="record_id", help="create: the new record's id")
        parser.add_argument(
            "--url",
            help="a running emulator: http://127.0.0.1:8700/ (manage.py datocms_emulator) or "
            "http://127.0.0.1:8000/datocms/emulator/ (a DEBUG runserver's embedded one)",
        )
        parser.add_argument(
            "--token", help="the emulator's token (default: DATOCMS['EMULATOR']['TOKENS'][0])"
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="check the change and show what it would invalidate, without applying it",
        )
        parser.add_argument(
            "--no-wait",
            action="store_true",
            help="embedded: exit without waiting for webhook deliveries (they are dropped)",
        )
        parser.add_argument(
            "--wait-timeout",
            type=float,
            default=30.0,
            metavar="SECONDS",
            help="embedded: how long to wait for webhook deliveries (30)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        action: str = options["action"]
        target: str | None = options["target"]
        if action != "site" and not target:
            raise CommandError(f"'{action}' needs a {_target_name(action)}.")
        if action == "site" and target:
            raise CommandError("'site' takes no target: pass --field name=... etc.")
        fields = _fields(options["field"], options["json_field"])
        if action in ("create", "update", "upload", "site") and not fields:
            raise CommandError(
                f"'{action}' needs at least one --field KEY=VALUE or --json-field KEY=JSON."
            )
        if action in ("publish", "unpublish", "delete") and fields:
            raise CommandError(f"'{action}' takes no --field.")
        try:
            conf = get_emulator_settings()
            editor = self._editor(options, conf.TOKENS[0])
            try:
                chosen = editor.dry_run() if options["dry_run"] else editor
                result = _apply(chosen, action, target, fields, options)
            finally:
                if hasattr(editor, "close"):
                    editor.close()
        except DatoCMSError as exc:
            raise CommandError(str(exc)) from exc
        from datocms_app.emulator.remote import describe_result

        prefix = "Dry run, nothing changed: would " if options["dry_run"] else ""
        self.stdout.write(prefix + describe_result(result))
        tags = list(result["tags"] if isinstance(result, dict) else result.tags)
        if options["verbosity"] >= 2 and tags:
            self.stdout.write("Tags: " + " ".join(tags))
        if not options["url"] and not options["dry_run"] and not options["no_wait"]:
            self._wait_for_webhooks(options["wait_timeout"])

    def _editor(self, options: dict[str, Any], default_token: str) -> ContentEditor | RemoteEditor:
        if options["url"]:
            from datocms_app.emulator.remote import RemoteEditor

            return RemoteEditor(options["url"], token=options["token"] or default_token)
        if options["token"]:
            raise CommandError("--token only makes sense with --url.")
        from datocms_app.emulator.embedded import get_emulator

        return get_emulator().changes

    def _wait_for_webhooks(self, timeout: float) -> None:
        from datocms_app.emulator.embedded import get_emulator
        from datocms_app.emulator.webhooks import AUTO_RETRY_SCHEDULE

        dispatcher = get_emulator().webhooks
        try:
            # Retries come minutes to days later (times WEBHOOK_RETRY_SCALE): wait for them
            # only if the whole schedule fits in the timeout, else for the first attempts.
            whole_schedule = sum(AUTO_RETRY_SCHEDULE) * dispatcher.retry_scale
            dispatcher.drain(timeout, retries=whole_schedule <= timeout)
        except WebhookDrainTimeout as exc:
            self.stderr.write(str(exc))
        calls = dispatcher.calls
        for call in calls:
            last = call.last_attempt
            outcome = (
                f"HTTP {last.response_status}" if last and last.response_status else
                (last.error if last else "not sent")
            )  # fmt: skip
            line = (
                f"Webhook call {call.id} {call.entity_type}/{call.event_type} -> "
                f"{call.request_url}: {call.status} ({outcome}, {len(call.attempts)} attempt(s))"
            )
            if call.status == "rescheduled":
                line += "; the retry is dropped when this command exits"
            (self.stdout if call.status == "success" else self.stderr).write(line)


def _target_name(action: str) -> str:
    return {"create": "model API key", "upload": "upload id"}.get(action, "record id")


def _fields(strings: list[str], json_values: list[str]) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for item, as_json in [(s, False) for s in strings] + [(j, True) for j in json_values]:
        key, sep, value = item.partition("=")
        key = key.strip()
        if not sep or not key:
            option = "--json-field" if as_json else "--field"
            raise CommandError(
                f"{option} takes KEY=VALUE, e.g. {option} title=Hello; got {item!r}."
            )
        if key in fields:
            raise CommandError(f"Field {key!r} is given twice.")
        if as_json:
            try:
                fields[key] = json.loads(value)
            except ValueError as exc:
                raise CommandError(
                    f"--json-field {key}: {value!r} is not JSON ({exc}); quote strings, e.g. "
                    f"--json-field {key}='\"text\"' (or use --field for plain strings)."
                ) from exc
        else:
            fields[key] = value
    return fields


def _apply(
    editor: ContentEditor | RemoteEditor,
    action: str,
    target: str | None,
    fields: dict[str, Any],
    options: dict[str, Any],
) -> Any:
    locale = options["locale"]
    if action == "site":
        return editor.update_site(**fields)
    assert target is not None  # checked by handle()
    if action == "create":
        return editor.create_record(
            target, fields, publish=options["publish"], id=options["record_id"], locale=locale
        )
    if action == "update":
        return editor.update_record(target, fields, locale=locale, publish=options["publish"])
    if action in ("publish", "unpublish", "delete"):
        return getattr(editor, f"{action}_record")(target)
    return editor.update_upload(target, **_upload_changes(fields, locale))


def _upload_changes(fields: dict[str, Any], locale: str | None) -> dict[str, Any]:
    """``--field alt=... --locale it`` style upload edits as ``update_upload`` arguments."""
    metadata = {k: fields.pop(k) for k in ("alt", "title", "focal_point", "custom_data")
                if k in fields}  # fmt: skip
    unknown = set(fields) - {"author", "copyright", "notes", "tags"}
    if unknown:
        raise CommandError(
            f"An upload has no field {', '.join(sorted(unknown))}: use alt, title, focal_point, "
            "custom_data (with --locale), author, copyright, notes, tags."
        )
    changes: dict[str, Any] = dict(fields)
    if metadata:
        if not locale:
            raise CommandError("alt/title/focal_point/custom_data are per locale: add --locale.")
        changes["default_field_metadata"] = {locale: metadata}
    return changes
