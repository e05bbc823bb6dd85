"""The emulator app's checks of the site around it: datocms.E034, W030 (its URLs: uploads,
videos, Real-time Updates channels) and W041 (renderer keys naming no type of its content
project), each with the failure it reports."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.core import checks
from django.test import Client, override_settings
from django.utils.html import format_html

from datocms_app import cda
from datocms_app.emulator.checks import check_content_project, check_emulator_urls
from datocms_app.emulator.embedded import reset_emulator
from datocms_app.preview.listen import register_channel
from datocms_app.preview.recording import RecordedQuery
from datocms_app.structured_text import RecordContext, render_html
from tests.demo_content import DEMO_CONTENT_DIR, demo_datocms

AVATAR = '{ author(filter: {id: {eq: "ada"}}) { avatar { url } } }'
AVATAR_PATH = "/author-ada/author-ada.jpg"
UUID = "[0-9a-f-]{36}"
VIDEO = (
    '{ article(filter: {id: {eq: "open-ocean"}}) { content { blocks { '
    "... on VideoBlockRecord { video { video { streamingUrl } } } } } } }"
)


def urls_messages(urlconf: str, **datocms: Any) -> list[tuple[str, str, str]]:
    with override_settings(ROOT_URLCONF=urlconf, DATOCMS=demo_datocms(**datocms)):
        return [(m.id, m.msg, m.hint or "") for m in check_emulator_urls()]


def avatar_status(urlconf: str, **datocms: Any) -> tuple[str, int]:
    """The avatar's URL in the emulator's answer, and what the site answers there (not from
    the query cache: its answers hold the URLs of the settings they were made with)."""
    with override_settings(
        ROOT_URLCONF=urlconf, DATOCMS=demo_datocms(QUERY_CACHE=False, **datocms)
    ):
        url: str = cda.query(AVATAR)["author"]["avatar"]["url"]
        return url, Client().get(url).status_code


# -- E034: the emulator's URLs are not mounted ---------------------------------------------------


def test_e034_the_emulator_serves_content_but_its_urls_are_not_mounted() -> None:
    assert urls_messages("tests.emulator.core_urls_only") == [
        (
            "datocms.E034",
            "No DatoCMS API token is configured, so the embedded emulator serves the content "
            "project, but its asset URL ('datocms_emulator:asset') cannot be reversed "
            "(datocms_app.emulator.urls is not included in tests.emulator.core_urls_only): "
            "every image and file of the content project is a 404.",
            'Add path("datocms/emulator/", include("datocms_app.emulator.urls")) to the '
            "urlpatterns of tests.emulator.core_urls_only (from django.urls import include, "
            "path): ASSETS_BASE ('/datocms/emulator/assets') points there.",
        )
    ]
    (message,) = urls_messages("tests.emulator.core_urls_only", EMULATOR={"ASSETS_BASE": "/files"})
    assert message[2] == (
        'Add path("datocms/emulator/", include("datocms_app.emulator.urls")) to the urlpatterns '
        "of tests.emulator.core_urls_only (from django.urls import include, path) and set "
        'DATOCMS["EMULATOR"]["ASSETS_BASE"] = "/datocms/emulator/assets" (it is \'/files\').'
    )


def test_e034_the_failure_it_reports() -> None:
    """Every image is a 404 without the emulator's URLs; with the path() the hint gives,
    it is served."""
    url, status = avatar_status("tests.emulator.core_urls_only")
    assert (url, status) == (f"/datocms/emulator/assets{AVATAR_PATH}", 404)
    assert [m[0] for m in urls_messages("tests.emulator.core_urls_only")] == ["datocms.E034"]
    assert avatar_status("tests.urls") == (url, 200)
    assert urls_messages("tests.urls") == []


def test_no_e034_without_the_emulator_serving_or_with_assets_elsewhere() -> None:
    assert urls_messages("tests.emulator.core_urls_only", API_TOKEN="real") == []
    other_origin = {"ASSETS_BASE": "http://127.0.0.1:8001/assets"}
    assert urls_messages("tests.emulator.core_urls_only", EMULATOR=other_origin) == []
    assert urls_messages("tests.emulator.core_urls_only", TIMEOUT=-1) == []  # E001's business


# -- W030: mounted elsewhere than ASSETS_BASE/VIDEO_BASE/LISTEN_BASE point ------------------------


def test_w030_a_base_that_is_not_where_the_urls_are() -> None:
    assert urls_messages("tests.urls", EMULATOR={"ASSETS_BASE": "/files/"}) == [
        (
            "datocms.W030",
            "DATOCMS['EMULATOR']['ASSETS_BASE'] is '/files/', but the emulator's URLs serve "
            "them at '/datocms/emulator/assets': every upload URL in the emulator's answers is "
            "a 404.",
            'Set DATOCMS["EMULATOR"]["ASSETS_BASE"] = "/datocms/emulator/assets".',
        )
    ]


MEDIA = {"ASSETS_BASE": "/media/assets", "VIDEO_BASE": "/media/video/",
         "LISTEN_BASE": "/media/listen"}  # fmt: skip


def test_w030_all_bases_elsewhere_offer_to_mount_the_urls_there() -> None:
    remount = (
        ", or mount the URLs where ASSETS_BASE, VIDEO_BASE and LISTEN_BASE point: "
        'path("media/", include("datocms_app.emulator.urls")).'
    )
    assert urls_messages("tests.urls", EMULATOR=MEDIA) == [
        (
            "datocms.W030",
            "DATOCMS['EMULATOR']['ASSETS_BASE'] is '/media/assets', but the emulator's URLs "
            "serve them at '/datocms/emulator/assets': every upload URL in the emulator's "
            "answers is a 404.",
            f'Set DATOCMS["EMULATOR"]["ASSETS_BASE"] = "/datocms/emulator/assets"{remount}',
        ),
        (
            "datocms.W030",
            "DATOCMS['EMULATOR']['VIDEO_BASE'] is '/media/video/', but the emulator's URLs "
            "serve them at '/datocms/emulator/video': every video URL (HLS, MP4, thumbnail) in "
            "the emulator's answers is a 404.",
            f'Set DATOCMS["EMULATOR"]["VIDEO_BASE"] = "/datocms/emulator/video"{remount}',
        ),
        (
            "datocms.W030",
            "DATOCMS['EMULATOR']['LISTEN_BASE'] is '/media/listen', but the emulator's URLs "
            "serve them at '/datocms/emulator/listen': every channel URL of the Real-time "
            "Updates API (live updates' EventSource) in the emulator's answers is a 404.",
            f'Set DATOCMS["EMULATOR"]["LISTEN_BASE"] = "/datocms/emulator/listen"{remount}',
        ),
    ]


def test_w030_no_remount_offered_where_it_would_break_a_base() -> None:
    # The channels stay at the default: mounting the URLs under media/ would lose them.
    two_bases = {"ASSETS_BASE": "/media/assets", "VIDEO_BASE": "/media/video/"}
    assert [hint for _, _, hint in urls_messages("tests.urls", EMULATOR=two_bases)] == [
        'Set DATOCMS["EMULATOR"]["ASSETS_BASE"] = "/datocms/emulator/assets".',
        'Set DATOCMS["EMULATOR"]["VIDEO_BASE"] = "/datocms/emulator/video".',
    ]
    # Channels on another origin (a standalone emulator) are not the site's URLs.
    elsewhere = {**two_bases, "LISTEN_BASE": "http://127.0.0.1:8001/listen"}
    assert [hint for _, _, hint in urls_messages("tests.urls", EMULATOR=elsewhere)] == [
        'Set DATOCMS["EMULATOR"]["ASSETS_BASE"] = "/datocms/emulator/assets", or mount the '
        'URLs where ASSETS_BASE and VIDEO_BASE point: path("media/", '
        'include("datocms_app.emulator.urls")).',
        'Set DATOCMS["EMULATOR"]["VIDEO_BASE"] = "/datocms/emulator/video", or mount the '
        'URLs where ASSETS_BASE and VIDEO_BASE point: path("media/", '
        'include("datocms_app.emulator.urls")).',
    ]


def streaming_status(urlconf: str, **datocms: Any) -> tuple[str, int]:
    """The demo video's HLS URL in the emulator's answer, and what the site answers there."""
    with override_settings(
        ROOT_URLCONF=urlconf, DATOCMS=demo_datocms(QUERY_CACHE=False, **datocms)
    ):
        blocks = cda.query(VIDEO)["article"]["content"]["blocks"]
        (url,) = [block["video"]["video"]["streamingUrl"] for block in blocks if block]
        return url, Client().get(url).status_code


def test_w030_the_failure_it_reports_and_both_fixes() -> None:
    moved = {"ASSETS_BASE": "/media/assets"}
    assert avatar_status("tests.urls", EMULATOR=moved) == (f"/media/assets{AVATAR_PATH}", 404)
    assert [message[0] for message in urls_messages("tests.urls", EMULATOR=moved)] == [
        "datocms.W030"
    ]
    # Fix 1: the base where the URLs are.
    fixed = {"ASSETS_BASE": "/datocms/emulator/assets"}
    assert avatar_status("tests.urls", EMULATOR=fixed)[1] == 200
    assert urls_messages("tests.urls", EMULATOR=fixed) == []
    # Fix 2, when all bases point under one route: the URLs mounted there.
    assert avatar_status("tests.urls", EMULATOR=MEDIA)[1] == 404
    assert streaming_status("tests.urls", EMULATOR=MEDIA)[1] == 404
    assert avatar_status("tests.emulator.media_urls", EMULATOR=MEDIA)[1] == 200
    assert streaming_status("tests.emulator.media_urls", EMULATOR=MEDIA)[1] == 200
    assert urls_messages("tests.emulator.media_urls", EMULATOR=MEDIA) == []
    # Mounted there with only one base following, the others are 404s and say so.
    url, status = streaming_status("tests.emulator.media_urls", EMULATOR=moved)
    assert (url.startswith("/datocms/emulator/video/"), status) == (True, 404)
    video, listen = urls_messages("tests.emulator.media_urls", EMULATOR=moved)
    assert video[2] == 'Set DATOCMS["EMULATOR"]["VIDEO_BASE"] = "/media/video".'
    assert listen[2] == 'Set DATOCMS["EMULATOR"]["LISTEN_BASE"] = "/media/listen".'


def channel_status(urlconf: str, **datocms: Any) -> tuple[str, int]:
    """The channel URL live updates register (through the embedded emulator), and what the
    site answers there: what the page's EventSource gets."""
    with override_settings(ROOT_URLCONF=urlconf, DATOCMS=demo_datocms(**datocms)):
        path = register_channel(
            RecordedQuery(query="{ home { heroTitle } }", variables=None, environment=None,
                          include_drafts=True, exclude_invalid=False)
        )  # fmt: skip
        channel = Client().get(path)
        channel.close()  # a stream ends when its client leaves
        return path, channel.status_code


