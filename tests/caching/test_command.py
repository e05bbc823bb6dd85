"""manage.py datocms_invalidate."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from io import StringIO
from pathlib import Path
from typing import Any

import httpx
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import override_settings

from datocms_app.caching.stores import Entry
from datocms_app.caching.versions import TagVersionStore
from tests.caching.fake_cda import FakeCDA
from tests.caching.servers import ROOT, gunicorn
from tests.caching.views import ARTICLE, NAV

#: In-process tests share this process's local-memory cache: exactly what the flag is for.
IN_PROCESS = "--allow-local-memory"


def run(*args: str) -> str:
    out = StringIO()
    call_command("datocms_invalidate", *args, stdout=out)
    return out.getvalue()


def refusal(*args: str) -> str:
    with pytest.raises(CommandError) as caught:
        run(*args)
    return str(caught.value)


@pytest.fixture
def store() -> TagVersionStore:
    store = TagVersionStore("default")
    store.commit("a-page", store.begin(), Entry(("a",), 1, None))
    store.commit("b-page", store.begin(), Entry(("b",), 2, None))
    return store


def test_invalidate_tags(store: TagVersionStore) -> None:
    assert run("a", "a", "N*r;L", IN_PROCESS) == (
        "Invalidated 2 cache tag(s); 0 key(s) purged at NoopBackend.\n"
    )
    assert store.read("a-page").status == "stale"
    assert store.read("b-page").hit


def test_dry_run_changes_nothing(store: TagVersionStore) -> None:
    assert run("a", "--dry-run", IN_PROCESS) == (
        "Would invalidate 1 cache tag(s) and purge them at NoopBackend: a\n"
    )
    assert run("--all", "--dry-run", "--no-cdn", IN_PROCESS) == (
        "Would invalidate every cached DatoCMS entry and purge everything at no CDN (--no-cdn).\n"
    )
    assert store.read("a-page").hit


def test_all(store: TagVersionStore) -> None:
    assert run("--all", IN_PROCESS) == (
        "Invalidated every cached DatoCMS entry; purged everything at NoopBackend.\n"
    )
    assert store.read("a-page").status == "stale"
    assert store.read("b-page").status == "stale"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            (),
            "Give the cache tags to invalidate (as DatoCMS sends them in X-Cache-Tags; quote "
            "them for your shell) or --all.",
        ),
        (("a", "--all"), "Give either cache tags or --all, not both."),
    ],
)
def test_bad_arguments(args: tuple[str, ...], message: str) -> None:
    assert refusal(*args) == message


def test_store_down_is_a_command_error() -> None:
    with override_settings(DATOCMS={"CACHE_ALIAS": "broken"}):
        assert refusal("a").startswith("The cache 'broken' failed to replace the epoch: ")


# -- a local-memory cache: this process's copy is not the site's --------------------------------

WHY = (
    "CACHES['default'] (DATOCMS['CACHE_ALIAS']) is a local-memory cache: each server process "
    "holds its own, and this command runs in a process of its own, so it would invalidate its "
    "own empty copy while the running site keeps serving its cached pages."
)
SHARED = (
    "give every process one cache (Django's Redis cache, e.g. CACHE_URL=redis://..., or the "
    "file or database cache on one machine)"
)
ANYWAY = (
    "Pass --allow-local-memory to run anyway (from call_command inside the server process; "
    "the CDN is purged as usual)."
)


def test_a_local_memory_cache_is_refused_with_the_webhook_call_to_make(
    store: TagVersionStore,
) -> None:
    assert refusal("N*r;L", "it's", "N*r;L") == (
        f"{WHY}\nInvalidate through the site's cache-tags webhook instead:\n"
        "  curl -X POST https://testserver/datocms/webhooks/cache-tags/ -H 'Content-Type: "
        'application/json\' -d \'{"entity_type": "cda_cache_tags", "event_type": '
        '"invalidate", "entity": {"attributes": {"tags": ["N*r;L", "it\'"\'"\'s"]}}}\''
        f"\nor {SHARED}.\n{ANYWAY}"
    )
    assert refusal("--all") == (
        f"{WHY}\nThe cache-tags webhook cannot invalidate everything: restart the server (a "
        f"local-memory cache starts empty), or {SHARED}.\n{ANYWAY}"
    )
    assert refusal("a", "--dry-run").startswith(WHY)  # the real run would change nothing either
    assert store.read("a-page").hit


def test_the_webhook_call_names_credentials_without_their_values() -> None:
    secrets = {"WEBHOOK_SECRET": "s3cr3t", "WEBHOOK_USERNAME": "u5er", "WEBHOOK_PASSWORD": "pa55"}
    with override_settings(DATOCMS=secrets, ALLOWED_HOSTS=["*", ".example.com", "localhost"]):
        message = refusal("a")
    (curl,) = [line.strip() for line in message.splitlines() if line.startswith("  curl")]
    assert shlex.split(curl) == [
        "curl", "-X", "POST", "http://localhost:8000/datocms/webhooks/cache-tags/",
        "-H", "Content-Type: application/json",
        "-H", "X-Webhook-Secret: <WEBHOOK_SECRET>",
        "-u", "<WEBHOOK_USERNAME>:<WEBHOOK_PASSWORD>",
        "-d", '{"entity_type": "cda_cache_tags", "event_type": "invalidate", '
        '"entity": {"attributes": {"tags": ["a"]}}}',
    ]  # fmt: skip
    for secret in secrets.values():
        assert secret not in message
    # A site that mounts the webhook elsewhere gets its own path.
    with override_settings(ROOT_URLCONF="tests.caching.webhook_view_urls", ALLOWED_HOSTS=[]):
        assert "curl -X POST http://127.0.0.1:8000/hooks/datocms/ " in refusal("a")


def test_a_shared_cache_works_as_before(tmp_path: Path) -> None:
    files = {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(tmp_path),
    }
    caches = {**settings.CACHES, "files": files}
    with override_settings(CACHES=caches, DATOCMS={"CACHE_ALIAS": "files"}):
        store = TagVersionStore("files")
        store.commit("a-page", store.begin(), Entry(("a",), 1, None))
        assert run("a") == "Invalidated 1 cache tag(s); 0 key(s) purged at NoopBackend.\n"
        assert store.read("a-page").status == "stale"


def test_against_a_running_server_with_a_local_memory_cache(fake_cda: FakeCDA) -> None:
    """The silent failure, end to end: a server with a local-memory cache serves a page as a
    HIT; the command, run as ``manage.py`` is (a process of its own), used to print success
    and change nothing. Now it refuses, and the curl it prints does reach the server."""
    version = {"n": 1}

    def article(variables: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
        return {"article": {"title": f"Hello v{version['n']}"}}, ["item:hello", "model:a"]

    fake_cda.content[ARTICLE] = article
    fake_cda.content[NAV] = ({"allPages": [{"title": "Home"}]}, ["model:p"])
    env = {"CDA_URL": fake_cda.url, "CACHE_URL": "locmemcache://site"}
    command_env = {
        **os.environ,
        **env,
        "PYTHONPATH": str(ROOT),
        "DJANGO_SETTINGS_MODULE": "tests.caching.site.settings",
    }

    def manage(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "django", "datocms_invalidate", *args],
            cwd=ROOT, env=command_env, capture_output=True, text=True, timeout=60, check=False,
        )  # fmt: skip

    with gunicorn(env) as base, httpx.Client(timeout=10) as http:

        def page() -> tuple[str, str]:
            response = http.get(base + "/article/hello/")
            return response.headers["X-DatoCMS-Cache"], response.text

        assert page() == ("MISS", "<h1>Hello v1</h1><nav>Home</nav>")
        version["n"] = 2  # published in DatoCMS
        assert page() == ("HIT", "<h1>Hello v1</h1><nav>Home</nav>")

        refused = manage("item:hello")
        assert (refused.returncode, refused.stdout) == (1, "")
        # (after the system checks' output: datocms.W061 says the same of the server)
        assert "(datocms.W061) The DatoCMS cache ('default') is a local-memory" in refused.stderr
        assert f"\nCommandError: {WHY}\n" in refused.stderr
        # What the command did before: success printed, the site unchanged.
        forced = manage("item:hello", "--allow-local-memory")
        assert (forced.returncode, forced.stdout) == (
            0,
            "Invalidated 1 cache tag(s); 0 key(s) purged at NoopBackend.\n",
        )
        assert page() == ("HIT", "<h1>Hello v1</h1><nav>Home</nav>")

        (curl,) = [line for line in refused.stderr.splitlines() if line.startswith("  curl")]
        words = [
            word.replace("http://127.0.0.1:8000", base).replace("<WEBHOOK_SECRET>", "test-secret")
            for word in shlex.split(curl)
        ]
        called = subprocess.run(words, capture_output=True, text=True, timeout=30, check=True)
        assert '"invalidated": 1' in called.stdout
        assert page() == ("MISS", "<h1>Hello v2</h1><nav>Home</nav>")
