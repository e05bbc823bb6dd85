"""What ``manage.py datocms_emulator_change`` says a change did, and where it went.

A change is applied in one of three places: a running site's embedded emulator (found in the
registry, ``site_registry``, or named with ``--url``), a standalone emulator (``--url``), or
this process's own embedded emulator. ``ChangeOutcome`` holds what came of it — where, the
site caches it invalidated (``site_cache``), the webhook calls it made and how each fared —
and ``report_lines`` words it: lines for stdout, and for stderr the failures and a warning
whenever nothing outside this process heard of the change (no running site, no webhook
delivered), which is when an edit silently does not show.

Nothing here does I/O: the command gathers, this module words.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

__all__ = ["ChangeOutcome", "SiteCaches", "report_lines"]

Where = Literal["site", "emulator", "process"]


@dataclass(frozen=True)
class SiteCaches:
    """What the site that applied the change did to its own caches."""

    enabled: bool
    invalidated: int
    errors: Sequence[str] = ()

    @classmethod
    def from_answer(cls, site: Mapping[str, Any]) -> SiteCaches:
        """From the ``site`` object of a running site's answer (``change_view``)."""
        return cls(
            enabled=bool(site.get("invalidate_site", True)),
            invalidated=int(site.get("invalidated") or 0),
            errors=[str(error) for error in site.get("errors") or []],
        )


@dataclass(frozen=True)
class ChangeOutcome:
    """One change: ``summary`` (``remote.describe_result``), its ``tags``, where it went.

    ``url`` and ``pid`` locate the site or emulator that applied it; ``searched`` is the
    content project looked up in vain for a running site (then ``where`` is ``process``);
    ``site`` is None where no site's caches are involved (a standalone emulator);
    ``webhook_calls`` are ``remote.call_summary`` dicts, None when not waited for.
    """

    summary: str
    tags: Sequence[str]
    where: Where
    dry_run: bool = False
    url: str | None = None
    pid: int | None = None
    searched: str | None = None
    site: SiteCaches | None = None
    webhook_calls: Sequence[Mapping[str, Any]] | None = field(default_factory=list)
    drain_error: str | None = None

    @property
    def delivered(self) -> int:
        return sum(1 for call in self.webhook_calls or () if call.get("status") == "success")


def report_lines(outcome: ChangeOutcome, *, verbosity: int = 1) -> tuple[list[str], list[str]]:
    """``(stdout lines, stderr lines)`` describing ``outcome``."""
    out: list[str] = []
    err: list[str] = []
    prefix = "Dry run, nothing changed: would " if outcome.dry_run else ""
    out.append(prefix + outcome.summary)
    if verbosity >= 2 and outcome.tags:
        out.append("Tags: " + " ".join(outcome.tags))
    if outcome.dry_run:
        if outcome.where != "process":
            out.append(f"Tried on {_place(outcome)}.")
        return out, err
    out.append(f"Applied to {_place(outcome)}.")
    _site_lines(outcome, out, err)
    _webhook_lines(outcome, out, err)
    warning = _warning(outcome)
    if warning:
        err.append("Warning: " + warning)
    return out, err


def _place(outcome: ChangeOutcome) -> str:
    if outcome.where == "site":
        return f"the running site at {outcome.url} (pid {outcome.pid})"
    if outcome.where == "emulator":
        return f"the emulator at {outcome.url}"
    return f"this process's embedded emulator (pid {outcome.pid})"


def _site_lines(outcome: ChangeOutcome, out: list[str], err: list[str]) -> None:
    site = outcome.site
    if site is None:
        return
    if not site.enabled:
        out.append(
            "Site caches: not invalidated (DATOCMS['EMULATOR']['INVALIDATE_SITE'] is False)."
        )
    elif site.errors:
        err.extend(f"Site caches: the invalidation failed: {error}" for error in site.errors)
    else:
        out.append(f"Site caches: invalidated {site.invalidated} cache tag(s).")


def _webhook_lines(outcome: ChangeOutcome, out: list[str], err: list[str]) -> None:
    if outcome.drain_error:
        err.append(outcome.drain_error)
    calls = outcome.webhook_calls
    if calls is None:
        out.append(
            "Webhooks: not waited for (--no-wait); they are dropped when this command exits."
        )
        return
    for call in calls:
        line = (
            f"Webhook call {call['id']} {call['entity_type']}/{call['event_type']} -> "
            f"{call['request_url']}: {call['status']} ({_attempt(call)}, "
            f"{call['attempts']} attempt(s))"
        )
        if call["status"] == "rescheduled":
            line += (
                "; the retry is dropped when this command exits"
                if outcome.where == "process"
                else "; the server retries it on DatoCMS's schedule"
            )
        (out if call["status"] == "success" else err).append(line)
    if calls:
        out.append(f"Webhooks: {len(calls)} sent, {outcome.delivered} delivered.")
    else:
        out.append("Webhooks: none sent (no configured webhook is triggered by this change).")


def _attempt(call: Mapping[str, Any]) -> str:
    if call.get("response_status"):
        return f"HTTP {call['response_status']}"
    return str(call.get("error") or "not sent") if call.get("attempts") else "not sent"


def _warning(outcome: ChangeOutcome) -> str | None:
    if outcome.searched is not None:
        return (
            f"no running site serves the content project {outcome.searched}, so the change "
            "was applied to this process's embedded emulator only, and is lost when this "
            "command exits. Start the site (manage.py runserver, with DEBUG on: it registers "
            "on its first request) and run the command again, or name an emulator with --url."
        )
    if outcome.delivered or outcome.webhook_calls is None:
        return None
    site = outcome.site
    if outcome.where == "site" and site is not None and site.enabled and not site.errors:
        return None
    if outcome.where == "emulator":
        return (
            f"no webhook received this change: sites reading the emulator at {outcome.url} "
            "keep serving the pages they cached. Configure DATOCMS['EMULATOR']['WEBHOOKS'] "
            "for the emulator, pointing at each site's /datocms/webhooks/cache-tags/."
        )
    if outcome.where == "site":
        return (
            f"neither the site at {outcome.url} nor a webhook invalidated the cached pages "
            "this change affects: they stay as they were until they expire."
        )
    return (
        "no running site and no webhook received this change: only this process's caches "
        "were invalidated. Start the site (manage.py runserver) to change what it serves, or "
        "configure DATOCMS['EMULATOR']['WEBHOOKS']."
    )
