"""Settings of the demo magazine. Everything deployment-specific comes from the environment.

Variables (all optional): DEBUG, SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL (default SQLite),
CACHE_URL (default local memory; a ``redis://`` URL gets 0.5 s socket and connect timeouts
unless its query string sets ``socket_timeout``/``socket_connect_timeout``),
DATOCMS_API_TOKEN (empty: the embedded emulator serves the demo content),
DATOCMS_ENVIRONMENT, DATOCMS_CDA_URL, DATOCMS_INCLUDE_DRAFTS, DATOCMS_TIMEOUT,
DATOCMS_MAX_RETRIES, DATOCMS_CMA_API_TOKEN (a token that may create records, for the reader
letters; empty with no DATOCMS_API_TOKEN: the embedded emulator takes them). A ``.env`` file
beside manage.py is read if present.
Caching: CACHE_KEY_PREFIX (to share one Redis), DATOCMS_WEBHOOK_SECRET (the cache-tags
webhook's ``X-Webhook-Secret`` header), DATOCMS_WEBHOOK_USERNAME/DATOCMS_WEBHOOK_PASSWORD
(its HTTP Basic auth), DATOCMS_CDN (a JSON ``DATOCMS["CDN"]`` dict),
DATOCMS_EMULATOR_WEBHOOK_URL (where the embedded emulator sends its cache-tags webhook;
default this site on 127.0.0.1:8000).
Draft mode and the Web Previews plugin: DATOCMS_PREVIEW_SECRET (the ``?token=`` of the
draft-mode and preview-links URLs; empty: draft mode off), DATOCMS_PREVIEW_API_TOKEN (a token
that may read drafts, used in draft mode; empty: DATOCMS_API_TOKEN), DATOCMS_LIVE_UPDATES
(``draft``, ``always`` or ``off``).
"""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env.str("SECRET_KEY", default="django-insecure-demo-key-change-me-in-production")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])

INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.staticfiles",
    "datocms_app",
    # The offline DatoCMS: with no DATOCMS_API_TOKEN it serves project/content in-process.
    "datocms_app.emulator",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Activates the language of the URL prefix (/it/...); unprefixed URLs are English.
    # Django's own LocaleMiddleware would add "Vary: Accept-Language" to the English pages
    # although their language comes from the URL, splitting a CDN's cache by every
    # browser's language header; this subclass leaves it out.
    "datocms_app.caching.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Draft mode: editors with the draft-mode cookie see unpublished content, uncached, in
    # DatoCMS's Web Previews plugin (it must come before the page cache).
    "datocms_app.preview.DraftModeMiddleware",
    # Every page that reads DatoCMS is cached until DatoCMS invalidates its cache tags
    # (after the locale middleware: the language is part of the key).
    "datocms_app.caching.PageCacheMiddleware",
    # Configuration problems (no token and no emulator, a refused token) show the setup page.
    "project.middleware.ContentUnavailableMiddleware",
]

ROOT_URLCONF = "project.urls"
WSGI_APPLICATION = "project.wsgi.application"
ASGI_APPLICATION = "project.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
            ],
            "libraries": {"magazine": "project.templatetags"},
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://datocms-demo")}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # A Redis that stops answering (hung, swapping, paused) must cost a cache command half a
    # second, not hang every page: pages then render uncached and the webhook answers 503 so
    # that DatoCMS retries. redis://host:6379/1?socket_timeout=2&... overrides these
    # (datocms.W062 warns about a Redis cache without them).
    _redis_options = CACHES["default"].setdefault("OPTIONS", {})
    _redis_options.setdefault("socket_timeout", 0.5)
    _redis_options.setdefault("socket_connect_timeout", 0.5)
# Several sites (or test runs) can share one Redis: CACHE_KEY_PREFIX keeps their keys apart.
CACHES["default"]["KEY_PREFIX"] = env.str("CACHE_KEY_PREFIX", default="")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The DatoCMS project's locales: English is primary (served without a URL prefix), Italian
# under /it/. LANGUAGE_CODE must be the first of them.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("it", "Italiano")]
LOCALE_PATHS = [BASE_DIR / "project" / "locale"]
FORMAT_MODULE_PATH = ["project.formats"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "project" / "static"]
STATIC_ROOT = BASE_DIR / "var" / "static"

DATOCMS = {
    "API_TOKEN": env.str("DATOCMS_API_TOKEN", default=""),
    "ENVIRONMENT": env.str("DATOCMS_ENVIRONMENT", default="") or None,
    "CDA_URL": env.str("DATOCMS_CDA_URL", default="https://graphql.datocms.com/"),
    "INCLUDE_DRAFTS": env.bool("DATOCMS_INCLUDE_DRAFTS", default=False),
    "TIMEOUT": env.float("DATOCMS_TIMEOUT", default=10.0),
    "MAX_RETRIES": env.int("DATOCMS_MAX_RETRIES", default=3),
    # The reader letters (project.letters) create draft records through the CMA.
    "CMA_API_TOKEN": env.str("DATOCMS_CMA_API_TOKEN", default=""),
    # Links to records inside structured text point at the demo's article/author/category pages.
    "RECORD_URL_RESOLVER": "project.records.record_url",
    # caching: the cache-tags webhook's credentials, the CDN in front of the site
    "WEBHOOK_SECRET": env.str("DATOCMS_WEBHOOK_SECRET", default=""),
    "WEBHOOK_USERNAME": env.str("DATOCMS_WEBHOOK_USERNAME", default=""),
    "WEBHOOK_PASSWORD": env.str("DATOCMS_WEBHOOK_PASSWORD", default=""),
    "CDN": env.json("DATOCMS_CDN", default=None),
    # draft mode, the Web Previews plugin, live updates
    "PREVIEW_SECRET": env.str("DATOCMS_PREVIEW_SECRET", default=""),
    "PREVIEW_API_TOKEN": env.str("DATOCMS_PREVIEW_API_TOKEN", default=""),
    "LIVE_UPDATES": env.str("DATOCMS_LIVE_UPDATES", default="draft"),
    # The emulator's content project: the magazine, whose pictures are painted on first use.
    "EMULATOR": {
        "CONTENT_DIR": BASE_DIR / "project" / "content",
        "PREPARE": "project.content.artwork.paint_missing_images",
    },
}
if not DATOCMS["API_TOKEN"]:
    # The embedded emulator plays DatoCMS: its content changes reach this site's cache-tags
    # webhook, as DatoCMS's "CDA Cache Tags > Invalidate" webhook would.
    _webhook: dict[str, object] = {
        "url": env.str(
            "DATOCMS_EMULATOR_WEBHOOK_URL",
            default="http://127.0.0.1:8000/datocms/webhooks/cache-tags/",
        ),
    }
    if DATOCMS["WEBHOOK_SECRET"]:
        _webhook["headers"] = {"X-Webhook-Secret": DATOCMS["WEBHOOK_SECRET"]}
    if DATOCMS["WEBHOOK_USERNAME"]:
        _webhook["http_basic_user"] = DATOCMS["WEBHOOK_USERNAME"]
        _webhook["http_basic_password"] = DATOCMS["WEBHOOK_PASSWORD"]
    DATOCMS["EMULATOR"]["WEBHOOKS"] = [_webhook]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"datocms_app": {"handlers": ["console"], "level": "INFO"}},
}
