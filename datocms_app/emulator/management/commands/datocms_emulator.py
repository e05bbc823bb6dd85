"""``manage.py datocms_emulator``: serve a content project as DatoCMS's CDA on a port."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from datocms_app.emulator.conf import get_emulator_settings
from datocms_app.exceptions import ConfigurationError, DatoCMSError


class Command(BaseCommand):
    help = (
        "Serve a content project through DatoCMS's Content Delivery API protocol: POST "
        "http://HOST:PORT/ is the GraphQL endpoint, /assets/<upload>/<file>?<imgix> the "
        "images, /video/<playback id>.m3u8 (and /high.mp4, /thumbnail.jpg) the videos, "
        "/cma the Content Management API, POST /listen the Real-time Updates API. Point any "
        "CDA client at it (e.g. @datocms/cda-client's graphqlEndpointUrl, datocms-listen's "
        "baseUrl) and any CMA client at /cma."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="address to bind (127.0.0.1)")
        parser.add_argument("--port", type=int, default=8700, help="port to bind (8700)")
        parser.add_argument(
            "--token",
            action="append",
            dest="tokens",
            metavar="TOKEN",
            help="an API token to accept (repeatable; default DATOCMS['EMULATOR']['TOKENS'])",
        )
        parser.add_argument(
            "--content",
            metavar="DIR",
            help="the content project, served as it is (default "
            "DATOCMS['EMULATOR']['CONTENT_DIR'], prepared by DATOCMS['EMULATOR']['PREPARE'])",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from datocms_app.emulator.content_dir import content_directory
        from datocms_app.emulator.httpserver import EmulatorHTTPServer
        from datocms_app.emulator.server import Emulator

        try:
            conf = get_emulator_settings()
        except ConfigurationError as exc:
            raise CommandError(str(exc)) from exc
        if not 0 <= options["port"] <= 65535:
            raise CommandError(f"--port must be between 0 and 65535, got {options['port']}.")
        tokens = options["tokens"] or conf.TOKENS
        if any(not token.strip() for token in tokens):
            raise CommandError("--token cannot be blank.")
        try:
            directory = Path(options["content"]) if options["content"] else content_directory(conf)
            emulator = Emulator.from_directory(
                directory,
                tokens=tokens,
                # content changes and webhooks (emulator.changes, emulator.webhooks)
                webhooks=conf.WEBHOOKS,
                webhook_retry_scale=conf.WEBHOOK_RETRY_SCALE,
                token_locales={t: v for t, v in conf.TOKEN_LOCALES.items() if t in tokens},
                cma_job_seconds=conf.CMA_JOB_SECONDS,
            )
        except DatoCMSError as exc:
            raise CommandError(str(exc)) from exc
        try:
            server = EmulatorHTTPServer(emulator, options["host"], options["port"])
        except OSError as exc:
            raise CommandError(
                f"Cannot listen on {options['host']}:{options['port']}: {exc}. "
                "Pick another --port (0 picks a free one)."
            ) from exc
        state = emulator.store.state
        self.stdout.write(
            f"DatoCMS emulator: {len(state.records)} records, {len(state.uploads)} uploads "
            f"from {directory}\n"
            f"  CDA endpoint   POST {server.url}\n"
            f"  assets         {emulator.assets_base}/<upload id>/<filename>\n"
            f"  videos         {emulator.video_base}/<playback id>.m3u8, .../high.mp4, "
            ".../thumbnail.jpg\n"
            f"  CMA            {server.url}cma (buildClient({{baseUrl: ...}}), "
            "X-Api-Version: 3)\n"
            f"  listen         POST {server.url}listen (Real-time Updates API)\n"
            f"  changes        POST {server.url}_emulator/changes "
            f"(manage.py datocms_emulator_change --url {server.url})\n"
            f"  webhooks       {len(emulator.webhooks.webhooks)} configured\n"
            f"  tokens         {', '.join(emulator.tokens)}\n"
            f"  environments   {', '.join(state.site.environments)}\n"
            "Quit with CONTROL-C."
        )
        self.stdout.flush()
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            self.stdout.write("Stopping the emulator.")
        finally:
            server.server_close()
