"""Varnish with the xkey vmod (Debian's ``varnish-modules``): ``xkey`` on pages, purges as
``PURGE`` requests carrying the keys in an ``xkey-purge`` header.

The VCL that goes with it ships beside this module (``varnish.vcl``; print its path with
``datocms_app.caching.cdn.varnish.VCL_PATH``): it tags objects from the ``xkey`` response
header, answers ``PURGE`` only to the ACL ``purgers`` and passes the header to
``xkey.purge()``; ``xkey-purge-all: true`` bans every object. ``URLS`` lists every Varnish
server (each one is purged); ``HEADERS`` adds headers to purge requests (e.g. a secret your
VCL checks). Tags are sent raw by default: DatoCMS's alphabet has no space or comma.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from datocms_app.caching.cdn.base import REQUIRED, CDNBackend
from datocms_app.exceptions import ConfigurationError

__all__ = ["VCL_PATH", "VarnishBackend"]

VCL_PATH = Path(__file__).with_name("varnish.vcl")
#: Varnish refuses request headers longer than ``http_req_hdr_len`` (8 KB by default).
MAX_PURGE_HEADER = 6_000


class VarnishBackend(CDNBackend):
    """``DATOCMS["CDN"] = {"BACKEND": "datocms_app.caching.cdn.VarnishBackend",
    "URLS": ["http://127.0.0.1:6081/"]}``."""

    tag_header = "xkey"
    tag_separator = " "
    # Varnish's http_resp_hdr_len is 8 KB by default.
    default_header_budget = 8_000
    default_hash_tags = False
    options = {"urls": REQUIRED, "method": "PURGE", "headers": {}}

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        urls = self.settings["urls"]
        if isinstance(urls, str):
            urls = [urls]
        if (
            not isinstance(urls, list | tuple)
            or not urls
            or not all(
                isinstance(url, str) and url.startswith(("http://", "https://")) for url in urls
            )
        ):
            raise ConfigurationError(
                "VarnishBackend needs DATOCMS['CDN']['URLS'], a list of Varnish base URLs "
                "such as ['http://127.0.0.1:6081/']."
            )
        headers = self.settings["headers"]
        if not isinstance(headers, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in headers.items()
        ):
            raise ConfigurationError(
                "DATOCMS['CDN']['HEADERS'] must be a dict of header names to string values."
            )
        self.urls: list[str] = list(urls)
        self.method = str(self.settings["method"])
        self.extra_headers: dict[str, str] = dict(headers)

    def purge(self, tags: Any) -> int:
        keys = self.header_keys(tags)
        batches: list[list[str]] = []
        size = 0
        for key in keys:
            if not batches or size + len(key) + 1 > MAX_PURGE_HEADER:
                batches.append([])
                size = 0
            batches[-1].append(key)
            size += len(key) + 1
        for batch in batches:
            self.purge_batch(batch)
        return len(keys)

    def purge_batch(self, keys: list[str]) -> None:
        headers = {**self.extra_headers, "xkey-purge": " ".join(keys)}
        for url in self.urls:
            self.send(self.method, url, headers=headers)

    def purge_all(self) -> None:
        headers = {**self.extra_headers, "xkey-purge-all": "true"}
        for url in self.urls:
            self.send(self.method, url, headers=headers, what="purge of everything")
