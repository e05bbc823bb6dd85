"""``datocms_app.caching.LocaleMiddleware``: no ``Vary: Accept-Language`` where the URL
alone names the language, Django's behaviour everywhere else."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.http import HttpResponse
from django.test import Client, override_settings
from django.utils import translation

OURS = "datocms_app.caching.LocaleMiddleware"
DJANGOS = "django.middleware.locale.LocaleMiddleware"


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    # LocaleMiddleware leaves the language of the last request active in this thread.
    yield
    translation.deactivate()


def served(urlconf: str, path: str, middleware: str = OURS, **headers: Any) -> HttpResponse:
    with override_settings(ROOT_URLCONF=f"tests.caching.{urlconf}", MIDDLEWARE=[middleware]):
        response: HttpResponse = Client().get(path, **headers)
    return response


@pytest.mark.parametrize(
    ("path", "status", "content", "language"),
    [
        ("/", 200, b"<p>en</p>", "en"),
        ("/it/", 200, b"<p>it</p>", "it"),
        ("/nowhere/", 404, b"<p>en: no such page</p>", "en"),
        ("/it/nowhere/", 404, b"<p>it: no such page</p>", "it"),
    ],
)
def test_a_language_from_the_url_does_not_vary_on_accept_language(
    path: str, status: int, content: bytes, language: str
) -> None:
    response = served("locale_urls", path, HTTP_ACCEPT_LANGUAGE="it,en;q=0.5")
    assert (response.status_code, response.content) == (status, content)
    assert response["Content-Language"] == language
    assert "Vary" not in response


def test_djangos_middleware_varies_the_same_page_on_accept_language() -> None:
    # What the subclass is for: the English page is English whatever the header says.
    response = served("locale_urls", "/", DJANGOS, HTTP_ACCEPT_LANGUAGE="it")
    assert (response.content, response["Vary"]) == (b"<p>en</p>", "Accept-Language")


def test_a_vary_set_by_the_view_is_kept() -> None:
    assert served("locale_urls", "/themed/")["Vary"] == "X-Theme"
    negotiated = served("locale_urls", "/negotiated/", HTTP_ACCEPT_LANGUAGE="it")
    assert (negotiated.content, negotiated["Vary"]) == (b"it", "Accept-Language")


def test_a_language_from_the_request_keeps_djangos_vary() -> None:
    # No i18n_patterns: LocaleMiddleware negotiates the language from the header.
    plain = served("locale_plain_urls", "/", HTTP_ACCEPT_LANGUAGE="it")
    assert (plain.content, plain["Vary"]) == (b"<p>it</p>", "Accept-Language")
    # A prefixed default language: unprefixed URLs redirect by the header.
    redirect = served("locale_prefixed_urls", "/", HTTP_ACCEPT_LANGUAGE="it")
    assert (redirect.status_code, redirect["Location"]) == (302, "/it/")
    assert redirect["Vary"] == "Accept-Language, Cookie"
    prefixed = served("locale_prefixed_urls", "/en/", HTTP_ACCEPT_LANGUAGE="it")
    assert (prefixed.content, prefixed["Content-Language"]) == (b"<p>en</p>", "en")
    assert "Vary" not in prefixed
