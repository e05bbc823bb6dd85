"""Settings for the test suite: the demo project's, made hermetic."""

from project.settings import *  # noqa: F403
from tests.demo_content import demo_datocms

DEBUG = False
SECRET_KEY = "tests-only-secret-key"
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Never read a developer's DATOCMS_* environment: tests talk to the emulator or mocks.
DATOCMS = demo_datocms()
LOGGING = {"version": 1, "disable_existing_loggers": False}
