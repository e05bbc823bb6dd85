"""Every filter operator and ordering of collection queries, against the fixture project.

Published posts, in creation order: p1 (Alpha, views 10), p2 (Beta, 20), p3 (Gamma, 30),
p5 ("", 50, invalid). p4 (Delta, 40) is a draft.
"""

from __future__ import annotations

import pytest

from .conftest import Query


def ids(query: Query, condition: str, **options: object) -> list[str]:
    data = query(f"{{ allPosts(filter: {{{condition}}}) {{ id }} }}", **options)
    return [item["id"] for item in data["allPosts"]]


CASES = [
    # strings and slugs
    ('slug: {eq: "beta"}', ["p2"]),
    ('slug: {neq: "beta"}', ["p1", "p3", "p5"]),
    ('slug: {in: ["alpha", "gamma"]}', ["p1", "p3"]),
    ('slug: {notIn: ["alpha", "gamma"]}', ["p2", "p5"]),
    ('title: {eq: "Alpha"}', ["p1"]),
    ('title: {matches: {pattern: "^(alp|gam)"}}', ["p1", "p3"]),
    ('title: {matches: {pattern: "^alp", caseSensitive: true}}', []),
    ('title: {matches: {pattern: "a.", regexp: false}}', []),
    ('title: {notMatches: {pattern: "a"}}', ["p5"]),
    ("title: {isBlank: true}", ["p5"]),
    ("title: {isPresent: true}", ["p1", "p2", "p3"]),
    ("title: {exists: false}", ["p5"]),
    # text
    ('body: {matches: {pattern: "bicycle|cars"}}', ["p1", "p2"]),
    ("body: {isBlank: true}", ["p3", "p5"]),
    ("body: {exists: true}", ["p1", "p2"]),
    # booleans
    ("published: {eq: true}", ["p1"]),
    ("published: {eq: false}", ["p2", "p3", "p5"]),
    # integers and floats
    ("views: {eq: 20}", ["p2"]),
    ("views: {neq: 20}", ["p1", "p3", "p5"]),
    ("views: {gt: 20}", ["p3", "p5"]),
    ("views: {gte: 20}", ["p2", "p3", "p5"]),
    ("views: {lt: 30}", ["p1", "p2"]),
    ("views: {lte: 30, gt: 10}", ["p2", "p3"]),
    ("score: {gt: 2}", ["p2"]),
    ("score: {exists: false}", ["p3", "p5"]),
    # dates and date-times (arguments truncated to the minute)
    ('day: {gte: "2024-01-20"}', ["p2", "p3"]),
    ('day: {lt: "2024-01-20"}', ["p1"]),
    ('day: {eq: "2024-01-30"}', ["p3"]),
    ('at: {eq: "2024-01-10T10:00:59Z"}', ["p1"]),
    ('at: {neq: "2024-01-10T10:00:00Z"}', ["p2", "p3", "p5"]),
    ('at: {gt: "2024-01-10T10:00:45Z"}', ["p1", "p2"]),
    ('at: {lt: "2024-01-20T10:00:00+00:00"}', ["p1"]),
    ("at: {exists: true}", ["p1", "p2"]),
    # colors, geolocation, JSON, SEO
    ("color: {exists: true}", ["p1"]),
    ("place: {near: {latitude: 45.06, longitude: 7.68, radius: 2000}}", ["p1"]),
    ("place: {near: {latitude: 41.9, longitude: 12.5, radius: 2000}}", []),
    ("place: {exists: false}", ["p2", "p3", "p5"]),
    ("data: {exists: true}", ["p1"]),
    ("seo: {exists: true}", ["p1"]),
    # single and multiple links
    ('author: {eq: "ada"}', ["p1", "p3"]),
    ('author: {neq: "ada"}', ["p2", "p5"]),
    ('author: {in: ["bob"]}', ["p2"]),
    ('author: {notIn: ["bob"]}', ["p1", "p3", "p5"]),
    ("author: {exists: false}", ["p5"]),
    ('tags: {anyIn: ["t1"]}', ["p1"]),
    ('tags: {anyIn: ["t1", "t2"]}', ["p1", "p2"]),
    ('tags: {allIn: ["t1", "t2"]}', ["p1"]),
    ('tags: {notIn: ["t1"]}', ["p2", "p3", "p5"]),
    ('tags: {eq: ["t2", "t1"]}', ["p1"]),
    ("tags: {exists: true}", ["p1", "p2"]),
    # files and galleries
    ('cover: {eq: "up1"}', ["p1"]),
    ('cover: {neq: "up1"}', ["p2", "p3", "p5"]),
    ('cover: {in: ["up1", "up2"]}', ["p1", "p2"]),
    ('photos: {anyIn: ["up2"]}', ["p1"]),
    ('photos: {allIn: ["up1", "up2"]}', ["p1"]),
    ("photos: {exists: false}", ["p2", "p3", "p5"]),
    # structured text
    ('content: {matches: {pattern: "plain BETA"}}', ["p2"]),
    ("content: {isBlank: true}", ["p3", "p5"]),
    # meta fields
    ('id: {eq: "p2"}', ["p2"]),
    ('id: {in: ["p1", "p5"]}', ["p1", "p5"]),
    ('id: {notIn: ["p1", "p5"]}', ["p2", "p3"]),
    ('id: {neq: "p1"}', ["p2", "p3", "p5"]),
    ('_createdAt: {gt: "2024-02-05T10:00:00Z"}', ["p5"]),
    ('_createdAt: {lte: "2024-02-03T10:00:00Z"}', ["p1", "p2"]),
    ('_publishedAt: {eq: "2024-02-06T10:00:10Z"}', ["p3"]),
    ('_updatedAt: {gte: "2024-02-08T10:00:00Z"}', ["p5"]),
    ("_firstPublishedAt: {exists: true}", ["p1", "p2", "p3", "p5"]),
    ("_status: {eq: published}", ["p1", "p2", "p3", "p5"]),
    ("_isValid: {eq: false}", ["p5"]),
    ("_locales: {allIn: [en, it]}", ["p1", "p3"]),
    ("_locales: {anyIn: [fr]}", ["p1"]),
    ("_locales: {notIn: [it]}", ["p2", "p5"]),
    # combinations
    ('views: {gt: 10}, author: {eq: "ada"}', ["p3"]),
    ('OR: [{slug: {eq: "alpha"}}, {views: {gte: 50}}]', ["p1", "p5"]),
    ('AND: [{title: {matches: {pattern: "a"}}}, {title: {matches: {pattern: "m"}}}]', ["p3"]),
    ('OR: [{AND: [{views: {gt: 5}}, {views: {lt: 15}}]}, {slug: {eq: "gamma"}}]', ["p1", "p3"]),
]


