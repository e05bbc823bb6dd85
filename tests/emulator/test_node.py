"""DatoCMS's own npm client, ``@datocms/cda-client``, against ``manage.py datocms_emulator``.

Starts the real command in a subprocess on a free loopback port, runs
``node/cda_client.mjs`` and checks what the client saw: data, cache tags, drafts, strict
mode, environments, introspection, auto-pagination and the three kinds of errors. Needs
node and ``tools/node/node_modules`` (``make node``): skipped on a laptop without them,
failed under ``CI=true``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings

from datocms_app.emulator import cache_tags
from tests.services import require_service

ROOT = Path(settings.BASE_DIR)
NODE_PACKAGE = ROOT / "tools" / "node" / "package.json"
CLIENT = ROOT / "tools" / "node" / "node_modules" / "@datocms" / "cda-client" / "package.json"
SCRIPT = Path(__file__).parent / "node" / "cda_client.mjs"
TOKEN = "node-test-token"


@pytest.fixture
def standalone() -> Iterator[str]:
    """``manage.py datocms_emulator --port 0`` running; yields its CDA endpoint."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings", "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "manage.py"), "datocms_emulator", "--port", "0",
         "--token", TOKEN],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        assert process.stdout is not None
        endpoint = None
        seen = []
        for line in process.stdout:
            seen.append(line)
            found = re.search(r"CDA endpoint\s+POST (http://127\.0\.0\.1:\d+/)", line)
            if found:
                endpoint = found.group(1)
                break
        assert endpoint, "the emulator did not start:\n" + "".join(seen)
        yield endpoint
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout is not None:
            process.stdout.close()


def test_datocms_cda_client_against_the_standalone_emulator(standalone: str) -> None:
    node = shutil.which("node")
    require_service("node", node is not None, "'node' (v18+) is not installed")
    require_service(
        "@datocms/cda-client",
        CLIENT.is_file(),
        "tools/node/node_modules is missing: run `make node`",
    )
    assert node is not None
    completed = subprocess.run(
        [node, str(SCRIPT), str(NODE_PACKAGE), standalone, TOKEN],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert completed.returncode == 0, completed.stderr
    seen = json.loads(completed.stdout)
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
