"""Schema-checked payloads: every rule, its exact message, all problems reported together."""

from __future__ import annotations

from typing import Any

import pytest

from datocms_app.cma import InvalidPayload, build_block_record, dast, update_block_record
from datocms_app.cma.validation import PayloadCheck
from datocms_app.exceptions import (
    BlockNotAllowed,
    BlocksTooDeep,
    LinkNotAllowed,
    LocaleMismatch,
    MissingLocales,
    PayloadProblem,
    TooManyBlocks,
    UnknownField,
    UnknownItemType,
    UnknownLocale,
    WrongFieldValue,
)
from tests.cma.fakes import SEEDS_SCHEMA, FakeCMA, answer, item, item_document


def ref(model_id: str) -> dict[str, str]:
    return {"type": "item_type", "id": model_id}


def check(payload: dict[str, Any], **options: Any) -> list[PayloadProblem]:
    options.setdefault("creating", True)
    if "model" in options:
        options["model"] = SEEDS_SCHEMA.by_id(options["model"])
    return PayloadCheck(SEEDS_SCHEMA, payload, **options).problems


def only(payload: dict[str, Any], **options: Any) -> PayloadProblem:
    (problem,) = check(payload, **options)
    return problem


def test_valid_payloads_have_no_problem() -> None:
    assert check({"item_type": ref("book"), "title": None, "pages": 450}) == []
    assert check({"pages": 3}, creating=False, model="book") == []


# -- models and fields -------------------------------------------------------------------------


def test_unknown_field_with_a_close_match() -> None:
    problem = only({"item_type": ref("book"), "titel": "x"})
    assert isinstance(problem, UnknownField)
    assert (problem.path, problem.rule, problem.suggestions) == (
        "$.titel",
        "unknown_field",
        ("title",),
    )
    assert str(problem) == "$.titel: model 'book' has no field 'titel'; did you mean 'title'?"


def test_unknown_field_with_several_or_no_close_matches() -> None:
    assert str(only({"item_type": ref("product"), "names": "x"})) == (
        "$.names: model 'product' has no field 'names'; did you mean 'name'?"
    )
    assert str(only({"pricing": 1}, creating=False, model="product")) == (
        "$.pricing: model 'product' has no field 'pricing'; did you mean 'price'?"
    )
    assert str(only({"item_type": ref("textblock")} | {}, creating=True)) == (
        "$.item_type: 'text_block' is a block model: blocks live inside a record's block fields "
        "(cma.build_block_record)"
    )
    assert str(only({"item_type": ref("button"), "x": 1}, creating=True)) == (
        "$.item_type: 'button_block' is a block model: blocks live inside a record's block "
        "fields (cma.build_block_record)"
    )
    assert str(only({"item_type": ref("book"), "zzz": 1})) == (
        "$.zzz: model 'book' has no field 'zzz'; its fields are: title, genre, synopsis, pages"
    )
    problem = only({"item_type": ref("page"), "contnt": "x"})
    assert isinstance(problem, UnknownField)
    assert problem.suggestions == ("content", "counter", "content_blocks")
    assert str(problem) == (
        "$.contnt: model 'page' has no field 'contnt'; did you mean 'content', 'counter' or "
        "'content_blocks'?"
    )


def test_item_type_problems() -> None:
    missing = only({"title": "x"})
    assert isinstance(missing, UnknownItemType)
    assert (
        str(missing) == "$.item_type: a new record needs item_type: Schema.X.REF or the model's id"
    )
    assert str(only({"item_type": "nope"})) == "$.item_type: no model has id 'nope'"
    assert str(only({"item_type": "product_page"})) == (
        "$.item_type: no model has id 'product_page'; 'product_page' is the API key of the model "
        "with id 'productpage'"
    )


def test_tree_and_sortable_keys_only_for_such_models() -> None:
    assert check({"item_type": ref("category"), "parent_id": "x", "position": 2}) == []
    assert str(only({"item_type": ref("book"), "position": 2})) == (
        "$.position: model 'book' has no field 'position'; its fields are: title, genre, "
        "synopsis, pages"
    )


