"""Netlify: ``Netlify-Cache-Tag`` on pages; ``POST {API_URL}/purge`` with a Bearer token and
``{"site_id": ..., "cache_tags": [...]}`` (without ``cache_tags`` it purges the whole site)."""

from __future__ import annotations

from datocms_app.caching.cdn.base import REQUIRED, CDNBackend

__all__ = ["NetlifyBackend"]


class NetlifyBackend(CDNBackend):
    """``DATOCMS["CDN"] = {"BACKEND": "datocms_app.caching.cdn.NetlifyBackend",
    "SITE_ID": ..., "API_TOKEN": ...}`` (a personal access token)."""

    tag_header = "Netlify-Cache-Tag"
    tag_separator = ","
    default_header_budget = 16_384
    default_batch_size = 500
    cdn_cache_control_header = "Netlify-CDN-Cache-Control"
    options = {
        "site_id": REQUIRED,
        "api_token": REQUIRED,
        "api_url": "https://api.netlify.com/api/v1",
    }

    def cdn_cache_control_value(self) -> str:
        return f"public, durable, s-maxage={self.max_age}"

    def _send(self, body: dict[str, object], what: str) -> None:
        base = str(self.settings["api_url"]).rstrip("/")
        headers = {"Authorization": f"Bearer {self.settings['api_token']}"}
        self.send("POST", f"{base}/purge", headers=headers, json=body, what=what)

    def purge_batch(self, keys: list[str]) -> None:
        self._send({"site_id": self.settings["site_id"], "cache_tags": keys}, "purge")

    def purge_all(self) -> None:
        self._send({"site_id": self.settings["site_id"]}, "purge of everything")
