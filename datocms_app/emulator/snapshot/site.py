"""The project's settings, as the CMA's ``/site`` describes them, made ``site.json``.

Kept: ``name``, ``locales``, the environments, ``global_seo`` (per locale), ``favicon`` (an
upload id), ``no_index``, and ``theme_color`` from the admin theme's ``primary_color`` (where
the emulator's own CMA shows its ``theme_color``). A timezone other than UTC is noted in the
report: the emulator serves UTC (date-times keep their instant). Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from datocms_app.emulator.snapshot.report import SnapshotError, SnapshotReport

__all__ = ["build_site_file"]

GLOBAL_SEO_KEYS = ("site_name", "title_suffix", "twitter_account", "facebook_page_url")
FALLBACK_SEO_KEYS = ("title", "description", "image", "twitter_card")


def build_site_file(
    site: Mapping[str, Any], environments: Sequence[str], report: SnapshotReport
) -> dict[str, Any]:
    """``site.json``'s content for the CMA's site resource (simple shape)."""
    locales = site.get("locales")
    if not isinstance(locales, list) or not locales:
        raise SnapshotError(
            f"The CMA's site has no locales ({locales!r}): is the URL DatoCMS's Content "
            "Management API?"
        )
    written: dict[str, Any] = {
        "name": str(site.get("name") or ""),
        "locales": [str(locale) for locale in locales],
        "environments": list(environments),
        "no_index": bool(site.get("no_index", False)),
    }
    if isinstance(site.get("favicon"), str):
        written["favicon"] = site["favicon"]
    theme_color = _hex((site.get("theme") or {}).get("primary_color"))
    if theme_color:
        written["theme_color"] = theme_color
    global_seo = site.get("global_seo") or {}
    if isinstance(global_seo, Mapping) and global_seo:
        per_locale = (
            global_seo if set(global_seo) <= set(locales) else dict.fromkeys(locales, global_seo)
        )
        written["global_seo"] = {
            locale: _global_seo(value) for locale, value in per_locale.items() if value
        }
    timezone = site.get("timezone")
    if timezone not in (None, "UTC", "Etc/UTC"):
        report.omit(
            f"site timezone {timezone}: the emulator serves UTC (date-times keep their instant)"
        )
    report.site_name = written["name"]
    report.locales = tuple(written["locales"])
    return written


def _global_seo(raw: Any) -> dict[str, Any]:
    values = raw if isinstance(raw, Mapping) else {}
    seo: dict[str, Any] = {
        key: values[key] for key in GLOBAL_SEO_KEYS if values.get(key) is not None
    }
    fallback = values.get("fallback_seo")
    if isinstance(fallback, Mapping):
        seo["fallback_seo"] = {
            key: fallback[key] for key in FALLBACK_SEO_KEYS if fallback.get(key) is not None
        }
    return seo


def _hex(color: Any) -> str | None:
    if not isinstance(color, Mapping):
        return None
    try:
        red, green, blue = (int(color[key]) for key in ("red", "green", "blue"))
    except (KeyError, TypeError, ValueError):
        return None
    return f"#{red:02x}{green:02x}{blue:02x}"
