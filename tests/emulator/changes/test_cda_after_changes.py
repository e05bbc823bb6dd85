"""Changes as the Content Delivery API sees them, and the soundness of their invalidations.

For every change kind, a set of queries runs in both views before and after the change. A
response that changed must have at least one tag the change invalidated (otherwise a cached
page would stay stale); saving a draft must not touch any published response's tags.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest

from datocms_app.emulator import cache_tags
from datocms_app.emulator.changes import ChangeResult, ContentEditor
from datocms_app.emulator.execution import execute_query
from datocms_app.emulator.project import View
from datocms_app.emulator.store import ContentStore

FIXED = datetime(2025, 3, 1, 12, 0, 0, tzinfo=UTC)

QUERIES = {
    "list": "{ allArticles { id title _status _updatedAt _publishedAt } }",
    "list-it": '{ allArticles(locale: it) { id title } }',
    "by-slug": '{ article(filter: {slug: {eq: "alps"}}) { id title views _status } }',
    "wip": '{ article(filter: {slug: {eq: "wip"}}) { id title } }',
    "count": "{ _allArticlesMeta { count } }",
    "latest": "{ allArticles(orderBy: _updatedAt_DESC, first: 1) { id } }",
    "with-author": "{ allArticles { id author { name } categories { name } } }",
    "authors": "{ allAuthors(orderBy: name_ASC) { id name } }",
    "one-author": '{ author(filter: {id: {eq: "ada"}}) { name } }',
    "categories": "{ allCategories { id name } }",
    "home": "{ home { headline } }",
    "titled": '{ allArticles(filter: {title: {matches: {pattern: "Alp"}}}) { id } }',
    "blocks": '{ article(filter: {id: {eq: "alps"}}) '
              '{ content { ... on QuoteBlockRecord { quote } } } }',
    "site": "{ _site { globalSeo { siteName } } }",
}  # fmt: skip
VIEWS: tuple[View, ...] = ("published", "draft")

Snapshot = dict[tuple[str, View], tuple[Any, list[str]]]


def snapshot(store: ContentStore) -> Snapshot:
    state = store.state
    out: Snapshot = {}
    for name, query in QUERIES.items():
        for view in VIEWS:
            result = execute_query(state, query, view=view)
            assert result.ok, (name, view, result.body)
            out[(name, view)] = (result.body, result.tags)
    return out


def run(
    store: ContentStore, change: Callable[[ContentEditor], ChangeResult]
) -> tuple[Snapshot, Snapshot, ChangeResult]:
    before = snapshot(store)
    result = change(ContentEditor(store, clock=lambda: FIXED))
    after = snapshot(store)
    return before, after, result


def changed(before: Snapshot, after: Snapshot) -> set[tuple[str, View]]:
    return {key for key in before if before[key][0] != after[key][0]}


def assert_sound(before: Snapshot, after: Snapshot, result: ChangeResult) -> None:
    invalidated = set(result.tags)
    for key in changed(before, after):
        assert invalidated & set(before[key][1]), (
            f"{key} changed but none of its tags {cache_tags.describe(before[key][1])} was "
            f"invalidated (invalidated: {cache_tags.describe(invalidated)})"
        )


def published_untouched(before: Snapshot, result: ChangeResult) -> None:
    invalidated = set(result.tags)
    for (name, view), (_, response_tags) in before.items():
        if view == "published":
            assert not invalidated & set(response_tags), (name, cache_tags.describe(invalidated))


CHANGES: dict[str, Callable[[ContentEditor], ChangeResult]] = {
    "create draft": lambda e: e.create_record("article", {"title": {"en": "Alpine lakes"},
                                                          "slug": "lakes"}, id="lakes"),
    "create published": lambda e: e.create_record(
        "article", {"title": {"en": "Alpine lakes", "it": "Laghi"}, "author": "ada"},
        publish=True, id="lakes"),
    "update draft": lambda e: e.update_record("alps", {"title": "Le Alpi!"}, locale="it"),
    "update and publish": lambda e: e.update_record("alps", {"views": 9}, publish=True),
    "update block": lambda e: e.update_record(
        "alps", {"content": [{"item_type": "quote_block", "id": "q1", "quote": "Higher."}]},
        publish=True),
    "publish draft": lambda e: e.publish_record("draft-only"),
    "unpublish": lambda e: e.unpublish_record("alps"),
    "delete published": lambda e: e.delete_record("alps"),
    "delete draft": lambda e: e.delete_record("draft-only"),
    "rename author": lambda e: e.update_record("ada", {"name": "Ada L."}, publish=True),
    "create category": lambda e: e.create_record("category", {"name": "Food"}),
    "update singleton": lambda e: e.update_record("home", {"headline": "Hi"}, publish=True),
    "update site": lambda e: e.update_site(global_seo={"en": {"site_name": "Mag"}}),
    "relink": lambda e: e.update_record("alps", {"categories": []}, publish=True),
}  # fmt: skip


@pytest.mark.parametrize("name", list(CHANGES))
def test_every_changed_response_had_an_invalidated_tag(store: ContentStore, name: str) -> None:
    before, after, result = run(store, CHANGES[name])
    assert changed(before, after), "the change should alter some response"
    assert_sound(before, after, result)


@pytest.mark.parametrize("name", ["create draft", "update draft", "delete draft"])
def test_draft_changes_never_invalidate_published_responses(store: ContentStore, name: str) -> None:
    before, after, result = run(store, CHANGES[name])
    assert {view for _, view in changed(before, after)} == {"draft"}
    published_untouched(before, result)


def test_update_draft_is_visible_with_drafts_only(store: ContentStore) -> None:
    before, after, _ = run(store, CHANGES["update draft"])
    assert after[("by-slug", "published")][0] == before[("by-slug", "published")][0]
    draft = after[("by-slug", "draft")][0]["data"]["article"]
    assert draft["_status"] == "updated"
    assert after[("list-it", "draft")][0]["data"]["allArticles"][0] == {
        "id": "alps",
        "title": "Le Alpi!",
    }
    listed = {a["id"]: a for a in after[("list", "draft")][0]["data"]["allArticles"]}
    assert listed["alps"]["_updatedAt"] == "2025-03-01T12:00:00+00:00"
    assert listed["alps"]["_publishedAt"] == "2024-01-01T00:00:00+00:00"


def test_publish_makes_a_draft_visible(store: ContentStore) -> None:
    before, after, _ = run(store, CHANGES["publish draft"])
    assert before[("wip", "published")][0] == {"data": {"article": None}}
    assert after[("wip", "published")][0] == {
        "data": {"article": {"id": "draft-only", "title": "Work in progress"}}
    }
    listed = {a["id"]: a for a in after[("list", "draft")][0]["data"]["allArticles"]}
    assert listed["draft-only"]["_status"] == "published"
    assert listed["draft-only"]["_publishedAt"] == "2025-03-01T12:00:00+00:00"
    assert listed["draft-only"]["_updatedAt"] == "2025-03-01T12:00:00+00:00"
    assert after[("count", "published")][0] == {"data": {"_allArticlesMeta": {"count": 2}}}


def test_new_published_record_invalidates_the_collections_it_joins(store: ContentStore) -> None:
    before, after, result = run(store, CHANGES["create published"])
    for name in ("list", "count", "latest", "with-author"):
        assert name in {n for n, view in changed(before, after) if view == "published"}
        assert set(result.tags) & set(before[(name, "published")][1])
    ids = [a["id"] for a in after[("list", "published")][0]["data"]["allArticles"]]
    assert ids == ["alps", "lakes"]


def test_unpublish_hides_from_published_keeps_draft(store: ContentStore) -> None:
    _, after, _ = run(store, CHANGES["unpublish"])
    assert after[("by-slug", "published")][0] == {"data": {"article": None}}
    assert after[("by-slug", "draft")][0]["data"]["article"]["_status"] == "draft"


def test_delete_removes_from_both_views(store: ContentStore) -> None:
    _, after, _ = run(store, CHANGES["delete published"])
    for view in VIEWS:
        assert after[("by-slug", view)][0] == {"data": {"article": None}}


def test_tags_of_every_response_showing_the_record_are_hit(store: ContentStore) -> None:
    before, _, result = run(store, CHANGES["update and publish"])
    showing_alps = [key for key, (body, _) in before.items() if '"alps"' in repr(body).replace(
        "'", '"')]  # fmt: skip
    assert showing_alps
    for key in showing_alps:
        assert set(result.tags) & set(before[key][1]), key
