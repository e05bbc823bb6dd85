"""SEO and favicon tags from the CDA's ``_seoMetaTags`` and ``_site.faviconMetaTags``.

Both fields are lists of tag objects ``{"tag": "title"|"meta"|"link", "attributes": {...},
"content": ...}``. ``render_meta_tags`` writes them as ``<title>``, ``<meta>`` and ``<link>``
elements, like react-datocms' ``renderMetaTags`` (whose string twin,
``renderMetaTagsToString``, does not escape; we escape every value). ``seo_dict`` gives the
same information as a mapping (title, description, og, twitter, icons) for sites that build
their own ``<head>``.

Django templates cannot read ``page._seoMetaTags`` (no leading underscores), so either alias
the field in the query (``seo: _seoMetaTags { tag attributes content }``) and pass
``page.seo``, or pass the record itself: a mapping with an ``_seoMetaTags`` or
``faviconMetaTags`` key stands for those lists.

Several lists can be passed, typically the site's defaults, the page's ``_seoMetaTags`` and
the favicon tags: a tag in a later list replaces the tags of earlier lists with the same key
(``<title>``; ``<meta>`` by ``property``, ``name`` or ``http-equiv``; ``<link>`` by ``rel``
and ``sizes``, plus ``hreflang`` and ``media`` so alternates stay apart). Within one list
every tag is kept (Open Graph repeats ``og:image`` for several images).

Only what DatoCMS itself emits is rendered: ``<title>``, ``<meta>``, and ``<link>`` with
``rel`` ``icon``, ``apple-touch-icon``, ``manifest``, ``canonical`` or ``alternate``; URLs
(``href``, ``src``, and the ``content`` of URL-valued metas such as ``og:image``) that are
``http(s)`` or relative (the emulator's asset URLs are site-relative). Anything else, a
``stylesheet``, ``modulepreload`` or ``preload`` link, a ``data:`` or ``javascript:`` URL, is
left out like any malformed tag: logged, or ``InvalidMetaTags`` under ``DEBUG``.

This module must never emit any element but ``title``, ``meta`` and ``link``, a ``link``
that makes the browser load or run something (a stylesheet, a script, a preload), an event
handler attribute, a URL of another scheme than ``http(s)`` or a
``<meta http-equiv="refresh">``, whatever the content says.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping, Sequence
from typing import Any, TypedDict

from django.utils.safestring import SafeString
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator, model_validator
from pydantic_core import PydanticCustomError

from datocms_app.content_problems import report_content_problem
from datocms_app.escaping import escape_attr, escape_text, is_safe_attribute_name
from datocms_app.exceptions import InvalidMetaTags
from datocms_app.validation_errors import describe_validation_error

__all__ = ["MetaTag", "SeoDict", "merge_meta_tags", "render_meta_tags", "seo_dict"]

logger = logging.getLogger("datocms_app.seo")

ALLOWED_TAGS = ("title", "meta", "link")
# The relations of DatoCMS's favicon tags, plus those a site adds to its defaults. Every other
# one (stylesheet, modulepreload, preload, prefetch...) makes the browser fetch or run it.
ALLOWED_LINK_RELS = ("icon", "apple-touch-icon", "manifest", "canonical", "alternate")
ALLOWED_URL_SCHEMES = ("http", "https")
_URL_ATTRIBUTES = frozenset({"href", "src"})
# <meta> whose content is a URL (DatoCMS's og:image, twitter:image, article:publisher, the
# msApplication tiles), keyed by property/name in lowercase.
_URL_METAS = frozenset(
    {
        "og:image",
        "og:image:url",
        "og:image:secure_url",
        "og:url",
        "twitter:image",
        "article:publisher",
        "msapplication-square70x70logo",
        "msapplication-square150x150logo",
        "msapplication-wide310x150logo",
        "msapplication-square310x310logo",
        "msapplication-tileimage",
    }
)
_META_KEYS = frozenset({"property", "name"})
# Browsers drop tabs and newlines anywhere in a URL and leading control characters and spaces.
_URL_WHITESPACE = re.compile(r"[\t\n\r]")
_C0_AND_SPACE = "".join(chr(code) for code in range(0x21))
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
# Content must not redirect the page or set cookies through <meta http-equiv>.
_REFUSED_HTTP_EQUIV = frozenset({"refresh", "set-cookie"})
_QUERY_HINT = (
    "Query `seo: _seoMetaTags { tag attributes content }` and "
    "`_site { favicon: faviconMetaTags { tag attributes content } }` and pass the lists "
    "as they come."
)
#: The error type of a well-formed tag that DatoCMS never emits (see ``_parse_list``).
REFUSED = "datocms_refused"
_REFUSED_HINT = (
    "DatoCMS never sends such a tag: correct the record's SEO content, or write the tag in "
    "the template if the site needs it."
)


def _url_scheme(url: str) -> str | None:
    """The scheme a browser reads in ``url``, in lowercase; None for a relative URL."""
    match = _SCHEME.match(_URL_WHITESPACE.sub("", url).lstrip(_C0_AND_SPACE))
    return match.group(1).lower() if match else None


def _refuse(message: str) -> PydanticCustomError:
    return PydanticCustomError(REFUSED, message)


def _check_url(name: str, url: str) -> None:
    scheme = _url_scheme(url)
    if scheme is not None and scheme not in ALLOWED_URL_SCHEMES:
        raise _refuse(
            f"{name}={url[:40]!r} is a {scheme}: URL; only http(s) and relative URLs are rendered"
        )


class MetaTag(BaseModel):
    """One tag object of ``_seoMetaTags`` / ``faviconMetaTags``."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    tag: str
    attributes: dict[str, str] | None = None
    content: str | None = None

    @field_validator("attributes", mode="before")
    @classmethod
    def _numbers_as_text(cls, value: Any) -> Any:
        # Attribute values are strings in the CDA; accept numbers written by hand.
        if isinstance(value, Mapping):
            return {
                key: str(item)
                if isinstance(item, int | float) and not isinstance(item, bool)
                else item
                for key, item in value.items()
            }
        return value

    @field_validator("tag")
    @classmethod
    def _known_tag(cls, value: str) -> str:
        if value not in ALLOWED_TAGS:
            raise ValueError(f"tag must be one of {', '.join(ALLOWED_TAGS)}, got {value!r}")
        return value

    @field_validator("attributes")
    @classmethod
    def _safe_attributes(cls, value: dict[str, str] | None) -> dict[str, str] | None:
        for name, text in (value or {}).items():
            if not is_safe_attribute_name(name):
                raise ValueError(f"{name!r} is not an attribute name this renderer writes")
            if name.lower() in _URL_ATTRIBUTES:
                _check_url(name, text)
            if name.lower() == "http-equiv" and text.strip().lower() in _REFUSED_HTTP_EQUIV:
                raise _refuse(f"http-equiv={text!r} is refused (it would act on the page)")
        return value

    @model_validator(mode="after")
    def _emitted_by_datocms(self) -> MetaTag:
        # HTML attribute names are case-insensitive: REL="stylesheet" is a stylesheet.
        attributes = [(name.lower(), text) for name, text in (self.attributes or {}).items()]
        if self.tag == "link":
            rels = [text for name, text in attributes if name == "rel"]
            if not rels:
                raise _refuse("a <link> without rel is not rendered")
            for rel in rels:
                if rel.strip().lower() not in ALLOWED_LINK_RELS:
                    raise _refuse(
                        f"<link rel={rel[:40]!r}> is not rendered (rel must be one of "
                        f"{', '.join(ALLOWED_LINK_RELS)})"
                    )
        elif self.tag == "meta":
            keys = {text.strip().lower() for name, text in attributes if name in _META_KEYS}
            if keys & _URL_METAS:
                for name, text in attributes:
                    if name == "content":
                        _check_url(name, text)
        return self

    @property
    def key(self) -> tuple[str | None, ...] | None:
        """What a tag of a later list must share with this one to replace it."""
        attributes = self.attributes or {}
        if self.tag == "title":
            return ("title",)
        if self.tag == "meta":
            for name in ("property", "name", "http-equiv"):
                if name in attributes:
                    return ("meta", name, attributes[name])
            return ("meta", "charset") if "charset" in attributes else None
        return (
            "link",
            attributes.get("rel"),
            attributes.get("sizes"),
            attributes.get("hreflang"),
            attributes.get("media"),
        )

    def render(self) -> str:
        """The element, every value escaped."""
        if self.tag == "title":
            return f"<title>{escape_text(self.content or '')}</title>"
        attributes = "".join(
            f' {name}="{escape_attr(value)}"' for name, value in (self.attributes or {}).items()
        )
        return f"<{self.tag}{attributes}>"