# -- value formats -------------------------------------------------------------------------------

FORMATS = [
    ("book", "title", 12, "string field 'title' takes a string, got int 12"),
    ("book", "pages", "450", "integer field 'pages' takes an integer, got str '450'"),
    ("book", "pages", True, "integer field 'pages' takes an integer, got bool True"),
    ("product", "weight", "0.25", "float field 'weight' takes a number, got str '0.25'"),
    ("product", "in_stock", "yes", "boolean field 'in_stock' takes True or False, got str 'yes'"),
    (
        "product",
        "release_date",
        "2024-03-15",
        "date_time field 'release_date' takes an ISO 8601 date-time string such as "
        "'2020-04-17T16:34:31.981+01:00' (or a datetime.datetime), got str '2024-03-15'",
    ),
    (
        "product",
        "brand_color",
        {"red": 300, "green": 0, "blue": 0, "alpha": 255},
        "color field 'brand_color' takes a dict of red, green, blue and alpha, integers 0-255 "
        "(cma.color(...)), but 'red' is 300",
    ),
    (
        "product",
        "brand_color",
        "#EFD09C",
        "color field 'brand_color' takes a dict of red, green, blue and alpha, integers 0-255 "
        "(cma.color(...)), got str '#EFD09C'",
    ),
    (
        "product",
        "specifications",
        {"bluetooth": "5.0"},
        "json field 'specifications' takes a JSON-serialised string (cma.json_value(value), not "
        "the value itself), got dict {'bluetooth': '5.0'}",
    ),
    (
        "product",
        "warehouse_location",
        {"latitude": 91, "longitude": 7},
        "lat_lon field 'warehouse_location' takes a dict of latitude (-90 to 90) and longitude "
        "(-180 to 180) (cma.lat_lon(...)), but 'latitude' is 91",
    ),
    (
        "portfolio",
        "featured_image",
        {"alt": "x"},
        "file field 'featured_image' takes a dict of upload_id and, optionally, alt, title, "
        "focal_point ({'x', 'y'} from 0 to 1) and custom_data (cma.file(...)), but 'upload_id' "
        "is missing",
    ),
    (
        "portfolio",
        "featured_image",
        {"upload_id": "u", "focal_point": {"x": 2, "y": 0}},
        "file field 'featured_image' takes a dict of upload_id and, optionally, alt, title, "
        "focal_point ({'x', 'y'} from 0 to 1) and custom_data (cma.file(...)), but "
        "'focal_point' is {'x': 2, 'y': 0}",
    ),
    (
        "portfolio",
        "gallery",
        [{"upload_id": "u"}, {"upload_id": "v", "caption": "x"}],
        "gallery field 'gallery' takes a list of file dicts (cma.gallery(...)), but in [1], "
        "'caption' is not one of its keys",
    ),
    ("author", "mentor", 12, "link field 'mentor' takes a record id, got int 12"),
    (
        "author",
        "collaborators",
        ["a", None],
        "links field 'collaborators' takes a list of record ids, but [1] is None",
    ),
    (
        "landing",
        "sections",
        "XhYlJCL5Rv",
        "rich_text field 'sections' takes a list of blocks (cma.build_block_record(...)) and "
        "block ids, got str 'XhYlJCL5Rv'",
    ),
    (
        "article",
        "content",
        {"schema": "html", "document": {}},
        "structured_text field 'content' takes a dast document {'schema': 'dast', 'document': "
        "{'type': 'root', ...}} (cma.dast), but 'schema' is 'html'",
    ),
]


@pytest.mark.parametrize(("model", "field", "value", "message"), FORMATS)
def test_each_field_type_takes_its_format(model: str, field: str, value: Any, message: str) -> None:
    problem = only({field: value}, creating=False, model=model)
    assert isinstance(problem, WrongFieldValue)
    assert problem.rule == "value_format"
    assert str(problem) == f"$.{field}: {message}"


def test_none_fits_every_field_and_dates_may_be_python_objects() -> None:
    import datetime as dt

    assert (
        check(
            {"release_date": dt.datetime(2024, 3, 15, 10, 30), "brand_color": None},
            creating=False,
            model="product",
        )
        == []
    )


