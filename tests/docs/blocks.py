"""The fenced code blocks of the README and docs/*.md, and which of them are runnable.

A block is runnable when its info string has the word ``runnable`` after the language; the
words after it are its flags (``settings``, ``quickstart``). docs/README.md ("Runnable code
blocks") says what the tests do with each kind. This module only reads the Markdown: it never
runs anything.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
#: Every page whose runnable blocks are run: the README, then docs/ in name order.
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]

_FENCE = re.compile(r"^(?P<indent> *)(?P<fence>`{3,}|~{3,})(?P<info>[^`]*)$")
# A first line naming a file of the project: "# mysite/settings.py, at the end",
# "{# templates/article.html #}".
_PYTHON_TARGET = re.compile(r"^#\s+(?P<path>[\w.-]+/[\w./-]+\.py)\b(?P<rest>.*)$")
_TEMPLATE_TARGET = re.compile(r"^\{#\s+(?P<path>[\w./-]+\.html)\s*#\}$")

#: The runnable kinds the tests know: (language, flags).
KINDS = frozenset(
    {
        ("python", ()),
        ("python", ("settings",)),
        ("django", ()),
        ("graphql", ()),
        ("sh", ()),
        ("python", ("quickstart",)),
        ("django", ("quickstart",)),
        ("sh", ("quickstart",)),
    }
)


@dataclass(frozen=True)
class Block:
    """One fenced code block of a page."""

    page: Path
    line: int  # of the opening fence, counted from 1
    language: str
    runnable: bool
    flags: tuple[str, ...]
    source: str

    @property
    def where(self) -> str:
        return f"{self.page.relative_to(ROOT)}:{self.line}"

    @property
    def kind(self) -> tuple[str, tuple[str, ...]]:
        return (self.language, self.flags)

    @property
    def target(self) -> str | None:
        """The project file the block's first line names, or None."""
        first = self.source.split("\n", 1)[0].strip()
        match = _PYTHON_TARGET.match(first) or _TEMPLATE_TARGET.match(first)
        return match["path"] if match else None

    @property
    def appends(self) -> bool:
        """Whether the first line says the block goes at the end of its file."""
        match = _PYTHON_TARGET.match(self.source.split("\n", 1)[0].strip())
        return bool(match and "at the end" in match["rest"])


def blocks_of(page: Path) -> list[Block]:
    """Every fenced block of ``page``, indented ones (in list items) dedented."""
    lines = page.read_text(encoding="utf-8").split("\n")
    blocks: list[Block] = []
    index = 0
    while index < len(lines):
        opening = _FENCE.match(lines[index])
        if opening is None:
            index += 1
            continue
        start = index
        indent, fence = opening["indent"], opening["fence"]
        words = opening["info"].split()
        body: list[str] = []
        index += 1
        while index < len(lines):
            closing = _FENCE.match(lines[index])
            if (
                closing is not None
                and closing["fence"][0] == fence[0]
                and len(closing["fence"]) >= len(fence)
                and not closing["info"].strip()
            ):
                break
            body.append(lines[index][len(indent) :] if lines[index].startswith(indent) else "")
            index += 1
        else:
            raise ValueError(f"{page}: the block opened at line {start + 1} is never closed")
        runnable = "runnable" in words
        blocks.append(
            Block(
                page=page,
                line=start + 1,
                language=words[0] if words else "",
                runnable=runnable,
                flags=tuple(words[words.index("runnable") + 1 :]) if runnable else (),
                source=textwrap.dedent("\n".join(body)).strip("\n") + "\n",
            )
        )
        index += 1
    return blocks


def runnable_blocks(page: Path) -> list[Block]:
    return [block for block in blocks_of(page) if block.runnable]


def section(page: Path, title: str) -> str:
    """The text of the ``## title`` section of ``page`` (up to the next ``## ``)."""
    text = page.read_text(encoding="utf-8")
    start = text.index(f"\n## {title}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else len(text)]
