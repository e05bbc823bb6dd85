"""ContentEditor on a store: what each change does to records, and the tags it invalidates."""

from __future__ import annotations

import sys
import threading
from datetime import UTC, datetime

import pytest

from datocms_app.emulator import cache_tags
from datocms_app.emulator.changes import ContentEditor
from datocms_app.emulator.exceptions import (
    ContentChangeError,
    InvalidFieldValue,
    InvalidStatusChange,
    RecordNotFound,
    UnknownModel,
)
from datocms_app.emulator.store import ContentStore

FIXED = datetime(2025, 3, 1, 12, 0, 0, tzinfo=UTC)


def editor(store: ContentStore) -> ContentEditor:
    return ContentEditor(store, clock=lambda: FIXED)


def described(result_tags: tuple[str, ...]) -> list[str]:
    return sorted(cache_tags.describe(result_tags))


# -- create ---------------------------------------------------------------------------------


def test_create_draft_record(store: ContentStore) -> None:
    result = editor(store).create_record(
        "article", {"title": {"en": "New", "it": "Nuovo"}, "author": "ada"}, id="new-one"
    )
    record = store.state.records["new-one"]
    assert result.record == record
    assert record.status == "draft"
    assert record.published is None
    assert record.current.fields["title"] == {"en": "New", "it": "Nuovo"}
    assert record.current.fields["categories"] == []
    assert record.created_at == record.current.updated_at == "2025-03-01T12:00:00+00:00"
    assert result.events == ["create"]
    assert described(result.tags) == ["collection/draft/article", "record/draft/new-one"]


def test_create_and_publish(store: ContentStore) -> None:
    result = editor(store).create_record(
        "article", {"title": {"en": "New", "it": "Nuovo"}}, publish=True, id="pub"
    )
    record = store.state.records["pub"]
    assert record.status == "published"
    assert record.published_at == record.first_published_at == "2025-03-01T12:00:00+00:00"
    assert result.events == ["create", "publish"]
    assert described(result.tags) == [
        "collection/draft/article",
        "collection/published/article",
        "record/draft/pub",
        "record/published/pub",
    ]


def test_create_in_model_without_draft_mode_publishes(store: ContentStore) -> None:
    result = editor(store).create_record("category", {"name": "Food"}, id="food")
    assert store.state.records["food"].status == "published"
    assert result.events == ["create", "publish"]


def test_generated_ids_look_like_datocms_ids(store: ContentStore) -> None:
    result = editor(store).create_record("author", {"name": "Grace"})
    assert result.record is not None
    assert len(result.record.id) == 22
    assert result.record.id in store.state.records


def test_create_refusals_change_nothing(store: ContentStore) -> None:
    version = store.state.version
    ed = editor(store)
    with pytest.raises(UnknownModel, match=r"No model 'post'; models are: article, author"):
        ed.create_record("post", {})
    with pytest.raises(UnknownModel, match="'quote_block' is a block model"):
        ed.create_record("quote_block", {"quote": "x"})
    with pytest.raises(ContentChangeError, match="singleton and already has record 'home'"):
        ed.create_record("home", {"headline": "Two"})
    with pytest.raises(ContentChangeError, match="'alps' already exists"):
        ed.create_record("author", {"name": "X"}, id="alps")
    with pytest.raises(InvalidFieldValue, match="ids are 1-64 letters") as caught:
        ed.create_record("author", {"name": "X"}, id="no spaces")
    assert caught.value.field == "id"
    with pytest.raises(InvalidFieldValue, match="views: an integer field takes an integer") as err:
        ed.create_record("article", {"title": {"en": "x"}, "views": "many"})
    assert err.value.field == "views"
    with pytest.raises(InvalidFieldValue, match="links to author only"):
        ed.create_record("article", {"title": {"en": "x"}, "author": "travel"})
    with pytest.raises(InvalidStatusChange, match=r"cannot be published because it is invalid: "
                       r"title \(en\): is required"):  # fmt: skip
        ed.create_record("article", {"title": {"en": ""}, "slug": "no-title"}, publish=True)
    assert store.state.version == version


def test_invalid_draft_can_be_saved_but_not_published(store: ContentStore) -> None:
    ed = editor(store)
    result = ed.create_record("article", {"title": {"en": None}}, id="untitled")
    assert result.record is not None
    assert result.record.current.is_valid is False
    with pytest.raises(InvalidStatusChange, match="title \\(en\\): is required"):
        ed.publish_record("untitled")


# -- update ---------------------------------------------------------------------------------


