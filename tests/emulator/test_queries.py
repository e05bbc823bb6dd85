"""Queries against the fixture project: records, meta fields, locales, drafts, links, blocks."""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import Query


def titles(data: dict[str, Any], key: str = "allPosts") -> list[str]:
    return [item["title"] for item in data[key]]


# -- collections and single records ----------------------------------------------------------


def test_collection_default_order_is_creation(query: Query) -> None:
    data = query("{ allPosts { id title } _allPostsMeta { count } }")
    assert data == {
        "allPosts": [
            {"id": "p1", "title": "Alpha"},
            {"id": "p2", "title": "Beta"},
            {"id": "p3", "title": "Gamma"},
            {"id": "p5", "title": ""},
        ],
        "_allPostsMeta": {"count": 4},
    }


def test_single_record_by_filter_and_missing(query: Query) -> None:
    data = query(
        '{ a: post(filter: {slug: {eq: "beta"}}) { id } '
        'b: post(filter: {slug: {eq: "zz"}}) { id } }'
    )
    assert data == {"a": {"id": "p2"}, "b": None}


def test_single_record_honours_order_by(query: Query) -> None:
    assert query("{ post(orderBy: views_DESC) { id } }") == {"post": {"id": "p5"}}


def test_singleton(query: Query) -> None:
    assert query("{ page { id title _modelApiKey __typename } }") == {
        "page": {
            "id": "page",
            "title": "The page",
            "_modelApiKey": "page",
            "__typename": "PageRecord",
        }
    }


def test_scalar_fields(query: Query) -> None:
    data = query(
        """{ post(filter: {id: {eq: "p1"}}) {
            slug body published views score day at data
            color { red green blue alpha hex cssRgb } place { latitude longitude }
            seo { title description twitterCard noIndex image { id } } } }"""
    )
    assert data["post"] == {
        "slug": "alpha",
        "body": "The first bicycle post",
        "published": True,
        "views": 10,
        "score": 1.5,
        "day": "2024-01-10",
        "at": "2024-01-10T10:00:30+00:00",
        "data": {"a": 1},
        "color": {"red": 255, "green": 0, "blue": 128, "alpha": 255, "hex": "#ff0080",
                  "cssRgb": "rgba(255, 0, 128, 1)"},
        "place": {"latitude": 45.07, "longitude": 7.69},
        "seo": {"title": "Alpha SEO", "description": "About alpha",
                "twitterCard": "summary_large_image", "noIndex": False, "image": {"id": "up1"}},
    }  # fmt: skip


def test_meta_fields(query: Query) -> None:
    data = query(
        """{ post(filter: {id: {eq: "p1"}}) { _status _createdAt _updatedAt _publishedAt
            _firstPublishedAt _isValid _locales _publicationScheduledAt
            _unpublishingScheduledAt } }"""
    )
    assert data["post"] == {
        "_status": "published",
        "_createdAt": "2024-02-01T10:00:00+00:00",
        "_updatedAt": "2024-02-02T10:00:00+00:00",
        "_publishedAt": "2024-02-02T10:00:00+00:00",
        "_firstPublishedAt": "2024-02-02T10:00:00+00:00",
        "_isValid": True,
        "_locales": ["en", "it", "fr"],
        "_publicationScheduledAt": None,
        "_unpublishingScheduledAt": None,
    }


def test_record_interface_fragments(query: Query) -> None:
    data = query(
        '{ post(filter: {id: {eq: "p1"}}) { ... on RecordInterface { id _modelApiKey } } }'
    )
    assert data == {"post": {"id": "p1", "_modelApiKey": "post"}}


# -- links, blocks, structured text ----------------------------------------------------------


def test_links(query: Query) -> None:
    data = query('{ post(filter: {id: {eq: "p1"}}) { author { name age } tags { name } } }')
    assert data == {"post": {"author": {"name": "Ada", "age": 36},
                             "tags": [{"name": "red"}, {"name": "blue"}]}}  # fmt: skip


def test_modular_content_and_single_block(query: Query) -> None:
    data = query(
        """{ post(filter: {id: {eq: "p1"}}) {
            modules { __typename ... on NoteRecord { id text }
                      ... on PicRecord { id image { id } } }
            hero { __typename ... on PicRecord { id _modelApiKey image { id } } } } }"""
    )
    assert data == {
        "post": {
            "modules": [
                {"__typename": "NoteRecord", "id": "m1", "text": "first"},
                {"__typename": "PicRecord", "id": "m2", "image": {"id": "up2"}},
            ],
            "hero": {"__typename": "PicRecord", "id": "h1", "_modelApiKey": "pic",
                     "image": {"id": "up1"}},
        }
    }  # fmt: skip


def test_structured_text(query: Query) -> None:
    data = query(
        """{ post(filter: {id: {eq: "p1"}}) { content {
            value
            blocks { __typename ... on NoteRecord { id text } }
            inlineBlocks { ... on NoteRecord { id text } }
            links { __typename ... on PostRecord { id slug } ... on PersonRecord { id name } }
        } } }"""
    )
    content = data["post"]["content"]
    assert content["value"]["schema"] == "dast"
    children = content["value"]["document"]["children"]
    assert children[1] == {"type": "block", "item": "n-block"}
    assert children[0]["children"][-1] == {"type": "inlineBlock", "item": "n-inline"}
    assert content["blocks"] == [{"__typename": "NoteRecord", "id": "n-block", "text": "block"}]
    assert content["inlineBlocks"] == [{"id": "n-inline", "text": "inline"}]
    assert content["links"] == [
        {"__typename": "PostRecord", "id": "p2", "slug": "beta"},
        {"__typename": "PersonRecord", "id": "ada", "name": "Ada"},
    ]


