"""System checks of draft mode: datocms.E070, E071, W070-W072 (and the settings' E001)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client, override_settings

from datocms_app.checks import check_preview, check_settings

DRAFT = "datocms_app.preview.DraftModeMiddleware"
DRAFT_BY_MODULE = "datocms_app.preview.middleware.DraftModeMiddleware"
PAGE_CACHE = "datocms_app.caching.PageCacheMiddleware"
SESSION = "django.middleware.common.CommonMiddleware"


def messages(middleware: list[str], urlconf: str = "tests.urls", **datocms: Any) -> list[Any]:
    with override_settings(MIDDLEWARE=middleware, ROOT_URLCONF=urlconf, DATOCMS=datocms):
        return check_preview()


def test_a_site_configured_as_documented_is_clean() -> None:
    assert messages([SESSION, DRAFT, PAGE_CACHE], PREVIEW_SECRET="s") == []
    assert messages([SESSION, DRAFT_BY_MODULE, PAGE_CACHE], PREVIEW_SECRET="s") == []


@pytest.mark.parametrize("draft", [DRAFT, DRAFT_BY_MODULE])
def test_e070_draft_mode_after_the_page_cache(draft: str) -> None:
    (message,) = messages([PAGE_CACHE, SESSION, draft], PREVIEW_SECRET="s")
    assert message.id == "datocms.E070"
    assert message.msg == (
        "DraftModeMiddleware comes after PageCacheMiddleware in MIDDLEWARE: the page cache "
        "answers before it knows a request is in draft mode, so editors get the cached "
        "published page."
    )
    assert message.hint == (
        "Move 'datocms_app.preview.DraftModeMiddleware' before "
        "'datocms_app.caching.PageCacheMiddleware'."
    )


@pytest.mark.parametrize("datocms", [{"PREVIEW_SECRET": "s"}, {"LIVE_UPDATES": "always"}])
def test_e071_configured_but_no_middleware(datocms: dict[str, Any]) -> None:
    (message,) = messages([SESSION, PAGE_CACHE], **datocms)
    assert message.id == "datocms.E071"
    assert message.hint == (
        "Add 'datocms_app.preview.DraftModeMiddleware' to MIDDLEWARE, before "
        "'datocms_app.caching.PageCacheMiddleware'."
    )


def test_no_e071_when_nothing_is_configured_or_the_urls_are_not_mounted() -> None:
    assert messages([SESSION, PAGE_CACHE]) == []
    # Without the URLs it is W072's business.
    found = messages([SESSION, PAGE_CACHE], "tests.preview.bare_urls", PREVIEW_SECRET="s")
    assert [m.id for m in found] == ["datocms.W072"]


W072_HINT = (
    'Add path("datocms/", include("datocms_app.urls")) to the urlpatterns of '
    "tests.preview.bare_urls (from django.urls import include, path)."
)


@pytest.mark.parametrize(
    ("datocms", "message"),
    [
        (
            {"PREVIEW_SECRET": "s"},
            "Draft mode is configured (PREVIEW_SECRET), but 'datocms:draft-mode-enable' cannot "
            "be reversed (datocms_app.urls is not included in tests.preview.bare_urls): editors "
            "can never enter draft mode (the Web Previews plugin's links answer 404).",
        ),
        (
            {"LIVE_UPDATES": "always"},
            "Live updates are on for everyone (LIVE_UPDATES = 'always'), but "
            "'datocms:live-updates' cannot be reversed (datocms_app.urls is not included in "
            "tests.preview.bare_urls): no page gets live updates (their script gets 404s).",
        ),
        (
            {"PREVIEW_SECRET": "s", "LIVE_UPDATES": "always"},
            "Draft mode is configured (PREVIEW_SECRET) and live updates are on for everyone "
            "(LIVE_UPDATES = 'always'), but 'datocms:draft-mode-enable' and "
            "'datocms:live-updates' cannot be reversed (datocms_app.urls is not included in "
            "tests.preview.bare_urls): editors can never enter draft mode (the Web Previews "
            "plugin's links answer 404); no page gets live updates (their script gets 404s).",
        ),
    ],
)
def test_w072_configured_without_the_urls(datocms: dict[str, Any], message: str) -> None:
    with override_settings(DEBUG=True):  # no W070 for live updates without a secret
        (found,) = messages([DRAFT, PAGE_CACHE], "tests.preview.bare_urls", **datocms)
    assert (found.id, found.msg, found.hint) == ("datocms.W072", message, W072_HINT)


def test_w072_the_failure_it_reports() -> None:
    """The Web Previews plugin's "enter draft mode" link is a 404 without the URLs."""
    url = "/datocms/draft-mode/enable/?token=s&redirect=/"
    bare = messages([DRAFT, PAGE_CACHE], "tests.preview.bare_urls", PREVIEW_SECRET="s")
    assert [m.id for m in bare] == ["datocms.W072"]
    with override_settings(
        ROOT_URLCONF="tests.preview.bare_urls", MIDDLEWARE=[DRAFT], DATOCMS={"PREVIEW_SECRET": "s"}
    ):
        assert Client().get(url).status_code == 404
    with override_settings(
        ROOT_URLCONF="tests.urls", MIDDLEWARE=[DRAFT], DATOCMS={"PREVIEW_SECRET": "s"}
    ):
        enabled = Client().get(url)
    assert (enabled.status_code, enabled["Location"]) == (302, "/")
    assert messages([DRAFT, PAGE_CACHE], PREVIEW_SECRET="s") == []


