"""The embedded emulator, ``manage.py datocms_emulator_change``, the admin endpoints, and the
whole loop: change -> webhook -> our Django cache-tags view -> fresh query results."""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator
from io import StringIO
from pathlib import Path
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.core.wsgi import get_wsgi_application
from django.test import Client

from datocms_app import cda
from datocms_app.emulator.embedded import get_emulator, reset_emulator
from datocms_app.emulator.exceptions import ContentChangeError, RecordNotFound
from datocms_app.emulator.httpserver import running
from datocms_app.emulator.remote import RemoteEditor
from datocms_app.emulator.server import Emulator
from datocms_app.emulator.site_registry import register
from tests.demo_content import demo_datocms

from .receiver import Receiver, receiver

ALPS = '{ article(filter: {slug: {eq: "alps"}}) { title } }'
NOBODY_HEARD = (
    "Warning: no running site and no webhook received this change: only this process's caches "
    "were invalidated. Start the site (manage.py runserver) to change what it serves, or "
    "configure DATOCMS['EMULATOR']['WEBHOOKS']."
)
ALPS_IT = '{ article(locale: it, filter: {slug: {eq: "alps"}}) { title _status } }'


@pytest.fixture
def endpoint() -> Iterator[Receiver]:
    with receiver(200) as found:
        yield found


