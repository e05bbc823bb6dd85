"""The tag store is chosen by dotted path (``DATOCMS["TAG_STORE"]``), like the CDN backend."""

from __future__ import annotations

import pytest
from django.core.checks import run_checks
from django.test import Client, override_settings

from datocms_app.caching.stores import NullTagStore, TagStore, build_store, get_store
from datocms_app.caching.versions import TagVersionStore
from datocms_app.exceptions import ConfigurationError
from tests.caching import views
from tests.caching.fake_cda import FakeCDA


def test_the_default_store_is_the_tag_version_store_on_the_cache_alias() -> None:
    with override_settings(DATOCMS={"CACHE_ALIAS": "counting"}):
        store = get_store()
        assert type(store) is TagVersionStore
        assert store.alias == "counting"
        assert get_store() is store
    with override_settings(DATOCMS={}):
        assert get_store() is not store
        assert get_store().alias == "default"


def test_a_dotted_path_picks_another_store() -> None:
    with override_settings(DATOCMS={"TAG_STORE": "datocms_app.caching.stores.NullTagStore"}):
        store = get_store()
    assert type(store) is NullTagStore
    assert repr(store) == "<NullTagStore alias='default'>"


@pytest.mark.parametrize(
    ("path", "message"),
    [
        (
            "datocms_app.caching.nowhere.Store",
            "DATOCMS['TAG_STORE'] is 'datocms_app.caching.nowhere.Store', which cannot be "
            "imported (No module named 'datocms_app.caching.nowhere').",
        ),
        (
            "datocms_app.caching.cdn.NoopBackend",
            "DATOCMS['TAG_STORE'] is 'datocms_app.caching.cdn.NoopBackend', which is not a "
            "subclass of datocms_app.caching.stores.TagStore.",
        ),
    ],
)
def test_a_bad_path_is_a_configuration_error_and_a_check(path: str, message: str) -> None:
    with pytest.raises(ConfigurationError) as caught:
        build_store(path, "default")
    assert str(caught.value).startswith(message)
    with override_settings(DATOCMS={"TAG_STORE": path}):
        errors = [m for m in run_checks() if m.id == "datocms.E062"]
    assert len(errors) == 1
    assert errors[0].msg.startswith(message)
    assert "TagVersionStore" in (errors[0].hint or "")


def test_the_base_class_says_what_a_store_must_implement() -> None:
    with pytest.raises(NotImplementedError, match=r"TagStore must implement read\(\)"):
        TagStore("default").read("k")


def test_with_the_null_store_every_page_renders_and_nothing_is_written(
    fake_cda: FakeCDA,
) -> None:
    fake_cda.content[views.ARTICLE] = ({"article": {"title": "Hello"}}, ["item:hello"])
    fake_cda.content[views.NAV] = ({"allPages": [{"title": "Home"}]}, ["model:p"])
    views.RENDERS.clear()
    conf = fake_cda.settings(TAG_STORE="datocms_app.caching.stores.NullTagStore")
    with override_settings(DATOCMS=conf, ROOT_URLCONF="tests.caching.urls"):
        client = Client()
        first = client.get("/article/hello/")
        second = client.get("/article/hello/")
    assert first.content == second.content == b"<h1>Hello</h1><nav>Home</nav>"
    assert [first["X-DatoCMS-Cache"], second["X-DatoCMS-Cache"]] == ["BYPASS", "BYPASS"]
    assert views.RENDERS == {"hello": 2}
    assert len(fake_cda.requests) == 4
