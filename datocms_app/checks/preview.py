"""Checks of draft mode and live updates: datocms.E070, E071, W070-W072.

Draft mode needs its middleware before the page cache (E070), installed when it is
configured (E071), with a secret (W070) and its URLs mounted (W072); a preview token without
an API token is never used (W071).
"""

from __future__ import annotations

from django.conf import settings
from django.core.checks import CheckMessage, Error, Warning

from datocms_app.checks.settings import on_valid_settings
from datocms_app.checks.site import find_middleware, include_hint, is_reversible, root_urlconf
from datocms_app.conf import DatoCMSSettings

__all__ = ["check_preview"]


@on_valid_settings
def check_preview(conf: DatoCMSSettings) -> list[CheckMessage]:
    """The draft-mode middleware's place, and the settings and URLs draft mode needs."""
    from datocms_app.caching.page_cache import PageCacheMiddleware
    from datocms_app.preview.live_updates import live_updates_view
    from datocms_app.preview.middleware import DraftModeMiddleware
    from datocms_app.preview.views import enable_draft_mode

    messages: list[CheckMessage] = []
    drafts = find_middleware(DraftModeMiddleware)
    page_caches = find_middleware(PageCacheMiddleware)
    if drafts and page_caches and drafts[0].position > page_caches[0].position:
        messages.append(
            Error(
                "DraftModeMiddleware comes after PageCacheMiddleware in MIDDLEWARE: the page "
                "cache answers before it knows a request is in draft mode, so editors get "
                "the cached published page.",
                hint="Move 'datocms_app.preview.DraftModeMiddleware' before "
                "'datocms_app.caching.PageCacheMiddleware'.",
                id="datocms.E070",
            )
        )
    draft_mode = bool(conf.PREVIEW_SECRET)
    live_for_everyone = conf.LIVE_UPDATES == "always"
    mounted = is_reversible("datocms:draft-mode-enable", enable_draft_mode)
    if not drafts and (draft_mode or live_for_everyone) and mounted:
        messages.append(
            Error(
                "Draft mode or live updates are configured (PREVIEW_SECRET, LIVE_UPDATES) and "
                "the preview URLs are mounted, but DraftModeMiddleware is not in MIDDLEWARE: "
                "the draft-mode cookie would change nothing, and no page would get live "
                "updates.",
                hint="Add 'datocms_app.preview.DraftModeMiddleware' to MIDDLEWARE, before "
                "'datocms_app.caching.PageCacheMiddleware'.",
                id="datocms.E071",
            )
        )
    unreachable = []
    if draft_mode and not mounted:
        unreachable.append(
            ("draft mode is configured (PREVIEW_SECRET)", "datocms:draft-mode-enable",
             "editors can never enter draft mode (the Web Previews plugin's links answer 404)")
        )  # fmt: skip
    if live_for_everyone and not is_reversible("datocms:live-updates", live_updates_view):
        unreachable.append(
            ("live updates are on for everyone (LIVE_UPDATES = 'always')",
             "datocms:live-updates", "no page gets live updates (their script gets 404s)")
        )  # fmt: skip
    if unreachable:
        configured, names, consequences = zip(*unreachable, strict=True)
        what = " and ".join(configured)
        messages.append(
            Warning(
                f"{what[:1].upper()}{what[1:]}, but "
                f"{' and '.join(repr(name) for name in names)} cannot be reversed "
                f"(datocms_app.urls is not included in {root_urlconf()}): "
                f"{'; '.join(consequences)}.",
                hint=f"{include_hint('datocms/', 'datocms_app.urls')}.",
                id="datocms.W072",
            )
        )
    if drafts and not conf.PREVIEW_SECRET and not settings.DEBUG:
        messages.append(
            Warning(
                "DraftModeMiddleware is installed but DATOCMS['PREVIEW_SECRET'] is not set: "
                "draft mode is off, and the draft-mode and preview-links routes answer 403.",
                hint="Set DATOCMS['PREVIEW_SECRET'] to a long random string (the demo reads "
                "DATOCMS_PREVIEW_SECRET) and use it as ?token= in the Web Previews plugin.",
                id="datocms.W070",
            )
        )
    if conf.PREVIEW_API_TOKEN and not conf.API_TOKEN:
        messages.append(
            Warning(
                "DATOCMS['PREVIEW_API_TOKEN'] is set without API_TOKEN: it is not used, the "
                "offline emulator answers drafts with its own token.",
                hint="Set API_TOKEN as well to read your DatoCMS project, or remove "
                "PREVIEW_API_TOKEN.",
                id="datocms.W071",
            )
        )
    return messages
