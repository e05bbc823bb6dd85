"""Two Django server processes sharing Django's Redis cache: a webhook sent to one makes the
other serve fresh content on its very next request."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from tests.caching.fake_cda import FakeCDA
from tests.caching.servers import gunicorn, redis_cache
from tests.caching.views import ARTICLE, NAV

pytestmark = pytest.mark.service

WEBHOOK = "/datocms/webhooks/cache-tags/"


def invalidate(http: httpx.Client, base: str, *tags: str) -> httpx.Response:
    body = {
        "entity_type": "cda_cache_tags",
        "event_type": "invalidate",
        "entity": {"attributes": {"tags": list(tags)}},
    }
    return http.post(
        base + WEBHOOK,
        content=json.dumps(body),
        headers={"X-Webhook-Secret": "test-secret", "Content-Type": "application/json"},
    )


def test_a_webhook_to_one_server_refreshes_the_other(fake_cda: FakeCDA) -> None:
    version = {"n": 1}

    def article(variables: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
        return {"article": {"title": f"Hello v{version['n']}"}}, ["item:hello", "model:a"]

    fake_cda.content[ARTICLE] = article
    fake_cda.content[NAV] = ({"allPages": [{"title": "Home"}]}, ["model:p"])
    with redis_cache() as (cache_url, prefix):
        env = {"CDA_URL": fake_cda.url, "CACHE_URL": cache_url, "CACHE_KEY_PREFIX": prefix}
        # Behind a load balancer every server sees the site's public host name.
        site = httpx.Client(timeout=10, headers={"Host": "localhost"})
        with gunicorn(env) as one, gunicorn(env) as two, site as http:
            first = http.get(one + "/article/hello/")
            assert (first.status_code, first.headers["X-DatoCMS-Cache"]) == (200, "MISS")
            assert first.text == "<h1>Hello v1</h1><nav>Home</nav>"
            shared = http.get(two + "/article/hello/")
            assert (shared.text, shared.headers["X-DatoCMS-Cache"]) == (first.text, "HIT")
            assert len(fake_cda.requests) == 2

            version["n"] = 2
            answer = invalidate(http, one, "item:hello")
            assert answer.status_code == 200
            assert answer.json()["invalidated"] == 1

            fresh = http.get(two + "/article/hello/")
            assert fresh.headers["X-DatoCMS-Cache"] == "MISS"
            assert fresh.text == "<h1>Hello v2</h1><nav>Home</nav>"
            again = http.get(one + "/article/hello/")
            assert (again.text, again.headers["X-DatoCMS-Cache"]) == (fresh.text, "HIT")
