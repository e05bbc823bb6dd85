"""``_site`` and the SEO meta tags the CDA computes (Content Delivery API > SEO and favicon).

``_seoMetaTags`` merges a record's SEO field with the site's global SEO settings, falling
back on the record's title field and image field, exactly in the order the docs describe:
title (with the global suffix when title + suffix fit in 60 characters), description, image,
``og:locale``, ``og:type`` (``website`` for singletons, ``article`` otherwise),
``og:site_name``, ``article:modified_time``, ``twitter:card``, ``twitter:site``,
``article:publisher`` and ``robots: noindex``. ``faviconMetaTags`` lists icon links for the
site favicon in the sizes DatoCMS generates.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from datocms_app.emulator import cache_tags
from datocms_app.emulator.project import GlobalSeo
from datocms_app.emulator.resolvers import (
    FileNode,
    Info,
    ItemNode,
    RequestContext,
    SiteNode,
    context,
    localized_value,
    node_locale,
)

__all__ = ["favicon_meta_tags", "resolve_seo_meta_tags", "seo_meta_tags"]

TITLE_LIMIT = 60
ICON_SIZES = (16, 32, 96, 192)
APPLE_SIZES = (57, 60, 72, 76, 114, 120, 144, 152, 180)
MS_TILES = (("square70x70logo", 70, 70), ("square150x150logo", 150, 150),
            ("wide310x150logo", 310, 150), ("square310x310logo", 310, 310))  # fmt: skip


def _meta(kind: str, name: str, content: str) -> dict[str, Any]:
    return {"tag": "meta", "attributes": {kind: name, "content": content}, "content": None}


def _global(ctx: RequestContext, locale: str) -> GlobalSeo:
    site = ctx.state.site
    return site.global_seo.get(locale) or site.global_seo.get(site.locales[0]) or GlobalSeo()


# -- _site ---------------------------------------------------------------------------------


def resolve_site_id(site: SiteNode, info: Info) -> str:
    return "emulator"


def resolve_site_locales(site: SiteNode, info: Info) -> list[str]:
    return list(context(info).state.site.locales)


def resolve_site_no_index(site: SiteNode, info: Info) -> bool:
    return context(info).state.site.no_index


def resolve_site_favicon(site: SiteNode, info: Info) -> FileNode | None:
    ctx = context(info)
    favicon = ctx.state.site.favicon
    return ctx.file_node({"upload_id": favicon}, site.locale) if favicon else None


def resolve_global_seo(
    site: SiteNode,
    info: Info,
    locale: str | None = None,
    fallbackLocales: Sequence[str] | None = None,
) -> dict[str, Any] | None:
    ctx = context(info)
    settings = ctx.state.site.global_seo
    chosen = locale or site.locale
    fallbacks = tuple(fallbackLocales or site.fallbacks)
    value = settings.get(chosen)
    if value is None:
        value = next((settings[f] for f in fallbacks if f in settings), None)
    if value is None:
        return None
    fallback = value.fallback_seo
    return {
        "siteName": value.site_name,
        "titleSuffix": value.title_suffix,
        "twitterAccount": value.twitter_account,
        "facebookPageUrl": value.facebook_page_url,
        "fallbackSeo": None if fallback is None else {
            "title": fallback.get("title"),
            "description": fallback.get("description"),
            "image": ctx.file_node({"upload_id": fallback["image"]}, chosen)
            if fallback.get("image") else None,
            "twitterCard": fallback.get("twitter_card"),
            "noIndex": None,
        },
    }  # fmt: skip


def resolve_favicon_meta_tags(
    site: SiteNode, info: Info, variants: Sequence[str] = ("icon",)
) -> list[dict[str, Any]]:
    return favicon_meta_tags(context(info), variants or ("icon",))


def favicon_meta_tags(ctx: RequestContext, variants: Sequence[str]) -> list[dict[str, Any]]:
    """The ``<link>``/``<meta>`` tags of the site favicon for the requested variants."""
    from datocms_app.emulator.files import asset_url

    site = ctx.state.site
    found: list[dict[str, Any]] = []
    node = None
    if site.favicon:
        node = ctx.file_node({"upload_id": site.favicon}, site.locales[0])
    if node is not None:
        mime = "image/png" if node.upload.path.suffix.lower() == ".png" else "image/x-icon"

        def url(width: int, height: int) -> str:
            return asset_url(ctx.assets_base, node, {"w": width, "h": height})

        if "icon" in variants:
            found += [
                {"tag": "link", "content": None, "attributes": {
                    "sizes": f"{s}x{s}", "type": mime, "rel": "icon", "href": url(s, s)}}
                for s in ICON_SIZES
            ]  # fmt: skip
        if "appleTouchIcon" in variants:
            found += [
                {"tag": "link", "content": None, "attributes": {
                    "sizes": f"{s}x{s}", "rel": "apple-touch-icon", "href": url(s, s)}}
                for s in APPLE_SIZES
            ]  # fmt: skip
        if "msApplication" in variants:
            found += [_meta("name", f"msapplication-{name}", url(w, h)) for name, w, h in MS_TILES]
    if "msApplication" in variants and site.theme_color:
        found.append(_meta("name", "msapplication-TileColor", site.theme_color))
    if site.theme_color:
        found.append(_meta("name", "theme-color", site.theme_color))
    ctx.tags.add(cache_tags.site_tag())
    return found


# -- _seoMetaTags ----------------------------------------------------------------------------


def resolve_seo_meta_tags(
    node: ItemNode, info: Info, locale: str | None = None
) -> list[dict[str, Any]]:
    ctx = context(info)
    return seo_meta_tags(ctx, node, locale or node_locale(node, ctx.state, {}))


def seo_meta_tags(ctx: RequestContext, node: ItemNode, locale: str) -> list[dict[str, Any]]:
    """A record's meta tags, merged with the global SEO settings (see the module doc)."""
    from datocms_app.emulator.files import asset_url, image_facts

    ctx.tags.add(cache_tags.site_tag())
    settings = _global(ctx, locale)
    fallback: Mapping[str, Any] = settings.fallback_seo or {}
    model = node.model
    own: Mapping[str, Any] = {}
    title_value = image_value = None
    for field in model.fields:
        value = node.fields.get(field.api_key)
        if field.localized:
            value = localized_value(value, field, locale, node.fallbacks)
        if field.field_type == "seo" and value and not own:
            own = value
        elif field.api_key == model.title_field:
            title_value = value
        elif field.api_key == model.image_preview_field and value:
            image_value = value["upload_id"]
    title = own.get("title") or title_value or fallback.get("title")
    description = own.get("description") or fallback.get("description")
    image_id = own.get("image") or image_value or fallback.get("image")
    card = own.get("twitter_card") or fallback.get("twitter_card") or "summary"
    found: list[dict[str, Any]] = []
    if title:
        suffix = settings.title_suffix or ""
        full = title + suffix if suffix and len(title + suffix) <= TITLE_LIMIT else title
        found += [
            {"tag": "title", "attributes": None, "content": full},
            _meta("property", "og:title", title),
            _meta("name", "twitter:title", title),
        ]
    if description:
        found += [
            _meta("name", "description", description),
            _meta("property", "og:description", description),
            _meta("name", "twitter:description", description),
        ]
    image = ctx.file_node({"upload_id": image_id}, locale) if image_id else None
    if image is not None:
        url = asset_url(ctx.assets_base, image, None)
        found.append(_meta("property", "og:image", url))
        facts = image_facts(image.upload.path)
        if facts is not None:
            found += [
                _meta("property", "og:image:width", str(facts.width)),
                _meta("property", "og:image:height", str(facts.height)),
            ]
        alt = image.metadata("alt")
        if alt:
            found.append(_meta("property", "og:image:alt", alt))
        found.append(_meta("name", "twitter:image", url))
        if alt:
            found.append(_meta("name", "twitter:image:alt", alt))
    found.append(_meta("property", "og:locale", locale.replace("-", "_")))
    found.append(_meta("property", "og:type", "website" if model.singleton else "article"))
    if settings.site_name:
        found.append(_meta("property", "og:site_name", settings.site_name))
    if node.version is not None:
        found.append(_meta("property", "article:modified_time", node.version.updated_at))
    found.append(_meta("name", "twitter:card", card))
    if settings.twitter_account:
        found.append(_meta("name", "twitter:site", settings.twitter_account))
    if settings.facebook_page_url:
        found.append(_meta("property", "article:publisher", settings.facebook_page_url))
    if ctx.state.site.no_index or own.get("no_index"):
        found.append(_meta("name", "robots", "noindex"))
    return found
