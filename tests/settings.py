"""Settings of the library's test suite: a minimal site with the app and the emulator app.

They import nothing of the demo project. Library tests that need content read the demo's
content project by path (``tests.demo_content``); the demo's own tests run with the demo's
settings, applied by ``tests/demo/conftest.py``.
"""

from pathlib import Path

from tests.demo_content import demo_datocms

BASE_DIR = Path(__file__).resolve().parent.parent
DEBUG = False
SECRET_KEY = "tests-only-secret-key"
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.staticfiles",
    "datocms_app",
    "datocms_app.emulator",
]
MIDDLEWARE: list[str] = []
ROOT_URLCONF = "tests.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": ["django.template.context_processors.request"]},
    }
]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
STATIC_URL = "static/"
# Never read a developer's DATOCMS_* environment: tests talk to the emulator or mocks.
DATOCMS = demo_datocms()
LOGGING = {"version": 1, "disable_existing_loggers": False}
