"""Varnish for real: varnishd with the shipped VCL in front of the site, purged by tag.

HIT at Varnish -> the record changes -> the webhook reaches Django -> Django replaces the
tag versions and purges Varnish by xkey -> the next request is a Varnish MISS with the new
content, while pages without the tag stay HITs.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from datocms_app.caching.cdn.varnish import VCL_PATH
from tests.caching.fake_cda import FakeCDA
from tests.caching.servers import free_port, gunicorn
from tests.caching.views import ARTICLE, NAV
from tests.services import port_open, require_executable, require_service

pytestmark = pytest.mark.service

VMOD_DIRS = [Path("/usr/lib/x86_64-linux-gnu/varnish/vmods"), Path("/usr/lib/varnish/vmods")]


@contextmanager
def varnish(origin_port: int) -> Iterator[str]:
    varnishd = require_executable("varnishd", "/usr/sbin/varnishd")
    require_service(
        "the xkey vmod",
        any((d / "libvmod_xkey.so").exists() for d in VMOD_DIRS),
        "install Debian's varnish-modules",
    )
    # varnishd reads the VCL as its own unprivileged user: pytest's tmp_path is private.
    workdir = Path(tempfile.mkdtemp(prefix="datocms-varnish-"))
    workdir.chmod(0o755)
    vcl = workdir / "site.vcl"
    source = VCL_PATH.read_text()
    assert '.port = "8000";' in source
    vcl.write_text(source.replace('.port = "8000";', f'.port = "{origin_port}";'))
    vcl.chmod(0o644)
    port = free_port()
    process = subprocess.Popen(
        [
            varnishd,
            "-F",
            "-a",
            f"127.0.0.1:{port}",
            "-T",
            "none",
            "-f",
            str(vcl),
            "-n",
            str(workdir / "instance"),
            "-s",
            "malloc,32m",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 30
        while not port_open("127.0.0.1", port, timeout=0.2):
            if process.poll() is not None or time.monotonic() > deadline:
                output = process.stdout.read().decode() if process.stdout else ""
                pytest.fail(f"varnishd did not start:\n{output}")
            time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)
        if process.stdout:
            process.stdout.close()
        shutil.rmtree(workdir, ignore_errors=True)


def test_hit_webhook_purge_by_tag_miss_with_fresh_content(fake_cda: FakeCDA) -> None:
    versions = {"hello": 1, "world": 1}

    def article(variables: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
        slug = variables["slug"]
        return {"article": {"title": f"{slug} v{versions[slug]}"}}, [f"item:{slug}", "model:a"]

    fake_cda.content[ARTICLE] = article
    fake_cda.content[NAV] = ({"allPages": [{"title": "Home"}]}, ["model:p"])
    origin_port = free_port()
    with varnish(origin_port) as cdn:
        env = {
            "CDA_URL": fake_cda.url,
            "CACHE_URL": "locmemcache://varnish-test",
            "DATOCMS_CDN": json.dumps(
                {
                    "BACKEND": "datocms_app.caching.cdn.VarnishBackend",
                    "URLS": [cdn + "/"],
                    "REPURGE_DELAY": 0,
                }
            ),
        }
        with gunicorn(env, port=origin_port) as origin, httpx.Client(timeout=10) as http:
            site = {"Host": "localhost"}
            first = http.get(cdn + "/article/hello/", headers=site)
            assert first.status_code == 200
            assert first.text == "<h1>hello v1</h1><nav>Home</nav>"
            assert first.headers["X-Cache"] == "MISS"
            assert first.headers["Cache-Control"] == (
                "public, max-age=0, s-maxage=31536000, must-revalidate"
            )
            assert "xkey" not in first.headers  # for Varnish only
            assert http.get(cdn + "/article/world/", headers=site).headers["X-Cache"] == "MISS"
            second = http.get(cdn + "/article/hello/", headers=site)
            assert (second.headers["X-Cache"], second.text) == ("HIT", first.text)
            origin_queries = len(fake_cda.requests)

            versions["hello"] = 2
            body = {
                "entity_type": "cda_cache_tags",
                "event_type": "invalidate",
                "entity": {"attributes": {"tags": ["item:hello"]}},
            }
            answer = http.post(
                origin + "/datocms/webhooks/cache-tags/",
                content=json.dumps(body),
                headers={"X-Webhook-Secret": "test-secret", **site},
            )
            assert answer.status_code == 200
            assert answer.json()["purged"] == 1

            fresh = http.get(cdn + "/article/hello/", headers=site)
            assert (fresh.headers["X-Cache"], fresh.text) == (
                "MISS",
                "<h1>hello v2</h1><nav>Home</nav>",
            )
            assert len(fake_cda.requests) == origin_queries + 1  # only the article query
            assert http.get(cdn + "/article/hello/", headers=site).headers["X-Cache"] == "HIT"
            assert http.get(cdn + "/article/world/", headers=site).headers["X-Cache"] == "HIT"

            # A PURGE from outside the ACL's addresses would be refused; from here it works,
            # and purging everything empties Varnish.
            purge_all = http.request("PURGE", cdn + "/", headers={"xkey-purge-all": "true"})
            assert purge_all.status_code == 200
            assert http.get(cdn + "/article/world/", headers=site).headers["X-Cache"] == "MISS"