@pytest.mark.parametrize(("condition", "expected"), CASES)
def test_filter(query: Query, condition: str, expected: list[str]) -> None:
    assert ids(query, condition) == expected


def test_localized_filters_use_the_query_locale(query: Query) -> None:
    data = query('{ allPosts(locale: it, filter: {title: {eq: "Alfa"}}) { id } }')
    assert data == {"allPosts": [{"id": "p1"}]}
    data = query(
        '{ allPosts(locale: it, fallbackLocales: [en], filter: {title: {eq: "Beta"}}) { id } }'
    )
    assert data == {"allPosts": [{"id": "p2"}]}


def test_status_filters_with_drafts(query: Query) -> None:
    assert ids(query, "_status: {eq: draft}", include_drafts=True) == ["p4"]
    assert ids(query, "_status: {in: [updated, draft]}", include_drafts=True) == ["p3", "p4"]
    assert ids(query, "_status: {notIn: [published]}", include_drafts=True) == ["p3", "p4"]
    assert ids(query, "_status: {neq: published}", include_drafts=True) == ["p3", "p4"]


def test_null_arguments_are_no_condition(query: Query) -> None:
    text = "query($slug: String) { allPosts(filter: {slug: {eq: $slug}}) { id } }"
    assert [p["id"] for p in query(text)["allPosts"]] == ["p1", "p2", "p3", "p5"]
    assert [p["id"] for p in query(text, {"slug": "beta"})["allPosts"]] == ["p2"]
    assert ids(query, "views: {gt: null}, at: {eq: null}") == ["p1", "p2", "p3", "p5"]


