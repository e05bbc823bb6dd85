"""Settings of the small site that tests run in real server processes (gunicorn).

Everything deployment-specific comes from the environment: ``CDA_URL`` (the fake CDA of the
test), ``CACHE_URL`` (Django's Redis cache, e.g. ``redis://127.0.0.1:6379/13``),
``CACHE_KEY_PREFIX`` (one per test, so tests never see each other's keys) and optionally
``DATOCMS_CDN`` (a JSON ``DATOCMS["CDN"]`` dict).
"""

import json
import os

import environ

from tests.settings import *  # noqa: F403

env = environ.Env()

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "tests.caching.urls"
MIDDLEWARE = ["django.middleware.common.CommonMiddleware"]
CACHES = {"default": env.cache("CACHE_URL")}
CACHES["default"]["KEY_PREFIX"] = os.environ.get("CACHE_KEY_PREFIX", "")
DATOCMS = {
    "API_TOKEN": "fake-token",
    "CDA_URL": os.environ["CDA_URL"],
    "MAX_RETRIES": 0,
    "WEBHOOK_SECRET": "test-secret",
    "CDN": json.loads(os.environ["DATOCMS_CDN"]) if os.environ.get("DATOCMS_CDN") else None,
}
LOGGING = {"version": 1, "disable_existing_loggers": False}
