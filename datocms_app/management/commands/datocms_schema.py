"""``manage.py datocms_schema [--output FILE] [--check] [--token T] [--environment E]``.

Reads the project's models, block models and fields through the Content Management API and
writes a typed Python module for them (``datocms_app.cma.codegen``): the counterpart of
``npx datocms schema:generate``. Without ``--output`` the module goes to standard output;
``--check`` writes nothing and fails when ``--output`` is out of date (for CI).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from datocms_app.cma import Client
from datocms_app.cma.codegen import render_schema_module
from datocms_app.conf import get_settings
from datocms_app.exceptions import DatoCMSError


class Command(BaseCommand):
    help = (
        "Write a typed Python module (TypedDicts and markers) for the models and block models "
        "of the DatoCMS project, read through the Content Management API."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output", metavar="FILE", help="write the module there (default: standard output)"
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="write nothing; fail if --output differs from the schema (for CI)",
        )
        parser.add_argument(
            "--token",
            help="an API token with CMA access (default: DATOCMS['CMA_API_TOKEN'])",
        )
        parser.add_argument(
            "--environment",
            help="a sandbox environment (default: DATOCMS['ENVIRONMENT'], else the primary one)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        conf = get_settings()
        token = options["token"] or conf.CMA_API_TOKEN
        if not token:
            raise CommandError(
                "Give --token, or set DATOCMS['CMA_API_TOKEN'] to an API token with Content "
                "Management API access (your DatoCMS project's Settings > API tokens)."
            )
        if options["check"] and not options["output"]:
            raise CommandError("--check compares with --output FILE: give both.")
        environment = options["environment"] or conf.ENVIRONMENT
        try:
            with Client(
                api_token=token,
                base_url=conf.CMA_URL,
                environment=environment,
                timeout=conf.CMA_TIMEOUT,
                max_retries=conf.MAX_RETRIES,
            ) as client:
                schema = client.schema()
        except DatoCMSError as exc:
            raise CommandError(str(exc)) from exc
        text = render_schema_module(schema, environment=environment)
        output = options["output"]
        if output is None:
            self.stdout.write(text, ending="")
            return
        path = Path(output)
        counts = (
            f"{sum(not it.modular_block for it in schema.item_types)} models, "
            f"{sum(it.modular_block for it in schema.item_types)} block models"
        )
        if options["check"]:
            current = path.read_text(encoding="utf-8") if path.is_file() else None
            if current != text:
                raise CommandError(
                    f"{path} is out of date with the schema ({counts}): run "
                    f"manage.py datocms_schema --output {path}"
                )
            self.stdout.write(f"{path} is up to date ({counts}).")
            return
        path.write_text(text, encoding="utf-8")
        self.stdout.write(self.style.SUCCESS(f"Wrote {path} ({counts})."))
