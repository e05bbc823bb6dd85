"""Small timing harness: medians of several rounds, ratios against an anchor, one table."""

from __future__ import annotations

import json
import shutil
import statistics
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass
class Row:
    name: str
    ours: float
    anchor: float
    unit: str
    anchor_name: str
    target: str
    higher_is_better: bool
    #: The ratio when it is not ``ours / anchor`` (e.g. the median of paired rounds' ratios).
    paired_ratio: float | None = None

    @property
    def ratio(self) -> float:
        if self.paired_ratio is not None:
            return self.paired_ratio
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


#: Programs a benchmark runs, with the Debian package that provides each.
TOOLS = {
    "node": "nodejs npm",
    "wrk": "wrk",
    "chromium": "chromium",
}


def missing_tools(needs: dict[str, tuple[str, ...]]) -> list[str]:
    """One line per benchmark whose programs are not installed (``needs``: name -> programs)."""
    lines = []
    for benchmark, programs in needs.items():
        absent = [program for program in programs if shutil.which(program) is None]
        if absent:
            packages = " ".join(TOOLS[program] for program in absent)
            lines.append(
                f"  {benchmark} needs {', '.join(absent)}: apt-get install {packages}"
                " (or run the others: make bench BENCH_ARGS='...')"
            )
    return lines


def node_results(
    script: Path, cases: list[dict[str, Any]], *, rounds: int, seconds: float
) -> dict[str, Any]:
    """Run a node anchor ``script`` on ``cases`` and return its results keyed by case name.

    The script reads ``{"cases", "rounds", "seconds"}`` as JSON on stdin and writes
    ``{"results": [{"name", ...}]}`` on stdout (see ``benchmarks/node/harness.mjs``). A
    benchmark that calls it lists ``node`` in its ``REQUIRES``, checked before any runs.
    """
    completed = subprocess.run(
        ["node", str(script)],
        input=json.dumps({"cases": cases, "rounds": rounds, "seconds": seconds}),
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        raise SystemExit(f"{script} failed:\n{completed.stderr}")
    return {result["name"]: result for result in json.loads(completed.stdout)["results"]}


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
