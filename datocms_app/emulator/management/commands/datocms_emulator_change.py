"""``manage.py datocms_emulator_change``: create, update, publish, unpublish or delete emulator
records (and edit uploads' metadata or site settings), firing DatoCMS's webhooks.

::

    manage.py datocms_emulator_change update ARTICLE_ID --field title="New title" --locale it
    manage.py datocms_emulator_change create article --field title=Hello --locale en --publish
    manage.py datocms_emulator_change publish ARTICLE_ID
    manage.py datocms_emulator_change delete ARTICLE_ID --url http://127.0.0.1:8700/

Where the change goes:

- ``--url URL``: that running emulator, ``manage.py datocms_emulator``'s or a DEBUG site's
  embedded one (``http://127.0.0.1:8000/datocms/emulator/``);
- otherwise, with ``DEBUG`` on, the running development server that serves this content
  project (``site_registry``: it registered on its first request), which invalidates its own
  caches (``site_cache``) and sends the webhooks;
- otherwise (``--local``, no such server, or ``DEBUG`` off) this process's embedded emulator;
  the command then waits for its webhook deliveries before exiting.

It reports where the change was applied, how many cache tags the site invalidated, each
webhook call with its URL and final status, and warns on stderr when nothing outside this
process heard of the change (``change_report``). It exits 0 whenever the change was applied:
the change itself succeeded, and code that calls it (tests, scripts) works on this process's
emulator on purpose; a refused change is a ``CommandError``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from datocms_app.emulator.change_report import ChangeOutcome, report_lines
from datocms_app.emulator.conf import EmulatorSettings, get_emulator_settings
from datocms_app.emulator.exceptions import WebhookDrainTimeout
from datocms_app.exceptions import DatoCMSError

if TYPE_CHECKING:
    from datocms_app.emulator.changes import ContentEditor
    from datocms_app.emulator.remote import RemoteEditor
    from datocms_app.emulator.webhooks import WebhookDispatcher

ACTIONS = ("create", "update", "publish", "unpublish", "delete", "upload", "site")


class Command(BaseCommand):
    help = (
        "Change the emulator's content like an editor would: create/update/publish/unpublish/"
        "delete a record, edit an upload's metadata or the site's settings. Every change sends "
        "DatoCMS's webhooks (cache-tags invalidation, record events) to "
        "DATOCMS['EMULATOR']['WEBHOOKS']. Goes to the running development server of this "
        "content project (DEBUG), else to this process's embedded emulator; --url names a "
        "running emulator, --local forces this process."
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
            "--local",
            action="store_true",
            help="change this process's embedded emulator, even if a running server serves "
            "this content project",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="check the change and show what it would invalidate, without applying it",
        )
        parser.add_argument(
            "--no-wait",
            action="store_true",
            help="this process's emulator: exit without waiting for webhook deliveries (they "
            "are dropped)",
        )
        parser.add_argument(
            "--wait-timeout",
            type=float,
            default=30.0,
            metavar="SECONDS",
            help="this process's emulator: how long to wait for webhook deliveries (30)",
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
        if options["token"] and not options["url"]:
            raise CommandError("--token only makes sense with --url.")
        if options["local"] and options["url"]:
            raise CommandError("--local and --url exclude each other: pick one place.")
        change = _Change(action, target, fields, options)
        try:
            conf = get_emulator_settings()
            if options["url"]:
                outcome = change.remote(options["url"], options["token"] or conf.TOKENS[0])
            else:
                outcome = self._on_running_site(change, conf) or change.here(conf)
        except DatoCMSError as exc:
            raise CommandError(str(exc)) from exc
        out, err = report_lines(outcome, verbosity=options["verbosity"])
        for line in out:
            self.stdout.write(line)
        for line in err:
            self.stderr.write(line)

    def _on_running_site(self, change: _Change, conf: EmulatorSettings) -> ChangeOutcome | None:
        """The change applied by the newest running site serving this content project, or
        None (nothing changed) when no site answers. Only with DEBUG, as the endpoint."""
        if change.options["local"] or not settings.DEBUG or conf.CONTENT_DIR is None:
            return None
        from datocms_app.emulator.exceptions import EmulatorUnreachable
        from datocms_app.emulator.site_registry import forget, running_sites

        for site in running_sites(conf.CONTENT_DIR):
            try:
                return change.remote(site.url, conf.TOKENS[0], registered_pid=site.pid)
            except EmulatorUnreachable:
                forget(site)  # nothing was sent: its server is gone
        change.searched = str(Path(conf.CONTENT_DIR).expanduser().resolve())
        return None


class _Change:
    """One change asked for on the command line, to apply here or on a running emulator."""

    def __init__(
        self, action: str, target: str | None, fields: dict[str, Any], options: dict[str, Any]
    ) -> None:
        self.action = action
        self.target = target
        self.fields = fields
        self.options = options
        self.searched: str | None = None

    def remote(self, url: str, token: str, *, registered_pid: int | None = None) -> ChangeOutcome:
        from datocms_app.emulator.change_report import SiteCaches
        from datocms_app.emulator.remote import RemoteEditor, describe_result

        with RemoteEditor(url, token=token) as editor:
            chosen = editor.dry_run() if self.options["dry_run"] else editor
            answer = _apply(chosen, self.action, self.target, self.fields, self.options)
        site = answer.get("site")
        return ChangeOutcome(
            summary=describe_result(answer),
            tags=answer.tags,
            where="site" if site else "emulator",
            dry_run=self.options["dry_run"],
            url=url,
            pid=site.get("pid", registered_pid) if site else None,
            site=SiteCaches.from_answer(site) if site else None,
            webhook_calls=list(answer.get("webhook_calls") or []),
        )

    def here(self, conf: EmulatorSettings) -> ChangeOutcome:
        """The change applied to this process's embedded emulator."""
        from datocms_app.emulator.change_report import SiteCaches
        from datocms_app.emulator.embedded import get_emulator
        from datocms_app.emulator.remote import call_summary, describe_result
        from datocms_app.emulator.site_cache import capture_site_invalidations

        emulator = get_emulator()
        dry_run = self.options["dry_run"]
        earlier = {call.id for call in emulator.webhooks.calls}
        editor = emulator.changes.dry_run() if dry_run else emulator.changes
        with capture_site_invalidations() as invalidated:
            result = _apply(editor, self.action, self.target, self.fields, self.options)
        drain_error = None
        waited = not dry_run and not self.options["no_wait"]
        if waited:
            drain_error = _wait_for_webhooks(emulator.webhooks, self.options["wait_timeout"])
        calls = [call_summary(c) for c in emulator.webhooks.calls if c.id not in earlier]
        return ChangeOutcome(
            summary=describe_result(result),
            tags=result.tags,
            where="process",
            dry_run=dry_run,
            pid=os.getpid(),
            searched=self.searched,
            site=SiteCaches(conf.INVALIDATE_SITE, len(invalidated.tags), invalidated.errors),
            webhook_calls=calls if waited else None,
            drain_error=drain_error,
        )


def _wait_for_webhooks(dispatcher: WebhookDispatcher, timeout: float) -> str | None:
    """Wait for the deliveries; the drain's complaint when some are still waiting."""
    from datocms_app.emulator.webhooks import AUTO_RETRY_SCHEDULE

    # Retries come minutes to days later (times WEBHOOK_RETRY_SCALE): wait for them only if
    # the whole schedule fits in the timeout, else for the first attempts.
    whole_schedule = sum(AUTO_RETRY_SCHEDULE) * dispatcher.retry_scale
    try:
        dispatcher.drain(timeout, retries=whole_schedule <= timeout)
    except WebhookDrainTimeout as exc:
        return str(exc)
    return None


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
