"""Emulator: one CDA request for a typical page vs graphql-core serving the same answer.

Ours: ``Emulator.handle`` on the demo content — auth and header checks, the cached parsed
document, resolvers with filtering, ordering, locales and links, cache tags, JSON encoding.
Anchor: graphql-core executing the same (pre-parsed) query against a schema built from SDL
whose root value already holds the answer, then ``json.dumps`` — the floor of any Python
GraphQL server. The ratio is what content resolution and the protocol cost on top of it.
Target: time ratio <= 3.
"""

from __future__ import annotations

import json

from graphql import build_schema, execute, parse

from benchmarks._harness import Row, per_second
from datocms_app.emulator.conf import get_emulator_settings
from datocms_app.emulator.content_dir import content_directory
from datocms_app.emulator.server import Emulator, EmulatorRequest

QUERY = """query Page($slug: String) {
  article(locale: it, fallbackLocales: [en], filter: {slug: {eq: $slug}}) {
    id title slug excerpt publishedAt author { name slug } category { name slug }
  }
  more: allArticles(locale: it, fallbackLocales: [en], first: 6, orderBy: publishedAt_DESC,
                    filter: {slug: {neq: $slug}}) {
    id title slug publishedAt author { name } category { name }
  }
  _allArticlesMeta { count }
}"""
VARIABLES = {"slug": "attraversare-le-alpi-a-piedi"}

#: The same selection, without arguments: the anchor's root value already holds the answer.
ANCHOR_QUERY = """{
  article { id title slug excerpt publishedAt author { name slug } category { name slug } }
  more { id title slug publishedAt author { name } category { name } }
  _allArticlesMeta { count }
}"""

SDL = """
type Query { article(slug: String): Article, more: [Article!]!, _allArticlesMeta: Meta! }
type Article { id: String! title: String slug: String excerpt: String publishedAt: String
               author: Person category: Category }
type Person { name: String slug: String }
type Category { name: String slug: String }
type Meta { count: Int! }
"""


def run() -> list[Row]:
    # The demo's content project as the settings name it (PREPARE paints its pictures).
    emulator = Emulator.from_directory(content_directory(get_emulator_settings()))
    body = json.dumps({"query": QUERY, "variables": VARIABLES}).encode()
    request = EmulatorRequest(
        "POST", "/", headers={"authorization": "Bearer emulator", "x-cache-tags": "true"},
        body=body,
    )  # fmt: skip
    answer = emulator.handle(request).json()
    assert "errors" not in answer, answer

    schema = build_schema(SDL)
    document = parse(ANCHOR_QUERY)
    root = answer["data"]

    def ours() -> object:
        return emulator.handle(request).body

    def anchor() -> object:
        result = execute(schema, document, root_value=root)
        return json.dumps({"data": result.data}, separators=(",", ":")).encode()  # type: ignore[union-attr]

    assert json.loads(anchor()) == answer
    ours_rates, anchor_rates = [], []
    for _ in range(3):
        ours_rates.append(per_second(ours, rounds=3))
        anchor_rates.append(per_second(anchor, rounds=3))
    ours_rate, anchor_rate = sorted(ours_rates)[1], sorted(anchor_rates)[1]
    emulator.webhooks.close()
    return [
        Row(
            name="Emulator: time per CDA request (article page, demo content)",
            ours=1e6 / ours_rate,
            anchor=1e6 / anchor_rate,
            unit="µs",
            anchor_name="graphql-core execute of the same answer + json.dumps",
            target="ratio <= 3",
            higher_is_better=False,
        )
    ]
