"""DatoCMS's own npm client, ``@datocms/cda-client``, against ``manage.py datocms_emulator``.

Starts the real command in a subprocess on a free loopback port, runs
``node/cda_client.mjs`` and checks what the client saw: data, cache tags, drafts, strict
mode, environments, introspection, auto-pagination and the three kinds of errors. Needs
node and ``tools/node/node_modules`` (``make node``): skipped on a laptop without them,
failed under ``CI=true``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from datocms_app.emulator import cache_tags
from tests.emulator.standalone import node_script, standalone

TOKEN = "node-test-token"


@pytest.fixture
def endpoint() -> Iterator[str]:
    with standalone("--token", TOKEN) as url:
        yield url


def test_datocms_cda_client_against_the_standalone_emulator(endpoint: str) -> None:
    seen = node_script("cda_client.mjs", endpoint, TOKEN, package="@datocms/cda-client")
    assert seen["query"] == {"allArticles": [{"slug": "crossing-the-alps-on-foot"},
                                             {"slug": "the-city-after-two"}]}  # fmt: skip
    assert seen["home"] == {"home": {"heroTitle": "Go somewhere. Pay attention."}}
    assert sorted(seen["cacheTags"]) == sorted(
        [cache_tags.collection_tag("published", "home"), cache_tags.record_tag("published", "home"),
         cache_tags.schema_tag()]
    )  # fmt: skip
    assert re.fullmatch(r"[0-9a-f-]{36}", seen["requestId"])
    assert seen["published"] == {"article": None}
    assert seen["drafts"] == {"article": {"_status": "draft"}}
    assert seen["strict"] == {"_allArticlesMeta": {"count": 7}}
    assert seen["environment"] == {"_site": {"locales": ["en", "it"]}}
    assert seen["schema"] == {"queryType": "Query", "hasArticleRecord": True}
    assert seen["autoPagination"] == 7
    bad_token = seen["badToken"]
    assert (bad_token["apiError"], bad_token["status"]) == (True, 401)
    assert bad_token["body"]["data"][0]["attributes"]["code"] == "INVALID_AUTHORIZATION_HEADER"
    bad_environment = seen["badEnvironment"]
    assert bad_environment["status"] == 422
    assert bad_environment["body"]["data"][0]["attributes"]["code"] == "INVALID_ENVIRONMENT"
    graphql_error = seen["graphqlError"]
    assert (graphql_error["apiError"], graphql_error["status"]) == (True, 200)
    assert graphql_error["body"]["errors"][0]["message"] == (
        "Cannot query field 'nope' on type 'Query'. Did you mean 'home'?"
    )
