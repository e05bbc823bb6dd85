"""``{% load datocms %}``: thin tags over the plain functions of datocms_app.

Every tag is written ``{% tag value [option=value ...] [as var] %}`` and read by the one
parser of ``datocms_app.templatetags.syntax``; it resolves its arguments, then calls the
documented function of its module (``structured_text``, ``images``, ``seo``), which is the
tested API. The filters do the same for the plain text of structured text and for URLs.
"""

from __future__ import annotations

import logging
from typing import Any

from django import template
from django.template.context import Context
from django.utils.safestring import SafeString

from datocms_app import images, seo
from datocms_app.content_problems import report_content_problem
from datocms_app.exceptions import InvalidArgument, InvalidStructuredText
from datocms_app.structured_text import (
    render_excerpt,
    render_html,
    render_plain_text,
    safe_url,
)
from datocms_app.templatetags.syntax import register_function_tag

register = template.Library()

_structured_text_logger = logging.getLogger("datocms_app.structured_text")

# --- structured text (datocms_app.structured_text) ------------------------------------------


def _structured_text_input(value: Any) -> Any:
    """``value``, or ``None`` for a missing variable (it resolves to ``""``)."""
    return None if isinstance(value, str) and value == "" else value


def _render_structured_text(value: Any, *, context: Context, **options: Any) -> SafeString:
    """``render_html`` in the page's own context (record templates see what the page sees,
    as with ``{% include %}``); bad input follows the content-problem policy."""
    try:
        return render_html(value, context=context, **options)
    except (InvalidStructuredText, InvalidArgument) as exc:
        report_content_problem(exc, _structured_text_logger)
        return SafeString("")


register_function_tag(
    register,
    "datocms_structured_text",
    _render_structured_text,
    usage=(
        "{% datocms_structured_text page.content [template_dir='...'] [renderers=dict] "
        "[render_block=f] [render_inline_block=f] [render_inline_record=f] "
        "[render_link_to_record=f] [custom_node_rules=list] [custom_mark_rules=list] "
        "[meta_transformer=f] [as var] %}"
    ),
    options_of=render_html,
    exclude=("context", "request"),
    takes_context=True,
    # Options pass functions (render_block=my_renderer): pass them, do not call them.
    call_callables=False,
)


@register.filter(name="datocms_plain_text")
def datocms_plain_text(value: Any) -> str:
    """``{{ page.content|datocms_plain_text }}``: ``render_plain_text`` (text, escaped as usual)."""
    try:
        return render_plain_text(_structured_text_input(value))
    except InvalidStructuredText as exc:
        report_content_problem(exc, _structured_text_logger)
        return ""


@register.filter(name="datocms_safe_url")
def datocms_safe_url(value: Any) -> str:
    """``href="{{ record.url|datocms_safe_url }}"``: the URL, or ``""`` if it could run script
    (``javascript:``, ``vbscript:``, non-image ``data:``), as structured text links do."""
    if not isinstance(value, str):
        return ""
    return safe_url(value) or ""


@register.filter(name="datocms_excerpt")
def datocms_excerpt(value: Any, words: Any = 30) -> str:
    """``{{ page.content|datocms_excerpt:40 }}``: the first words of the plain text, "…" if cut."""
    try:
        count = int(words)
    except (TypeError, ValueError):
        count = 0
    try:
        return render_excerpt(_structured_text_input(value), words=count)
    except (InvalidStructuredText, InvalidArgument) as exc:
        report_content_problem(exc, _structured_text_logger)
        return ""


# --- images and video (datocms_app.images) --------------------------------------------------

register_function_tag(
    register,
    "datocms_image",
    images.render_image,
    usage=(
        '{% datocms_image upload.responsiveImage [sizes="..."] [priority=True] '
        '[use_placeholder=False] [img_class="..."] [picture_class="..."] [img_style="..."] '
        '[picture_style="..."] [alt="..."] [referrer_policy="..."] [srcset_candidates=list] '
        "[as var] %}"
    ),
)
register_function_tag(
    register,
    "datocms_image_preload",
    images.render_image_preload,
    usage=(
        '{% datocms_image_preload upload.responsiveImage [sizes="..."] [referrer_policy="..."] '
        "[srcset_candidates=list] [as var] %}"
    ),
)
register_function_tag(
    register,
    "datocms_image_url",
    images.imgix_url,
    usage='{% datocms_image_url upload.url w=800 h=600 fit="crop" auto="format" [as var] %}',
)
register_function_tag(
    register,
    "datocms_video",
    images.render_video,
    usage=(
        "{% datocms_video upload.video [alt=upload.alt] [controls=False] [autoplay=True] "
        '[muted=True] [loop=True] [preload="metadata"] [video_class="..."] '
        '[template_name="..."] [as var] %}'
    ),
)

# --- SEO (datocms_app.seo) ------------------------------------------------------------------

register_function_tag(
    register,
    "datocms_meta_tags",
    seo.render_meta_tags,
    usage=(
        "{% datocms_meta_tags page.seo site.favicon [more lists...] [as var] %} (tag lists, "
        "or records/_site objects: {% datocms_meta_tags page site %})"
    ),
)
register_function_tag(
    register,
    "datocms_seo_dict",
    seo.seo_dict,
    usage=(
        "{% datocms_seo_dict page.seo site.favicon as seo %} "
        "(or {% datocms_seo_dict page site as seo %})"
    ),
)


# --- draft mode and live updates (datocms_app.preview) --------------------------------------
# Tags of the page rather than of a value: no value to read, only the page's request, so
# Django's simple_tag rather than the one parser above. The preview modules are imported when
# a tag renders: loading the library must not pull in the draft-mode machinery of a site that
# never shows a banner.


@register.simple_tag(takes_context=True)
def datocms_draft_mode_banner(context: Context) -> SafeString:
    """``{% datocms_draft_mode_banner %}``: ``preview.banner.render_banner`` for the request."""
    from datocms_app.preview.banner import render_banner

    return render_banner(context.get("request"))


@register.simple_tag(takes_context=True)
def datocms_live_updates(context: Context, mode: str = "reload") -> SafeString:
    """``{% datocms_live_updates [mode="swap"] %}`` at the end of ``<body>``:
    ``preview.live_updates.render_live_updates`` for the request."""
    from datocms_app.preview.live_updates import render_live_updates

    return render_live_updates(context.get("request"), mode=mode)
