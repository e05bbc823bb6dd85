"""What management commands that read a project through the CMA share: their options
(``--token``, ``--environment``, ``--cma-url``) and the client those options build.

This module must never print or put the token in an error message.
"""

from __future__ import annotations

from argparse import ArgumentParser
from collections.abc import Mapping
from typing import Any

from django.core.management.base import CommandError

from datocms_app.cma.client import Client
from datocms_app.conf import get_settings

__all__ = ["add_cma_arguments", "client_from_options"]


def add_cma_arguments(parser: ArgumentParser, *, token_can: str) -> None:
    """``--token`` (an API token that ``token_can``...), ``--environment``, ``--cma-url``."""
    parser.add_argument(
        "--token",
        help=f"an API token that {token_can} (default DATOCMS['CMA_API_TOKEN']); prefer the "
        "setting: a command line is visible to other users of the machine",
    )
    parser.add_argument(
        "--environment",
        help="the environment to read (default DATOCMS['ENVIRONMENT'], else the primary one)",
    )
    parser.add_argument(
        "--cma-url",
        help="the Content Management API (default DATOCMS['CMA_URL'], DatoCMS's own); an "
        "emulator's is http://127.0.0.1:8700/cma",
    )


def client_from_options(options: Mapping[str, Any], *, token_can: str) -> Client:
    """The CMA client the options ask for (``CommandError`` without a token)."""
    conf = get_settings()
    token = options["token"] if options.get("token") is not None else conf.CMA_API_TOKEN
    if not token or not token.strip():
        raise CommandError(
            f"No CMA token: pass --token or set DATOCMS['CMA_API_TOKEN'] to an API token that "
            f"{token_can} (your DatoCMS project's Settings > API tokens)."
        )
    return Client(
        api_token=token,
        base_url=options.get("cma_url") or conf.CMA_URL,
        environment=options.get("environment") or conf.ENVIRONMENT,
        timeout=conf.CMA_TIMEOUT,
        max_retries=conf.MAX_RETRIES,
    )
