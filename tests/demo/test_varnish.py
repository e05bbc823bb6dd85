"""Varnish for real: varnishd with the shipped VCL in front of the demo, purged by tag.

HIT at Varnish -> the record changes in the emulator -> its webhook reaches Django ->
Django replaces the tag versions and purges Varnish by xkey -> the next request is a
Varnish MISS with the new content, while pages without the tag stay HITs.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from datocms_app.caching.cdn.varnish import VCL_PATH
from tests.caching.servers import free_port, gunicorn, stop_process, wait_until_listening
from tests.services import require_executable, require_service

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
        wait_until_listening(process, port, "varnishd")
        yield f"http://127.0.0.1:{port}"
    finally:
        stop_process(process)
        shutil.rmtree(workdir, ignore_errors=True)


def test_demo_behind_varnish_hit_webhook_purge_by_tag_miss_with_fresh_content() -> None:
    """The demo (gunicorn, PageCacheMiddleware, VarnishBackend) behind varnishd, reading a
    standalone emulator that sends its cache-tags webhook to the demo."""
    from datocms_app.emulator.conf import get_emulator_settings
    from datocms_app.emulator.content_dir import content_directory
    from datocms_app.emulator.httpserver import running
    from datocms_app.emulator.server import Emulator

    origin_port = free_port()
    secret = "varnish-test-secret"
    emulator = Emulator.from_directory(
        content_directory(get_emulator_settings()),
        tokens=["varnish-test"],
        webhooks=[
            {
                "url": f"http://127.0.0.1:{origin_port}/datocms/webhooks/cache-tags/",
                "headers": {"X-Webhook-Secret": secret},
            }
        ],
        webhook_retry_scale=0.001,
    )
    with varnish(origin_port) as cdn, running(emulator) as cda:
        env = {
            "DEBUG": "false",
            "ALLOWED_HOSTS": "localhost,127.0.0.1",
            "CACHE_URL": "locmemcache://varnish-test",
            "DATOCMS_API_TOKEN": "varnish-test",
            "DATOCMS_CDA_URL": cda.url,
            "DATOCMS_WEBHOOK_SECRET": secret,
            "DATOCMS_CDN": json.dumps(
                {
                    "BACKEND": "datocms_app.caching.cdn.VarnishBackend",
                    "URLS": [cdn + "/"],
                    "REPURGE_DELAY": 0,
                }
            ),
        }
        demo = {"app": "project.wsgi:application", "settings": "project.settings"}
        try:
            with gunicorn(env, port=origin_port, **demo), httpx.Client(timeout=30) as http:
                first = http.get(cdn + "/")
                assert (first.status_code, first.headers["X-Cache"]) == (200, "MISS")
                assert hero_title(first.text) == "Go somewhere. Pay attention."
                assert first.headers["Cache-Control"] == (
                    "public, max-age=0, s-maxage=31536000, must-revalidate"
                )
                assert "xkey" not in first.headers  # for Varnish only
                assert http.get(cdn + "/articles/").headers["X-Cache"] == "MISS"
                second = http.get(cdn + "/")
                assert (second.headers["X-Cache"], second.text) == ("HIT", first.text)
                assert http.get(cdn + "/articles/").headers["X-Cache"] == "HIT"

                emulator.changes.update_record(
                    "home", {"hero_title": "Fresh from DatoCMS"}, locale="en", publish=True
                )
                emulator.webhooks.drain(20)  # the demo answered 2xx: origin and CDN purged
                (call,) = [c for c in emulator.webhooks.calls if c.entity_type == "cda_cache_tags"]
                assert call.status == "success"

                fresh = http.get(cdn + "/")
                assert fresh.headers["X-Cache"] == "MISS"
                assert hero_title(fresh.text) == "Fresh from DatoCMS"
                assert http.get(cdn + "/").headers["X-Cache"] == "HIT"
                assert http.get(cdn + "/articles/").headers["X-Cache"] == "HIT"

                # Purging everything empties Varnish (from an address in the VCL's ACL).
                purge_all = http.request("PURGE", cdn + "/", headers={"xkey-purge-all": "true"})
                assert purge_all.status_code == 200
                assert http.get(cdn + "/articles/").headers["X-Cache"] == "MISS"
        finally:
            emulator.webhooks.close()


def hero_title(html: str) -> str:
    match = re.search(r'<h1 id="hero-title">([^<]*)</h1>', html)
    assert match is not None, html[:2000]
    return match.group(1)
