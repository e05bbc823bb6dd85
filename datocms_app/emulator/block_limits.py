"""DatoCMS's technical limits on blocks (Content Management API > Technical Limits).

A record holds at most ``MAX_BLOCKS`` blocks, nested ones included, and blocks nest at most
``MAX_DEPTH`` levels (a block in a record's field is level 1, a block inside it level 2...).
``check_block_limits`` raises ``TechnicalLimitReached`` for a version beyond either; every
content change goes through it (``changes``). Loading a content project does not.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from datocms_app.emulator.exceptions import TechnicalLimitReached
from datocms_app.emulator.project import Model, ProjectSchema, RecordVersion
from datocms_app.emulator.values import nested_block_ids

__all__ = ["MAX_BLOCKS", "MAX_DEPTH", "check_block_limits", "nesting_depth"]

MAX_BLOCKS = 500
MAX_DEPTH = 5


def nesting_depth(schema: ProjectSchema, model: Model, version: RecordVersion) -> int:
    """How many levels of blocks the version has (0: no blocks)."""

    def depth(owner: Model, fields: Mapping[str, Any], seen: frozenset[str]) -> int:
        deepest = 0
        for block_id in nested_block_ids(owner, fields):
            block = version.blocks.get(block_id)
            if block is None or block_id in seen:
                continue
            inner = depth(schema.models[block.model], block.fields, seen | {block_id})
            deepest = max(deepest, 1 + inner)
        return deepest

    return depth(model, version.fields, frozenset())


def check_block_limits(schema: ProjectSchema, model: Model, version: RecordVersion) -> None:
    count = len(version.blocks)
    if count > MAX_BLOCKS:
        raise TechnicalLimitReached(
            f"A record can hold at most {MAX_BLOCKS} blocks (nested ones included); this one "
            f"would hold {count}. Split the content across records.",
            limit="blocks_per_record",
            maximum=MAX_BLOCKS,
        )
    depth = nesting_depth(schema, model, version)
    if depth > MAX_DEPTH:
        raise TechnicalLimitReached(
            f"Blocks can be nested at most {MAX_DEPTH} levels deep; this record nests them "
            f"{depth} levels deep.",
            limit="block_nesting_depth",
            maximum=MAX_DEPTH,
        )