@pytest.fixture
def embedded(settings: Any, project_dir: Path, endpoint: Receiver) -> Iterator[Emulator]:
    settings.DATOCMS = {
        "EMULATOR": {
            "CONTENT_DIR": str(project_dir),
            "TOKENS": ["secret-token"],
            "WEBHOOKS": [{"url": endpoint.url, "http_basic_user": "dato",
                          "http_basic_password": "pw"}],
            "WEBHOOK_RETRY_SCALE": 0.001,
        },
        "QUERY_CACHE": False,
    }  # fmt: skip
    reset_emulator()
    cache.clear()
    emulator = get_emulator()
    yield emulator
    emulator.webhooks.close()
    reset_emulator()


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("datocms_emulator_change", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def run_on_a_fresh_emulator(*args: str) -> tuple[str, str]:
    """``run(*args)`` on an emulator built from the current settings, closed afterwards."""
    reset_emulator()
    try:
        return run(*args)
    finally:
        get_emulator().webhooks.close()
        reset_emulator()


# -- the command on the embedded emulator ---------------------------------------------------


def test_update_changes_the_embedded_emulator_and_sends_the_webhook(
    embedded: Emulator, endpoint: Receiver
) -> None:
    before = cda.execute(ALPS_IT, include_drafts=True)
    out, err = run("update", "alps", "--field", "title=Le Alpi!", "--locale", "it")
    lines = out.splitlines()
    assert lines[:3] == [
        "update record alps (webhook events: update); invalidated 4 cache tag(s)",
        f"Applied to this process's embedded emulator (pid {os.getpid()}).",
        "Site caches: invalidated 4 cache tag(s).",
    ]
    assert lines[3].startswith("Webhook call 1 cda_cache_tags/invalidate -> http://127.0.0.1:")
    assert lines[3].endswith("/hook: success (HTTP 200, 1 attempt(s))")
    assert lines[4:] == ["Webhooks: 1 sent, 1 delivered."]
    assert err == ""
    after = cda.execute(ALPS_IT, include_drafts=True)
    assert after.data == {"article": {"title": "Le Alpi!", "_status": "updated"}}
    assert cda.query(ALPS_IT) == {"article": {"title": "Le Alpi", "_status": "published"}}
    (request,) = endpoint.requests
    assert request.headers["Authorization"] == "Basic ZGF0bzpwdw=="
    sent = json.loads(request.body)["entity"]["attributes"]["tags"]
    # The draft response's tags are hit; the published one's are not.
    assert set(sent) & set(before.cache_tags)
    assert not set(sent) & set(cda.execute(ALPS_IT).cache_tags)


def test_create_with_json_fields_and_publish(embedded: Emulator) -> None:
    listing = cda.execute("{ allArticles { id } }")
    out, _ = run(
        "create", "article", "--id", "lakes", "--field", "title=Lakes", "--locale", "en",
        "--json-field", "views=12", "--json-field", 'categories=["travel"]', "--publish",
        "-v", "2",
    )  # fmt: skip
    first, tags_line = out.splitlines()[:2]
    assert first.startswith("create record lakes (webhook events: create, publish); invalidated ")
    assert tags_line.startswith("Tags: ")
    assert set(tags_line[6:].split(" ")) & set(listing.cache_tags)
    data = cda.query('{ article(filter: {id: {eq: "lakes"}}) { title views categories { name } } }')
    assert data == {"article": {"title": "Lakes", "views": 12, "categories": [{"name": "Travel"}]}}


def test_publish_unpublish_delete(embedded: Emulator) -> None:
    run("publish", "draft-only")
    assert cda.query('{ article(filter: {id: {eq: "draft-only"}}) { id } }') == {
        "article": {"id": "draft-only"}
    }
    run("unpublish", "draft-only")
    assert cda.query('{ article(filter: {id: {eq: "draft-only"}}) { id } }') == {"article": None}
    out, _ = run("delete", "draft-only")
    assert out.splitlines()[0] == (
        "delete record draft-only (webhook events: delete); invalidated 2 cache tag(s)"
    )
    assert "draft-only" not in embedded.store.state.records


def test_upload_and_site(embedded: Emulator) -> None:
    out, _ = run("upload", "up-1", "--field", "alt=Un pixel", "--locale", "it", "--field",
                 "author=Ada")  # fmt: skip
    assert out.splitlines()[0] == "update; invalidated 2 cache tag(s)"
    upload = embedded.store.state.uploads["up-1"]
    assert upload.default_field_metadata["it"] == {"alt": "Un pixel"}
    assert upload.author == "Ada"
    run("site", "--field", "name=Renamed", "--json-field", "no_index=true")
    assert embedded.store.state.site.name == "Renamed"
    assert embedded.store.state.site.no_index is True


def test_dry_run_changes_nothing_and_sends_nothing(embedded: Emulator, endpoint: Receiver) -> None:
    version = embedded.store.state.version
    out, _ = run("delete", "alps", "--dry-run")
    assert out == (
        "Dry run, nothing changed: would delete record alps (webhook events: unpublish, "
        "delete); invalidated 4 cache tag(s)\n"
    )
    assert embedded.store.state.version == version
    assert embedded.webhooks.calls == []
    assert endpoint.requests == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["update", "nope", "--field", "title=x"], "No record with id 'nope'"),
        (["update"], "'update' needs a record id."),
        (["create", "article"], "'create' needs at least one --field"),
        (["publish", "alps", "--field", "a=b"], "'publish' takes no --field."),
        (["update", "alps", "--field", "title"], "--field takes KEY=VALUE"),
        (["update", "alps", "--json-field", "views=three"], "views: 'three' is not JSON"),
        (["update", "alps", "--field", "views=3"], "an integer field takes an integer"),
        (["delete", "ada"], "Record 'ada' is linked from other records: alps"),
        (["upload", "up-1", "--field", "alt=x"], "are per locale: add --locale"),
        (["upload", "up-1", "--field", "size=3"], "An upload has no field size"),
        (["site", "x", "--field", "name=y"], "'site' takes no target"),
        (["publish", "alps", "--token", "t"], "--token only makes sense with --url"),
    ],
)
def test_command_errors(embedded: Emulator, args: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=message.replace("(", r"\(").replace(")", r"\)")):
        run(*args)


def test_failed_deliveries_are_reported_on_stderr(
    settings: Any, project_dir: Path, endpoint: Receiver
) -> None:
    settings.DATOCMS = {"EMULATOR": {"CONTENT_DIR": str(project_dir), "WEBHOOK_RETRY_SCALE":
                                     0.000001, "WEBHOOKS": [{"url": endpoint.url}]}}  # fmt: skip
    endpoint.script[:] = [500]
    out, err = run_on_a_fresh_emulator("update", "alps", "--json-field", "views=4")
    assert out.startswith("update record alps")
    assert out.endswith("Webhooks: 1 sent, 0 delivered.\n")
    failure, warning = err.splitlines()
    assert failure.endswith(": failed (HTTP 500, 8 attempt(s))")
    assert warning == NOBODY_HEARD
    assert len(endpoint.requests) == 8


