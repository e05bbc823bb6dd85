"""System checks (``manage.py check``), one module per concern, registered by the app's
``ready()`` (``register_checks``).

Ids are stable and documented in docs/reference.md (Checks):

``settings``: ``settings.DATOCMS`` itself

- ``datocms.E001``: ``settings.DATOCMS`` is not valid.
- ``datocms.E002``: ``CACHE_ALIAS`` names no entry of ``settings.CACHES``.
- ``datocms.E003``: no API token, and no app installed an offline backend (``cda.hooks``).
- ``datocms.W001``: no API token while ``DEBUG`` is False (the site would serve offline content).

``structured_text``

- ``datocms.E040``: ``RECORD_URL_RESOLVER`` cannot be imported or is not callable.
- ``datocms.E041``: a ``STRUCTURED_TEXT_RENDERERS`` entry has a bad key or cannot be imported.
- ``datocms.W040``: a ``STRUCTURED_TEXT_RENDERERS`` key does not end in ``Record``, so no
  ``__typename`` ever matches it (``image_block`` for ``ImageBlockRecord``).

``caching``: the cache, the cache-tags webhook, the CDN

- ``datocms.E060``: webhook HTTP Basic auth has a username without a password, or the reverse.
- ``datocms.E061``: the ``CDN`` backend cannot be imported or built from its options.
- ``datocms.E062``: ``TAG_STORE`` cannot be imported or is not a ``TagStore`` subclass.
- ``datocms.W060``: the cache-tags webhook has no authentication while ``DEBUG`` is False.
- ``datocms.W061``: ``CACHE_ALIAS`` is a per-process local-memory cache while ``DEBUG`` is False
  or the environment asks for several server workers (``server_processes``).
- ``datocms.W062``: ``CACHE_ALIAS`` is a Redis cache without a socket or a connect timeout.
- ``datocms.W063``: ``QUERY_CACHE`` or ``PAGE_CACHE`` is on but the cache-tags webhook's URL
  cannot be reversed (``datocms_app.urls`` is not included).

``locale``: the page cache and the language

- ``datocms.E063``: a ``LocaleMiddleware`` comes after ``PageCacheMiddleware`` in ``MIDDLEWARE``.
- ``datocms.W064``: Django's ``LocaleMiddleware`` with ``i18n_patterns(...,
  prefix_default_language=False)`` (``Vary: Accept-Language`` on unprefixed pages).

``preview``: draft mode and live updates

- ``datocms.E070``: ``DraftModeMiddleware`` comes after ``PageCacheMiddleware`` in ``MIDDLEWARE``.
- ``datocms.E071``: the preview URLs are mounted and draft mode (or live updates for everyone)
  is configured, but ``DraftModeMiddleware`` is not in ``MIDDLEWARE``.
- ``datocms.W070``: ``DraftModeMiddleware`` is installed without a ``PREVIEW_SECRET`` while
  ``DEBUG`` is False.
- ``datocms.W071``: ``PREVIEW_API_TOKEN`` is set without ``API_TOKEN`` (it is not used).
- ``datocms.W072``: draft mode (or live updates for everyone) is configured but the preview
  URLs cannot be reversed (``datocms_app.urls`` is not included).

The emulator app registers its own checks (``E030``-``E034``, ``W030``, ``W041`` and ``E001``
for its keys) in its ``ready()``; this package never imports it. ``site`` reads the site's
``MIDDLEWARE`` and URLconf for the checks that need them.
"""

from __future__ import annotations

from django.core.checks import Tags, register

from datocms_app.checks.caching import check_caching, check_webhook_url
from datocms_app.checks.locale import check_page_cache_language
from datocms_app.checks.preview import check_preview
from datocms_app.checks.settings import check_settings, validated_settings
from datocms_app.checks.structured_text import check_structured_text

__all__ = [
    "CHECKS",
    "check_caching",
    "check_page_cache_language",
    "check_preview",
    "check_settings",
    "check_structured_text",
    "check_webhook_url",
    "register_checks",
    "validated_settings",
]

#: Every check of the core, with the tag it runs under (``manage.py check --tag``).
CHECKS = (
    (check_settings, Tags.compatibility),
    (check_structured_text, Tags.compatibility),
    (check_caching, Tags.compatibility),
    (check_webhook_url, Tags.urls),
    (check_page_cache_language, Tags.compatibility),
    (check_preview, Tags.compatibility),
)


def register_checks() -> None:
    """Register every check of the core (``DatoCMSConfig.ready()`` does; registering twice
    changes nothing)."""
    for check, tag in CHECKS:
        register(check, tag)
