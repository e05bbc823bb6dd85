"""Settings of the benchmark site (gunicorn): Django's default middleware, one cache.

``CDA_URL`` points at the benchmark's stand-in CDA; ``CACHE_URL`` picks the cache
(``locmemcache://`` by default, ``redis://...`` for the Redis rows).
"""

import os

import environ

env = environ.Env()

DEBUG = False
SECRET_KEY = "benchmark-only"
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS = ["django.contrib.contenttypes", "datocms_app"]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
ROOT_URLCONF = "benchmarks.site.urls"
TEMPLATES = [{"BACKEND": "django.template.backends.django.DjangoTemplates", "APP_DIRS": True}]
DATABASES: dict[str, dict[str, str]] = {}
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://bench")}
CACHES["default"]["KEY_PREFIX"] = os.environ.get("CACHE_KEY_PREFIX", "")
USE_I18N = True
USE_TZ = True
DATOCMS = {
    "API_TOKEN": "bench-token",
    "CDA_URL": os.environ.get("CDA_URL", "http://127.0.0.1:9/"),
    "MAX_RETRIES": 0,
    "WEBHOOK_SECRET": "bench-secret",
}
LOGGING = {"version": 1, "disable_existing_loggers": False}