# -- a running emulator ---------------------------------------------------------------------


def test_command_targets_a_standalone_emulator(project_dir: Path, settings: Any) -> None:
    settings.DATOCMS = demo_datocms()
    emulator = Emulator.from_directory(project_dir, tokens=["admin-token"])
    with running(emulator) as server:
        out, err = run("update", "alps", "--json-field", "views=7", "--publish", "--url",
                       server.url, "--token", "admin-token")  # fmt: skip
        assert out == (
            "update record alps (webhook events: update, publish); invalidated 8 cache tag(s)\n"
            f"Applied to the emulator at {server.url}.\n"
            "Webhooks: none sent (no configured webhook is triggered by this change).\n"
        )
        assert err == (
            f"Warning: no webhook received this change: sites reading the emulator at "
            f"{server.url} keep serving the pages they cached. Configure "
            "DATOCMS['EMULATOR']['WEBHOOKS'] for the emulator, pointing at each site's "
            "/datocms/webhooks/cache-tags/.\n"
        )
        assert emulator.store.state.records["alps"].published.fields["views"] == 7  # type: ignore[union-attr]
        with pytest.raises(CommandError, match=r"refused the admin token \(HTTP 401\)"):
            run("publish", "alps", "--url", server.url, "--token", "wrong")
        with RemoteEditor(server.url, token="admin-token") as remote:
            with pytest.raises(RecordNotFound, match="No record with id 'nope'"):
                remote.publish_record("nope")
            result = remote.dry_run().delete_record("alps")
            assert result.events == ["unpublish", "delete"]
            assert "alps" in emulator.store.state.records
            assert remote.send("update_site", settings={"name": "Remote"})["action"] == "update"
            with pytest.raises(
                ContentChangeError,
                match=r"publish_record takes id \(and optionally dry_run\); missing: id\.",
            ):
                remote.send("publish_record")
            assert remote.drain_webhooks(1) == []
    assert emulator.store.state.site.name == "Remote"


def test_unreachable_emulator(settings: Any) -> None:
    settings.DATOCMS = demo_datocms()
    with pytest.raises(
        CommandError, match=r"Could not reach the emulator at http://127\.0\.0\.1:9/"
    ):
        run("publish", "alps", "--url", "http://127.0.0.1:9/")


def test_django_view_changes_the_embedded_emulator(
    embedded: Emulator, settings: Any, endpoint: Receiver
) -> None:
    client = Client()
    url = "/datocms/emulator/_emulator/changes"
    body = json.dumps({"action": "update_record", "id": "alps", "fields": {"views": 5},
                       "publish": True})  # fmt: skip
    auth = {"HTTP_AUTHORIZATION": "Bearer secret-token"}
    assert client.post(url, body, content_type="application/json", **auth).status_code == 404
    settings.DEBUG = True
    response = client.post(url, body, content_type="application/json", **auth)
    assert response.status_code == 200
    answer = response.json()
    assert answer["action"] == "update"
    assert answer["events"] == ["update", "publish"]
    assert answer["record"]["attributes"]["views"] == 5
    assert answer["record"]["meta"]["status"] == "published"
    assert len(answer["tags"]) == 8
    # What this site did with it: its caches, and the webhook calls once attempted.
    assert answer["site"] == {
        "pid": os.getpid(),
        "invalidate_site": True,
        "invalidated": 8,
        "errors": [],
    }
    assert answer["webhook_calls"] == [
        {"id": "1", "webhook_id": "1", "entity_type": "cda_cache_tags",
         "event_type": "invalidate", "request_url": endpoint.url, "status": "success",
         "attempts": 1, "response_status": 200, "error": None},
    ]  # fmt: skip
    assert cda.query('{ article(filter: {slug: {eq: "alps"}}) { views } }') == {
        "article": {"views": 5}
    }
    wrong = client.post(url, body, content_type="application/json",
                        HTTP_AUTHORIZATION="Bearer nope")  # fmt: skip
    assert wrong.status_code == 401
    assert wrong.json()["data"][0]["attributes"]["code"] == "INVALID_AUTHORIZATION_HEADER"
    missing = client.post(url, json.dumps({"action": "publish_record", "id": "nope"}),
                          content_type="application/json", **auth)  # fmt: skip
    assert missing.status_code == 404
    assert missing.json()["data"][0]["attributes"]["code"] == "NOT_FOUND"
    invalid = client.post(url, "{", content_type="application/json", **auth)
    assert invalid.status_code == 400
    assert client.get(url, **auth).status_code == 405


