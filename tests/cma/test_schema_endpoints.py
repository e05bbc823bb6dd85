"""client.item_types, client.fields, client.site, and the schema a client keeps."""

from __future__ import annotations

import pytest

from datocms_app.exceptions import InvalidArgument
from tests.cma.fakes import FakeCMA, answer, job, job_result, site_document

BLOG_POST = {
    "type": "item_type",
    "id": "DxMaW10UQiCmZcuuA-IkkA",
    "attributes": {"name": "Blog post", "api_key": "post", "modular_block": False},
    "relationships": {"fields": {"data": [{"type": "field", "id": "Pkg-oztERp6o-Rj76nYKJg"}]}},
}
TITLE = {
    "type": "field",
    "id": "Pkg-oztERp6o-Rj76nYKJg",
    "attributes": {"label": "Title", "field_type": "string", "api_key": "title", "localized": True},
    "relationships": {"item_type": {"data": {"type": "item_type", "id": "DxMaW10UQiCmZcuuA-IkkA"}}},
}


class Post:  # a marker as manage.py datocms_schema writes them
    ID = "DxMaW10UQiCmZcuuA-IkkA"


def test_models_and_fields() -> None:
    cma = (
        FakeCMA()
        .on("GET", "/item-types", answer(200, {"data": [BLOG_POST]}))
        .on("GET", "/item-types/post", answer(200, {"data": BLOG_POST}))
        .on("GET", "/item-types/DxMaW10UQiCmZcuuA-IkkA/fields", answer(200, {"data": [TITLE]}))
    )
    with cma.client() as client:
        (model,) = client.item_types.list()
        assert model == {
            "id": "DxMaW10UQiCmZcuuA-IkkA",
            "type": "item_type",
            "name": "Blog post",
            "api_key": "post",
            "modular_block": False,
            "fields": [{"type": "field", "id": "Pkg-oztERp6o-Rj76nYKJg"}],
        }
        assert client.item_types.find("post")["id"] == "DxMaW10UQiCmZcuuA-IkkA"
        (title,) = client.fields.list(Post)
        assert title["item_type"] == {"type": "item_type", "id": "DxMaW10UQiCmZcuuA-IkkA"}


def test_creating_a_model_or_a_field_makes_the_client_read_the_schema_again() -> None:
    cma = (
        FakeCMA()
        .on("GET", "/site", answer(200, site_document()))
        .on("POST", "/item-types", answer(201, {"data": BLOG_POST}))
        .on("POST", "/item-types/DxMaW10UQiCmZcuuA-IkkA/fields", job("8"))
        .on("GET", "/job-results/8", job_result(201, {"data": TITLE}, "8"))
    )
    with cma.client() as client:
        client.schema()
        model = client.item_types.create(
            {
                "name": "Blog post",
                "api_key": "post",
                "all_locales_required": True,
                "title_field": None,
            }
        )
        client.schema()
        field = client.fields.create(
            model, {"label": "Title", "api_key": "title", "field_type": "string", "localized": True}
        )
        client.schema()
    assert field["api_key"] == "title"
    assert [(r.method, r.url.path) for r in cma.requests] == [
        ("GET", "/site"),
        ("POST", "/item-types"),
        ("GET", "/site"),
        ("POST", "/item-types/DxMaW10UQiCmZcuuA-IkkA/fields"),
        ("GET", "/job-results/8"),
        ("GET", "/site"),
    ]
    assert cma.bodies("POST", "/item-types") == [
        {
            "data": {
                "type": "item_type",
                "attributes": {
                    "name": "Blog post",
                    "api_key": "post",
                    "all_locales_required": True,
                },
                "relationships": {"title_field": {"data": None}},
            }
        }
    ]
    assert cma.bodies("POST", "/item-types/DxMaW10UQiCmZcuuA-IkkA/fields") == [
        {
            "data": {
                "type": "field",
                "attributes": {
                    "label": "Title",
                    "api_key": "title",
                    "field_type": "string",
                    "localized": True,
                },
            }
        }
    ]


def test_unknown_attributes_are_refused_not_dropped() -> None:
    with FakeCMA().client() as client, pytest.raises(InvalidArgument) as info:
        client.item_types.create({"name": "x", "api_key": "x", "colour": "red"})
    assert str(info.value).startswith(
        "The item_type resource has no attribute 'colour'; it takes: all_locales_required, api_key,"
    )


def test_the_schema_is_read_in_one_request_per_environment() -> None:
    cma = FakeCMA().on("GET", "/site", answer(200, site_document()))
    with cma.client() as client:
        schema = client.schema()
        assert client.schema() is schema
        assert client.schema(environment="sandbox") is not schema
    assert schema.locales == ("en", "it", "fr")
    assert schema.name == "Seeds"
    assert [field.api_key for field in schema.by_api_key("product").fields][:3] == [
        "name",
        "category",
        "description",
    ]
    assert [r.headers.get("x-environment") for r in cma.requests] == [None, "sandbox"]
