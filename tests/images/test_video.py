"""render_video: a <video> with HLS first, MP4 fallbacks, poster and reserved space."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from django.test import override_settings
from django.utils.safestring import SafeString

from datocms_app.exceptions import InvalidArgument, InvalidVideo
from datocms_app.images import Video, render_video

VIDEO: dict[str, Any] = {
    "muxPlaybackId": "abc",
    "streamingUrl": "https://stream.mux.com/abc.m3u8",
    "mp4High": "https://stream.mux.com/abc/high.mp4",
    "mp4Medium": "https://stream.mux.com/abc/medium.mp4",
    "mp4Low": "https://stream.mux.com/abc/low.mp4",
    "thumbnailUrl": "https://image.mux.com/abc/thumbnail.jpg",
    "width": 1920,
    "height": 1080,
    "duration": 12.5,
}
HLS = '<source src="https://stream.mux.com/abc.m3u8" type="application/vnd.apple.mpegurl">'
MP4 = (
    '<source src="https://stream.mux.com/abc/high.mp4" type="video/mp4">'
    '<source src="https://stream.mux.com/abc/medium.mp4" type="video/mp4">'
    '<source src="https://stream.mux.com/abc/low.mp4" type="video/mp4">'
)
STYLE = 'style="aspect-ratio:1920 / 1080;width:100%;max-width:1920px;height:auto"'


def test_default_markup() -> None:
    html = render_video(VIDEO)

    assert isinstance(html, SafeString)
    assert html == (
        '<video width="1920" height="1080" poster="https://image.mux.com/abc/thumbnail.jpg" '
        f'preload="none" controls playsinline {STYLE}>{HLS}{MP4}</video>'
    )


def test_no_third_party_player() -> None:
    html = render_video(VIDEO)

    assert "<script" not in html
    assert "<iframe" not in html
    assert "mux-player" not in html


def test_options() -> None:
    html = render_video(
        VIDEO,
        controls=False,
        autoplay=True,
        loop=True,
        preload="metadata",
        video_class="hero-video",
        alt='Waves "at" dawn',
    )

    assert html.startswith(
        '<video class="hero-video" width="1920" height="1080" '
        'poster="https://image.mux.com/abc/thumbnail.jpg" preload="metadata" autoplay muted '
        f'loop playsinline aria-label="Waves &quot;at&quot; dawn" {STYLE}>'
    )


def test_single_mp4_url_and_no_dimensions() -> None:
    html = render_video({"mp4Url": "/v.mp4?x=1&y=2"})

    assert html == (
        '<video preload="none" controls playsinline style="width:100%;height:auto">'
        '<source src="/v.mp4?x=1&amp;y=2" type="video/mp4"></video>'
    )


def test_duplicate_mp4_urls_are_listed_once() -> None:
    video = Video.model_validate({"mp4Url": "/a.mp4", "mp4High": "/a.mp4", "mp4Low": "/b.mp4"})

    assert video.mp4_urls == ["/a.mp4", "/b.mp4"]


def test_values_are_escaped() -> None:
    evil = '"><script>alert(1)</script>'

    html = render_video({"streamingUrl": evil, "thumbnailUrl": evil}, video_class=evil, alt=evil)

    assert "<script>" not in html
    assert html.count("&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;") == 4


def test_site_can_override_the_template(tmp_path: Any) -> None:
    (tmp_path / "datocms").mkdir()
    (tmp_path / "datocms" / "video.html").write_text(
        "<video-box src={{ video.streaming_url }}></video-box>"
    )
    templates = [
        {
            "BACKEND": "django.template.backends.django.DjangoTemplates",
            "DIRS": [str(tmp_path)],
            "APP_DIRS": True,
        }
    ]

    with override_settings(TEMPLATES=templates):
        html = render_video(VIDEO)

    assert html == "<video-box src=https://stream.mux.com/abc.m3u8></video-box>"


def test_none_renders_nothing() -> None:
    assert render_video(None) == ""


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"thumbnailUrl": "/t.jpg"}, "neither streamingUrl nor an MP4 URL"),
        ({"mp4Url": "/a.mp4", "width": "big"}, "width: Input should be a valid integer"),
        ("https://stream.mux.com/abc.m3u8", "Pass `upload.video`"),
    ],
)
def test_invalid_video_raises_under_debug(data: Any, message: str) -> None:
    with override_settings(DEBUG=True), pytest.raises(InvalidVideo) as info:
        render_video(data)

    assert message in str(info.value)


def test_invalid_video_in_production(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="datocms_app.images"):
        assert render_video({"thumbnailUrl": "/t.jpg"}) == ""

    assert "neither streamingUrl nor an MP4 URL" in caplog.text


@pytest.mark.parametrize("options", [{"preload": "eager"}, {"video_class": 3}, {"alt": ["a"]}])
def test_bad_options(options: dict[str, Any]) -> None:
    with pytest.raises(InvalidArgument):
        render_video(VIDEO, **options)
