"""Cloudflare: ``Cache-Tag`` on pages, ``purge_cache`` with ``{"tags": [...]}``.

``POST {API_URL}/zones/{ZONE_ID}/purge_cache`` with ``Authorization: Bearer {API_TOKEN}``,
at most 100 tags per request (``BATCH_SIZE = 500`` on Enterprise plans). Cloudflare answers
200 with ``"success": false`` on some failures: that is a failure too.
"""

from __future__ import annotations

from typing import Any

from datocms_app.caching.cdn.base import REQUIRED, CDNBackend
from datocms_app.exceptions import CDNPurgeError

__all__ = ["CloudflareBackend"]


class CloudflareBackend(CDNBackend):
    """``DATOCMS["CDN"] = {"BACKEND": "datocms_app.caching.cdn.CloudflareBackend",
    "ZONE_ID": ..., "API_TOKEN": ...}`` (a token with Zone > Cache Purge)."""

    tag_header = "Cache-Tag"
    tag_separator = ","
    default_header_budget = 16_000
    default_batch_size = 100
    cdn_cache_control_header = "Cloudflare-CDN-Cache-Control"
    options = {
        "zone_id": REQUIRED,
        "api_token": REQUIRED,
        "api_url": "https://api.cloudflare.com/client/v4",
    }

    def _purge(self, body: dict[str, Any], what: str) -> None:
        base = str(self.settings["api_url"]).rstrip("/")
        url = f"{base}/zones/{self.settings['zone_id']}/purge_cache"
        headers = {"Authorization": f"Bearer {self.settings['api_token']}"}
        response = self.send("POST", url, headers=headers, json=body, what=what)
        try:
            success = response.json().get("success")
        except ValueError:
            success = None
        if success is not True:
            raise CDNPurgeError(
                f"CloudflareBackend: the {what} was not accepted: {response.text[:300]}",
                backend=type(self).__name__,
                response=response,
            )

    def purge_batch(self, keys: list[str]) -> None:
        self._purge({"tags": keys}, "purge")

    def purge_all(self) -> None:
        self._purge({"purge_everything": True}, "purge of everything")
