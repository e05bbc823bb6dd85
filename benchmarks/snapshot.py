"""Snapshot time for the demo project: ``take_snapshot`` over an emulator's CMA, in-process.

The demo's content project (16 records, 16 uploads with a video) is served by an emulator
and snapshotted through ``datocms_app.cma`` over its in-process transport: the site and
schema, every record in both versions (nested), every upload's file and the video's HLS
rendition and poster downloaded, each part checked, the files written and the result loaded
once as the emulator will. Median of ``ROUNDS`` snapshots; anchor: the target, 2 s.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from benchmarks._harness import Row
from datocms_app import cma
from datocms_app.emulator.embedded import EmulatorTransport
from datocms_app.emulator.server import Emulator
from datocms_app.emulator.snapshot import VideoURLs, take_snapshot
from project.content.artwork import paint_missing_images
from tests.demo_content import DEMO_CONTENT_DIR

ROUNDS = 5
TARGET_MS = 2000.0


def run() -> list[Row]:
    paint_missing_images(DEMO_CONTENT_DIR)
    emulator = Emulator.from_directory(DEMO_CONTENT_DIR, tokens=["bench"])
    times = []
    with (
        cma.Client(
            api_token="bench", base_url="http://emulator.invalid/cma",
            transport=EmulatorTransport(emulator),
        ) as client,
        tempfile.TemporaryDirectory(prefix="bench-snapshot-") as directory,
    ):  # fmt: skip
        for index in range(ROUNDS):
            started = time.perf_counter()
            report = take_snapshot(
                client, Path(directory) / f"content-{index}",
                video_urls=VideoURLs.below("http://emulator.invalid/video"),
            )  # fmt: skip
            times.append((time.perf_counter() - started) * 1000)
            assert report.omissions == []
    emulator.close()
    return [
        Row(
            name=f"Snapshot of the demo project through the CMA (median of {ROUNDS})",
            ours=statistics.median(times),
            anchor=TARGET_MS,
            unit="ms",
            anchor_name="the target",
            target="< 2 s",
            higher_is_better=False,
        )
    ]
