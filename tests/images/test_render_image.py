"""render_image and render_image_preload: exact HTML for each option, errors, escaping."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from django.test import override_settings
from django.utils.safestring import SafeString

from datocms_app.exceptions import InvalidArgument, InvalidResponsiveImage, MediaError
from datocms_app.images import ResponsiveImage, build_srcset, render_image, render_image_preload

IMAGE: dict[str, Any] = {
    "src": "/img/a.jpg?w=800",
    "srcSet": "/img/a.jpg?dpr=0.5&w=800 400w,/img/a.jpg?w=800 800w",
    "width": 800,
    "height": 600,
    "alt": "Alps",
    "title": "Peaks",
}
SOURCE = '<source srcset="/img/a.jpg?dpr=0.5&amp;w=800 400w,/img/a.jpg?w=800 800w"'
SIZING = "aspect-ratio:800 / 600;width:100%;max-width:800px;height:auto"
IMG = '<img src="/img/a.jpg?w=800" alt="Alps" title="Peaks" width="800" height="600"'
REFERRER = ' referrerpolicy="no-referrer-when-downgrade"'


def test_default_markup() -> None:
    html = render_image(IMAGE)

    assert isinstance(html, SafeString)
    assert html == (
        f'<picture>{SOURCE} sizes="auto, 100vw">'
        f'{IMG} sizes="auto, 100vw" loading="lazy" decoding="async" style="{SIZING}"{REFERRER}>'
        "</picture>"
    )


def test_sizes_option_wins_over_data_sizes() -> None:
    html = render_image({**IMAGE, "sizes": "100vw"}, sizes="(max-width: 700px) 100vw, 700px")

    sizes = ' sizes="(max-width: 700px) 100vw, 700px"'
    assert html == (
        f"<picture>{SOURCE}{sizes}>"
        f'{IMG}{sizes} loading="lazy" decoding="async" style="{SIZING}"{REFERRER}></picture>'
    )


def test_data_sizes_is_the_default() -> None:
    html = render_image({**IMAGE, "sizes": "50vw"})

    assert html.count(' sizes="50vw"') == 2


def test_priority_has_no_default_sizes_and_high_fetch_priority() -> None:
    html = render_image(IMAGE, priority=True)

    assert html == (
        f"<picture>{SOURCE}>"
        f'{IMG} fetchpriority="high" decoding="async" style="{SIZING}"{REFERRER}></picture>'
    )


def test_priority_keeps_explicit_sizes() -> None:
    html = render_image(IMAGE, priority=True, sizes="50vw")

    assert ' sizes="50vw" fetchpriority="high" decoding="async"' in html
    assert "loading=" not in html


def test_webp_source_comes_first() -> None:
    html = render_image({**IMAGE, "webpSrcSet": "/img/a.webp 800w"}, sizes="50vw")

    assert html.startswith(
        '<picture><source srcset="/img/a.webp 800w" sizes="50vw" type="image/webp">'
        f'{SOURCE} sizes="50vw"><img '
    )


def test_base64_placeholder() -> None:
    html = render_image({**IMAGE, "base64": "data:image/jpeg;base64,AAAA", "bgColor": "#fff"})

    assert (
        ' style="background-image:url(&quot;data:image/jpeg;base64,AAAA&quot;);'
        "background-size:cover;background-repeat:no-repeat;background-position:50% 50%;"
        f'color:transparent;{SIZING}"'
    ) in html


def test_bg_color_placeholder() -> None:
    html = render_image({**IMAGE, "bgColor": "#e5e2dd"})

    assert f' style="background-color:#e5e2dd;color:transparent;{SIZING}"' in html


def test_use_placeholder_false() -> None:
    html = render_image({**IMAGE, "base64": "data:x", "bgColor": "#fff"}, use_placeholder=False)

    assert f' style="{SIZING}"' in html


def test_unsafe_bg_color_is_dropped(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="datocms_app.images"):
        html = render_image({**IMAGE, "bgColor": "red;background-image:url(//evil.test/x)"})

    assert f' style="{SIZING}"' in html
    assert "evil" not in html
    assert "is not a CSS colour" in caplog.text


def test_base64_cannot_leave_the_css_string() -> None:
    html = render_image({**IMAGE, "base64": 'data:x");background:url("//evil.test/x'})

    assert "url(&quot;data:x\\&quot;);background:url(\\&quot;//evil.test/x&quot;)" in html


def test_height_from_aspect_ratio_rounds_like_javascript() -> None:
    data = {**IMAGE, "height": None, "aspectRatio": 1.6}  # 800 / 1.6 = 500

    html = render_image(data)

    assert ' width="800" height="500"' in html
    assert "aspect-ratio:800 / 500;" in html
    assert ' height="267"' in render_image({**data, "aspectRatio": 3})  # 266.67
    assert ' height="3"' in render_image({**data, "width": 5, "aspectRatio": 2})  # 2.5 -> 3


def test_no_height_and_no_ratio_leaves_the_ratio_out() -> None:
    # RSCImage writes "aspect-ratio:800 / 0" here, which browsers ignore: we write nothing.
    html = render_image({**IMAGE, "height": None})

    assert ' width="800" sizes=' in html
    assert ' style="width:100%;max-width:800px;height:auto"' in html


def test_classes_and_string_styles() -> None:
    html = render_image(
        IMAGE,
        picture_class="frame",
        picture_style="display: block;",
        img_class="rounded",
        img_style="object-fit: cover; ",
    )

    assert html.startswith('<picture class="frame" style="display: block">')
    assert f' class="rounded" style="{SIZING};object-fit: cover"' in html


def test_mapping_img_style_overrides_in_place_like_react() -> None:
    html = render_image(
        {**IMAGE, "bgColor": "#fff"},
        img_style={"width": "50%", "objectFit": "cover", "color": None, "marginTop": 4},
    )

    assert (
        ' style="background-color:#fff;aspect-ratio:800 / 600;width:50%;max-width:800px;'
        'height:auto;object-fit:cover;margin-top:4px"'
    ) in html


def test_mapping_picture_style() -> None:
    html = render_image(IMAGE, picture_style={"display": "block", "opacity": 0.5, "margin": 0})

    assert html.startswith('<picture style="display:block;opacity:0.5;margin:0">')


def test_referrer_policy() -> None:
    assert ' referrerpolicy="origin">' in render_image(IMAGE, referrer_policy="origin")
    assert "referrerpolicy" not in render_image(IMAGE, referrer_policy=None)


def test_alt_option_and_missing_alt() -> None:
    assert ' alt="Summit" title="Peaks"' in render_image(IMAGE, alt="Summit")
    data = {key: value for key, value in IMAGE.items() if key not in ("alt", "title")}
    assert '<img src="/img/a.jpg?w=800" alt="" width="800"' in render_image(data)


def test_generated_srcset_with_custom_candidates() -> None:
    data = {"src": "https://www.datocms-assets.com/1/a.jpg?max-w=1000&w=400", "width": 400}

    html = render_image(data, srcset_candidates=[0.1, 1, 2])

    assert (
        '<source srcset="https://www.datocms-assets.com/1/a.jpg?max-w=1000&amp;w=400 400w,'
        "https://www.datocms-assets.com/1/a.jpg?max-w=2000&amp;w=400&amp;dpr=2 800w"
        '" sizes="auto, 100vw">'
    ) in html


def test_build_srcset() -> None:
    assert build_srcset("/a.jpg?auto=format", 100, (0.5, 1, 1.5)) == (
        "/a.jpg?auto=format&dpr=0.5 50w,/a.jpg?auto=format 100w,/a.jpg?auto=format&dpr=1.5 150w"
    )
    assert build_srcset("a.jpg", 200, (1,)) == "/a.jpg 200w"
    assert build_srcset("//cdn.test/a.jpg", 200, (1,)) == "https://cdn.test/a.jpg 200w"


@pytest.mark.parametrize(
    ("src", "width", "candidates"),
    [("", 10, (1,)), ("/a", 0, (1,)), ("/a", 10, "1,2"), ("/a", 10, (0,)), ("/a", 10, (True,))],
)
def test_build_srcset_rejects_bad_input(src: str, width: int, candidates: Any) -> None:
    with pytest.raises(InvalidArgument):
        build_srcset(src, width, candidates)


def test_model_instance_and_html_protocol() -> None:
    image = ResponsiveImage(src="/a.jpg", width=100, height=50, src_set="/a.jpg 100w")

    assert render_image(image) == render_image(
        {"src": "/a.jpg", "width": 100, "height": 50, "srcSet": "/a.jpg 100w"}
    )
    assert image.__html__() == render_image(image)
    assert str(image) == render_image(image)


def test_none_renders_nothing() -> None:
    assert render_image(None) == ""
    assert render_image_preload(None) == ""


# --- invalid data: DEBUG raises, production logs and renders nothing ------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"width": 100}, "src: Field required"),
        ({"src": "/a.jpg"}, "width: Field required"),
        ({"src": "", "width": 100}, "src: String should have at least 1 character (got str '')"),
        ({"src": "/a.jpg", "width": -5}, "width: Input should be greater than 0 (got int -5)"),
        ({"src": "/a.jpg", "width": "wide"}, "width: Input should be a valid integer"),
        ("https://x.test/a.jpg", "got str. Pass `upload.responsiveImage`"),
    ],
)
def test_invalid_data_raises_under_debug(data: Any, message: str) -> None:
    with override_settings(DEBUG=True), pytest.raises(InvalidResponsiveImage) as info:
        render_image(data)

    assert message in str(info.value)
    assert isinstance(info.value, MediaError)
    assert isinstance(info.value, ValueError)


def test_missing_src_message_says_how_to_query() -> None:
    with override_settings(DEBUG=True), pytest.raises(InvalidResponsiveImage) as info:
        render_image({"width": 100})

    assert str(info.value) == (
        "Cannot render this responsiveImage: src: Field required. Ask the CDA for at least "
        "`responsiveImage { src width height }` (better: `src srcSet width height alt title "
        "base64 sizes`)."
    )


def test_invalid_data_in_production_logs_and_renders_nothing(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING, logger="datocms_app.images"):
        html = render_image({"src": "/a.jpg"})
        preload = render_image_preload({"width": 3})

    assert html == ""
    assert preload == ""
    assert [record.levelname for record in caplog.records] == ["WARNING", "WARNING"]
    assert "width: Field required" in caplog.records[0].getMessage()
    assert "set DEBUG=True to raise" in caplog.records[0].getMessage()


@pytest.mark.parametrize(
    "options",
    [
        {"sizes": 100},
        {"alt": 3},
        {"img_class": ["a"]},
        {"picture_class": 1},
        {"img_style": 3},
        {"picture_style": ["x"]},
        {"img_style": {"not a property": "x"}},
        {"img_style": {"color": object()}},
        {"referrer_policy": "everyone"},
        {"srcset_candidates": "1x, 2x"},
        {"srcset_candidates": [1, -2]},
    ],
)
def test_bad_options_raise_even_in_production(options: dict[str, Any]) -> None:
    with pytest.raises(InvalidArgument):
        render_image(IMAGE, **options)


def test_empty_candidates_give_an_empty_srcset() -> None:
    data = {"src": "/a.jpg", "width": 100, "height": 100}
    assert '<source srcset="" sizes="auto, 100vw">' in render_image(data, srcset_candidates=[])


# --- escaping and XSS ------------------------------------------------------------------------


def test_every_value_is_escaped() -> None:
    evil = '"><script>alert(1)</script>'
    data = {
        "src": f"/a.jpg?{evil}",
        "srcSet": f"/a.jpg {evil}",
        "webpSrcSet": f"/a.webp {evil}",
        "width": 10,
        "height": 10,
        "alt": evil,
        "title": evil,
        "sizes": evil,
        "bgColor": "red",
    }

    html = render_image(
        data, picture_class=evil, img_class=evil, picture_style=evil, img_style=evil
    )

    escaped = "&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"
    assert "<script>" not in html
    assert html.count(escaped) == 12  # sizes appears three times
    assert html.count("<") == 5  # picture, 2 sources, img, /picture


def test_single_quotes_are_escaped() -> None:
    html = render_image({**IMAGE, "alt": "' onerror='alert(1)"})

    assert ' alt="&#x27; onerror=&#x27;alert(1)"' in html


# --- preload ---------------------------------------------------------------------------------


def test_preload_uses_srcset_and_sizes() -> None:
    html = render_image_preload(IMAGE, sizes="(max-width: 800px) 100vw, 800px")

    assert html == (
        '<link rel="preload" as="image" '
        'imagesrcset="/img/a.jpg?dpr=0.5&amp;w=800 400w,/img/a.jpg?w=800 800w" '
        'imagesizes="(max-width: 800px) 100vw, 800px" fetchpriority="high"'
        f"{REFERRER}>"
    )


def test_preload_prefers_webp_and_data_sizes() -> None:
    html = render_image_preload(
        {**IMAGE, "webpSrcSet": "/a.webp 800w", "sizes": "50vw"}, referrer_policy=None
    )

    assert html == (
        '<link rel="preload" as="image" imagesrcset="/a.webp 800w" imagesizes="50vw" '
        'type="image/webp" fetchpriority="high">'
    )


def test_preload_generates_the_same_srcset_as_the_picture() -> None:
    data = {"src": "/a.jpg", "width": 400, "height": 300}

    preload = render_image_preload(data, srcset_candidates=[1, 2])
    picture = render_image(data, srcset_candidates=[1, 2], priority=True)

    srcset = "/a.jpg 400w,/a.jpg?dpr=2 800w"
    assert f' imagesrcset="{srcset}" fetchpriority="high"' in preload
    assert f'<source srcset="{srcset}">' in picture


def test_preload_without_any_candidate_falls_back_to_href() -> None:
    html = render_image_preload({"src": "/tiny.png", "width": 10}, referrer_policy=None)

    assert html == '<link rel="preload" as="image" href="/tiny.png" fetchpriority="high">'