def test_no_w072_when_nothing_needs_the_urls() -> None:
    assert messages([PAGE_CACHE], "tests.preview.bare_urls") == []
    assert messages([PAGE_CACHE], "tests.preview.bare_urls", LIVE_UPDATES="draft") == []


def test_w070_middleware_without_a_secret_in_production() -> None:
    with override_settings(DEBUG=True):
        assert messages([DRAFT, PAGE_CACHE]) == []
    (message,) = messages([DRAFT, PAGE_CACHE])
    assert message.id == "datocms.W070"
    assert message.msg == (
        "DraftModeMiddleware is installed but DATOCMS['PREVIEW_SECRET'] is not set: draft mode "
        "is off, and the draft-mode and preview-links routes answer 403."
    )


def test_w071_preview_token_without_api_token() -> None:
    ids = [m.id for m in messages([DRAFT, PAGE_CACHE], PREVIEW_SECRET="s", PREVIEW_API_TOKEN="p")]
    assert ids == ["datocms.W071"]
    assert messages([DRAFT], PREVIEW_SECRET="s", PREVIEW_API_TOKEN="p", API_TOKEN="a") == []


def test_no_check_runs_on_invalid_settings() -> None:
    assert messages([PAGE_CACHE, DRAFT], LIVE_UPDATES="sometimes") == []


@pytest.mark.parametrize(
    ("datocms", "message"),
    [
        (
            {"LIVE_UPDATES": "sometimes"},
            "settings.DATOCMS['LIVE_UPDATES']: Input should be 'off', 'draft' or 'always' "
            "(expected Literal['off', 'draft', 'always'], got str 'sometimes').",
        ),
        (
            {"LISTEN_URL": "graphql-listen.datocms.com"},
            "settings.DATOCMS['LISTEN_URL']: must be an http(s) URL such as "
            "'https://graphql-listen.datocms.com/', got 'graphql-listen.datocms.com'.",
        ),
        (
            {"PREVIEW_BASE_URL": "https://www.example.com/blog"},
            "settings.DATOCMS['PREVIEW_BASE_URL']: must be empty (links are built from each "
            "request) or the site's public origin, e.g. 'https://www.example.com' (no path, "
            "query or fragment), got 'https://www.example.com/blog'.",
        ),
        (
            {"PREVIEW_FRAME_ANCESTORS": ["'self'", "'self' https://x"]},
            "settings.DATOCMS['PREVIEW_FRAME_ANCESTORS']: must list CSP source expressions "
            "such as \"'self'\" or 'https://plugins-cdn.datocms.com' (no blanks, ';' or ','), "
            "got \"'self' https://x\".",
        ),
        (
            {"PREVIEW_SECRET": 12345},
            "settings.DATOCMS['PREVIEW_SECRET']: Input should be a valid string (expected str, "
            "got int (value hidden)).",
        ),
        (
            {"DRAFT_MODE_MAX_AGE": 0},
            "settings.DATOCMS['DRAFT_MODE_MAX_AGE']: Input should be greater than 0 (expected "
            "int, got int 0).",
        ),
    ],
)
def test_e001_for_bad_preview_settings(datocms: dict[str, Any], message: str) -> None:
    with override_settings(DATOCMS=datocms):
        (found,) = check_settings()
    assert found.id == "datocms.E001"
    assert found.msg == message


def test_preview_base_url_is_kept_as_an_origin() -> None:
    from datocms_app.conf import validate_settings

    assert validate_settings({"PREVIEW_BASE_URL": "https://www.example.com/"}).PREVIEW_BASE_URL == (
        "https://www.example.com"
    )
