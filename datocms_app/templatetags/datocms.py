"""``{% load datocms %}``: thin tags over the plain functions of datocms_app.

Each tag only parses and resolves its arguments, then calls the documented function of its
module (``structured_text``, ``images``, ``seo``); the functions are the tested API.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from typing import Any

from django import template
from django.template.base import (
    FilterExpression,
    Node,
    Parser,
    Token,
    Variable,
    kwarg_re,
    token_kwargs,
)
from django.template.context import Context
from django.utils.safestring import SafeString

from datocms_app import images, seo

register = template.Library()

# --- structured text (datocms_app.structured_text) ------------------------------------------

# A hand-written tag rather than a simple_tag: record templates render inside the page's own
# Context (like {% include %}), so the node needs the context itself, not a flattened copy.

_STRUCTURED_TEXT_USAGE = (
    "{% datocms_structured_text page.content [template_dir='...'] [renderers=dict] "
    "[render_block=f] [render_inline_block=f] [render_inline_record=f] "
    "[render_link_to_record=f] [custom_node_rules=list] [custom_mark_rules=list] "
    "[meta_transformer=f] [as var] %}"
)
_STRUCTURED_TEXT_OPTIONS = frozenset(
    {
        "template_dir",
        "renderers",
        "render_block",
        "render_inline_block",
        "render_inline_record",
        "render_link_to_record",
        "custom_node_rules",
        "custom_mark_rules",
        "meta_transformer",
    }
)


def _structured_text_input(value: Any) -> Any:
    """``value``, or ``None`` for a missing variable (it resolves to ``""``)."""
    return None if isinstance(value, str) and value == "" else value


def _structured_text_failed(exc: Exception) -> None:
    """Bad input reached a tag or filter: raise under DEBUG, else log (the page still serves)."""
    from django.conf import settings

    from datocms_app.structured_text.problems import logger

    if settings.DEBUG:
        raise exc
    logger.warning("%s (rendered nothing; set DEBUG=True to raise instead)", exc)


def _resolve_uncalled(expression: template.base.FilterExpression, context: template.Context) -> Any:
    """Resolve ``expression`` like Django, except that a callable it ends on is not called.

    Options such as ``render_block=my_renderer`` pass functions; Django's variable lookup
    would call them with no arguments.
    """
    var = expression.var
    if expression.filters or not isinstance(var, template.Variable) or not var.lookups:
        return expression.resolve(context)
    *parents, last = var.lookups
    current: Any = context
    if parents:
        try:
            current = template.Variable(".".join(parents)).resolve(context)
        except template.VariableDoesNotExist:
            return None
    try:
        return current[last]
    except (TypeError, KeyError, AttributeError, IndexError, ValueError):
        return getattr(current, last, None)


class StructuredTextNode(Node):
    def __init__(
        self,
        value: template.base.FilterExpression,
        options: dict[str, template.base.FilterExpression],
        target: str | None,
    ) -> None:
        self.value = value
        self.options = options
        self.target = target

    def render(self, context: template.Context) -> str:
        from datocms_app.exceptions import InvalidArgument, InvalidStructuredText
        from datocms_app.structured_text import render_html

        value = _structured_text_input(self.value.resolve(context))
        options = {
            name: _resolve_uncalled(expression, context)
            for name, expression in self.options.items()
        }
        try:
            html = render_html(value, context=context, **options)
        except (InvalidStructuredText, InvalidArgument) as exc:
            _structured_text_failed(exc)
            html = SafeString("")
        if self.target is not None:
            context[self.target] = html
            return ""
        return html


@register.tag("datocms_structured_text")
def datocms_structured_text(parser: Parser, token: Token) -> Node:
    """``{% datocms_structured_text value [option=value ...] [as var] %}`` (``render_html``)."""
    bits = token.split_contents()
    name, bits = bits[0], bits[1:]
    target = None
    if len(bits) >= 2 and bits[-2] == "as":
        target, bits = bits[-1], bits[:-2]
    if not bits or "=" in bits[0]:
        raise template.TemplateSyntaxError(
            f"'{name}' needs the structured text value first. Usage: {_STRUCTURED_TEXT_USAGE}"
        )
    value = parser.compile_filter(bits[0])
    options: dict[str, template.base.FilterExpression] = {}
    for bit in bits[1:]:
        option = template.base.token_kwargs([bit], parser)
        if not option:
            raise template.TemplateSyntaxError(
                f"'{name}' got {bit!r} where an option=value was expected. "
                f"Usage: {_STRUCTURED_TEXT_USAGE}"
            )
        (key,) = option
        if key not in _STRUCTURED_TEXT_OPTIONS:
            raise template.TemplateSyntaxError(
                f"'{name}' has no option {key!r}; options are "
                f"{', '.join(sorted(_STRUCTURED_TEXT_OPTIONS))}. Usage: {_STRUCTURED_TEXT_USAGE}"
            )
        if key in options:
            raise template.TemplateSyntaxError(f"'{name}' got the option {key!r} twice.")
        options.update(option)
    return StructuredTextNode(value, options, target)


@register.filter(name="datocms_plain_text")
def datocms_plain_text(value: Any) -> str:
    """``{{ page.content|datocms_plain_text }}``: ``render_plain_text`` (text, escaped as usual)."""
    from datocms_app.exceptions import InvalidStructuredText
    from datocms_app.structured_text import render_plain_text

    try:
        return render_plain_text(_structured_text_input(value))
    except InvalidStructuredText as exc:
        _structured_text_failed(exc)
        return ""


@register.filter(name="datocms_safe_url")
def datocms_safe_url(value: Any) -> str:
    """``href="{{ record.url|datocms_safe_url }}"``: the URL, or ``""`` if it could run script
    (``javascript:``, ``vbscript:``, non-image ``data:``), as structured text links do."""
    from datocms_app.structured_text import safe_url

    if not isinstance(value, str):
        return ""
    return safe_url(value) or ""


@register.filter(name="datocms_excerpt")
def datocms_excerpt(value: Any, words: Any = 30) -> str:
    """``{{ page.content|datocms_excerpt:40 }}``: the first words of the plain text, "…" if cut."""
    from datocms_app.exceptions import InvalidArgument, InvalidStructuredText
    from datocms_app.structured_text import render_excerpt

    try:
        count = int(words)
    except (TypeError, ValueError):
        count = 0
    try:
        return render_excerpt(_structured_text_input(value), words=count)
    except (InvalidStructuredText, InvalidArgument) as exc:
        _structured_text_failed(exc)
        return ""


# --- images and video (datocms_app.images) --------------------------------------------------

# These tags are ``simple_tag``s (``as var`` included) whose syntax errors end with the
# correct form of the tag.


def _tag_with_usage(name: str, usage: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """``@register.simple_tag(name=name)``, with ``usage`` added to its syntax errors."""

    def decorator(func: Callable[..., Any]) -> Callable[..., Any]:
        register.simple_tag(func, name=name)
        compile_tag = register.tags[name]

        def compile_with_usage(parser: Parser, token: Token) -> Node:
            try:
                node: Node = compile_tag(parser, token)
            except template.TemplateSyntaxError as exc:
                raise template.TemplateSyntaxError(f"{exc}. Usage: {usage}") from None
            return node

        register.tags[name] = compile_with_usage
        return func

    return decorator


def _missing(value: object) -> bool:
    # A missing template variable resolves to "" (string_if_invalid): render nothing.
    return value is None or (isinstance(value, str) and value == "")


IMAGE_USAGE = (
    '{% datocms_image upload.responsiveImage [sizes="..."] [priority=True] '
    '[use_placeholder=False] [img_class="..."] [picture_class="..."] [img_style="..."] '
    '[picture_style="..."] [alt="..."] [referrer_policy="..."] [srcset_candidates=list] '
    "[as var] %}"
)
_IMAGE_OPTIONS = frozenset(inspect.signature(images.render_image).parameters) - {"data"}
_render_image = images.render_image
_EMPTY = SafeString("")


def _is_literal(expression: FilterExpression) -> bool:
    """Whether ``expression`` is a constant: a string or number literal, True/False/None."""
    if expression.filters:
        return False
    variable = expression.var
    if not isinstance(variable, Variable):
        return True  # FilterExpression resolved a constant already
    return variable.lookups is None or variable.lookups in (("True",), ("False",), ("None",))


class ImageNode(template.Node):
    """``{% datocms_image %}``: a hand-written node, since the tag is on the hot path.

    It does what a ``simple_tag`` over ``images.render_image`` would do (resolve, call,
    ``as var``) without the generic argument plumbing; ``render_image`` returns a
    ``SafeString``, so there is nothing to escape.
    """

    def __init__(
        self,
        data: FilterExpression,
        options: dict[str, FilterExpression],
        target_var: str | None,
    ) -> None:
        self.data = data
        # Literal options (sizes="50vw", priority=True) are resolved once, here.
        self.constants: dict[str, Any] = {}
        self.variables: dict[str, FilterExpression] = {}
        for name, expression in options.items():
            if _is_literal(expression):
                self.constants[name] = expression.resolve(Context())
            else:
                self.variables[name] = expression
        self.target_var = target_var

    def render(self, context: Context) -> str:
        data = self.data.resolve(context)
        if data is None or data == "":  # a missing variable resolves to ""
            output = _EMPTY
        elif self.variables:
            options = {name: value.resolve(context) for name, value in self.variables.items()}
            output = _render_image(data, **self.constants, **options)
        else:
            output = _render_image(data, **self.constants)
        if self.target_var is not None:
            context[self.target_var] = output
            return ""
        return output


@register.tag("datocms_image")
def do_datocms_image(parser: Parser, token: Token) -> ImageNode:
    bits = token.split_contents()[1:]
    target_var = None
    if len(bits) >= 2 and bits[-2] == "as":
        target_var = bits[-1]
        bits = bits[:-2]
    names = [match[1] for match in map(kwarg_re.match, bits) if match and match[1]]
    if not bits or (names and bits[0].startswith(f"{names[0]}=")):
        raise template.TemplateSyntaxError(
            f"'datocms_image' takes the responsiveImage first. Usage: {IMAGE_USAGE}"
        )
    data = parser.compile_filter(bits.pop(0))
    options = token_kwargs(bits, parser)
    if bits:
        raise template.TemplateSyntaxError(
            f"'datocms_image' cannot read {bits[0]!r}: options are name=value. Usage: {IMAGE_USAGE}"
        )
    for name in names:
        if name not in _IMAGE_OPTIONS:
            raise template.TemplateSyntaxError(
                f"'datocms_image' received unexpected keyword argument {name!r}. "
                f"Usage: {IMAGE_USAGE}"
            )
        if names.count(name) > 1:
            raise template.TemplateSyntaxError(
                f"'datocms_image' received multiple values for keyword argument {name!r}. "
                f"Usage: {IMAGE_USAGE}"
            )
    return ImageNode(data, options, target_var)


@_tag_with_usage(
    "datocms_image_preload",
    '{% datocms_image_preload upload.responsiveImage [sizes="..."] [referrer_policy="..."] '
    "[srcset_candidates=list] %}",
)
def datocms_image_preload(
    data: Any,
    *,
    sizes: str | None = None,
    srcset_candidates: Sequence[float] = images.DEFAULT_SRCSET_CANDIDATES,
    referrer_policy: str | None = "no-referrer-when-downgrade",
) -> SafeString:
    """``<link rel="preload">`` for a priority image (``images.render_image_preload``)."""
    if _missing(data):
        return SafeString("")
    return images.render_image_preload(
        data, sizes=sizes, srcset_candidates=srcset_candidates, referrer_policy=referrer_policy
    )


@_tag_with_usage(
    "datocms_image_url",
    '{% datocms_image_url upload.url w=800 h=600 fit="crop" auto="format" [as var] %}',
)
def datocms_image_url(url: Any, **params: Any) -> str:
    """``images.imgix_url``: the URL with imgix parameters merged in (escaped on output)."""
    if _missing(url):
        return ""
    return images.imgix_url(url, **params)


@_tag_with_usage(
    "datocms_video",
    "{% datocms_video upload.video [alt=upload.alt] [controls=False] [autoplay=True] "
    '[muted=True] [loop=True] [preload="metadata"] [video_class="..."] [as var] %}',
)
def datocms_video(
    data: Any,
    *,
    controls: bool = True,
    autoplay: bool = False,
    muted: bool = False,
    loop: bool = False,
    preload: str = "none",
    video_class: str | None = None,
    alt: str | None = None,
) -> SafeString:
    """A ``<video>`` with HLS and MP4 sources (``images.render_video``)."""
    if _missing(data):
        return SafeString("")
    return images.render_video(
        data,
        controls=controls,
        autoplay=autoplay,
        muted=muted,
        loop=loop,
        preload=preload,
        video_class=video_class,
        alt=alt or None,
    )


# --- SEO (datocms_app.seo) ------------------------------------------------------------------


@_tag_with_usage(
    "datocms_meta_tags",
    "{% datocms_meta_tags page.seo site.favicon [more lists...] [as var] %} (tag lists, "
    "or records/_site objects: {% datocms_meta_tags page site %})",
)
def datocms_meta_tags(*tag_lists: Any) -> SafeString:
    """``<title>``, ``<meta>``, ``<link>`` for CDA tag lists, later lists winning (``seo``)."""
    return seo.render_meta_tags(*tag_lists)


@_tag_with_usage(
    "datocms_seo_dict",
    "{% datocms_seo_dict page.seo site.favicon as seo %} "
    "(or {% datocms_seo_dict page site as seo %})",
)
def datocms_seo_dict(*tag_lists: Any) -> seo.SeoDict:
    """``seo.seo_dict``: title, description, og, twitter, icons, meta (use with ``as``)."""
    return seo.seo_dict(*tag_lists)


# --- draft mode and live updates (datocms_app.preview) --------------------------------------
# The preview modules are imported when a tag renders: loading the library must not pull in
# the draft-mode machinery of a site that never shows a banner.


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
