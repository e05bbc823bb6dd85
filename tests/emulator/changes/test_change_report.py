"""What the change command says: where a change went, the site's caches, each webhook call,
and a warning whenever nothing outside the command's process heard of the change."""

from __future__ import annotations

from typing import Any

from datocms_app.emulator.change_report import ChangeOutcome, SiteCaches, report_lines

SUMMARY = "update record welcome (webhook events: update, publish); invalidated 3 cache tag(s)"
URL = "http://127.0.0.1:8000/datocms/emulator/"


def call(
    status: str, response_status: int | None, attempts: int = 1, **extra: Any
) -> dict[str, Any]:
    return {"id": "1", "webhook_id": "1", "entity_type": "cda_cache_tags",
            "event_type": "invalidate", "request_url": "http://127.0.0.1:9000/hook",
            "status": status, "attempts": attempts, "response_status": response_status,
            "error": None, **extra}  # fmt: skip


def test_a_running_site_that_invalidated_its_caches() -> None:
    outcome = ChangeOutcome(SUMMARY, ["a", "b", "c"], "site", url=URL, pid=4242,
                            site=SiteCaches(True, 3))  # fmt: skip
    assert report_lines(outcome) == (
        [
            SUMMARY,
            f"Applied to the running site at {URL} (pid 4242).",
            "Site caches: invalidated 3 cache tag(s).",
            "Webhooks: none sent (no configured webhook is triggered by this change).",
        ],
        [],
    )


def test_verbosity_two_lists_the_tags() -> None:
    outcome = ChangeOutcome(SUMMARY, ["a", "b"], "site", url=URL, pid=1, site=SiteCaches(True, 2))
    assert report_lines(outcome, verbosity=2)[0][:2] == [SUMMARY, "Tags: a b"]


def test_webhook_calls_with_their_url_and_final_status() -> None:
    outcome = ChangeOutcome(
        SUMMARY, ["a"], "site", url=URL, pid=7, site=SiteCaches(True, 1),
        webhook_calls=[call("success", 200), call("rescheduled", 503, id="2"),
                       call("failed", None, attempts=8, id="3", error="connection refused")],
    )  # fmt: skip
    out, err = report_lines(outcome)
    assert out[3:] == [
        "Webhook call 1 cda_cache_tags/invalidate -> http://127.0.0.1:9000/hook: success "
        "(HTTP 200, 1 attempt(s))",
        "Webhooks: 3 sent, 1 delivered.",
    ]
    assert err == [
        "Webhook call 2 cda_cache_tags/invalidate -> http://127.0.0.1:9000/hook: rescheduled "
        "(HTTP 503, 1 attempt(s)); the server retries it on DatoCMS's schedule",
        "Webhook call 3 cda_cache_tags/invalidate -> http://127.0.0.1:9000/hook: failed "
        "(connection refused, 8 attempt(s))",
    ]


def test_no_running_site_found_is_said_loudly() -> None:
    outcome = ChangeOutcome(SUMMARY, ["a"], "process", pid=99, searched="/srv/site/content",
                            site=SiteCaches(True, 1))  # fmt: skip
    out, err = report_lines(outcome)
    assert out == [
        SUMMARY,
        "Applied to this process's embedded emulator (pid 99).",
        "Site caches: invalidated 1 cache tag(s).",
        "Webhooks: none sent (no configured webhook is triggered by this change).",
    ]
    assert err == [
        "Warning: no running site serves the content project /srv/site/content, so the change "
        "was applied to this process's embedded emulator only, and is lost when this command "
        "exits. Start the site (manage.py runserver, with DEBUG on: it registers on its first "
        "request) and run the command again, or name an emulator with --url."
    ]


def test_this_process_with_a_delivered_webhook_is_quiet() -> None:
    outcome = ChangeOutcome(SUMMARY, ["a"], "process", pid=99, site=SiteCaches(True, 1),
                            webhook_calls=[call("success", 204)])  # fmt: skip
    assert report_lines(outcome)[1] == []


def test_this_process_without_webhook_warns() -> None:
    outcome = ChangeOutcome(SUMMARY, ["a"], "process", pid=99, site=SiteCaches(True, 1))
    assert report_lines(outcome)[1] == [
        "Warning: no running site and no webhook received this change: only this process's "
        "caches were invalidated. Start the site (manage.py runserver) to change what it "
        "serves, or configure DATOCMS['EMULATOR']['WEBHOOKS']."
    ]


def test_a_site_that_does_not_invalidate_and_sends_no_webhook_warns() -> None:
    disabled = ChangeOutcome(SUMMARY, ["a"], "site", url=URL, pid=5, site=SiteCaches(False, 0))
    out, err = report_lines(disabled)
    assert (
        out[2] == "Site caches: not invalidated (DATOCMS['EMULATOR']['INVALIDATE_SITE'] is False)."
    )
    assert err == [
        f"Warning: neither the site at {URL} nor a webhook invalidated the cached pages this "
        "change affects: they stay as they were until they expire."
    ]
    failing = ChangeOutcome(SUMMARY, ["a"], "site", url=URL, pid=5,
                            site=SiteCaches(True, 0, ["Redis is down"]))  # fmt: skip
    out, err = report_lines(failing)
    assert out[2:] == ["Webhooks: none sent (no configured webhook is triggered by this change)."]
    assert err[0] == "Site caches: the invalidation failed: Redis is down"
    assert err[1].startswith(f"Warning: neither the site at {URL} nor a webhook")


def test_a_standalone_emulator_has_no_site_caches() -> None:
    outcome = ChangeOutcome(SUMMARY, ["a"], "emulator", url="http://127.0.0.1:8700/",
                            webhook_calls=[call("success", 200)])  # fmt: skip
    out, err = report_lines(outcome)
    assert out[1:3] == [
        "Applied to the emulator at http://127.0.0.1:8700/.",
        "Webhook call 1 cda_cache_tags/invalidate -> http://127.0.0.1:9000/hook: success "
        "(HTTP 200, 1 attempt(s))",
    ]
    assert err == []


def test_not_waiting_for_webhooks() -> None:
    outcome = ChangeOutcome(SUMMARY, ["a"], "process", pid=3, site=SiteCaches(True, 1),
                            webhook_calls=None)  # fmt: skip
    out, err = report_lines(outcome)
    assert out[-1] == (
        "Webhooks: not waited for (--no-wait); they are dropped when this command exits."
    )
    assert err == []


def test_a_dry_run_says_where_it_was_tried() -> None:
    remote = ChangeOutcome(SUMMARY, ["a"], "site", dry_run=True, url=URL, pid=8,
                           site=SiteCaches(True, 0))  # fmt: skip
    assert report_lines(remote) == (
        [
            "Dry run, nothing changed: would " + SUMMARY,
            f"Tried on the running site at {URL} (pid 8).",
        ],
        [],
    )
    here = ChangeOutcome(SUMMARY, ["a"], "process", dry_run=True, pid=8)
    assert report_lines(here) == (["Dry run, nothing changed: would " + SUMMARY], [])