@pytest.fixture
def fresh_emulator() -> Iterator[None]:
    reset_emulator()
    yield
    reset_emulator()


# Closing a streamed channel sends request_finished, whose handler checks the database.
@pytest.mark.django_db
@pytest.mark.usefixtures("fresh_emulator")
def test_w030_listen_base_the_failure_it_reports_and_both_fixes() -> None:
    moved = {"LISTEN_BASE": "/live"}
    path, status = channel_status("tests.urls", EMULATOR=moved)
    assert (re.fullmatch(f"/live/channels/{UUID}", path) is not None, status) == (True, 404)
    assert urls_messages("tests.urls", EMULATOR=moved) == [
        (
            "datocms.W030",
            "DATOCMS['EMULATOR']['LISTEN_BASE'] is '/live', but the emulator's URLs serve them "
            "at '/datocms/emulator/listen': every channel URL of the Real-time Updates API "
            "(live updates' EventSource) in the emulator's answers is a 404.",
            'Set DATOCMS["EMULATOR"]["LISTEN_BASE"] = "/datocms/emulator/listen".',
        )
    ]
    # Fix 1: the base where the URLs are.
    path, status = channel_status("tests.urls")
    assert (re.fullmatch(f"/datocms/emulator/listen/channels/{UUID}", path) is not None,
            status) == (True, 200)  # fmt: skip
    assert urls_messages("tests.urls") == []
    # Fix 2: the URLs mounted where every base points.
    assert channel_status("tests.emulator.media_urls", EMULATOR=MEDIA)[1] == 200
    assert urls_messages("tests.emulator.media_urls", EMULATOR=MEDIA) == []


