"""``resolve_record_url``: the configured resolver, with a locale when the caller has one.

Resolvers written for structured text (``f(record)``) keep working; those that take a
``locale`` keyword get it; both run with the locale's language active.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import override_settings
from django.utils import translation

from datocms_app.exceptions import ConfigurationError
from datocms_app.structured_text.records import RecordURLResolver, resolve_record_url

RECORD = {"__typename": "ArticleRecord", "slug": "alpi"}
called: list[tuple[str, str | None, str | None]] = []


def plain(record: Any) -> str:
    language = translation.get_language()
    called.append(("plain", None, language))
    return f"/{language}/articles/{record['slug']}/"


def with_locale(record: Any, *, locale: str | None = None) -> str:
    called.append(("with_locale", locale, translation.get_language()))
    return f"/{locale}/{record['slug']}/"


def with_kwargs(record: Any, **options: Any) -> str:
    called.append(("with_kwargs", options.get("locale"), translation.get_language()))
    return "/kwargs/"


class OldResolver(RecordURLResolver):
    def resolve(self, record: Any) -> str:
        called.append(("OldResolver", None, translation.get_language()))
        return "/old/"


class NewResolver(RecordURLResolver):
    def resolve(self, record: Any, *, locale: str | None = None) -> str:
        called.append(("NewResolver", locale, translation.get_language()))
        return "/new/"


def returns_a_number(record: Any) -> Any:
    return 7


@pytest.mark.parametrize(
    ("resolver", "locale", "url", "call"),
    [
        ("plain", None, "/en/articles/alpi/", ("plain", None, "en")),
        ("plain", "it", "/it/articles/alpi/", ("plain", None, "it")),
        ("with_locale", "it", "/it/alpi/", ("with_locale", "it", "it")),
        ("with_locale", None, "/None/alpi/", ("with_locale", None, "en")),
        ("with_kwargs", "it", "/kwargs/", ("with_kwargs", "it", "it")),
        ("OldResolver", "it", "/old/", ("OldResolver", None, "it")),
        ("NewResolver", "it", "/new/", ("NewResolver", "it", "it")),
        # A locale the site has no language for: the active language stays.
        ("with_locale", "xx", "/xx/alpi/", ("with_locale", "xx", "en")),
        # DatoCMS's region-coded locales find the site's variant.
        ("NewResolver", "it-IT", "/new/", ("NewResolver", "it-IT", "it")),
    ],
)
def test_resolver_gets_the_locale_when_it_takes_one(
    resolver: str, locale: str | None, url: str, call: tuple[str, str | None, str | None]
) -> None:
    called.clear()
    path = f"tests.structured_text.test_record_urls.{resolver}"
    with override_settings(DATOCMS={"RECORD_URL_RESOLVER": path}), translation.override("en"):
        assert resolve_record_url(RECORD, locale=locale) == url
        assert translation.get_language() == "en"
    assert called == [call]


def test_a_resolver_answer_that_is_no_url_is_a_configuration_error() -> None:
    path = "tests.structured_text.test_record_urls.returns_a_number"
    with override_settings(DATOCMS={"RECORD_URL_RESOLVER": path}):
        with pytest.raises(ConfigurationError) as caught:
            resolve_record_url(RECORD, locale="en")
    assert str(caught.value) == (
        "settings.DATOCMS['RECORD_URL_RESOLVER'] returned int; it must return the record's URL "
        "as a string, or None when the record has no page."
    )


def test_no_resolver_means_no_url() -> None:
    with override_settings(DATOCMS={}):
        assert resolve_record_url(RECORD, locale="it") is None
