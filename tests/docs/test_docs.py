"""The code of the README and docs/ runs as written, so the docs cannot rot.

Every fenced block marked ``runnable`` is run (the convention is in docs/README.md,
"Runnable code blocks"; the blocks are read by tests/docs/blocks.py and run by
tests/docs/runner.py):

- each page's Python, template, GraphQL and shell blocks, in order, against the embedded
  emulator serving the demo content (``test_page_runs``);
- the README's *Add to an existing project*, pasted into a fresh ``django-admin startproject``:
  ``manage.py check`` is clean and the site serves a post, its images and a 404 through the
  emulator (``test_the_quickstart_serves_a_post``); its settings block, run on its own, gives
  the settings it promises (``test_the_quickstart_settings_as_pasted``);
- every settings fragment of the docs, added to that project, passes ``manage.py check``
  (``test_settings_blocks_pass_the_checks``).

A few blocks are also checked for what they promise: the tutorial's view renders its article
with ``{% datocms_image %}`` blocks and answers 404 for a missing one; the webhook ``curl`` of
caching.md gets the answer printed under it. The reference's tables are compared with the
code in tests/docs/test_reference.py.
"""

from __future__ import annotations

import json
import re
import shlex
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from asgiref.sync import async_to_sync
from django.http import Http404
from django.test import Client, RequestFactory, override_settings

from datocms_app.conf import DatoCMSSettings
from tests.demo_content import demo_datocms
from tests.docs.blocks import KINDS, PAGES, ROOT, Block, blocks_of, runnable_blocks
from tests.docs.runner import (
    build_quickstart,
    check_settings_blocks,
    manage,
    running_page,
    serving,
)

DOCS = ROOT / "docs"
IN_PROCESS = [
    page
    for page in PAGES
    if any(not {"quickstart", "settings"} & set(b.flags) for b in runnable_blocks(page))
]
WITH_SETTINGS = [
    page for page in PAGES if any("settings" in b.flags for b in runnable_blocks(page))
]


def ids(pages: list[Path]) -> list[str]:
    return [page.name for page in pages]


# -- the convention ----------------------------------------------------------------------------


def test_every_runnable_block_is_of_a_known_kind() -> None:
    unknown = [
        (block.where, block.kind)
        for page in PAGES
        for block in runnable_blocks(page)
        if block.kind not in KINDS
    ]
    assert unknown == []


def test_the_pages_that_teach_have_runnable_code() -> None:
    names = ["README.md", "docs/tutorial.md", "docs/caching.md", "docs/deployment.md",
             "docs/preview.md", "docs/cma.md", "docs/reference.md"]  # fmt: skip
    counts = {str(page.relative_to(ROOT)): len(runnable_blocks(page)) for page in PAGES}
    assert [name for name in names if not counts.get(name)] == []
    assert sum(counts.values()) >= 30


def test_blocks_are_read_with_their_language_flags_and_file() -> None:
    readme = {block.line: block for block in blocks_of(ROOT / "README.md")}
    settings_block = next(b for b in readme.values() if b.target == "mysite/settings.py")
    assert (settings_block.language, settings_block.flags, settings_block.appends) == (
        "python",
        ("quickstart",),
        True,
    )
    assert settings_block.source.startswith("# mysite/settings.py, at the end\nimport environ\n")
    two_commands = next(iter(readme.values()))
    assert (two_commands.language, two_commands.runnable) == ("sh", False)


# -- each page, in this process ------------------------------------------------------------------


@pytest.mark.parametrize("page", IN_PROCESS, ids=ids(IN_PROCESS))
def test_page_runs(page: Path, tmp_path: Path) -> None:
    with running_page(page, tmp_path) as run:
        assert run.namespace  # every block ran; a failing one raised with its page and line


def call(view: Any, slug: str) -> Any:
    return view(RequestFactory().get(f"/articles/{slug}/"), slug=slug)


def test_the_tutorial_view_renders_its_article_and_404s(tmp_path: Path) -> None:
    with running_page(DOCS / "tutorial.md", tmp_path) as run:
        article = run.namespace["article"]
        response = call(article, "crossing-the-alps-on-foot")
        html = response.content.decode()
        assert response.status_code == 200
        assert "<h1>Crossing the Alps on foot</h1>" in html
        # the block templates of the page render each image block with datocms_image
        figures = re.findall(r"<figure.*?</figure>", html, re.DOTALL)
        assert len(figures) == 2
        assert all("<picture>" in figure and "srcset=" in figure for figure in figures)
        assert '<figure class="gallery">' in figures[1]
        assert '<meta property="og:title" content="Crossing the Alps on foot">' in html
        assert 'fetchpriority="high"' in html  # the cover, priority=True
        with pytest.raises(Http404) as missing:
            call(article, "no-such-article")
        assert str(missing.value) == "No article has the slug 'no-such-article'."
        response = async_to_sync(run.namespace["article_async"])(
            RequestFactory().get("/"), slug="desert-light"
        )
        assert "<h1>Desert light</h1>" in response.content.decode()


def test_the_tutorial_block_template_uses_datocms_image() -> None:
    (block,) = [
        b
        for b in runnable_blocks(DOCS / "tutorial.md")
        if b.target == "templates/datocms/structured_text/blocks/image_block.html"
    ]
    assert "{% datocms_image record.image.responsiveImage" in block.source
    assert ".url" not in block.source