# -- W041: renderer keys naming no type of the content project -----------------------------------


def render_quote(context: RecordContext) -> str:
    return format_html("<q>{}</q>", context.record["quote"])


RENDER_QUOTE = f"{__name__}.render_quote"


def content_messages(**datocms: Any) -> list[tuple[str, str, str]]:
    with override_settings(DATOCMS=demo_datocms(**datocms)):
        return [(m.id, m.msg, m.hint or "") for m in check_content_project()]


TYPES = (
    "ArticleRecord, AuthorRecord, CategoryRecord, CodeBlockRecord, CtaBlockRecord, "
    "GalleryBlockRecord, HomeRecord, ImageBlockRecord, LetterRecord, MentionBlockRecord, "
    "QuoteBlockRecord, VideoBlockRecord"
)


def test_w041_a_renderer_key_naming_no_type_of_the_project() -> None:
    renderers = {"QuoteBlokRecord": RENDER_QUOTE, "ProductRecord": RENDER_QUOTE}
    assert content_messages(STRUCTURED_TEXT_RENDERERS=renderers) == [
        (
            "datocms.W041",
            "settings.DATOCMS['STRUCTURED_TEXT_RENDERERS'] has the key 'ProductRecord', but the "
            f"emulator's content project {str(DEMO_CONTENT_DIR)!r} has no model or block of "
            "that type: this renderer is never used.",
            f"Key it by one of the project's record types ({TYPES}), or remove it.",
        ),
        (
            "datocms.W041",
            "settings.DATOCMS['STRUCTURED_TEXT_RENDERERS'] has the key 'QuoteBlokRecord', but "
            f"the emulator's content project {str(DEMO_CONTENT_DIR)!r} has no model or block of "
            "that type: this renderer is never used.",
            f"Rename the key to 'QuoteBlockRecord' (the project's record types: {TYPES}).",
        ),
    ]