# Django templates cannot read attributes that start with "_" (``page._seoMetaTags``), so a
# record (or ``_site``) object can be passed whole: its tag lists are taken from these keys.
TAG_LIST_KEYS = ("_seoMetaTags", "faviconMetaTags")


def _tag_lists(argument: Any) -> list[Any]:
    if isinstance(argument, Mapping) and "tag" not in argument:
        found = [argument[key] for key in TAG_LIST_KEYS if key in argument]
        if found:
            return found
    return [argument]


def _parse_list(tags: Any, position: int) -> list[MetaTag]:
    """One list as ``MetaTag`` objects; bad tags raise under DEBUG, else are skipped."""
    if tags is None or tags == "":
        return []
    if isinstance(tags, str | bytes) or not isinstance(tags, Sequence):
        report_content_problem(
            InvalidMetaTags(
                f"Argument {position} must be a list of tag objects (or a record with "
                f"_seoMetaTags, or _site with faviconMetaTags), got {type(tags).__name__}. "
                f"{_QUERY_HINT}"
            ),
            logger,
        )
        return []
    parsed = []
    for index, item in enumerate(tags):
        if isinstance(item, MetaTag):
            parsed.append(item)
            continue
        try:
            parsed.append(MetaTag.model_validate(item))
        except ValidationError as exc:
            refused = all(error["type"] == REFUSED for error in exc.errors(include_url=False))
            report_content_problem(
                InvalidMetaTags(
                    f"Tag {index} of argument {position} cannot be rendered "
                    f"({describe_validation_error(exc, root='tag')}): "
                    f"{item!r:.120}. {_REFUSED_HINT if refused else _QUERY_HINT}"
                ),
                logger,
            )
    return parsed


