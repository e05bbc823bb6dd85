"""Settings of the demo magazine. Everything deployment-specific comes from the environment.

Variables (all optional): DEBUG, SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL (default SQLite),
CACHE_URL (default local memory), DATOCMS_API_TOKEN (empty: the embedded emulator serves
the demo content), DATOCMS_ENVIRONMENT, DATOCMS_CDA_URL, DATOCMS_INCLUDE_DRAFTS,
DATOCMS_TIMEOUT, DATOCMS_MAX_RETRIES. A ``.env`` file beside manage.py is read if present.
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
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
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
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://datocms-demo")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "en"
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
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"datocms_app": {"handlers": ["console"], "level": "INFO"}},
}