def test_w041_the_failure_it_reports() -> None:
    query = (
        '{ article(filter: {id: {eq: "open-ocean"}}) { content { value '
        "links { __typename ... on RecordInterface { id } } "
        "blocks { __typename ... on RecordInterface { id } ... on QuoteBlockRecord { quote } } "
        "} } }"
    )

    def rendered(key: str) -> str:
        renderers = {key: RENDER_QUOTE}
        with override_settings(DATOCMS=demo_datocms(STRUCTURED_TEXT_RENDERERS=renderers)):
            return render_html(cda.query(query)["article"]["content"])

    assert "<q>" not in rendered("QuoteBlokRecord")
    typo = content_messages(STRUCTURED_TEXT_RENDERERS={"QuoteBlokRecord": RENDER_QUOTE})
    assert [m[0] for m in typo] == ["datocms.W041"]
    assert "<q>" in rendered("QuoteBlockRecord")
    assert content_messages(STRUCTURED_TEXT_RENDERERS={"QuoteBlockRecord": RENDER_QUOTE}) == []


def test_no_w041_with_a_token_or_for_keys_the_core_reports() -> None:
    assert (
        content_messages(API_TOKEN="real", STRUCTURED_TEXT_RENDERERS={"XRecord": RENDER_QUOTE})
        == []
    )
    # "quote_block" is the core's datocms.W040.
    assert content_messages(STRUCTURED_TEXT_RENDERERS={"quote_block": RENDER_QUOTE}) == []


def test_registered() -> None:
    assert check_emulator_urls in checks.registry.registry.get_checks()


@pytest.mark.parametrize("urlconf", ["tests.urls", "tests.emulator.core_urls_only"])
def test_a_real_token_silences_the_url_checks(urlconf: str) -> None:
    assert urls_messages(urlconf, API_TOKEN="real", EMULATOR={"ASSETS_BASE": "/x/assets"}) == []