def merge_meta_tags(*tag_lists: Any) -> list[MetaTag]:
    """The tags of every list, later lists replacing earlier tags with the same key."""
    merged: list[MetaTag] = []
    for position, argument in enumerate(tag_lists, start=1):
        current = [tag for tags in _tag_lists(argument) for tag in _parse_list(tags, position)]
        replaced = {tag.key for tag in current if tag.key is not None}
        if replaced:
            merged = [tag for tag in merged if tag.key not in replaced]
        merged.extend(current)
    return merged


def render_meta_tags(*tag_lists: Any) -> SafeString:
    """``<title>``, ``<meta>`` and ``<link>`` elements for CDA tag lists, one per line.

    >>> render_meta_tags([{"tag": "title", "content": "Home & away"}])
    '<title>Home &amp; away</title>'

    Each argument is a tag list, or a record / ``_site`` mapping whose ``_seoMetaTags`` and
    ``faviconMetaTags`` lists are used. ``None`` (or ``""``, a missing template variable)
    stands for an empty list. A malformed
    tag raises ``InvalidMetaTags`` under ``DEBUG``; otherwise it is logged and left out.
    """
    tags = merge_meta_tags(*tag_lists)
    if not tags:
        return SafeString("")
    return SafeString("\n".join(tag.render() for tag in tags))


def _template_key(name: str) -> str:
    # Django templates cannot look up "image:width" or "theme-color": use "image_width".
    return name.replace(":", "_").replace("-", "_")


class SeoDict(TypedDict):
    """``seo_dict``'s result; ``og``/``twitter`` keys drop their prefix (``image_width``)."""

    title: str | None
    description: str | None
    og: dict[str, str]
    twitter: dict[str, str]
    icons: list[dict[str, str]]
    meta: dict[str, str]


def seo_dict(*tag_lists: Any) -> SeoDict:
    """The tags as a mapping, for a ``<head>`` written by hand.

    ``title``; ``description``; ``og`` (``og:*`` properties without the prefix: ``title``,
    ``image``, ``image_width``...); ``twitter`` (``twitter:*`` names without the prefix);
    ``icons`` (the attributes of every ``<link>``: ``rel``, ``href``, ``sizes``, ``type``);
    ``meta`` (every other ``<meta>`` by ``name``/``property``: ``robots``,
    ``article_modified_time``, ``theme_color``...). Keys write ``:`` and ``-`` as ``_`` so
    that templates can reach them (``{{ seo.og.image_width }}``). Values are raw text:
    escape on output (Django templates do it for you).
    """
    result: SeoDict = {
        "title": None,
        "description": None,
        "og": {},
        "twitter": {},
        "icons": [],
        "meta": {},
    }
    for tag in merge_meta_tags(*tag_lists):
        attributes = tag.attributes or {}
        if tag.tag == "title":
            result["title"] = tag.content
        elif tag.tag == "link":
            result["icons"].append(dict(attributes))
        else:
            key = attributes.get("property") or attributes.get("name")
            content = attributes.get("content")
            if key is None or content is None:
                continue
            if key.startswith("og:"):
                result["og"][_template_key(key[3:])] = content
            elif key.startswith("twitter:"):
                result["twitter"][_template_key(key[8:])] = content
            elif key == "description":
                result["description"] = content
            else:
                result["meta"][_template_key(key)] = content
    return result
