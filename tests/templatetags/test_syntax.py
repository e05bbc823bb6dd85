"""The one parser of the {% load datocms %} tags (datocms_app.templatetags.syntax)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.template import Context, Template, TemplateSyntaxError
from django.test import override_settings
from django.utils.html import format_html

from datocms_app.images import imgix_url, render_image, render_image_preload, render_video
from datocms_app.seo import render_meta_tags, seo_dict
from datocms_app.structured_text import RecordContext, render_html
from datocms_app.templatetags.syntax import FunctionNode

IMAGE = {"src": "/a.jpg", "srcSet": "/a.jpg 800w", "width": 800, "height": 600, "alt": "Alps"}
VIDEO = {"streamingUrl": "/v.m3u8", "width": 640, "height": 360}
CONTENT = {
    "value": {
        "schema": "dast",
        "document": {
            "type": "root",
            "children": [
                {"type": "paragraph", "children": [{"type": "span", "value": "Hi & bye"}]},
                {"type": "block", "item": "b1"},
            ],
        },
    },
    "blocks": [{"id": "b1", "__typename": "CtaBlockRecord", "label": "Go", "url": "/go/"}],
    "links": [],
}
SEO = [{"tag": "title", "content": "Alps & sea"}]

USAGES = {
    "datocms_structured_text": (
        "{% datocms_structured_text page.content [template_dir='...'] [renderers=dict] "
        "[render_block=f] [render_inline_block=f] [render_inline_record=f] "
        "[render_link_to_record=f] [custom_node_rules=list] [custom_mark_rules=list] "
        "[meta_transformer=f] [as var] %}"
    ),
    "datocms_image": (
        '{% datocms_image upload.responsiveImage [sizes="..."] [priority=True] '
        '[use_placeholder=False] [img_class="..."] [picture_class="..."] [img_style="..."] '
        '[picture_style="..."] [alt="..."] [referrer_policy="..."] [srcset_candidates=list] '
        "[as var] %}"
    ),
    "datocms_image_preload": (
        '{% datocms_image_preload upload.responsiveImage [sizes="..."] [referrer_policy="..."] '
        "[srcset_candidates=list] [as var] %}"
    ),
    "datocms_image_url": (
        '{% datocms_image_url upload.url w=800 h=600 fit="crop" auto="format" [as var] %}'
    ),
    "datocms_video": (
        "{% datocms_video upload.video [alt=upload.alt] [controls=False] [autoplay=True] "
        '[muted=True] [loop=True] [preload="metadata"] [video_class="..."] '
        '[template_name="..."] [as var] %}'
    ),
    "datocms_meta_tags": (
        "{% datocms_meta_tags page.seo site.favicon [more lists...] [as var] %} (tag lists, "
        "or records/_site objects: {% datocms_meta_tags page site %})"
    ),
    "datocms_seo_dict": (
        "{% datocms_seo_dict page.seo site.favicon as seo %} "
        "(or {% datocms_seo_dict page site as seo %})"
    ),
}
SINGLE_VALUE_TAGS = [
    ("datocms_structured_text", "template_dir='email'"),
    ("datocms_image", "sizes='50vw'"),
    ("datocms_image_preload", "sizes='50vw'"),
    ("datocms_image_url", "w=800"),
    ("datocms_video", "loop=True"),
]
IMAGE_OPTIONS = (
    "alt, img_class, img_style, picture_class, picture_style, priority, referrer_policy, "
    "sizes, srcset_candidates, use_placeholder"
)
STRUCTURED_TEXT_OPTIONS = (
    "custom_mark_rules, custom_node_rules, meta_transformer, render_block, "
    "render_inline_block, render_inline_record, render_link_to_record, renderers, template_dir"
)


def render(source: str, **context: Any) -> str:
    return Template("{% load datocms %}" + source).render(Context(context))


def syntax_error(source: str) -> str:
    with pytest.raises(TemplateSyntaxError) as info:
        Template("{% load datocms %}" + source)
    return str(info.value)


def cta(ctx: RecordContext) -> str:
    return format_html('<a href="{}">{}</a>', ctx.record["url"], ctx.record["label"])


# --- wrong forms: every message names the problem, then shows the usage ----------------------


@pytest.mark.parametrize(("tag", "option"), SINGLE_VALUE_TAGS)
@pytest.mark.parametrize(
    ("form", "problem"),
    [
        ("{% TAG %}", "needs a value"),
        ("{% TAG as x %}", "needs a value"),
        ("{% TAG OPTION %}", "got the option REPR before its value"),
        ("{% TAG a b %}", "got 'b' where an option (name=value) was expected"),
        ("{% TAG a OPTION b %}", "got 'b' after its options: values come first"),
        ("{% TAG a OPTION OPTION %}", "got the option 'NAME' twice"),
        ("{% TAG a as %}", "takes 'as' last, followed by one variable name"),
        ("{% TAG a as x y %}", "takes 'as' last, followed by one variable name"),
        (
            "{% TAG a._private %}",
            "cannot read 'a._private': Variables and attributes may not begin with "
            "underscores: 'a._private'",
        ),
        ("{% TAG a|no_such_filter %}", "cannot read 'a|no_such_filter': Invalid filter: "),
    ],
)
def test_wrong_forms_of_single_value_tags(tag: str, option: str, form: str, problem: str) -> None:
    name = option.partition("=")[0]
    source = form.replace("TAG", tag).replace("OPTION", option)
    expected = problem.replace("REPR", repr(option)).replace("NAME", name)

    message = syntax_error(source)

    assert message.startswith(f"'{tag}' {expected}")
    assert message.endswith(f". Usage: {USAGES[tag]}")


@pytest.mark.parametrize(
    ("source", "message"),
    [
        (
            "{% datocms_image a lazy=True %}",
            f"'datocms_image' has no option 'lazy'; its options are {IMAGE_OPTIONS}",
        ),
        (
            "{% datocms_image_preload a priority=True %}",
            "'datocms_image_preload' has no option 'priority'; its options are "
            "referrer_policy, sizes, srcset_candidates",
        ),
        (
            "{% datocms_video a poster='x' %}",
            "'datocms_video' has no option 'poster'; its options are alt, autoplay, controls, "
            "loop, muted, preload, template_name, video_class",
        ),
        (
            "{% datocms_structured_text a context=c %}",
            f"'datocms_structured_text' has no option 'context'; its options are "
            f"{STRUCTURED_TEXT_OPTIONS}",
        ),
        (
            "{% datocms_structured_text a request=r %}",
            f"'datocms_structured_text' has no option 'request'; its options are "
            f"{STRUCTURED_TEXT_OPTIONS}",
        ),
        ("{% datocms_meta_tags a b x=1 %}", "'datocms_meta_tags' takes no options, got 'x'"),
        (
            "{% datocms_seo_dict a sizes=1 as s %}",
            "'datocms_seo_dict' takes no options, got 'sizes'",
        ),
        (
            "{% datocms_meta_tags a as %}",
            "'datocms_meta_tags' takes 'as' last, followed by one variable name",
        ),
        (
            "{% datocms_meta_tags page._seoMetaTags %}",
            "'datocms_meta_tags' cannot read 'page._seoMetaTags': Variables and attributes may "
            "not begin with underscores: 'page._seoMetaTags'",
        ),
    ],
)
def test_options_are_the_plain_functions_keyword_parameters(source: str, message: str) -> None:
    tag = source.split()[1]

    assert syntax_error(source) == f"{message}. Usage: {USAGES[tag]}"


def test_the_image_url_tag_takes_any_imgix_parameter() -> None:
    html = render("{% datocms_image_url u w=1 fp_x=0.5 auto='format' %}", u="/a.jpg")

    assert html == "/a.jpg?auto=format&amp;fp-x=0.5&amp;w=1"


# --- as var, for every tag --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (
            "{% datocms_structured_text v render_block=f as out %}",
            lambda: render_html(CONTENT, render_block=cta),
        ),
        (
            "{% datocms_image image sizes='50vw' as out %}",
            lambda: render_image(IMAGE, sizes="50vw"),
        ),
        ("{% datocms_image_preload image as out %}", lambda: render_image_preload(IMAGE)),
        ("{% datocms_image_url '/a.jpg' w=5 h=6 as out %}", lambda: imgix_url("/a.jpg", w=5, h=6)),
        ("{% datocms_video video loop=True as out %}", lambda: render_video(VIDEO, loop=True)),
        ("{% datocms_meta_tags seo seo as out %}", lambda: render_meta_tags(SEO, SEO)),
    ],
)
def test_as_var_stores_what_the_plain_function_returns(
    source: str, expected: Callable[[], str]
) -> None:
    html = render(source + "[{{ out|safe }}]", v=CONTENT, f=cta, image=IMAGE, video=VIDEO, seo=SEO)

    assert html == f"[{expected()}]"


def test_as_var_keeps_a_mapping() -> None:
    html = render("{% datocms_seo_dict seo as s %}{{ s.title }} {{ s.og|length }}", seo=SEO)

    assert seo_dict(SEO)["title"] == "Alps & sea"
    assert html == "Alps &amp; sea 0"


# --- resolution -------------------------------------------------------------------------------


def test_literal_options_are_resolved_when_the_template_is_compiled() -> None:
    template = Template(
        "{% load datocms %}{% datocms_image image sizes='50vw' priority=True "
        "srcset_candidates=list alt=upload.alt|upper %}"
    )
    (node,) = [node for node in template.nodelist if isinstance(node, FunctionNode)]

    assert node.constants == {"sizes": "50vw", "priority": True}
    assert sorted(node.variables) == ["alt", "srcset_candidates"]
    assert template.render(Context({"image": IMAGE, "upload": {"alt": "x"}, "list": [1]})) == (
        render_image(IMAGE, sizes="50vw", priority=True, srcset_candidates=[1], alt="X")
    )


def test_a_missing_value_renders_nothing_for_every_single_value_tag() -> None:
    for tag, option in SINGLE_VALUE_TAGS:
        assert render(f"[{{% {tag} missing.value {option} %}}]") == "[]"
        assert render(f"[{{% {tag} none {option} as out %}}{{{{ out }}}}]", none=None) == "[]"


def test_image_options_call_callables_like_any_template_variable() -> None:
    class Upload:
        def alt(self) -> str:
            return "From a method"

    html = render("{% datocms_image image alt=upload.alt %}", image=IMAGE, upload=Upload())

    assert html == render_image(IMAGE, alt="From a method")


def test_structured_text_options_pass_callables_uncalled() -> None:
    class Renderers:
        def block(self, ctx: RecordContext) -> str:
            return cta(ctx)

    html = render("{% datocms_structured_text v render_block=r.block %}", v=CONTENT, r=Renderers())

    assert html == render_html(CONTENT, render_block=cta)


@pytest.mark.parametrize("name", ["autoescape", "dicts", "template", "render_context"])
def test_a_missing_structured_text_option_named_like_a_context_attribute_is_no_option(
    name: str,
) -> None:
    # The option used to resolve to the Context's own attribute (Context.autoescape...),
    # which is no renderer: the whole field rendered nothing.
    html = render(f"{{% datocms_structured_text v render_block={name} %}}", v=CONTENT)

    assert html.startswith("<p>Hi &amp; bye</p>")
    assert html == render_html(CONTENT)


def test_a_plain_string_result_is_escaped_unless_autoescape_is_off() -> None:
    source = "{% datocms_image_url u w=1 h=2 %}"

    assert render(source, u="/a.jpg") == "/a.jpg?h=2&amp;w=1"
    assert render("{% autoescape off %}" + source + "{% endautoescape %}", u="/a.jpg") == (
        "/a.jpg?h=2&w=1"
    )


def test_the_video_tag_takes_the_template_name_option() -> None:
    templates = [
        {
            "BACKEND": "django.template.backends.django.DjangoTemplates",
            "OPTIONS": {
                "loaders": [
                    ("django.template.loaders.locmem.Loader", {"v.html": "[{{ video.width }}]"})
                ],
            },
        }
    ]
    with override_settings(TEMPLATES=templates):
        html = render("{% datocms_video video template_name='v.html' %}", video=VIDEO)

    assert html == "[640]"
