"""How DatoCMS names GraphQL things after a schema's API keys.

``blog_post`` becomes the type ``BlogPostRecord``, the queries ``blogPost``,
``allBlogPosts`` and ``_allBlogPostsMeta``; the field ``hero_title`` becomes ``heroTitle``.
Collection names follow English plural rules (DatoCMS runs on Rails, whose inflector these
rules mirror for the cases a content model meets). Pure functions, no state.
"""

from __future__ import annotations

import re

__all__ = [
    "camel",
    "collection_query",
    "locale_enum_name",
    "meta_query",
    "pascal",
    "pluralize",
    "record_type",
]

_IRREGULAR = {
    "person": "people",
    "man": "men",
    "woman": "women",
    "child": "children",
    "tooth": "teeth",
    "foot": "feet",
    "mouse": "mice",
    "goose": "geese",
    "ox": "oxen",
    "quiz": "quizzes",
}
_UNCOUNTABLE = frozenset(
    {"equipment", "information", "rice", "money", "species", "series", "fish", "sheep",
     "jeans", "police", "news", "media", "data", "metadata", "feedback"}
)  # fmt: skip
_RULES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(pattern), replacement)
    for pattern, replacement in [
        (r"(?i)(matr|vert|ind)(?:ix|ex)$", r"\1ices"),
        (r"(?i)(x|ch|ss|sh|zz)$", r"\1es"),
        (r"(?i)([^aeiouy]|qu)y$", r"\1ies"),
        (r"(?i)(?:([^f])fe|([lr])f)$", r"\1\2ves"),
        (r"(?i)sis$", "ses"),
        (r"(?i)([ti])um$", r"\1a"),
        (r"(?i)(buffal|tomat|potat|her)o$", r"\1oes"),
        (r"(?i)(bu|statu|alia|octop|vir|campu)s$", r"\1ses"),
        (r"(?i)s$", "s"),
    ]
]


def pluralize(word: str) -> str:
    """The English plural of one lowercase word (``category`` -> ``categories``)."""
    lowered = word.lower()
    if not word or lowered in _UNCOUNTABLE:
        return word
    if lowered in _IRREGULAR:
        return _IRREGULAR[lowered]
    for pattern, replacement in _RULES:
        if pattern.search(word):
            return pattern.sub(replacement, word, count=1)
    return word + "s"


def camel(api_key: str) -> str:
    """``hero_title`` -> ``heroTitle`` (GraphQL field names); a leading underscore stays, as
    in the meta fields' names (``_created_at`` -> ``_createdAt``)."""
    words = api_key.lstrip("_")
    head, *rest = words.split("_")
    underscores = api_key[: len(api_key) - len(words)]
    return underscores + head + "".join(part[:1].upper() + part[1:] for part in rest)


def pascal(api_key: str) -> str:
    """``blog_post`` -> ``BlogPost``."""
    return "".join(part[:1].upper() + part[1:] for part in api_key.split("_"))


def record_type(model_api_key: str) -> str:
    """The GraphQL object type of a model's records: ``blog_post`` -> ``BlogPostRecord``."""
    return f"{pascal(model_api_key)}Record"


def collection_query(model_api_key: str) -> str:
    """``blog_post`` -> ``allBlogPosts``: the last word of the API key is pluralized."""
    *head, last = model_api_key.split("_")
    return "all" + pascal("_".join([*head, pluralize(last)]))


def meta_query(model_api_key: str) -> str:
    """``blog_post`` -> ``_allBlogPostsMeta``."""
    return f"_{collection_query(model_api_key)}Meta"


def locale_enum_name(locale: str) -> str:
    """A locale code as a ``SiteLocale`` enum value name (``en-US`` -> ``en_US``)."""
    return locale.replace("-", "_")
