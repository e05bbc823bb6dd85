from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import translation

from tests.demo_content import demo_datocms


@pytest.fixture(autouse=True)
def demo_datocms_settings(settings: Any) -> Iterator[None]:
    """The demo's own DATOCMS settings that do not come from the environment.

    ``tests.settings`` reads no ``DATOCMS_*`` variable, so that no developer token leaks in;
    the demo's pages need its content project (served by the emulator) and its record URL
    resolver (links inside structured text). Afterwards the
    language goes back to the default: ``LocaleMiddleware`` activates the language of each
    request for the rest of the thread, and an Italian page must not leak into other tests.
    """
    settings.DATOCMS = demo_datocms(RECORD_URL_RESOLVER="project.records.record_url")
    yield
    translation.deactivate()
