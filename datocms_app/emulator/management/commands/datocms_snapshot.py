"""``manage.py datocms_snapshot``: copy a DatoCMS project into an emulator content project.

A thin shell over ``datocms_app.emulator.snapshot.take_snapshot``: it builds a CMA client
from the options (or ``DATOCMS["CMA_API_TOKEN"]``/``["CMA_URL"]``/``["ENVIRONMENT"]``),
prints the progress and the summary, and turns every refusal into a ``CommandError``. The
token is never printed.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from datocms_app.cma.command_line import add_cma_arguments, client_from_options
from datocms_app.exceptions import DatoCMSError

_ACCESS_NEEDED = "can read the project's content"


class Command(BaseCommand):
    help = (
        "Read a DatoCMS project through the Content Management API (schema, site, records "
        "published and draft, uploads with their files) and write it as an emulator content "
        "project in DIR, for DATOCMS['EMULATOR']['CONTENT_DIR']. What the emulator cannot "
        "represent is listed at the end."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", metavar="DIR", help="the content project to write")
        add_cma_arguments(parser, token_can=_ACCESS_NEEDED)
        parser.add_argument(
            "--video-url",
            help="where the videos' HLS playlists and thumbnails are (default Mux's "
            "stream.mux.com and image.mux.com); an emulator's is http://127.0.0.1:8700/video",
        )
        parser.add_argument(
            "--replace", action="store_true", help="replace the content project in DIR"
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="read and check everything, download and write nothing",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from datocms_app.emulator.snapshot import MUX_URLS, VideoURLs, take_snapshot

        try:
            video_url = options["video_url"]
            if video_url is not None and not video_url.startswith(("http://", "https://")):
                raise CommandError(f"--video-url must be an http(s) URL, got {video_url!r}.")
            with client_from_options(options, token_can=_ACCESS_NEEDED) as client:
                report = take_snapshot(
                    client,
                    options["directory"],
                    video_urls=VideoURLs.below(video_url) if video_url else MUX_URLS,
                    dry_run=options["dry_run"],
                    replace=options["replace"],
                    progress=lambda message: self.stderr.write(message),
                )
        except DatoCMSError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write("\n".join(report.summary()))
