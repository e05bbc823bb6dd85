"""Bunny: ``CDN-Tag`` on pages; ``POST {API_URL}/pullzone/{PULL_ZONE_ID}/purgeCache`` with
``AccessKey`` and ``{"CacheTag": "..."}``, one tag per request (sent a few at a time).
Without a body the same call purges the whole pull zone."""

from __future__ import annotations

from datocms_app.caching.cdn.base import REQUIRED, CDNBackend

__all__ = ["BunnyBackend"]


class BunnyBackend(CDNBackend):
    """``DATOCMS["CDN"] = {"BACKEND": "datocms_app.caching.cdn.BunnyBackend",
    "PULL_ZONE_ID": ..., "API_KEY": ...}``."""

    tag_header = "CDN-Tag"
    tag_separator = ","
    default_header_budget = 1_024
    default_batch_size = 1
    concurrency = 8
    cdn_cache_control_header = "CDN-Cache-Control"
    options = {"pull_zone_id": REQUIRED, "api_key": REQUIRED, "api_url": "https://api.bunny.net"}

    def _url(self) -> str:
        base = str(self.settings["api_url"]).rstrip("/")
        return f"{base}/pullzone/{self.settings['pull_zone_id']}/purgeCache"

    def purge_batch(self, keys: list[str]) -> None:
        headers = {"AccessKey": str(self.settings["api_key"])}
        for key in keys:
            self.send("POST", self._url(), headers=headers, json={"CacheTag": key})

    def purge_all(self) -> None:
        headers = {"AccessKey": str(self.settings["api_key"])}
        self.send("POST", self._url(), headers=headers, what="purge of everything")
