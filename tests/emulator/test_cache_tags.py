"""Cache tags: their encoding, and invalidation that is sound (any change that alters a
response invalidates one of its tags) and precise (unrelated responses keep theirs)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import pytest

from datocms_app.emulator import cache_tags
from datocms_app.emulator.project import Field, GlobalSeo, Record, RecordVersion
from datocms_app.emulator.server import Emulator
from datocms_app.emulator.store import Change, ContentStore

QUERIES = {
    "list": "{ allPosts { id title } }",
    "top2": "{ allPosts(orderBy: views_DESC, first: 2) { id } }",
    "alpha": '{ post(filter: {slug: {eq: "alpha"}}) { id title author { name } } }',
    "beta": '{ post(filter: {slug: {eq: "beta"}}) { title } }',
    "count": "{ _allPostsMeta(filter: {views: {gt: 15}}) { count } }",
    "bob": '{ person(filter: {id: {eq: "bob"}}) { name } }',
    "page": "{ page { title } }",
    "site": "{ _site { globalSeo { siteName } } }",
    "cover": '{ post(filter: {id: {eq: "p1"}}) { cover { alt title } photos { alt } } }',
    "links": '{ post(filter: {id: {eq: "p1"}}) { content { links { ... on PostRecord { title } } } } }',  # noqa: E501
    "seo": '{ post(filter: {id: {eq: "p2"}}) { _seoMetaTags { content } } }',
    "tags": "{ allTags { name } }",
    "draft": '{ post(filter: {id: {eq: "p4"}}) { title author { name } } }',
    "strict": "{ allPosts { id } }",
    "introspection": '{ __type(name: "TagRecord") { fields { name } } }',
}
Snapshot = dict[tuple[str, bool], tuple[Any, set[str]]]


def snapshot(emulator: Emulator) -> Snapshot:
    found: Snapshot = {}
    for name, text in QUERIES.items():
        for drafts in (False, True):
            result = emulator.execute(text, include_drafts=drafts, exclude_invalid=name == "strict")
            assert "errors" not in result.body, result.body
            found[(name, drafts)] = (result.body, set(result.tags))
    return found


def version(record: Record, which: str = "current", **fields: Any) -> RecordVersion:
    base = record.current if which == "current" else record.published
    assert base is not None
    return dataclasses.replace(
        base, fields={**base.fields, **fields}, updated_at="2025-01-01T00:00:00+00:00"
    )


def publish_fields(record: Record, **fields: Any) -> Record:
    new = version(record, **fields)
    return record.replace(current=new, published=new, published_at="2025-01-01T00:00:00+00:00")


def change_title(store: ContentStore) -> list[Change]:
    p2 = store.state.records["p2"]
    return store.commit(records=[publish_fields(p2, title={"en": "Beta!"})])


def change_draft_only(store: ContentStore) -> list[Change]:
    p3 = store.state.records["p3"]
    return store.commit(
        records=[p3.replace(current=version(p3, title={"en": "Gamma 3", "it": "x"}))]
    )


def publish_draft_record(store: ContentStore) -> list[Change]:
    p4 = store.state.records["p4"]
    return store.commit(
        records=[p4.replace(published=p4.current, published_at="2025-01-01T00:00:00+00:00")]
    )


def unpublish(store: ContentStore) -> list[Change]:
    p1 = store.state.records["p1"]
    return store.commit(records=[p1.replace(published=None)])


def delete(store: ContentStore) -> list[Change]:
    return store.commit(deleted_records=["p2"])


def create_tag(store: ContentStore) -> list[Change]:
    t1 = store.state.records["t1"]
    new_version = RecordVersion(fields={"name": "green"}, updated_at="2025-01-01T00:00:00+00:00")
    created = t1.replace(id="t3", created_at="2025-01-01T00:00:00+00:00", current=new_version,
                         published=new_version)  # fmt: skip
    return store.commit(records=[created])


def change_views(store: ContentStore) -> list[Change]:
    p1 = store.state.records["p1"]
    return store.commit(records=[publish_fields(p1, views=99)])


def change_person(store: ContentStore) -> list[Change]:
    return store.commit(records=[publish_fields(store.state.records["bob"], name="Robert")])


def change_upload(store: ContentStore) -> list[Change]:
    upload = store.state.uploads["up1"]
    metadata = {**upload.default_field_metadata, "en": {"alt": "New alt"}}
    return store.commit(uploads=[dataclasses.replace(upload, default_field_metadata=metadata)])


def change_site(store: ContentStore) -> list[Change]:
    site = store.state.site
    return store.commit(
        site=dataclasses.replace(site, global_seo={"en": GlobalSeo(site_name="New")})
    )


def change_schema(store: ContentStore) -> list[Change]:
    schema = store.state.schema
    tag = schema.models["tag"]
    extra = Field(id="tag.extra", api_key="extra", field_type="string")
    models = {**schema.models, "tag": dataclasses.replace(tag, fields=(*tag.fields, extra),
                                                          fields_by_key={})}  # fmt: skip
    return store.commit(schema=dataclasses.replace(schema, models=models))


def invalidate_validity(store: ContentStore) -> list[Change]:
    p2 = store.state.records["p2"]
    new = dataclasses.replace(version(p2), is_valid=False)
    return store.commit(records=[p2.replace(current=new, published=new)])


CHANGES: dict[str, Callable[[ContentStore], list[Change]]] = {
    "title": change_title,
    "draft_only": change_draft_only,
    "publish": publish_draft_record,
    "unpublish": unpublish,
    "delete": delete,
    "create": create_tag,
    "views": change_views,
    "person": change_person,
    "upload": change_upload,
    "site": change_site,
    "schema": change_schema,
    "validity": invalidate_validity,
}


@pytest.mark.parametrize("name", list(CHANGES))
def test_every_changed_response_has_an_invalidated_tag(emulator: Emulator, name: str) -> None:
    before = snapshot(emulator)
    invalidated = set(emulator.store.invalidated_tags(CHANGES[name](emulator.store)))
    assert invalidated
    after = snapshot(emulator)
    changed = [key for key in before if before[key][0] != after[key][0]]
    assert changed, "the change should alter at least one response"
    for key in changed:
        assert before[key][1] & invalidated, f"{key} changed but none of its tags was invalidated"


PRECISION = {
    # change -> responses (query, drafts?) that must keep all their tags
    "title": [("alpha", False), ("page", False), ("bob", False), ("tags", False)],
    "draft_only": [(name, False) for name in QUERIES],
    "views": [("beta", False), ("bob", False), ("page", False)],
    "person": [("beta", False), ("list", False), ("page", False)],
    "upload": [("beta", False), ("list", False), ("page", False), ("alpha", False)],
    "site": [("list", False), ("alpha", False), ("cover", False)],
    "create": [("list", False), ("alpha", False), ("page", False)],
}


@pytest.mark.parametrize("name", list(PRECISION))
def test_unrelated_responses_are_not_invalidated(emulator: Emulator, name: str) -> None:
    before = snapshot(emulator)
    invalidated = set(emulator.store.invalidated_tags(CHANGES[name](emulator.store)))
    for key in PRECISION[name]:
        assert not before[key][1] & invalidated, f"{key} was invalidated by {name!r}"


def test_schema_changes_invalidate_everything(emulator: Emulator) -> None:
    before = snapshot(emulator)
    invalidated = set(emulator.store.invalidated_tags(change_schema(emulator.store)))
    assert invalidated == {cache_tags.schema_tag()}
    assert all(response_tags & invalidated for _, response_tags in before.values())


def test_invalidated_tags_are_described(emulator: Emulator) -> None:
    invalidated = emulator.store.invalidated_tags(change_title(emulator.store))
    assert sorted(cache_tags.describe(invalidated)) == [
        "field/draft/post/_publishedAt",
        "field/draft/post/_updatedAt",
        "field/draft/post/title",
        "field/published/post/_publishedAt",
        "field/published/post/_updatedAt",
        "field/published/post/title",
        "record/draft/p2",
        "record/published/p2",
    ]


def test_listeners_hear_changes_with_their_tags(store: ContentStore) -> None:
    heard: list[tuple[str, list[str]]] = []
    unsubscribe = store.subscribe(lambda change, found: heard.append((change.action, found)))
    change_title(store)
    delete(store)
    unsubscribe()
    change_person(store)
    assert [action for action, _ in heard] == ["update", "delete"]
    assert "record/published/p2" in cache_tags.describe(heard[1][1])
    assert "collection/published/post" in cache_tags.describe(heard[1][1])


def test_tags_use_datocms_alphabet_and_are_stable() -> None:
    tag = cache_tags.record_tag("published", "p1")
    assert len(tag) == 8
    assert set(tag) <= set(cache_tags.ALPHABET)
    assert len(cache_tags.ALPHABET) == len(set(cache_tags.ALPHABET)) == 66
    assert cache_tags.record_tag("published", "p1") == tag
    assert tag != cache_tags.record_tag("draft", "p1")
    # Stable across processes: a fixed key always gives the same tag.
    assert cache_tags.encode(("schema",)) == cache_tags.schema_tag()
    assert cache_tags.describe([tag, "unknown"]) == ["record/published/p1", "? unknown"]


def test_response_tags_are_sorted_and_unique(emulator: Emulator) -> None:
    result = emulator.execute(QUERIES["alpha"])
    assert result.tags == sorted(set(result.tags))
    assert sorted(cache_tags.describe(result.tags)) == [
        "collection/published/post",
        "field/published/post/_createdAt",
        "field/published/post/slug",
        "record/published/ada",
        "record/published/p1",
        "schema",
    ]


def test_commit_refuses_what_it_cannot_store(store: ContentStore) -> None:
    from datocms_app.exceptions import InvalidArgument

    with pytest.raises(InvalidArgument, match="No record with id 'nope' to delete"):
        store.commit(deleted_records=["nope"])
    with pytest.raises(InvalidArgument, match="records must be Record objects"):
        store.commit(records=[{"id": "x"}])  # type: ignore[list-item]
    assert store.put_record(store.state.records["p1"]) is None  # unchanged: no change
