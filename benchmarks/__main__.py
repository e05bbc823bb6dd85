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
    from benchmarks._harness import missing_tools, print_table

    names = argv or BENCHMARKS
    unknown = [name for name in names if name not in BENCHMARKS]
    if unknown:
        print(f"unknown benchmark {unknown[0]!r}; known: {', '.join(BENCHMARKS)}", file=sys.stderr)
        return 2
    modules = [importlib.import_module(f"benchmarks.{name}") for name in names]
    # Check every program the chosen benchmarks run before the first one starts.
    missing = missing_tools(
        {name: getattr(module, "REQUIRES", ()) for name, module in zip(names, modules, strict=True)}
    )
    if missing:
        print("make bench: programs are missing\n" + "\n".join(missing), file=sys.stderr)
        return 2
    rows = []
    for name, module in zip(names, modules, strict=True):
        print(f"running {name} ...", file=sys.stderr, flush=True)
        rows.extend(module.run())
    print_table(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