def test_update_one_locale_keeps_the_others_and_the_published_version(store: ContentStore) -> None:
    before = store.state.records["alps"]
    result = editor(store).update_record("alps", {"title": "Le Alpi!"}, locale="it")
    after = store.state.records["alps"]
    assert after.current.fields["title"] == {"en": "The Alps", "it": "Le Alpi!"}
    assert after.published is before.published
    assert after.status == "updated"
    # Untouched fields are stored exactly as before (JSON, links, blocks, files).
    for key in ("summary", "extra", "author", "categories", "content", "cover", "slug", "views"):
        assert after.current.fields[key] == before.current.fields[key]
    assert after.current.blocks == before.current.blocks
    assert result.events == ["update"]
    assert described(result.tags) == [
        "field/draft/article/_status",
        "field/draft/article/_updatedAt",
        "field/draft/article/title",
        "record/draft/alps",
    ]


def test_update_and_publish(store: ContentStore) -> None:
    result = editor(store).update_record("alps", {"views": 2}, publish=True)
    after = store.state.records["alps"]
    assert after.status == "published"
    assert after.published is after.current
    assert after.published_at == "2025-03-01T12:00:00+00:00"
    assert after.first_published_at == "2024-01-01T00:00:00+00:00"
    assert result.events == ["update", "publish"]
    assert "field/published/article/views" in described(result.tags)
    assert "record/published/alps" in described(result.tags)


def test_update_adds_a_block_and_keeps_the_existing_one(store: ContentStore) -> None:
    editor(store).update_record(
        "alps", {"content": ["q1", {"item_type": "quote_block", "quote": "Higher."}]}
    )
    version = store.state.records["alps"].current
    first, second = version.fields["content"]
    assert first == "q1"
    assert second != "q1"
    assert version.blocks[second].fields == {"quote": "Higher."}
    assert version.blocks["q1"] == store.state.records["alps"].published.blocks["q1"]  # type: ignore[union-attr]


def test_updated_at_always_moves_forward(store: ContentStore) -> None:
    ed = editor(store)
    ed.update_record("alps", {"views": 5})
    first = store.state.records["alps"].current.updated_at
    ed.update_record("alps", {"views": 6})
    second = store.state.records["alps"].current.updated_at
    assert (first, second) == ("2025-03-01T12:00:00+00:00", "2025-03-01T12:00:01+00:00")


def test_update_refusals(store: ContentStore) -> None:
    ed = editor(store)
    version = store.state.version
    with pytest.raises(RecordNotFound, match="No record with id 'nope'"):
        ed.update_record("nope", {"views": 1})
    with pytest.raises(InvalidFieldValue, match="has no field\\(s\\) color; its fields are: title"):
        ed.update_record("alps", {"color": "red"})
    with pytest.raises(InvalidFieldValue, match="Unknown locale 'fr'; the project's locales"):
        ed.update_record("alps", {"title": "Les Alpes"}, locale="fr")
    with pytest.raises(InvalidFieldValue, match="every localized field of a record must have"):
        ed.update_record("alps", {"summary": {"en": "Only English"}})
    with pytest.raises(InvalidFieldValue, match="needs a non-empty dict"):
        ed.update_record("alps", {})
    with pytest.raises(InvalidFieldValue, match="is not a block of this record"):
        ed.update_record("alps", {"content": ["q-unknown"]})
    assert store.state.version == version


# -- publish, unpublish, delete -------------------------------------------------------------


def test_publish_a_draft(store: ContentStore) -> None:
    result = editor(store).publish_record("draft-only")
    record = store.state.records["draft-only"]
    assert record.status == "published"
    assert record.published is record.current
    assert result.events == ["publish"]
    assert described(result.tags) == [
        "collection/published/article",
        "field/draft/article/_firstPublishedAt",
        "field/draft/article/_publishedAt",
        "field/draft/article/_status",
        "field/draft/article/_updatedAt",
        "record/draft/draft-only",
        "record/published/draft-only",
    ]


def test_publishing_a_published_record_changes_nothing(store: ContentStore) -> None:
    version = store.state.version
    result = editor(store).publish_record("alps")
    assert result.tags == ()
    assert result.changes == ()
    assert store.state.version == version


def test_unpublish(store: ContentStore) -> None:
    result = editor(store).unpublish_record("alps")
    record = store.state.records["alps"]
    assert record.status == "draft"
    assert record.published is None
    assert record.published_at is None
    assert record.first_published_at == "2024-01-01T00:00:00+00:00"
    assert result.events == ["unpublish"]
    assert "collection/published/article" in described(result.tags)
    assert "record/published/alps" in described(result.tags)
    with pytest.raises(InvalidStatusChange, match="'category' has draft/published disabled"):
        editor(store).unpublish_record("travel")


def test_delete_published_record(store: ContentStore) -> None:
    result = editor(store).delete_record("alps")
    assert "alps" not in store.state.records
    assert result.record is not None
    assert result.record.id == "alps"
    assert result.events == ["unpublish", "delete"]
    assert described(result.tags) == [
        "collection/draft/article",
        "collection/published/article",
        "record/draft/alps",
        "record/published/alps",
    ]