def test_structured_text_must_be_valid_dast() -> None:
    value = {
        "schema": "dast",
        "document": {"type": "root", "children": [dast.heading(2, "x") | {"level": 9}]},
    }
    problem = only({"content": value}, creating=False, model="article")
    assert isinstance(problem, WrongFieldValue)
    assert str(problem) == (
        "$.content.document.children[0].level: structured_text field 'content' is not valid "
        "dast: heading level must be 1 to 6, got 9"
    )


# -- localization --------------------------------------------------------------------------------


def test_a_localized_field_takes_a_dict_of_known_locales() -> None:
    assert str(only({"item_type": ref("pet"), "name": "Luna"})) == (
        "$.name: localized field 'name' takes a dict keyed by locale (en, it, fr), got str 'Luna'"
    )
    problems = check({"item_type": ref("pet"), "name": {"en": "Luna", "de": "Luna"}})
    assert [type(p) for p in problems] == [UnknownLocale]
    assert (
        str(problems[0]) == "$.name.de: the project has no locale 'de'; its locales are en, it, fr"
    )


def test_localized_fields_must_name_the_same_locales() -> None:
    problem = only(
        {
            "item_type": ref("pet"),
            "name": {"en": "Title", "it": "Titolo"},
            "description": {"en": "Description", "fr": "Description"},
        }
    )
    assert isinstance(problem, LocaleMismatch)
    assert problem.rule == "locale_sync"
    assert str(problem) == (
        "$.description: has the locales en, fr but $.name has en, it; every localized field of "
        "a payload must name the same locales"
    )


def test_all_locales_required_needs_every_key_even_as_none() -> None:
    problems = check(
        {"item_type": ref("strictpet"), "name": {"en": "Luna"}, "description": {"en": "x"}}
    )
    assert [type(p) for p in problems] == [MissingLocales, MissingLocales]
    assert str(problems[0]) == (
        "$.name: model 'strict_pet' requires every locale (all_locales_required): 'it' and 'fr' "
        "are missing; give them, even as None"
    )
    assert problems[0].rule == "all_locales_required"
    assert check({"item_type": ref("strictpet"), "name": {"en": "L", "it": "L", "fr": None}}) == []


# -- blocks --------------------------------------------------------------------------------------


def test_a_block_model_the_field_does_not_allow() -> None:
    cases = [
        (
            "landing",
            "sections",
            [build_block_record("button", text="x")],
            "$.sections[0]",
            "rich_text_blocks",
            "'hero_block' and 'testimonial_block'",
        ),
        (
            "productpage",
            "hero_section",
            build_block_record("hero"),
            "$.hero_section",
            "single_block_blocks",
            "'hero_section_block'",
        ),
        (
            "article",
            "content",
            dast.document(dast.block(build_block_record("button", text="x"))),
            "$.content.document.children[0].item",
            "structured_text_blocks",
            "'cta_block' and 'image_gallery_block'",
        ),
        (
            "article",
            "content",
            dast.document(dast.paragraph(dast.inline_block(build_block_record("cta")))),
            "$.content.document.children[0].children[0].item",
            "structured_text_inline_blocks",
            "'button_block'",
        ),
    ]
    for model, field, value, path, validator, allowed in cases:
        problem = only({field: value}, creating=False, model=model)
        assert isinstance(problem, BlockNotAllowed)
        assert problem.rule == validator
        assert problem.path == path
        assert problem.message.endswith(
            f"is not allowed in field '{field}' ({validator} allows {allowed})"
        )


def test_fields_inside_blocks_are_checked_with_their_paths() -> None:
    block = build_block_record("hero", headlin="x", subtitle=3)
    problems = check({"sections": [block]}, creating=False, model="landing")
    assert [str(p) for p in problems] == [
        (
            "$.sections[0].attributes.headlin: block model 'hero_block' has no field "
            "'headlin'; did you mean 'headline'?"
        ),
        "$.sections[0].attributes.subtitle: text field 'subtitle' takes a string, got int 3",
    ]