def test_links_to_unpublished_records_are_hidden(query: Query) -> None:
    published = query('{ person(filter: {id: {eq: "bob"}}) { id } }')
    assert published == {"person": {"id": "bob"}}
    # p4 (draft only) links to bob; p4 itself is only visible with drafts.
    assert query('{ post(filter: {id: {eq: "p4"}}) { id } }') == {"post": None}
    drafts = query('{ post(filter: {id: {eq: "p4"}}) { author { id } } }', include_drafts=True)
    assert drafts == {"post": {"author": {"id": "bob"}}}


# -- locales ---------------------------------------------------------------------------------


def test_locale_argument_and_per_field_locale(query: Query) -> None:
    data = query('{ post(locale: it, filter: {id: {eq: "p1"}}) { title en: title(locale: en) } }')
    assert data == {"post": {"title": "Alfa", "en": "Alpha"}}


def test_fallback_locales(query: Query) -> None:
    data = query(
        """{ allPosts(locale: fr, fallbackLocales: [it, en], first: 2) { title body }
             post(filter: {id: {eq: "p2"}}) { title(locale: it, fallbackLocales: [en]) } }"""
    )
    assert data["allPosts"] == [
        {"title": "Alpha FR", "body": "Il primo"},  # fr body is "": falls back to it
        {"title": "Beta", "body": "Second, about cars"},  # no it: fall back to en
    ]
    assert data["post"] == {"title": "Beta"}


def test_missing_locale_without_fallback_is_null(query: Query) -> None:
    assert query('{ post(locale: it, filter: {id: {eq: "p2"}}) { title } }') == {
        "post": {"title": None}
    }


def test_all_locales_field(query: Query) -> None:
    data = query('{ post(filter: {id: {eq: "p1"}}) { _allTitleLocales { locale value } } }')
    assert data["post"]["_allTitleLocales"] == [
        {"locale": "en", "value": "Alpha"},
        {"locale": "it", "value": "Alfa"},
        {"locale": "fr", "value": "Alpha FR"},
    ]


def test_site(query: Query) -> None:
    data = query(
        """{ _site { locales noIndex favicon { id }
              globalSeo { siteName titleSuffix twitterAccount facebookPageUrl
                          fallbackSeo { title description twitterCard image { id } } } } }"""
    )
    assert data == {
        "_site": {
            "locales": ["en", "it", "fr"],
            "noIndex": False,
            "favicon": {"id": "up2"},
            "globalSeo": {
                "siteName": "Fixture Site", "titleSuffix": " | Fixture",
                "twitterAccount": "@fixture", "facebookPageUrl": None,
                "fallbackSeo": {"title": "Fallback", "description": "Fallback description",
                                "twitterCard": "summary", "image": {"id": "up2"}},
            },
        }
    }  # fmt: skip


# -- drafts and validity ---------------------------------------------------------------------


def test_drafts_show_latest_versions_and_statuses(query: Query) -> None:
    published = query("{ allPosts { id title _status } }")
    drafts = query("{ allPosts { id title _status } }", include_drafts=True)
    assert published["allPosts"][2] == {"id": "p3", "title": "Gamma", "_status": "published"}
    assert [(p["id"], p["title"], p["_status"]) for p in drafts["allPosts"]] == [
        ("p1", "Alpha", "published"),
        ("p2", "Beta", "published"),
        ("p3", "Gamma 2", "updated"),
        ("p4", "Delta", "draft"),
        ("p5", "", "published"),
    ]


def test_exclude_invalid_hides_invalid_records(query: Query) -> None:
    assert query("{ _allPostsMeta { count } }") == {"_allPostsMeta": {"count": 4}}
    strict = query("{ allPosts { id _isValid } _allPostsMeta { count } }", exclude_invalid=True)
    assert strict == {
        "allPosts": [{"id": "p1", "_isValid": True}, {"id": "p2", "_isValid": True},
                     {"id": "p3", "_isValid": True}],
        "_allPostsMeta": {"count": 3},
    }  # fmt: skip


# -- pagination ------------------------------------------------------------------------------


def test_first_and_skip(query: Query) -> None:
    assert titles(query("{ allPosts(first: 2, skip: 1) { title } }")) == ["Beta", "Gamma"]
    assert titles(query("{ allPosts(first: 0) { title } }")) == []
    assert titles(query("{ allPosts(skip: 10) { title } }")) == []
    assert len(query("{ allPosts(first: 500) { id } }")["allPosts"]) == 4


def test_first_defaults_to_twenty(emulator: Any, store: Any) -> None:
    from datocms_app.emulator.project import RecordVersion

    base = store.state.records["t1"]
    clones = [
        base.replace(id=f"tag{n:02d}", created_at=f"2025-01-01T00:{n:02d}:00+00:00",
                     current=RecordVersion(fields={"name": f"n{n}"}, updated_at="x"))
        for n in range(30)
    ]  # fmt: skip
    clones = [c.replace(published=c.current) for c in clones]
    store.commit(records=clones)
    data = emulator.execute("{ allTags { id } _allTagsMeta { count } }").body["data"]
    assert len(data["allTags"]) == 20
    assert data["_allTagsMeta"] == {"count": 32}


@pytest.mark.parametrize(("arguments", "message"), [
    ("first: 501", "Argument 'first' on field 'allPosts' must be between 0 and 500 (got 501); "
                   "paginate with 'skip' to read more records."),
    ("first: -1", "Argument 'first' on field 'allPosts' must be between 0 and 500 (got -1); "
                  "paginate with 'skip' to read more records."),
    ("skip: -1", "Argument 'skip' on field 'allPosts' cannot be negative."),
])  # fmt: skip
def test_pagination_limits(errors: Query, arguments: str, message: str) -> None:
    assert errors(f"{{ allPosts({arguments}) {{ id }} }}") == [message]
