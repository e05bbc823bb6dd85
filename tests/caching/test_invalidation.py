"""invalidate_tags and invalidate_all: the tag rule, nothing done for no tags, no thread a call."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.core.cache import caches
from django.test import override_settings

from datocms_app.caching import invalidate_all, invalidate_tags
from datocms_app.caching.cdn import get_cdn
from datocms_app.caching.invalidation import check_cache_tag, is_cache_tag
from datocms_app.caching.versions import EPOCH_KEY, TagVersionStore
from datocms_app.emulator.cache_tags import ALPHABET
from datocms_app.exceptions import InvalidArgument
from datocms_app.signals import cache_tags_invalidated
from tests.caching.backends import CALLS
from tests.caching.cdn.recording import RecordingBackend, settings_with

WRITES = {"set", "set_many", "add", "delete"}


def writes() -> list[tuple[str, tuple[str, ...]]]:
    return [call for call in CALLS if call[0] in WRITES]


def tag_message(shown: str) -> str:
    return (
        "A cache tag is 1 to 1024 printable ASCII characters without spaces, as DatoCMS sends "
        f"them in X-Cache-Tags; got {shown}."
    )


@pytest.mark.parametrize(
    "tag", [ALPHABET, "N*r;L", 't#k[uP"\\', "!", "~", "item:hello", "x" * 1024]
)
def test_what_datocms_sends_is_a_cache_tag(tag: str) -> None:
    assert is_cache_tag(tag)
    assert check_cache_tag(tag) is tag


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("", "''"),
        (" ", "' '"),
        ("a b", "'a b'"),
        ("\x1ca", "'\\x1ca'"),  # str.strip() removes \x1c-\x1f: once a 500 in the webhook
        ("a\x1f", "'a\\x1f'"),
        ("\x1d\x1e", "'\\x1d\\x1e'"),
        ("a\n", "'a\\n'"),
        ("\x7f", "'\\x7f'"),
        ("\x85a", "'\\x85a'"),
        ("caf\u00e9", "'café'"),
        ("a\u2028", "'a\\u2028'"),
        ("\ud800", "'\\ud800'"),
        ("x" * 1025, "'" + "x" * 59 + "..."),
        (b"ab", "b'ab'"),
        (None, "None"),
        (5, "5"),
    ],
)
def test_anything_else_is_refused_with_what_was_wrong(value: Any, shown: str) -> None:
    assert not is_cache_tag(value)
    with pytest.raises(InvalidArgument) as caught:
        check_cache_tag(value)
    assert str(caught.value) == tag_message(shown)


@pytest.mark.parametrize("tags", [["ok", "\x1cbad"], ["ok", "bad\x1f"], ["ok", ""], "ok"])
def test_refused_tags_write_nothing(tags: Any) -> None:
    with override_settings(DATOCMS={"CACHE_ALIAS": "counting"}):
        with pytest.raises(InvalidArgument):
            invalidate_tags(tags)
    assert writes() == []


def test_no_tags_write_nothing_purge_nothing_and_signal_nothing() -> None:
    received: list[Any] = []

    def on_invalidated(sender: Any, **kwargs: Any) -> None:
        received.append(kwargs)

    store = TagVersionStore("counting")
    epoch = store.begin()
    CALLS.clear()
    cache_tags_invalidated.connect(on_invalidated)
    try:
        with override_settings(DATOCMS=settings_with(0.01, CACHE_ALIAS="counting")):
            result = invalidate_tags([])
            cdn = get_cdn()
    finally:
        cache_tags_invalidated.disconnect(on_invalidated)
    assert (result.tags, result.purged, result.cdn) == ((), 0, "RecordingBackend")
    assert writes() == []
    assert caches["counting"].get(EPOCH_KEY) == epoch
    assert isinstance(cdn, RecordingBackend)
    assert cdn.purges == []
    assert received == []


def test_6000_invalidations_without_a_cdn_start_no_thread() -> None:
    # NoopBackend has nothing to purge again: no re-purge, no worker, no thread per call.
    invalidate_tags(["warm-up"])
    before, running = threading.active_count(), set(threading.enumerate())
    for n in range(6000):
        invalidate_tags([f"tag-{n % 50}"])
    assert threading.active_count() <= before
    assert [t for t in threading.enumerate() if t not in running] == []


def test_invalidate_all_without_a_cdn_starts_no_thread() -> None:
    before, running = threading.active_count(), set(threading.enumerate())
    for _ in range(100):
        invalidate_all()
    assert threading.active_count() <= before
    assert [t for t in threading.enumerate() if t not in running] == []