# -- end to end: the emulator's webhook reaches our own cache-tags view ---------------------


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def live_site() -> Iterator[str]:
    server: WSGIServer = make_server(
        "127.0.0.1", 0, get_wsgi_application(), handler_class=_QuietHandler
    )
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def test_change_invalidates_our_query_cache_through_the_webhook(
    settings: Any, project_dir: Path, live_site: str
) -> None:
    settings.DATOCMS = {
        "EMULATOR": {
            "CONTENT_DIR": str(project_dir),
            "WEBHOOKS": [{"url": f"{live_site}/datocms/webhooks/cache-tags/",
                          "http_basic_user": "dato", "http_basic_password": "s3cret"}],
            "WEBHOOK_RETRY_SCALE": 0.001,
        },
        "WEBHOOK_USERNAME": "dato",
        "WEBHOOK_PASSWORD": "s3cret",
    }  # fmt: skip
    reset_emulator()
    cache.clear()
    emulator = get_emulator()
    try:
        first = cda.execute(ALPS)
        again = cda.execute(ALPS)
        assert again.data == {"article": {"title": "The Alps"}}
        assert again.request_id == first.request_id  # served by our query cache
        result = emulator.changes.update_record("alps", {"title": "Alpine"}, locale="en",
                                                publish=True)  # fmt: skip
        emulator.webhooks.drain(10)
        (call,) = emulator.webhooks.calls
        assert call.status == "success"
        last = call.last_attempt
        assert last is not None
        assert last.response_status == 200
        assert json.loads(last.response_payload or "") == {
            "ok": True,
            "entity_type": "cda_cache_tags",
            "event_type": "invalidate",
            "webhook_call_id": "1",
            "invalidated": len(result.tags),
            "purged": 0,
        }
        fresh = cda.execute(ALPS)
        assert fresh.data == {"article": {"title": "Alpine"}}
        assert fresh.request_id != first.request_id
    finally:
        emulator.webhooks.close()
        reset_emulator()


def test_the_standalone_route_wants_post_and_a_token(project_dir: Path) -> None:
    from datocms_app.emulator.server import EmulatorRequest

    emulator = Emulator.from_directory(project_dir, tokens=["t0k"])
    body = b'{"action": "publish_record", "id": "draft-only"}'
    get = emulator.handle(EmulatorRequest("GET", "/_emulator/changes"))
    assert get.status == 405
    anonymous = emulator.handle(EmulatorRequest("POST", "/_emulator/changes", body=body))
    assert anonymous.status == 401
    assert anonymous.json()["data"][0]["attributes"]["code"] == "INVALID_AUTHORIZATION_HEADER"
    ok = emulator.handle(
        EmulatorRequest(
            "POST", "/_emulator/changes", headers={"authorization": "Bearer t0k"}, body=body
        )
    )
    assert ok.status == 200
    assert ok.header("Content-Type") == "application/json; charset=utf-8"
    assert ok.json()["events"] == ["publish"]
    assert emulator.store.state.records["draft-only"].status == "published"
    bad = emulator.handle(
        EmulatorRequest(
            "POST",
            "/_emulator/changes",
            headers={"authorization": "Bearer t0k"},
            body=b'{"action": "explode"}',
        )
    )
    assert bad.status == 422
    assert bad.json()["data"][0]["attributes"] == {
        "code": "INVALID_CHANGE",
        "details": {
            "message": "The body must be a JSON object whose 'action' is one of create_record, "
            "update_record, publish_record, unpublish_record, delete_record, update_upload, "
            'update_site, drain_webhooks; e.g. {"action": "publish_record", "id": "<record id>"}.'
        },
    }


