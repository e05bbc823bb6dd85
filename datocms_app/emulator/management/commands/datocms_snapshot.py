"""``manage.py datocms_snapshot``: copy a DatoCMS project into an emulator content project.

A thin shell over ``datocms_app.emulator.snapshot.take_snapshot``: it builds a CMA client
from the options (or ``DATOCMS["CMA_API_TOKEN"]``/``["CMA_URL"]``/``["ENVIRONMENT"]``),
prints the progress and the summary, and turns every refusal into a ``CommandError``. The
token is never printed.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from datocms_app import cma
from datocms_app.conf import get_settings
from datocms_app.exceptions import DatoCMSError


class Command(BaseCommand):
    help = (
        "Read a DatoCMS project through the Content Management API (schema, site, records "
        "published and draft, uploads with their files) and write it as an emulator content "
        "project in DIR, for DATOCMS['EMULATOR']['CONTENT_DIR']. What the emulator cannot "
        "represent is listed at the end."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", metavar="DIR", help="the content project to write")
        parser.add_argument(
            "--token",
            help="a CMA API token that can read the project (default "
            "DATOCMS['CMA_API_TOKEN']); prefer the setting: a command line is visible to "
            "other users of the machine",
        )
        parser.add_argument(
            "--environment", help="the environment to read (default the primary one)"
        )
        parser.add_argument(
            "--cma-url",
            help="the Content Management API (default DATOCMS['CMA_URL'], DatoCMS's own); "
            "an emulator's is http://127.0.0.1:8700/cma",
        )
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
            conf = get_settings()
            token = options["token"] if options["token"] is not None else conf.CMA_API_TOKEN
            if not token or not token.strip():
                raise CommandError(
                    "No CMA token: pass --token or set DATOCMS['CMA_API_TOKEN'] to an API token "
                    "of the project that can read its content (Settings > API tokens)."
                )
            video_url = options["video_url"]
            if video_url is not None and not video_url.startswith(("http://", "https://")):
                raise CommandError(f"--video-url must be an http(s) URL, got {video_url!r}.")
            with cma.Client(
                api_token=token,
                base_url=options["cma_url"] or conf.CMA_URL,
                environment=options["environment"] or conf.ENVIRONMENT,
                timeout=conf.CMA_TIMEOUT,
                max_retries=conf.MAX_RETRIES,
            ) as client:
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
