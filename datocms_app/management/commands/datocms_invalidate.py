"""``manage.py datocms_invalidate TAG ... | --all [--dry-run] [--no-cdn] [--allow-local-memory]``.

Invalidates DatoCMS cache tags by hand, exactly as the cache-tags webhook does: new tag
versions in the cache store, then a CDN purge. Handy after a deploy that changed templates
(``--all``), or to replay a webhook call that could not be delivered.

It runs in a process of its own: with a local-memory cache (``LocMemCache``) it would
invalidate its own, empty copy while the running site keeps serving its cached pages, so it
refuses and says what works instead (the webhook, with the curl that calls it; a shared
cache; for ``--all``, a restart), unless ``--allow-local-memory`` is given (``call_command``
inside the server process). It must never print success for an invalidation the site cannot
see, nor show a webhook secret.
"""

from __future__ import annotations

import json
import shlex
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from datocms_app.caching.cdn import get_cdn
from datocms_app.caching.invalidation import invalidate_all, invalidate_tags
from datocms_app.caching.stores import is_process_local
from datocms_app.checks.caching import WEBHOOK_URL_NAME
from datocms_app.checks.site import reversed_url
from datocms_app.conf import DatoCMSSettings, get_settings
from datocms_app.exceptions import CacheStoreError, CDNPurgeError, DatoCMSError

#: Where ``datocms_app.urls`` puts the webhook when mounted as documented.
DEFAULT_WEBHOOK_PATH = "/datocms/webhooks/cache-tags/"
_LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "[::1]"})


class Command(BaseCommand):
    help = (
        "Invalidate DatoCMS cache tags (as the cache-tags webhook does) or, with --all, "
        "every cached DatoCMS query and page; purges the configured CDN too."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("tags", nargs="*", metavar="TAG", help="cache tags to invalidate")
        parser.add_argument(
            "--all", action="store_true", help="invalidate every cached entry and page"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="say what would be done, change nothing"
        )
        parser.add_argument("--no-cdn", action="store_true", help="do not purge the CDN")
        parser.add_argument(
            "--allow-local-memory",
            action="store_true",
            help="run even though CACHE_ALIAS is a local-memory cache: only this process's "
            "copy is invalidated (use it from call_command inside the server process); the "
            "CDN is purged as usual",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        tags: list[str] = options["tags"]
        everything: bool = options["all"]
        if everything and tags:
            raise CommandError("Give either cache tags or --all, not both.")
        if not everything and not tags:
            raise CommandError(
                "Give the cache tags to invalidate (as DatoCMS sends them in X-Cache-Tags; "
                "quote them for your shell) or --all."
            )
        try:
            conf = get_settings()
            cdn = get_cdn()
        except DatoCMSError as exc:
            raise CommandError(str(exc)) from exc
        distinct = list(dict.fromkeys(tags))
        if is_process_local(conf.CACHE_ALIAS) and not options["allow_local_memory"]:
            raise CommandError(local_memory_refusal(conf, distinct))
        purge_cdn = not options["no_cdn"]
        cdn_name = type(cdn).__name__ if purge_cdn else "no CDN (--no-cdn)"
        if options["dry_run"]:
            if everything:
                self.stdout.write(
                    f"Would invalidate every cached DatoCMS entry and purge everything at "
                    f"{cdn_name}."
                )
            else:
                self.stdout.write(
                    f"Would invalidate {len(distinct)} cache tag(s) and purge them at "
                    f"{cdn_name}: {' '.join(distinct)}"
                )
            return
        try:
            if everything:
                invalidate_all(purge_cdn=purge_cdn, sender=type(self))
                self.stdout.write(
                    self.style.SUCCESS(
                        f"Invalidated every cached DatoCMS entry; purged everything at {cdn_name}."
                    )
                )
                return
            result = invalidate_tags(distinct, purge_cdn=purge_cdn, sender=type(self))
        except (CacheStoreError, CDNPurgeError) as exc:
            raise CommandError(str(exc)) from exc
        except DatoCMSError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Invalidated {len(result.tags)} cache tag(s); {result.purged} key(s) purged at "
                f"{cdn_name}."
            )
        )


def local_memory_refusal(conf: DatoCMSSettings, tags: list[str]) -> str:
    """Why invalidating a local-memory cache from this process changes nothing the site
    sees, and what does (for ``tags``, or everything when there are none)."""
    alias = conf.CACHE_ALIAS
    why = (
        f"CACHES[{alias!r}] (DATOCMS['CACHE_ALIAS']) is a local-memory cache: each server "
        "process holds its own, and this command runs in a process of its own, so it would "
        "invalidate its own empty copy while the running site keeps serving its cached pages."
    )
    shared = (
        "give every process one cache (Django's Redis cache, e.g. CACHE_URL=redis://..., or "
        "the file or database cache on one machine)"
    )
    anyway = (
        "Pass --allow-local-memory to run anyway (from call_command inside the server "
        "process; the CDN is purged as usual)."
    )
    if not tags:
        return (
            f"{why}\nThe cache-tags webhook cannot invalidate everything: restart the server "
            f"(a local-memory cache starts empty), or {shared}.\n{anyway}"
        )
    return (
        f"{why}\nInvalidate through the site's cache-tags webhook instead:\n"
        f"  {webhook_curl(conf, tags)}\nor {shared}.\n{anyway}"
    )


def webhook_curl(conf: DatoCMSSettings, tags: list[str]) -> str:
    """A curl command that sends ``tags`` to the site's cache-tags webhook as DatoCMS does;
    credentials appear as placeholders, never as their values."""
    from datocms_app.webhooks import cache_tags_webhook

    # Not mounted: datocms.W063 says to mount it where the documented path puts it.
    path = reversed_url(WEBHOOK_URL_NAME, cache_tags_webhook) or DEFAULT_WEBHOOK_PATH
    body = {
        "entity_type": "cda_cache_tags",
        "event_type": "invalidate",
        "entity": {"attributes": {"tags": tags}},
    }
    words = ["curl", "-X", "POST", f"{_site_origin()}{path}"]
    words += ["-H", "Content-Type: application/json"]
    if conf.WEBHOOK_SECRET:
        words += ["-H", f"{conf.WEBHOOK_SECRET_HEADER}: <WEBHOOK_SECRET>"]
    if conf.WEBHOOK_USERNAME:
        words += ["-u", "<WEBHOOK_USERNAME>:<WEBHOOK_PASSWORD>"]
    words += ["-d", json.dumps(body)]
    return shlex.join(words)


def _site_origin() -> str:
    """The site's origin as ``ALLOWED_HOSTS`` names it (runserver's for a local host)."""
    for host in settings.ALLOWED_HOSTS:
        if host == "*" or host.startswith("."):
            continue
        if host in _LOCAL_HOSTS:
            return f"http://{host}:8000"
        return f"https://{host}"
    return "http://127.0.0.1:8000"
