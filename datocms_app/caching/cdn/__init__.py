"""CDN purge backends, configured like ``CACHES``::

    DATOCMS["CDN"] = {
        "BACKEND": "datocms_app.caching.cdn.FastlyBackend",
        "SERVICE_ID": env("FASTLY_SERVICE_ID"),
        "API_TOKEN": env("FASTLY_API_TOKEN"),
    }

Keys other than ``BACKEND`` become the backend's keyword arguments, lowercased. No ``CDN``
(the default) means ``NoopBackend``. ``get_cdn()`` builds the backend once per settings
object and raises ``ConfigurationError`` saying what is wrong.
"""

from __future__ import annotations

from typing import Any

from django.utils.module_loading import import_string

from datocms_app.caching.cdn.base import REQUIRED, CDNBackend, NoopBackend, hash_tag
from datocms_app.caching.cdn.bunny import BunnyBackend
from datocms_app.caching.cdn.cloudflare import CloudflareBackend
from datocms_app.caching.cdn.fastly import FastlyBackend
from datocms_app.caching.cdn.netlify import NetlifyBackend
from datocms_app.caching.cdn.varnish import VarnishBackend
from datocms_app.conf import SettingsBound
from datocms_app.exceptions import ConfigurationError

__all__ = [
    "REQUIRED",
    "BunnyBackend",
    "CDNBackend",
    "CloudflareBackend",
    "FastlyBackend",
    "NetlifyBackend",
    "NoopBackend",
    "VarnishBackend",
    "build_cdn",
    "get_cdn",
    "hash_tag",
]


def build_cdn(config: dict[str, Any] | None) -> CDNBackend:
    """A backend from a ``DATOCMS["CDN"]`` dict (None: ``NoopBackend``)."""
    if config is None:
        return NoopBackend()
    path = config.get("BACKEND")
    if not isinstance(path, str) or not path:
        raise ConfigurationError(
            "DATOCMS['CDN'] needs a 'BACKEND', the dotted path of a purge backend such as "
            "'datocms_app.caching.cdn.FastlyBackend'."
        )
    try:
        backend_class = import_string(path)
    except ImportError as exc:
        raise ConfigurationError(
            f"DATOCMS['CDN']['BACKEND'] is {path!r}, which cannot be imported ({exc}). "
            "Built-in backends: datocms_app.caching.cdn.VarnishBackend, FastlyBackend, "
            "CloudflareBackend, BunnyBackend, NetlifyBackend, NoopBackend."
        ) from exc
    if not (isinstance(backend_class, type) and issubclass(backend_class, CDNBackend)):
        raise ConfigurationError(
            f"DATOCMS['CDN']['BACKEND'] is {path!r}, which is not a subclass of "
            "datocms_app.caching.cdn.CDNBackend."
        )
    options = {}
    for key, value in config.items():
        if key == "BACKEND":
            continue
        if not isinstance(key, str) or key != key.upper():
            raise ConfigurationError(
                f"DATOCMS['CDN'] keys are upper case like settings.CACHES, got {key!r}."
            )
        options[key.lower()] = value
    backend: CDNBackend = backend_class(**options)
    return backend


_cdn: SettingsBound[CDNBackend] = SettingsBound(lambda conf: build_cdn(conf.CDN))


def get_cdn() -> CDNBackend:
    """The backend for the current ``settings.DATOCMS`` (rebuilt when settings change)."""
    return _cdn.get()
