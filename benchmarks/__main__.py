"""`make bench`: run every benchmark (or those named on the command line), print one table."""

from __future__ import annotations

import importlib
import os
import sys

import django

BENCHMARKS = [
    "client_overhead",
    "image_render",
    "structured_text",
    "emulator_images",
    "emulator_query",
    "page_cache",
    "webhook_scale",
    "live_updates",
    "cma_writes",
    "snapshot",
]


def main(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    django.setup()
    from benchmarks._harness import print_table

    names = argv or BENCHMARKS
    rows = []
    for name in names:
        if name not in BENCHMARKS:
            print(f"unknown benchmark {name!r}; known: {', '.join(BENCHMARKS)}", file=sys.stderr)
            return 2
        print(f"running {name} ...", file=sys.stderr, flush=True)
        module = importlib.import_module(f"benchmarks.{name}")
        rows.extend(module.run())
    print_table(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
