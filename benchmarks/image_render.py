"""Image rendering: ``render_image`` and ``{% datocms_image %}`` vs Node's ``<RSCImage>``.

The anchor is react-datocms' server-side image component rendered with react-dom/server's
``renderToStaticMarkup`` (``benchmarks/node/image_render.mjs``, NODE_ENV=production, timed
inside node after a warm-up). Both sides render the same ``responsiveImage`` objects, and
the markup is checked for parity before anything is timed. Targets: >= 50,000 renders/s and
at least Node's throughput (ratio >= 1, higher is better).

Cases: a typical CDA object (``srcSet``, ``base64``, ``sizes`` queried), and one without
``srcSet``, whose candidate list is generated from ``src`` (we memoise that per
``src``/``width``/candidates, as a page re-rendering the same image would hit it). The
template-tag row renders a page of 20 ``{% datocms_image %}`` and counts images, so the
per-template setup of ``Template.render`` is shared as on a real page.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.template import Context, Template

from benchmarks._harness import Row, node_results, per_second
from datocms_app.images import render_image

NODE_SCRIPT = Path(__file__).parent / "node" / "image_render.mjs"
ASSET = "https://www.datocms-assets.com/205/1700000000-hero-harbour.jpg"
BASE64 = (
    "data:image/jpeg;base64,/9j/4AAQSkZJRgABAgAAAQABAAD/2wBDAAgGBgcGBQgHBwcJCQgKDBQNDAsLDBkSEw8U"
    "HRofHh0aHBwgJC4nICIsIxwcKDcpLDAxNDQ0Hyc5PTgyPC4zNDL/2wBDAQkJCQwLDBgNDRgyIRwhMjIyMjIyMjIy"
    "MjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjL/wAARCAAKAA0DASIAAhEBAxEB/8QAFwAAAwEAAA"
    "AAAAAAAAAAAAAAAAUGBP/EAB4QAAICAgIDAAAAAAAAAAAAAAECAwQABREhEjFB/8QAFQEBAQAAAAAAAAAAAAAAAAA"
    "AAwT/xAAZEQADAQEBAAAAAAAAAAAAAAABAhEAAyH/2gAMAwEAAhEDEQA/ANbqb2pNRmF0xUgk2R2PxYUc9tZ/9k="
)
QUERY = "auto=format&fit=crop&h=675&w=1200"
CDA_IMAGE: dict[str, Any] = {
    "src": f"{ASSET}?{QUERY}",
    "srcSet": ",".join(
        f"{ASSET}?auto=format&dpr={dpr}&fit=crop&h=675&w=1200 {int(1200 * dpr)}w"
        for dpr in (0.25, 0.5, 0.75, 1.5, 2)
    )
    + f",{ASSET}?{QUERY} 1200w",
    "width": 1200,
    "height": 675,
    "alt": "The harbour at dawn",
    "title": "Harbour",
    "base64": BASE64,
    "sizes": "(max-width: 1200px) 100vw, 1200px",
}
CASES: list[dict[str, Any]] = [
    {"name": "cda", "data": CDA_IMAGE, "props": {}},
    {
        "name": "generated",
        "data": {key: value for key, value in CDA_IMAGE.items() if key != "srcSet"},
        "props": {},
    },
]
TARGET = ">= 50,000/s and ratio >= 1"
PAGE_IMAGES = 20
ALTERNATIONS = 3


def _react_to_html(markup: str) -> str:
    for dom_name in ("srcSet", "referrerPolicy", "fetchPriority"):
        markup = markup.replace(f" {dom_name}=", f" {dom_name.lower()}=")
    return markup.replace("/>", ">")


def _without_our_extras(markup: str) -> str:
    return re.sub(r' (?:width|height)="\d+"', "", markup).replace(' decoding="async"', "")


def _check_parity(node: dict[str, Any]) -> None:
    for case in CASES:
        html = _without_our_extras(render_image(case["data"]))
        if html != _react_to_html(node[case["name"]]["html"]):
            print(f"image_render: markup differs from RSCImage for {case['name']}", file=sys.stderr)


#: Programs this benchmark runs (checked before any benchmark starts).
REQUIRES = ("node",)


def run() -> list[Row]:
    # The tag as pages use it: 20 images in one template (a gallery, a list of articles),
    # so Template.render's own per-template setup is shared as it is on a real page.
    template = Template(
        "{% load datocms %}{% for image in images %}"
        "{% datocms_image image sizes='(max-width: 1200px) 100vw, 1200px' %}{% endfor %}"
    )
    context = Context({"images": [CDA_IMAGE] * PAGE_IMAGES})
    assert template.render(context) == render_image(CDA_IMAGE) * PAGE_IMAGES
    measures: dict[str, Callable[[], object]] = {
        "cda": lambda: render_image(CDA_IMAGE),
        "generated": lambda data=CASES[1]["data"]: render_image(data),
        "tag": lambda: template.render(context),
    }
    # Alternate node and Python runs so that drift in machine load hits both sides alike.
    # Each run reports the median of its rounds; the table shows the best run of each side
    # (load from other processes only ever slows a run down).
    ours: dict[str, list[float]] = {name: [] for name in measures}
    anchors: dict[str, list[float]] = {case["name"]: [] for case in CASES}
    for attempt in range(ALTERNATIONS):
        node = node_results(NODE_SCRIPT, CASES, rounds=5, seconds=0.2)
        if attempt == 0:
            _check_parity(node)
        for name, result in node.items():
            anchors[name].append(result["rate"])
        for name, measure in measures.items():
            ours[name].append(per_second(measure, rounds=5, seconds=0.2))
    ours["tag"] = [rate * PAGE_IMAGES for rate in ours["tag"]]

    def row(name: str, our_key: str, anchor_key: str) -> Row:
        return Row(
            name=name,
            ours=max(ours[our_key]),
            anchor=max(anchors[anchor_key]),
            unit="/s",
            anchor_name="node renderToStaticMarkup(<RSCImage>)",
            target=TARGET,
            higher_is_better=True,
        )

    return [
        row("render_image(): renders/s (typical CDA responsiveImage)", "cda", "cda"),
        row("{% datocms_image %}: renders/s (same, 20 per page template)", "tag", "cda"),
        row("render_image(): renders/s (srcset generated from src)", "generated", "generated"),
    ]
