"""Fuzzing the cache-tags webhook with valid credentials: only 2xx or 4xx, and a 4xx writes nothing.

Bodies are valid invalidations, envelopes of other events, the same nested far too deep,
truncated or re-encoded, tag lists drawn from the whole of Unicode (controls and lone
surrogates included), token soup and raw bytes; the Content-Type and Content-Length vary too.
Every example snapshots the whole local-memory cache and the CDN's purges before the call.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.cache import caches
from django.test import Client, override_settings
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from datocms_app.caching.cdn import get_cdn
from datocms_app.caching.stores import Entry
from datocms_app.caching.versions import TagVersionStore
from datocms_app.emulator.cache_tags import ALPHABET
from tests.caching.cdn.recording import RecordingBackend, settings_with
from tests.webhooks.test_webhook import AUTH, URL, basic, invalidation

FUZZ_EXAMPLES = 300


def weighted(*choices: tuple[st.SearchStrategy[Any], int]) -> st.SearchStrategy[Any]:
    """One of the strategies, each drawn about ``weight`` times in the sum of the weights."""
    pool = [strategy for strategy, weight in choices for _ in range(weight)]
    return st.sampled_from(pool).flatmap(lambda strategy: strategy)


any_character = st.characters(exclude_categories=())  # controls, surrogates, unassigned
datocms_tag = st.text(st.sampled_from(ALPHABET), min_size=1, max_size=8)
edge_character = st.sampled_from(["\x1c", "\x1d", "\x1e", "\x1f", "\x85", "\xa0", " ", "\x00"])
tag = st.one_of(
    datocms_tag,
    st.text(any_character, max_size=8),
    st.builds(
        lambda edge, core, at_end: core + edge if at_end else edge + core,
        edge_character,
        datocms_tag,
        st.booleans(),
    ),
)
json_leaf = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(any_character, max_size=8),
)
json_value = st.recursive(
    json_leaf,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner),
    max_leaves=12,
)
valid_tags = st.builds(
    lambda tags, call_id: invalidation(*tags, call_id=call_id),
    st.lists(datocms_tag, max_size=4),
    st.text(max_size=6),
)
envelope = weighted(
    (valid_tags, 4),
    (
        st.builds(
            lambda tags, call_id: invalidation(*tags, call_id=call_id),
            st.lists(tag, max_size=6),
            st.text(max_size=6),
        ),
        2,
    ),
    (st.builds(lambda tags: invalidation(*tags), st.lists(json_value, max_size=3)), 1),
    (
        st.fixed_dictionaries(
            {
                "entity_type": st.one_of(st.sampled_from(["cda_cache_tags", "item"]), json_value),
                "event_type": st.one_of(st.sampled_from(["invalidate", "update"]), json_value),
            },
            optional={"entity": json_value, "webhook_call_id": json_value},
        ),
        2,
    ),
    (json_value, 1),
)


def encoded(value: Any, ascii_only: bool) -> bytes:
    # Lone surrogates survive as \ud800 escapes, or as bytes that are not UTF-8.
    return json.dumps(value, ensure_ascii=ascii_only).encode("utf-8", "surrogatepass")


def nest(value: Any, depth: int, kind: str) -> bytes:
    opening, closing = {"list": (b"[", b"]"), "object": (b'{"k":', b"}")}[kind]
    return opening * depth + encoded(value, True) + closing * depth


SINGLE_BYTES = b'{}[]":,\\\x1c \n\xff'
WORDS = b'"tags" "entity" "entity_type" "cda_cache_tags" "invalidate" 1 -0.5e9 null true NaN'
token = st.sampled_from(
    [bytes([byte]) for byte in SINGLE_BYTES] + WORDS.split() + [b"\\u0000", b"\\ud800"]
)
body = weighted(
    (st.builds(encoded, envelope, st.booleans()), 6),
    (st.builds(nest, envelope, st.integers(0, 300), st.sampled_from(["list", "object"])), 2),
    (st.builds(lambda value, cut: encoded(value, True)[:cut], envelope, st.integers(0, 200)), 1),
    (st.builds(b"".join, st.lists(token, max_size=120)), 1),
    (st.binary(max_size=200), 1),
)
json_type = st.sampled_from(
    ["application/json", "application/json; charset=utf-8", "Application/JSON;charset=UTF8"]
)
other_type = st.one_of(
    st.sampled_from(
        [
            "application/json; charset=latin-1",
            "text/plain",
            "application/problem+json",
            "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=x",
            "",
        ]
    ),
    # Header values as a WSGI server hands them over (latin-1, no line breaks). No "*":
    # Django itself raises on an RFC 2231 parameter with an unknown charset
    # ("a; b*=bogus''x") while it builds the request, before any view is called.
    st.text(
        st.characters(min_codepoint=0x20, max_codepoint=0xFF, exclude_characters="*"),
        max_size=40,
    ),
)


content_type = weighted((json_type, 4), (other_type, 1))
content_length = weighted((st.none(), 4), (st.sampled_from(["", "abc", "-1", "0", "half"]), 1))


def snapshot() -> dict[Any, Any]:
    # LocMemCache keeps pickled values in ``_cache``: any write changes this dict.
    return dict(caches["default"]._cache)  # type: ignore[attr-defined]


@settings(
    max_examples=FUZZ_EXAMPLES,
    deadline=None,
    # The cache is snapshotted around each example, so the per-test fixtures are no problem.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(body=body, content_type=content_type, length=content_length)
def test_any_authenticated_call_gets_2xx_or_4xx_and_a_4xx_writes_nothing(
    body: bytes, content_type: str, length: str | None
) -> None:
    headers = {
        "HTTP_AUTHORIZATION": basic("dato", "pa:ss"),
        "HTTP_X_WEBHOOK_SECRET": AUTH["WEBHOOK_SECRET"],
        "CONTENT_TYPE": content_type,
    }
    if length is not None:
        headers["CONTENT_LENGTH"] = str(len(body) // 2) if length == "half" else length
    with override_settings(DATOCMS=settings_with(0, **AUTH), ROOT_URLCONF="tests.urls"):
        cdn = get_cdn()
        assert isinstance(cdn, RecordingBackend)
        store = TagVersionStore("default")
        store.commit("k", store.begin(), Entry(("a",), "page", None))
        before, purges = snapshot(), len(cdn.purges)
        response = Client().generic("POST", URL, body, **headers)
    assert response.status_code in (200, 400, 413, 415), response.content
    assert response["Content-Type"] == "application/json"
    answer = response.json()
    event(f"{response.status_code} {answer.get('error', '')}")  # --hypothesis-show-statistics
    assert answer["ok"] is (response.status_code == 200)
    if response.status_code != 200:
        assert set(answer) == {"ok", "error", "message"}
        assert snapshot() == before
        assert len(cdn.purges) == purges
