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

from datocms_app.cma.codegen import render_schema_module
from datocms_app.cma.command_line import add_cma_arguments, client_from_options
from datocms_app.exceptions import DatoCMSError

_ACCESS_NEEDED = "has Content Management API access"


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
        add_cma_arguments(parser, token_can=_ACCESS_NEEDED)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["check"] and not options["output"]:
            raise CommandError("--check compares with --output FILE: give both.")
        try:
            with client_from_options(options, token_can=_ACCESS_NEEDED) as client:
                environment = client.environment
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
