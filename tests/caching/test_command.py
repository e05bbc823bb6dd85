"""manage.py datocms_invalidate."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from datocms_app.caching.stores import Entry
from datocms_app.caching.versions import TagVersionStore


def run(*args: str) -> str:
    out = StringIO()
    call_command("datocms_invalidate", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def store() -> TagVersionStore:
    store = TagVersionStore("default")
    store.commit("a-page", store.begin(), Entry(("a",), 1, None))
    store.commit("b-page", store.begin(), Entry(("b",), 2, None))
    return store


def test_invalidate_tags(store: TagVersionStore) -> None:
    assert run("a", "a", "N*r;L") == "Invalidated 2 cache tag(s); 0 key(s) purged at NoopBackend.\n"
    assert store.read("a-page").status == "stale"
    assert store.read("b-page").hit


def test_dry_run_changes_nothing(store: TagVersionStore) -> None:
    assert run("a", "--dry-run") == (
        "Would invalidate 1 cache tag(s) and purge them at NoopBackend: a\n"
    )
    assert run("--all", "--dry-run", "--no-cdn") == (
        "Would invalidate every cached DatoCMS entry and purge everything at no CDN (--no-cdn).\n"
    )
    assert store.read("a-page").hit


def test_all(store: TagVersionStore) -> None:
    assert run("--all") == (
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
    with pytest.raises(CommandError) as caught:
        run(*args)
    assert str(caught.value) == message


def test_store_down_is_a_command_error() -> None:
    with override_settings(DATOCMS={"CACHE_ALIAS": "broken"}):
        with pytest.raises(CommandError) as caught:
            run("a")
    assert str(caught.value).startswith("The cache 'broken' failed to replace the epoch: ")