def test_delete_draft_record(store: ContentStore) -> None:
    result = editor(store).delete_record("draft-only")
    assert result.events == ["delete"]
    assert described(result.tags) == ["collection/draft/article", "record/draft/draft-only"]


def test_delete_is_refused_while_linked(store: ContentStore) -> None:
    with pytest.raises(
        InvalidStatusChange,
        match=r"Record 'ada' is linked from other records: alps \(author\)\. Remove those",
    ):
        editor(store).delete_record("ada")
    editor(store).update_record("alps", {"author": None}, publish=True)
    editor(store).delete_record("ada")
    assert "ada" not in store.state.records


# -- uploads and site -----------------------------------------------------------------------


def test_update_upload_metadata(store: ContentStore) -> None:
    result = editor(store).update_upload(
        "up-1", default_field_metadata={"it": {"alt": "Un pixel"}}, author="Ada", tags=["red"]
    )
    upload = store.state.uploads["up-1"]
    assert upload.default_field_metadata == {
        "en": {"alt": "A pixel", "title": "Pixel"},
        "it": {"alt": "Un pixel"},
    }
    assert upload.author == "Ada"
    assert upload.tags == ("red",)
    assert upload.updated_at == "2025-03-01T12:00:00+00:00"
    assert described(result.tags) == ["upload/up-1", "uploads"]
    with pytest.raises(RecordNotFound, match="No upload with id 'up-9'; uploads are: up-1"):
        editor(store).update_upload("up-9", author="x")
    with pytest.raises(InvalidFieldValue, match="default_field_metadata is keyed by locale"):
        editor(store).update_upload("up-1", default_field_metadata={"fr": {"alt": "x"}})
    with pytest.raises(InvalidFieldValue, match="focal_point must be"):
        editor(store).update_upload(
            "up-1", default_field_metadata={"en": {"focal_point": {"x": 2, "y": 0}}}
        )


def test_update_site(store: ContentStore) -> None:
    result = editor(store).update_site(name="Renamed", no_index=True)
    assert store.state.site.name == "Renamed"
    assert store.state.site.no_index is True
    assert store.state.site.locales == ("en", "it")
    assert described(result.tags) == ["site"]
    with pytest.raises(InvalidFieldValue, match="update_site takes some of name, global_seo"):
        editor(store).update_site(locales=["en"])
    with pytest.raises(InvalidFieldValue, match="favicon 'nope' is not an upload id"):
        editor(store).update_site(favicon="nope")


def test_create_with_a_locale(store: ContentStore) -> None:
    editor(store).create_record(
        "article", {"title": "Laghi", "summary": "Acqua", "slug": "laghi"}, locale="it", id="l"
    )
    fields = store.state.records["l"].current.fields
    assert fields["title"] == {"it": "Laghi"}
    assert fields["summary"] == {"it": "Acqua"}
    assert fields["slug"] == "laghi"
    assert store.state.records["l"].current.locales == ("it",)


def test_update_with_a_locale_sets_non_localized_fields_as_given(store: ContentStore) -> None:
    editor(store).update_record("alps", {"title": "Alpi", "views": 4}, locale="it")
    fields = store.state.records["alps"].current.fields
    assert fields["title"] == {"en": "The Alps", "it": "Alpi"}
    assert fields["views"] == 4


def test_dry_run_reports_without_committing(store: ContentStore) -> None:
    heard: list[str] = []
    store.subscribe(lambda change, found: heard.append(change.kind))
    version = store.state.version
    result = editor(store).dry_run().delete_record("alps")
    assert result.events == ["unpublish", "delete"]
    assert len(result.tags) == 4
    assert store.state.version == version
    assert "alps" in store.state.records
    assert heard == []


def test_concurrent_updates_of_one_record_lose_nothing(store: ContentStore) -> None:
    ed = editor(store)
    # Switch threads very often, so unserialized read-modify-commit steps would interleave.
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        _race(store, ed)
    finally:
        sys.setswitchinterval(interval)


def _race(store: ContentStore, ed: ContentEditor) -> None:
    changes = [{"views": 5}, {"slug": "alpi"}, {"extra": {"b": 2}}, {"author": "linus"}]
    for _ in range(10):
        barrier = threading.Barrier(len(changes))

        def apply(fields: dict[str, object], barrier: threading.Barrier) -> None:
            barrier.wait()
            ed.update_record("alps", fields)

        threads = [threading.Thread(target=apply, args=(c, barrier)) for c in changes]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        fields = store.state.records["alps"].current.fields
        assert (fields["views"], fields["slug"], fields["extra"], fields["author"]) == (
            5, "alpi", {"b": 2}, "linus"
        )  # fmt: skip
        ed.update_record("alps", {"views": 1, "slug": "alps", "extra": {"a": 1}, "author": "ada"})
