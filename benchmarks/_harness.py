"""Small timing harness: medians of several rounds, ratios against an anchor, one table."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class Row:
    name: str
    ours: float
    anchor: float
    unit: str
    anchor_name: str
    target: str
    higher_is_better: bool

    @property
    def ratio(self) -> float:
        return self.ours / self.anchor if self.anchor else float("nan")


def per_second(func: Callable[[], object], *, rounds: int = 7, seconds: float = 0.3) -> float:
    """Median calls per second of ``func`` over ``rounds`` rounds of about ``seconds`` each."""
    # Calibrate the batch so each round lasts about ``seconds``.
    batch = 1
    while True:
        started = time.perf_counter()
        for _ in range(batch):
            func()
        elapsed = time.perf_counter() - started
        if elapsed >= seconds / 4:
            break
        batch *= 2
    batch = max(1, int(batch * seconds / max(elapsed, 1e-9)))
    rates = []
    for _ in range(rounds):
        started = time.perf_counter()
        for _ in range(batch):
            func()
        rates.append(batch / (time.perf_counter() - started))
    return statistics.median(rates)


def print_table(rows: list[Row]) -> None:
    headers = ("benchmark", "ours", "anchor", "anchor is", "ratio", "target")
    lines = [
        (
            row.name,
            f"{row.ours:,.1f} {row.unit}",
            f"{row.anchor:,.1f} {row.unit}",
            row.anchor_name,
            f"{row.ratio:.3f}",
            row.target,
        )
        for row in rows
    ]
    widths = [max(len(str(x)) for x in column) for column in zip(headers, *lines, strict=False)]
    print("  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)))
    print("  ".join("-" * w for w in widths))
    for line in lines:
        print("  ".join(str(x).ljust(w) for x, w in zip(line, widths, strict=True)))
