"""The demo project's settings, made hermetic for its tests.

``tests/demo/conftest.py`` applies them to every test of this folder (the library's tests
run with ``tests.settings``, which imports nothing of the demo). No ``DATOCMS_*`` variable of
a developer's environment leaks in: the demo serves its content through the emulator.
"""

from project.settings import *  # noqa: F403
from tests.demo_content import demo_datocms

DEBUG = False
SECRET_KEY = "tests-only-secret-key"
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
DATOCMS = demo_datocms(RECORD_URL_RESOLVER="project.records.record_url")
LOGGING = {"version": 1, "disable_existing_loggers": False}
