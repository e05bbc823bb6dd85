"""Snapshots: a DatoCMS project, read through the CMA, written as an emulator content project.

::

    from datocms_app import cma
    from datocms_app.emulator.snapshot import take_snapshot

    with cma.Client(api_token=TOKEN) as client:
        report = take_snapshot(client, Path("content"), progress=print)
    print("\\n".join(report.summary()))

then ``DATOCMS["EMULATOR"]["CONTENT_DIR"] = "content"`` serves the project's real
content offline (``manage.py datocms_snapshot`` does the same from a shell). The schema,
site and locales, every record in its published and latest versions, and every upload with
its file (a video with its HLS rendition and poster) are written; what the emulator cannot
represent is left out and listed in ``report.omissions``, never dropped silently.

Modules: ``take`` (the steps), ``reading`` (the CMA requests), ``schema``, ``site``,
``uploads``, ``records`` (each resource made a file), ``videos`` and ``downloads`` (files),
``checking`` (what the emulator loads), ``report``. The package never writes outside the
target directory and one temporary sibling of it, and never shows the API token.
"""

from __future__ import annotations

from datocms_app.emulator.snapshot.report import SnapshotError, SnapshotReport
from datocms_app.emulator.snapshot.take import take_snapshot
from datocms_app.emulator.snapshot.videos import MUX_URLS, VideoURLs

__all__ = ["MUX_URLS", "SnapshotError", "SnapshotReport", "VideoURLs", "take_snapshot"]
