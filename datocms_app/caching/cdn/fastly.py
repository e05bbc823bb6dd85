"""Fastly: ``Surrogate-Key`` on pages, purge by surrogate key through Fastly's API.

``POST {API_URL}/service/{SERVICE_ID}/purge`` with ``Fastly-Key`` and
``{"surrogate_keys": [...]}``, at most 256 keys per request; ``purge_all`` is
``POST .../purge_all``. Hard purges only: a soft purge keeps serving the stale page.
"""

from __future__ import annotations

from datocms_app.caching.cdn.base import REQUIRED, CDNBackend

__all__ = ["FastlyBackend"]


class FastlyBackend(CDNBackend):
    """``DATOCMS["CDN"] = {"BACKEND": "datocms_app.caching.cdn.FastlyBackend",
    "SERVICE_ID": ..., "API_TOKEN": ...}`` (a token with the ``purge_select`` scope)."""

    tag_header = "Surrogate-Key"
    tag_separator = " "
    default_header_budget = 16_384
    default_batch_size = 256
    cdn_cache_control_header = "Surrogate-Control"
    options = {"service_id": REQUIRED, "api_token": REQUIRED, "api_url": "https://api.fastly.com"}

    def _url(self, path: str) -> str:
        base = str(self.settings["api_url"]).rstrip("/")
        return f"{base}/service/{self.settings['service_id']}/{path}"

    def _headers(self) -> dict[str, str]:
        return {"Fastly-Key": str(self.settings["api_token"]), "Accept": "application/json"}

    def purge_batch(self, keys: list[str]) -> None:
        self.send(
            "POST", self._url("purge"), headers=self._headers(), json={"surrogate_keys": keys}
        )

    def purge_all(self) -> None:
        self.send(
            "POST", self._url("purge_all"), headers=self._headers(), what="purge of everything"
        )