def test_block_shapes() -> None:
    simple = {"item_type": ref("hero"), "headline": "x"}
    assert str(only({"sections": [simple]}, creating=False, model="landing")) == (
        "$.sections[0]: a block in field 'sections' must be a JSON:API resource {'type': 'item', "
        "'attributes': ..., 'relationships': ...}: build it with "
        "cma.build_block_record(item_type, **fields)"
    )
    assert str(
        only({"sections": [{"type": "item", "attributes": {}}]}, creating=False, model="landing")
    ) == (
        "$.sections[0]: a block in field 'sections' is new and needs its block model: "
        "cma.build_block_record(item_type, **fields)"
    )
    assert str(
        only({"sections": [build_block_record("book")]}, creating=False, model="landing")
    ) == ("$.sections[0].relationships.item_type: 'book' is a model, not a block model")
    # an existing block being changed: its model is not in the payload, its id is enough
    assert (
        check(
            {"sections": [update_block_record("XhYlJCL5Rv", headline="y")]},
            creating=False,
            model="landing",
        )
        == []
    )


def nested_wrappers(levels: int) -> Any:
    block: Any = build_block_record("textblock", title="leaf")
    for _ in range(levels - 1):
        block = build_block_record("wrapper", nested_content=[block])
    return block


def test_blocks_nest_at_most_five_levels() -> None:
    assert (
        check({"modular_content_field": [nested_wrappers(5)]}, creating=False, model="page") == []
    )
    problem = only({"modular_content_field": [nested_wrappers(6)]}, creating=False, model="page")
    assert isinstance(problem, BlocksTooDeep)
    assert problem.path == "$.modular_content_field[0]" + ".attributes.nested_content[0]" * 5
    assert problem.message == "a block nested 6 levels deep; blocks nest at most 5 levels"


def test_a_record_holds_at_most_500_blocks() -> None:
    assert check({"modular_content_field": ["b"] * 500}, creating=False, model="page") == []
    blocks = ["b"] * 400 + [build_block_record("textblock")] * 51
    problems = check(
        {"modular_content_field": blocks, "content_blocks": {"en": ["c"] * 50}},
        creating=False,
        model="page",
    )
    (problem,) = problems
    assert isinstance(problem, TooManyBlocks)
    assert str(problem) == (
        "$: the payload holds 501 blocks; a record holds at most 500 (blocks in every field, "
        "locale and nesting level count)"
    )


# -- links ---------------------------------------------------------------------------------------


def test_links_are_checked_against_the_models_of_known_records() -> None:
    checker = PayloadCheck(
        SEEDS_SCHEMA,
        {"mentor": "b1", "collaborators": ["a1", "gone"]},
        creating=False,
        model=SEEDS_SCHEMA.by_id("author"),
    )
    assert [link.record_id for link in checker.pending_links] == ["b1", "a1", "gone"]
    checker.finish({"b1": "book", "a1": "author", "gone": None})
    assert [type(p) for p in checker.problems] == [LinkNotAllowed, LinkNotAllowed]
    assert [(p.path, p.rule) for p in checker.problems] == [
        ("$.mentor", "item_item_type"),
        ("$.collaborators[1]", "items_item_type"),
    ]
    assert str(checker.problems[0]) == (
        "$.mentor: record 'b1' is a 'book' record; field 'mentor' links only to 'author' "
        "records (item_item_type)"
    )
    assert (
        str(checker.problems[1])
        == "$.collaborators[1]: no record has id 'gone' in this environment"
    )


def test_structured_text_links_are_pending_too() -> None:
    value = dast.document(dast.paragraph(dast.item_link("x1", "see"), dast.inline_item("x2")))
    checker = PayloadCheck(
        SEEDS_SCHEMA, {"content": value}, creating=False, model=SEEDS_SCHEMA.by_id("article")
    )
    assert [(link.path, link.validator) for link in checker.pending_links] == [
        ("$.content.document.children[0].children[0].item", "structured_text_links"),
        ("$.content.document.children[0].children[1].item", "structured_text_links"),
    ]