def test_meta_count_applies_the_filter(query: Query) -> None:
    data = query('{ _allPostsMeta(filter: {author: {eq: "ada"}}) { count } }')
    assert data == {"_allPostsMeta": {"count": 2}}


def test_invalid_regex_is_a_graphql_error(errors: Query) -> None:
    assert errors('{ allPosts(filter: {title: {matches: {pattern: "("}}}) { id } }') == [
        "Invalid regular expression '(': missing ), unterminated subpattern at position 0."
    ]


def test_filter_on_unknown_field_is_a_validation_error(errors: Query) -> None:
    assert errors("{ allPosts(filter: {nope: {eq: 1}}) { id } }") == [
        "Expected value of type 'PostModelFilter' not to include unknown field 'nope', "
        "found: { nope: { eq: 1 } }."
    ]


# -- ordering --------------------------------------------------------------------------------

ORDERS = [
    ("views_ASC", ["p1", "p2", "p3", "p5"]),
    ("views_DESC", ["p5", "p3", "p2", "p1"]),
    ("title_ASC", ["p5", "p1", "p2", "p3"]),  # "" is a value, before any letter
    ("title_DESC", ["p3", "p2", "p1", "p5"]),
    ("score_ASC", ["p1", "p2", "p3", "p5"]),  # nulls last
    ("score_DESC", ["p2", "p1", "p3", "p5"]),  # nulls last too
    ("_createdAt_DESC", ["p5", "p3", "p2", "p1"]),
    ("_updatedAt_DESC", ["p5", "p3", "p2", "p1"]),
    ("_publishedAt_ASC", ["p1", "p2", "p3", "p5"]),
    ("_firstPublishedAt_DESC", ["p5", "p3", "p2", "p1"]),
    ("id_DESC", ["p5", "p3", "p2", "p1"]),
    ("[published_DESC, views_DESC]", ["p1", "p2", "p5", "p3"]),  # unset booleans are null
    ("[_isValid_ASC, id_ASC]", ["p5", "p1", "p2", "p3"]),
]


@pytest.mark.parametrize(("order", "expected"), ORDERS)
def test_order_by(query: Query, order: str, expected: list[str]) -> None:
    data = query(f"{{ allPosts(orderBy: {order}) {{ id }} }}")
    assert [item["id"] for item in data["allPosts"]] == expected


def test_order_by_localized_field_uses_the_locale(query: Query) -> None:
    data = query(
        "{ allPosts(locale: it, orderBy: title_DESC, filter: {_locales: {allIn: [it]}}) { id } }"
    )
    assert [item["id"] for item in data["allPosts"]] == ["p3", "p1"]


def test_order_by_status_with_drafts(query: Query) -> None:
    data = query("{ allPosts(orderBy: [_status_DESC, id_ASC]) { id } }", include_drafts=True)
    assert [item["id"] for item in data["allPosts"]] == ["p3", "p1", "p2", "p5", "p4"]


def test_order_enum_rejects_non_scalar_fields(errors: Query) -> None:
    assert errors("{ allPosts(orderBy: content_ASC) { id } }") == [
        "Value 'content_ASC' does not exist in 'PostModelOrderBy' enum. "
        "Did you mean the enum value 'score_ASC'?"
    ]
