"""Fixtures of the preview tests: a site with the draft-mode middleware, and its content.

The fake CDA and the isolated caches come from the root ``conftest``.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.test import override_settings

from tests.caching.fake_cda import FakeCDA
from tests.preview.site import ITEMS, NAV

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


@pytest.fixture
def content(fake_cda: FakeCDA) -> FakeCDA:
    """The fake CDA answering the site's two queries (``allItems`` as long as ``$first``)."""
    fake_cda.content[NAV] = ({"allPages": [{"title": "Home"}]}, ["nav-tag"])
    fake_cda.content[ITEMS] = lambda variables: (
        {"allItems": [{"id": str(n)} for n in range(variables.get("first", 1))]},
        ["items-tag"],
    )
    return fake_cda