def test_the_client_asks_for_unknown_linked_records_once() -> None:
    found = [item_document("a1", "author", {})["data"], item_document("b1", "book", {})["data"]]
    cma = (
        FakeCMA()
        .on("GET", "/items", answer(200, {"data": found, "meta": {"total_count": 2}}))
        .on("POST", "/items", item("new", "author", 201))
    )
    with cma.client(schema=SEEDS_SCHEMA) as client:
        with pytest.raises(InvalidPayload):
            client.items.create({"item_type": ref("author"), "collaborators": ["a1", "b1"]})
        client.items.create({"item_type": ref("author"), "collaborators": ["a1"]})
    assert [request.method for request in cma.requests] == ["GET", "POST"]
    assert dict(cma.requests[0].url.params) == {
        "filter[ids]": "a1,b1",
        "version": "current",
        "page[limit]": "500",
        "page[offset]": "0",
    }


# -- the whole payload -------------------------------------------------------------------------


def test_every_problem_is_reported_together_and_nothing_is_sent() -> None:
    cma = FakeCMA()
    payload = {
        "item_type": ref("product"),
        "nme": "Headphones",
        "price": "299",
        "brand_color": "#EFD09C",
    }
    with cma.client(schema=SEEDS_SCHEMA) as client, pytest.raises(InvalidPayload) as info:
        client.items.create(payload)
    assert cma.requests == []
    assert [type(p) for p in info.value.problems] == [
        UnknownField,
        WrongFieldValue,
        WrongFieldValue,
    ]
    assert str(info.value) == (
        "The payload for model 'product' breaks 3 rules of the project's schema; nothing was "
        "sent (validate=False sends it anyway):\n"
        "  $.nme: model 'product' has no field 'nme'; did you mean 'name'?\n"
        "  $.price: integer field 'price' takes an integer, got str '299'\n"
        "  $.brand_color: color field 'brand_color' takes a dict of red, green, blue and alpha, "
        "integers 0-255 (cma.color(...)), got str '#EFD09C'"
    )
    assert isinstance(info.value, ValueError)


def test_validate_false_sends_anyway_and_the_schema_is_read_once() -> None:
    from tests.cma.fakes import site_document

    cma = (
        FakeCMA()
        .on("GET", "/site", answer(200, site_document()))
        .on("POST", "/items", item("1", "book", 201))
    )
    with cma.client() as client:
        client.items.create({"item_type": ref("book"), "pages": "many"}, validate=False)
        client.items.create({"item_type": ref("book"), "pages": 3})
        client.items.create({"item_type": ref("book"), "pages": 4})
    assert [(r.method, r.url.path) for r in cma.requests] == [
        ("POST", "/items"),
        ("GET", "/site"),
        ("POST", "/items"),
        ("POST", "/items"),
    ]
    assert cma.requests[1].url.params["include"] == "item_types,item_types.fields"


def test_a_schema_read_earlier_is_read_again_before_a_payload_is_refused() -> None:
    from tests.cma.fakes import MODELS, site_document

    magazine = {"magazine": ("magazine", False, False, [("issue", "integer", {})])}
    cma = (
        FakeCMA()
        .on(
            "GET",
            "/site",
            answer(200, site_document()),
            answer(200, site_document(MODELS | magazine)),
        )
        .on("POST", "/items", item("1", "book", 201))
    )
    with cma.client() as client:
        client.items.create({"item_type": ref("book"), "pages": 3})
        client.items.create({"item_type": ref("magazine"), "issue": 7})  # added since
        with pytest.raises(InvalidPayload):
            client.items.create({"item_type": ref("magazine"), "issue": "seven"})
    assert [(r.method, r.url.path) for r in cma.requests] == [
        ("GET", "/site"),
        ("POST", "/items"),
        ("GET", "/site"),
        ("POST", "/items"),
        ("GET", "/site"),  # refused once more after a last look
    ]

    given = FakeCMA()
    with given.client(schema=SEEDS_SCHEMA) as client, pytest.raises(InvalidPayload):
        client.items.create({"item_type": ref("magazine"), "issue": 7})
    assert given.requests == []  # a schema given to the client is the schema
