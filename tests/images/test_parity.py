"""Parity with the npm reference: react-datocms' <RSCImage> and renderMetaTags.

``parity/fixtures.json`` holds what react-dom/server's ``renderToStaticMarkup`` writes for
each case of ``parity/cases.json`` (regenerate with ``node tests/images/parity/generate.mjs``
after ``make node``). The comparison is on the exact bytes, after two documented
normalisations: React spells attribute names as DOM properties (``srcSet``,
``referrerPolicy``, ``fetchPriority``; HTML is case-insensitive) and closes void elements
with ``/>``; we add ``width``, ``height`` and ``decoding`` to the ``<img>``.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from datocms_app.images import render_image
from datocms_app.seo import render_meta_tags, seo_dict
from tests.services import require_service

PARITY = Path(__file__).parent / "parity"
CASES = json.loads((PARITY / "cases.json").read_text())
FIXTURES = json.loads((PARITY / "fixtures.json").read_text())
ROOT = Path(__file__).parents[2]

PROP_NAMES = {
    "sizes": "sizes",
    "priority": "priority",
    "usePlaceholder": "use_placeholder",
    "srcSetCandidates": "srcset_candidates",
    "referrerPolicy": "referrer_policy",
    "pictureClassName": "picture_class",
    "imgClassName": "img_class",
    "pictureStyle": "picture_style",
    "imgStyle": "img_style",
}


def react_to_html(markup: str) -> str:
    for dom_name, html_name in (
        ("srcSet=", "srcset="),
        ("referrerPolicy=", "referrerpolicy="),
        ("fetchPriority=", "fetchpriority="),
    ):
        markup = markup.replace(f" {dom_name}", f" {html_name}")
    return markup.replace("/>", ">")


def without_our_extras(markup: str) -> str:
    markup = re.sub(r' (?:width|height)="\d+"', "", markup)
    return markup.replace(' decoding="async"', "")


def image_case(name: str) -> dict[str, Any]:
    return next(case for case in CASES["images"] if case["name"] == name)


@pytest.mark.parametrize("fixture", FIXTURES["images"], ids=lambda fixture: fixture["name"])
def test_render_image_matches_rscimage(fixture: dict[str, Any]) -> None:
    case = image_case(fixture["name"])
    options = {PROP_NAMES[prop]: value for prop, value in case["props"].items()}

    ours = render_image(case["data"], **options)

    assert without_our_extras(ours) == react_to_html(fixture["html"])


def test_every_case_has_a_fixture() -> None:
    assert [case["name"] for case in CASES["images"]] == [f["name"] for f in FIXTURES["images"]]
    assert [case["name"] for case in CASES["meta_tags"]] == [
        f["name"] for f in FIXTURES["meta_tags"]
    ]


def test_normalisation_only_removes_our_extra_attributes() -> None:
    ours = render_image({"src": "/a.jpg", "srcSet": "/a.jpg 1x", "width": 10, "height": 20})
    assert without_our_extras(ours) == ours.replace(' width="10" height="20"', "").replace(
        ' decoding="async"', ""
    )
    assert "width:100%;max-width:10px" in without_our_extras(ours)


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.items: list[tuple[str, Any]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.items.append(("start", tag, attrs))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        self.items.append(("end", tag))

    def handle_data(self, data: str) -> None:
        if data.strip():
            self.items.append(("text", data))


def elements(markup: str) -> list[tuple[str, Any]]:
    parser = _Elements()
    parser.feed(markup)
    parser.close()
    return parser.items


@pytest.mark.parametrize("fixture", FIXTURES["meta_tags"], ids=lambda fixture: fixture["name"])
def test_render_meta_tags_matches_render_meta_tags(fixture: dict[str, Any]) -> None:
    tags = next(case for case in CASES["meta_tags"] if case["name"] == fixture["name"])["tags"]

    ours = render_meta_tags(tags)

    # Same elements, attributes (in order) and decoded values as React's output.
    assert elements(ours) == elements(fixture["html"])


def test_meta_tags_escape_where_render_meta_tags_to_string_does_not() -> None:
    fixture = next(f for f in FIXTURES["meta_tags"] if f["name"] == "escaping")
    tags = next(case for case in CASES["meta_tags"] if case["name"] == "escaping")["tags"]

    ours = render_meta_tags(tags)

    # The reference's string renderer lets the title close itself and a script run...
    assert "<script>alert(1)</script>" in fixture["to_string"]
    # ...ours never writes a tag from content.
    assert "<script>" not in ours
    assert ours == (
        "<title>&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; 'x'</title>\n"
        '<meta property="og:title" content="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;">\n'
        '<link rel="icon" sizes="32x32" type="image/png" '
        'href="https://x.test/f.png?a=1&amp;b=&quot;2&quot;">'
    )


def test_seo_dict_agrees_with_to_next_metadata() -> None:
    fixture = next(f for f in FIXTURES["meta_tags"] if f["name"] == "seo_and_favicon")
    tags = next(case for case in CASES["meta_tags"] if case["name"] == "seo_and_favicon")["tags"]
    nextjs = fixture["next_metadata"]

    ours = seo_dict(tags)

    assert ours["title"] == nextjs["title"]
    assert ours["description"] == nextjs["description"]
    assert ours["og"]["title"] == nextjs["openGraph"]["title"]
    assert ours["og"]["description"] == nextjs["openGraph"]["description"]
    assert ours["og"]["image"] == nextjs["openGraph"]["images"]["url"]
    assert ours["og"]["image_width"] == nextjs["openGraph"]["images"]["width"]
    assert ours["og"]["site_name"] == nextjs["openGraph"]["siteName"]
    assert {key: ours["twitter"][key] for key in nextjs["twitter"]} == nextjs["twitter"]
    assert ours["meta"]["robots"] == nextjs["robots"]
    assert ours["meta"]["theme_color"] == nextjs["theme-color"]
    icons = [icon for icon in ours["icons"] if icon["rel"] == "icon"]
    assert [(i["href"], i["sizes"], i["type"]) for i in icons] == [
        (i["url"], i["sizes"], i["type"]) for i in nextjs["icons"]["icon"]
    ]
    apple = [icon for icon in ours["icons"] if icon["rel"] == "apple-touch-icon"]
    assert [(i["href"], i["sizes"]) for i in apple] == [
        (i["url"], i["sizes"]) for i in nextjs["icons"]["apple"]
    ]


NODE_MODULES = ROOT / "tools" / "node" / "node_modules"


def test_committed_fixtures_are_current(tmp_path: Path) -> None:
    require_service(
        "node and react-datocms",
        bool(shutil.which("node")) and (NODE_MODULES / "react-datocms").is_dir(),
        "node or tools/node/node_modules missing (run `make node`); fixtures are committed",
    )
    output = tmp_path / "fixtures.json"
    subprocess.run(
        ["node", str(PARITY / "generate.mjs"), str(output)], check=True, capture_output=True
    )
    assert json.loads(output.read_text()) == FIXTURES
