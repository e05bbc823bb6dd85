"""System checks of the page cache and the language: datocms.E063 and W064, each with the
failure it reports."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core import checks
from django.test import Client, override_settings
from django.utils import translation

from datocms_app.checks import check_page_cache_language
from tests.caching.fake_cda import FakeCDA
from tests.caching.views import NAV

PAGE_CACHE = "datocms_app.caching.PageCacheMiddleware"
DJANGOS = "django.middleware.locale.LocaleMiddleware"
OURS = "datocms_app.caching.LocaleMiddleware"
COMMON = "django.middleware.common.CommonMiddleware"


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    # LocaleMiddleware leaves the language of the last request active in this thread.
    yield
    translation.deactivate()


def messages(middleware: list[str], urlconf: str = "tests.urls", **overrides: Any) -> list[Any]:
    with override_settings(MIDDLEWARE=middleware, ROOT_URLCONF=urlconf, **overrides):
        return [(m.id, m.msg, m.hint) for m in check_page_cache_language()]


@pytest.mark.parametrize("locale", [DJANGOS, OURS])
def test_e063_locale_middleware_after_the_page_cache(locale: str) -> None:
    assert messages([COMMON, PAGE_CACHE, locale]) == [
        (
            "datocms.E063",
            f"{locale} comes after {PAGE_CACHE} in MIDDLEWARE: the page cache keys each page "
            "before the request's language is activated, so a page rendered in one language "
            "is served to visitors of another.",
            f"Move {locale!r} before {PAGE_CACHE!r}.",
        )
    ]


def test_no_e063_in_the_documented_order_or_without_i18n() -> None:
    assert messages([OURS, COMMON, PAGE_CACHE]) == []
    assert messages([DJANGOS, PAGE_CACHE]) == []
    assert messages([PAGE_CACHE, DJANGOS], USE_I18N=False) == []
    assert messages([DJANGOS]) == []  # no page cache (the decorator runs inside the view)


def test_e063_the_failure_it_reports(fake_cda: FakeCDA) -> None:
    """With the locale middleware after the page cache, an Italian page is served to an
    English visitor; in the documented order each language has its own page."""
    fake_cda.content[NAV] = ({"allPages": []}, ["model:p"])

    def get(language: str) -> tuple[str, str]:
        # Each request lands on a thread whose last request was English.
        translation.activate("en")
        response = Client().get("/", HTTP_ACCEPT_LANGUAGE=language)
        return response["X-DatoCMS-Cache"], response.content.decode()

    datocms = fake_cda.settings()
    with override_settings(
        DATOCMS=datocms,
        ROOT_URLCONF="tests.caching.language_urls",
        MIDDLEWARE=[PAGE_CACHE, DJANGOS],
    ):
        assert get("it") == ("MISS", "<p>it</p>")
        assert get("en") == ("HIT", "<p>it</p>")  # the wrong language
        assert [m.id for m in check_page_cache_language()] == ["datocms.E063"]
    with override_settings(
        DATOCMS={**datocms, "CACHE_ALIAS": "counting"},  # an empty cache
        ROOT_URLCONF="tests.caching.language_urls",
        MIDDLEWARE=[DJANGOS, PAGE_CACHE],
    ):
        assert get("it") == ("MISS", "<p>it</p>")
        assert get("en") == ("MISS", "<p>en</p>")
        assert get("it") == ("HIT", "<p>it</p>")
        assert get("en") == ("HIT", "<p>en</p>")
        assert check_page_cache_language() == []


def test_w064_djangos_locale_middleware_with_unprefixed_default_language() -> None:
    urlconf = "tests.caching.locale_urls"  # i18n_patterns(..., prefix_default_language=False)
    assert messages([DJANGOS, PAGE_CACHE], urlconf) == [
        (
            "datocms.W064",
            f"{DJANGOS} is in MIDDLEWARE and the URLconf uses i18n_patterns(..., "
            "prefix_default_language=False): the URL alone names each page's language, yet "
            "Django's middleware adds 'Vary: Accept-Language' to every unprefixed page, so a "
            "CDN or proxy keeps a copy of each for every browser language header (en-US, "
            "en-GB, ...).",
            f"Replace {DJANGOS!r} with {OURS!r} in MIDDLEWARE (the same middleware, without "
            "that Vary).",
        )
    ]
    # The failure it reports, and the fix it proposes.
    with override_settings(ROOT_URLCONF=urlconf, MIDDLEWARE=[DJANGOS]):
        english = Client().get("/", HTTP_ACCEPT_LANGUAGE="en-GB")
    assert (english.content, english["Vary"]) == (b"<p>en</p>", "Accept-Language")
    with override_settings(ROOT_URLCONF=urlconf, MIDDLEWARE=[OURS]):
        assert "Vary" not in Client().get("/", HTTP_ACCEPT_LANGUAGE="en-GB")
    assert messages([OURS, PAGE_CACHE], urlconf) == []


def test_no_w064_where_the_header_chooses_the_language() -> None:
    # No i18n_patterns, or a prefixed default language: Django's Vary is right there.
    assert messages([DJANGOS, PAGE_CACHE], "tests.caching.locale_plain_urls") == []
    assert messages([DJANGOS, PAGE_CACHE], "tests.caching.locale_prefixed_urls") == []


def test_registered() -> None:
    assert check_page_cache_language in checks.registry.registry.get_checks()