# -- the webhook curl of caching.md --------------------------------------------------------------


def curl_call(block: Block) -> tuple[dict[str, str], bytes]:
    """The headers and body of the ``curl`` in ``block``."""
    words = shlex.split(block.source.replace("\\\n", " "))
    headers = dict(
        words[index + 1].split(": ", 1) for index, word in enumerate(words) if word == "-H"
    )
    return headers, words[words.index("-d") + 1].encode()


def test_the_webhook_curl_gets_the_answer_shown() -> None:
    blocks = blocks_of(DOCS / "caching.md")
    index = next(i for i, b in enumerate(blocks) if b.source.startswith("curl "))
    headers, body = curl_call(blocks[index])
    answer = blocks[index + 1]
    assert answer.language == "json"
    assert headers == {
        "Content-Type": "application/json",
        "X-Webhook-Secret": "$DATOCMS_WEBHOOK_SECRET",
    }
    with override_settings(DATOCMS=demo_datocms(WEBHOOK_SECRET="s3cret")):
        response = Client().post(
            "/datocms/webhooks/cache-tags/",
            body,
            content_type=headers["Content-Type"],
            headers={"X-Webhook-Secret": "s3cret"},
        )
        refused = Client().post(
            "/datocms/webhooks/cache-tags/", body, content_type="application/json"
        )
    assert response.status_code == 200
    assert response.json() == json.loads(answer.source)
    assert refused.status_code == 401


# -- the quickstart, pasted into a fresh project --------------------------------------------------


@pytest.fixture(scope="session")
def quickstart(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    return build_quickstart(tmp_path_factory.mktemp("quickstart"))


@pytest.fixture
def quickstart_server(quickstart: tuple[Path, dict[str, str]], tmp_path: Path) -> Iterator[str]:
    project, env = quickstart
    with serving(project, env, tmp_path / "server.log") as url:
        yield url


def test_the_quickstart_checks_clean(quickstart: tuple[Path, dict[str, str]]) -> None:
    project, env = quickstart
    result = manage(project, env, "check", "--fail-level", "WARNING")
    assert (result.returncode, result.stdout, result.stderr) == (
        0,
        "System check identified no issues (0 silenced).\n",
        "",
    )


def test_the_quickstart_serves_a_post(quickstart_server: str) -> None:
    with httpx.Client(base_url=quickstart_server, timeout=30) as http:
        first = http.get("/posts/welcome/")
        second = http.get("/posts/welcome/")
        missing = http.get("/posts/no-such-post/")
        html = first.text
        images = re.findall(r'<img src="([^"]+)"', html)
        image = http.get(images[-1])
    assert first.status_code == 200, html
    assert "<h1>Welcome to your new site</h1>" in html
    assert "<title>Welcome to your new site" in html  # datocms_meta_tags
    (figure,) = re.findall(r"<figure>.*?</figure>", html, re.DOTALL)  # the image block
    assert "<picture>" in figure
    assert "srcset=" in figure
    assert (first.headers["X-DatoCMS-Cache"], second.headers["X-DatoCMS-Cache"]) == ("MISS", "HIT")
    assert len(images) == 2
    assert all(src.startswith("/datocms/emulator/assets/") for src in images)
    assert (image.status_code, image.headers["Content-Type"][:6]) == (200, "image/")
    assert missing.status_code == 404


def test_the_quickstart_settings_as_pasted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (block,) = [b for b in runnable_blocks(ROOT / "README.md") if b.target == "mysite/settings.py"]
    for name in (
        "DATOCMS_API_TOKEN",
        "DATOCMS_WEBHOOK_SECRET",
        "DATOCMS_PREVIEW_SECRET",
        "CACHE_URL",
    ):
        monkeypatch.delenv(name, raising=False)
    # what django-admin startproject's settings.py defines before the block
    namespace: dict[str, Any] = {"BASE_DIR": tmp_path, "TEMPLATES": [{"DIRS": []}]}
    exec(compile(block.source, block.where, "exec"), namespace)
    assert namespace["DATOCMS"] == {
        "API_TOKEN": "",
        "WEBHOOK_SECRET": "",
        "PREVIEW_SECRET": "",
        "EMULATOR": {"CONTENT_DIR": tmp_path / "content"},
    }
    DatoCMSSettings.from_settings(namespace["DATOCMS"])
    middleware = namespace["MIDDLEWARE"]
    assert middleware[-2:] == [
        "datocms_app.preview.DraftModeMiddleware",
        "datocms_app.caching.PageCacheMiddleware",
    ]
    assert '# "datocms_app.caching.LocaleMiddleware",' in block.source  # before the page cache
    assert namespace["INSTALLED_APPS"][-2:] == ["datocms_app", "datocms_app.emulator"]
    assert namespace["CACHES"] == {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": ""}
    }
    assert namespace["TEMPLATES"][0]["DIRS"] == [tmp_path / "templates"]
    monkeypatch.setenv("DATOCMS_API_TOKEN", "from-the-environment")
    exec(compile(block.source, block.where, "exec"), namespace)
    assert namespace["DATOCMS"]["API_TOKEN"] == "from-the-environment"


@pytest.mark.parametrize("page", WITH_SETTINGS, ids=ids(WITH_SETTINGS))
def test_settings_blocks_pass_the_checks(
    page: Path, quickstart: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    project, _env = quickstart
    assert check_settings_blocks(page, project, tmp_path) >= 1
