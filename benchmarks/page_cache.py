"""Bench A: a cached DatoCMS page vs a plain Django view answering the same bytes.

One gunicorn server (2 sync workers, the site in ``benchmarks.site``) serves both views;
``wrk`` (Debian's package) loads each over loopback in 24 one-second rounds in ABBA order.
The table shows each view's median requests per second; the ratio is the median, over the
rounds, of cached / plain in adjacent rounds (this machine's speed drifts within seconds:
pairing cancels the drift that a ratio of medians keeps). Target: >= 0.90. Two more rows
are informational: Django's own ``cache_page`` on the same page and server (a time-based
cache that never learns of content changes: what a hit costs in Django itself), and the
DatoCMS page cache on Django's Redis cache (every hit is a round trip to Redis, and
Django's backend builds a redis-py client object per operation).
"""

from __future__ import annotations

import re
import shutil
import statistics
import subprocess
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from benchmarks._harness import Row
from benchmarks.site.urls import ARTICLE, ARTICLE_DATA, NAV, NAV_DATA, PAGE_BYTES
from tests.caching.fake_cda import FakeCDA
from tests.caching.servers import gunicorn

ROOT = Path(__file__).resolve().parent.parent
ROUNDS = 24
SECONDS = 1
CONNECTIONS = 8


@contextmanager
def server(env: dict[str, str]) -> Iterator[str]:
    """The benchmark site on gunicorn with 2 sync workers (one thread each)."""
    with gunicorn(
        env,
        app="benchmarks.site.wsgi:application",
        settings="benchmarks.site.settings",
        ready_path="/plain/",
        workers=2,
        threads=1,
    ) as base:
        yield base


def wrk(url: str) -> float:
    binary = shutil.which("wrk") or "/usr/bin/wrk"
    output = subprocess.run(
        [binary, "-t2", f"-c{CONNECTIONS}", f"-d{SECONDS}s", url],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    match = re.search(r"Requests/sec:\s+([\d.]+)", output)
    if match is None or "Non-2xx" in output:
        raise RuntimeError(f"wrk failed on {url}:\n{output}")
    return float(match.group(1))


@dataclass(frozen=True)
class Rates:
    """Median requests/s per view, and the median ratio to ``plain`` of adjacent rounds."""

    median: dict[str, float]
    paired: dict[str, float]


def measure(env: dict[str, str], *, reference: bool = False) -> Rates:
    """Requests/s of ``cached`` and ``plain`` (and ``django-cached`` if asked)."""
    with server(env) as base, httpx.Client() as http:
        # Warm every worker's cache and check both views answer the same bytes.
        for _ in range(20):
            cached = http.get(base + "/cached/")
            plain = http.get(base + "/plain/")
            assert cached.content == plain.content == PAGE_BYTES, "views differ"
        assert cached.headers["X-DatoCMS-Cache"] == "HIT"
        names = ["plain", "cached"]
        if reference:
            assert http.get(base + "/django-cached/").content == PAGE_BYTES, "views differ"
            names.append("django-cached")
        rates: dict[str, list[float]] = {name: [] for name in names}
        # Short rounds in ABBA order: drifts in machine load hit every view alike.
        for n in range(ROUNDS):
            for name in names if n % 2 == 0 else names[::-1]:
                rates[name].append(wrk(f"{base}/{name}/"))
    plain = rates["plain"]
    return Rates(
        median={name: statistics.median(values) for name, values in rates.items()},
        paired={
            name: statistics.median(
                ours / anchor for ours, anchor in zip(values, plain, strict=True)
            )
            for name, values in rates.items()
        },
    )


def _row(name: str, rates: Rates, view: str, target: str = "(informational)") -> Row:
    return Row(
        name=name,
        ours=rates.median[view],
        anchor=rates.median["plain"],
        paired_ratio=rates.paired[view],
        unit="req/s",
        anchor_name="plain Django view, same bytes",
        target=target,
        higher_is_better=True,
    )


#: Programs this benchmark runs (checked before any benchmark starts).
REQUIRES = ("wrk",)


def run() -> list[Row]:
    rows = []
    with FakeCDA().running() as fake:
        fake.content[ARTICLE] = (ARTICLE_DATA, ["item:1", "model:article"])
        fake.content[NAV] = (NAV_DATA, ["model:page"])
        rates = measure({"CDA_URL": fake.url, "CACHE_URL": "locmemcache://bench"}, reference=True)
        name = "A. page cache: cached DatoCMS page vs plain view (gunicorn 2w, wrk)"
        rows.append(_row(name, rates, "cached", "ratio >= 0.90"))
        name = "A (reference). Django's own cache_page, same page and server"
        rows.append(_row(name, rates, "django-cached"))
        try:
            import redis

            redis.Redis(host="127.0.0.1", port=6379, socket_connect_timeout=0.5).ping()
        except Exception:  # no Redis here: skip the informational row
            return rows
        env = {
            "CDA_URL": fake.url,
            "CACHE_URL": "redis://127.0.0.1:6379/13",
            "CACHE_KEY_PREFIX": f"datocms-bench-{uuid.uuid4().hex[:8]}",
        }
        try:
            rates = measure(env)
        finally:
            client = redis.Redis.from_url("redis://127.0.0.1:6379/13")
            keys = list(client.scan_iter(match=f"{env['CACHE_KEY_PREFIX']}:*"))
            if keys:
                client.delete(*keys)
        name = "A'. same, cache on Redis (a hit reads the epoch: one round trip)"
        rows.append(_row(name, rates, "cached"))
    return rows
