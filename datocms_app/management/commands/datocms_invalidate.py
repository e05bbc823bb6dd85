"""``manage.py datocms_invalidate TAG ... | --all [--dry-run] [--no-cdn]``.

Invalidates DatoCMS cache tags by hand, exactly as the cache-tags webhook does: new tag
versions in the cache store, then a CDN purge. Handy after a deploy that changed templates
(``--all``), or to replay a webhook call that could not be delivered.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from datocms_app.caching.cdn import get_cdn
from datocms_app.caching.invalidation import invalidate_all, invalidate_tags
from datocms_app.exceptions import CacheStoreError, CDNPurgeError, DatoCMSError


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
            cdn = get_cdn()
        except DatoCMSError as exc:
            raise CommandError(str(exc)) from exc
        purge_cdn = not options["no_cdn"]
        cdn_name = type(cdn).__name__ if purge_cdn else "no CDN (--no-cdn)"
        distinct = list(dict.fromkeys(tags))
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
