"""Degradation: the cache store down (a real Redis client with nothing to talk to), DatoCMS
down, answering 5xx or rate-limiting (the emulator's injected faults)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client, override_settings
from django.utils import translation

from datocms_app import cda
from tests.caching import views
from tests.caching.fake_cda import FakeCDA
from tests.caching.servers import free_port

WEBHOOK = "/datocms/webhooks/cache-tags/"


@pytest.fixture
def redis_down() -> dict[str, Any]:
    """Django's Redis cache pointed at a port where nothing listens."""
    return {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "down": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 0.5},
        },
    }


def test_cache_store_down_pages_render_uncached(
    redis_down: dict[str, Any], fake_cda: FakeCDA
) -> None:
    fake_cda.content[views.ARTICLE] = ({"article": {"title": "Up"}}, ["item:1"])
    fake_cda.content[views.NAV] = ({"allPages": [{"title": "Home"}]}, ["model:p"])
    with (
        override_settings(
            CACHES=redis_down,
            DATOCMS=fake_cda.settings(CACHE_ALIAS="down"),
            ROOT_URLCONF="tests.caching.urls",
            MIDDLEWARE=[],
        ),
        translation.override("en"),
    ):
        client = Client()
        for _ in range(2):
            response = client.get("/article/hello/")
            assert response.status_code == 200
            assert response.content == b"<h1>Up</h1><nav>Home</nav>"
            assert response["X-DatoCMS-Cache"] == "BYPASS"
        assert cda.query(views.NAV) == {"allPages": [{"title": "Home"}]}


def test_cache_store_down_webhook_answers_503(redis_down: dict[str, Any]) -> None:
    body = {
        "entity_type": "cda_cache_tags",
        "event_type": "invalidate",
        "entity": {"attributes": {"tags": ["a"]}},
    }
    with override_settings(
        CACHES=redis_down,
        DATOCMS={"CACHE_ALIAS": "down", "WEBHOOK_SECRET": "s"},
        ROOT_URLCONF="tests.caching.urls",
    ):
        response = Client().post(
            WEBHOOK, json.dumps(body), content_type="application/json", HTTP_X_WEBHOOK_SECRET="s"
        )
    assert response.status_code == 503
    assert response.json()["error"] == "cache_unavailable"