def test_the_command_does_not_wait_for_distant_retries(
    settings: Any, project_dir: Path, endpoint: Receiver
) -> None:
    settings.DATOCMS = {"EMULATOR": {"CONTENT_DIR": str(project_dir),
                                     "WEBHOOKS": [{"url": endpoint.url}]}}  # fmt: skip
    endpoint.script[:] = [503]
    out, err = run_on_a_fresh_emulator("update", "alps", "--json-field", "views=4")
    assert out.startswith("update record alps")
    rescheduled, warning = err.splitlines()
    assert rescheduled.endswith(
        ": rescheduled (HTTP 503, 1 attempt(s)); the retry is dropped when this command exits"
    )
    assert warning == NOBODY_HEARD
    assert len(endpoint.requests) == 1


# -- without --url: the running development server of this content project ------------------


@pytest.fixture
def debug_embedded(settings: Any, project_dir: Path) -> Iterator[Emulator]:
    settings.DEBUG = True
    settings.DATOCMS = {"EMULATOR": {"CONTENT_DIR": str(project_dir), "TOKENS": ["tok"]}}
    reset_emulator()
    cache.clear()
    yield get_emulator()
    reset_emulator()


def test_the_command_changes_the_running_site_it_finds(
    debug_embedded: Emulator, project_dir: Path, registry: Path, live_site: str,
    other_process: int,
) -> None:  # fmt: skip
    first = cda.execute(ALPS)
    register(f"{live_site}/datocms/emulator/", project_dir, pid=other_process)
    out, err = run("update", "alps", "--field", "title=Alpine", "--locale", "en", "--publish")
    assert out == (
        "update record alps (webhook events: update, publish); invalidated 8 cache tag(s)\n"
        f"Applied to the running site at {live_site}/datocms/emulator/ (pid {os.getpid()}).\n"
        "Site caches: invalidated 8 cache tag(s).\n"
        "Webhooks: none sent (no configured webhook is triggered by this change).\n"
    )
    assert err == ""
    fresh = cda.execute(ALPS)
    assert fresh.data == {"article": {"title": "Alpine"}}
    assert fresh.request_id != first.request_id


def test_no_running_site_keeps_the_change_here_and_says_so(
    debug_embedded: Emulator, project_dir: Path, registry: Path, other_process: int
) -> None:
    gone = register("http://127.0.0.1:9/datocms/emulator/", project_dir, pid=other_process)
    out, err = run("update", "alps", "--json-field", "views=6", "--publish")
    assert (
        out.splitlines()[1] == f"Applied to this process's embedded emulator (pid {os.getpid()})."
    )
    assert err == (
        f"Warning: no running site serves the content project {project_dir.resolve()}, so the "
        "change was applied to this process's embedded emulator only, and is lost when this "
        "command exits. Start the site (manage.py runserver, with DEBUG on: it registers on its "
        "first request) and run the command again, or name an emulator with --url.\n"
    )
    assert not gone.exists()  # nothing answered there: the entry is forgotten
    assert debug_embedded.store.state.records["alps"].published.fields["views"] == 6  # type: ignore[union-attr]


def test_local_changes_this_process_even_with_a_running_site(
    debug_embedded: Emulator, project_dir: Path, registry: Path, live_site: str,
    other_process: int,
) -> None:  # fmt: skip
    entry = register(f"{live_site}/datocms/emulator/", project_dir, pid=other_process)
    out, err = run("publish", "draft-only", "--local")
    assert (
        out.splitlines()[1] == f"Applied to this process's embedded emulator (pid {os.getpid()})."
    )
    assert err == NOBODY_HEARD + "\n"
    assert entry.exists()
    with pytest.raises(CommandError, match=r"--local and --url exclude each other"):
        run("publish", "draft-only", "--local", "--url", live_site)
