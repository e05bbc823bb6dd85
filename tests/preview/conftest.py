"""Fixtures of the preview tests: a site with the draft-mode middleware.

The fake CDA and the isolated caches come from the root ``conftest``.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.test import override_settings

SECRET = "preview-secret-4f1c"
#: A site's middleware around draft mode: Django's clickjacking protection, the draft-mode
#: middleware, the page cache.
MIDDLEWARE = [
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "datocms_app.preview.DraftModeMiddleware",
    "datocms_app.caching.PageCacheMiddleware",
]


@pytest.fixture(autouse=True)
def preview_site() -> Iterator[None]:
    """Every preview test runs on ``tests.preview.site`` with ``MIDDLEWARE``."""
    with override_settings(MIDDLEWARE=MIDDLEWARE, ROOT_URLCONF="tests.preview.site"):
        yield
