"""The image tags: datocms_image, datocms_image_preload, datocms_image_url, datocms_video."""

from __future__ import annotations

from typing import Any

import pytest
from django.template import Context, Template, TemplateSyntaxError
from django.test import override_settings

from datocms_app.exceptions import InvalidResponsiveImage
from datocms_app.images import imgix_url, render_image, render_image_preload, render_video

IMAGE = {
    "src": "/a.jpg?w=800",
    "srcSet": "/a.jpg?w=800 800w",
    "width": 800,
    "height": 600,
    "alt": "Alps",
}
VIDEO = {"streamingUrl": "/v.m3u8", "mp4Url": "/v.mp4", "width": 640, "height": 360}


def render(source: str, **context: Any) -> str:
    return Template("{% load datocms %}" + source).render(Context(context))


def test_image_tag_passes_every_option() -> None:
    html = render(
        '{% datocms_image upload.responsiveImage sizes="(max-width: 700px) 100vw, 700px" '
        'priority=True img_class="rounded" picture_class="p" img_style="x:y" '
        'picture_style="a:b" use_placeholder=False alt="Peaks" referrer_policy="origin" '
        "srcset_candidates=candidates %}",
        upload={"responsiveImage": {**IMAGE, "srcSet": None, "bgColor": "#fff"}},
        candidates=[1],
    )

    assert html == render_image(
        {**IMAGE, "srcSet": None, "bgColor": "#fff"},
        sizes="(max-width: 700px) 100vw, 700px",
        priority=True,
        img_class="rounded",
        picture_class="p",
        img_style="x:y",
        picture_style="a:b",
        use_placeholder=False,
        alt="Peaks",
        referrer_policy="origin",
        srcset_candidates=[1],
    )
    assert 'fetchpriority="high"' in html
    assert '<source srcset="/a.jpg?w=800 800w" sizes="(max-width: 700px) 100vw, 700px">' in html


def test_image_tag_output_is_not_escaped_again() -> None:
    html = render("{% datocms_image image %}", image=IMAGE)

    assert html.startswith('<picture><source srcset="/a.jpg?w=800 800w"')


def test_image_tag_as_variable() -> None:
    html = render("{% datocms_image image sizes='50vw' as picture %}[{{ picture }}]", image=IMAGE)

    assert html == f"[{render_image(IMAGE, sizes='50vw')}]"


def test_missing_variable_renders_nothing() -> None:
    assert render("[{% datocms_image article.cover.responsiveImage %}]", article={}) == "[]"
    assert render("[{% datocms_image image %}]", image=None) == "[]"
    assert render("[{% datocms_image_preload image %}]") == "[]"
    assert render("[{% datocms_image_url upload.url w=10 %}]") == "[]"
    assert render("[{% datocms_video upload.video %}]", upload={"video": None}) == "[]"


def test_broken_image_raises_under_debug_only() -> None:
    template = "[{% datocms_image image %}]"
    with override_settings(DEBUG=True), pytest.raises(InvalidResponsiveImage):
        render(template, image={"width": 10})
    assert render(template, image={"width": 10}) == "[]"


def test_unknown_option_is_a_syntax_error_showing_the_usage() -> None:
    with pytest.raises(TemplateSyntaxError) as info:
        Template("{% load datocms %}{% datocms_image image lazy=True %}")

    assert str(info.value).startswith(
        "'datocms_image' has no option 'lazy'; its options are alt, img_class, img_style, "
        "picture_class, picture_style, priority, referrer_policy, sizes, srcset_candidates, "
        'use_placeholder. Usage: {% datocms_image upload.responsiveImage [sizes="..."] '
        "[priority=True]"
    )


def test_missing_argument_is_a_syntax_error_showing_the_usage() -> None:
    with pytest.raises(TemplateSyntaxError) as info:
        Template("{% load datocms %}{% datocms_video %}")

    assert "Usage: {% datocms_video upload.video" in str(info.value)


def test_preload_tag() -> None:
    html = render('{% datocms_image_preload image sizes="50vw" %}', image=IMAGE)

    assert html == render_image_preload(IMAGE, sizes="50vw")
    assert html == (
        '<link rel="preload" as="image" imagesrcset="/a.jpg?w=800 800w" imagesizes="50vw" '
        'fetchpriority="high" referrerpolicy="no-referrer-when-downgrade">'
    )


def test_image_url_tag_is_escaped_in_html() -> None:
    html = render(
        '<img src="{% datocms_image_url upload.url w=800 h=600 fit="crop" auto="format" %}">',
        upload={"url": "/a.jpg"},
    )

    assert html == '<img src="/a.jpg?auto=format&amp;fit=crop&amp;h=600&amp;w=800">'


def test_image_url_tag_as_variable_and_dashed_names() -> None:
    html = render("{% datocms_image_url url max_w=1000 as big %}{{ big|safe }}", url="/a.jpg?dpr=2")

    assert html == imgix_url("/a.jpg?dpr=2", max_w=1000) == "/a.jpg?dpr=2&max-w=1000"


def test_video_tag() -> None:
    html = render(
        '{% datocms_video upload.video alt=upload.alt autoplay=True video_class="v" %}',
        upload={"video": VIDEO, "alt": "Sea"},
    )

    assert html == render_video(VIDEO, alt="Sea", autoplay=True, video_class="v")
    assert html.startswith('<video class="v" width="640" height="360" preload="none" controls')


def test_video_tag_with_empty_alt() -> None:
    html = render("{% datocms_video upload.video alt=upload.alt %}", upload={"video": VIDEO})

    assert "aria-label" not in html


def test_image_tag_options_from_variables_and_filters() -> None:
    html = render(
        "{% datocms_image image priority=flag sizes=size|lower alt=None %}",
        image=IMAGE,
        flag=True,
        size="50VW",
    )

    assert html == render_image(IMAGE, priority=True, sizes="50vw")


def test_image_tag_literal_false_and_numbers() -> None:
    html = render(
        "{% datocms_image image priority=False use_placeholder=False srcset_candidates=c %}",
        image={**IMAGE, "srcSet": None, "bgColor": "#fff"},
        c=[1, 2],
    )

    assert html == render_image(
        {**IMAGE, "srcSet": None, "bgColor": "#fff"},
        use_placeholder=False,
        srcset_candidates=[1, 2],
    )
    assert 'loading="lazy"' in html


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("{% datocms_image %}", "'datocms_image' needs a value."),
        ("{% datocms_image sizes='1' %}", "'datocms_image' got the option \"sizes='1'\" before"),
        ("{% datocms_image image other %}", "'datocms_image' got 'other' where an option"),
        ("{% datocms_image image alt='a' alt='b' %}", "got the option 'alt' twice."),
    ],
)
def test_image_tag_syntax_errors(source: str, message: str) -> None:
    with pytest.raises(TemplateSyntaxError) as info:
        Template("{% load datocms %}" + source)

    assert message in str(info.value)
    assert "Usage: {% datocms_image upload.responsiveImage" in str(info.value)
