"""What a snapshot asks of the CMA: the schema and site, environments, uploads, records.

``read_project`` makes the requests, in pages, and reports progress; it answers the
resources in the simple shape (blocks nested as the CMA answers them). Requests it makes:

* ``GET /site?include=item_types,item_types.fields`` (one answer: site, models, fields);
* ``GET /environments`` (the names ``X-Environment`` takes; a CMA without it — the
  emulator's — leaves the snapshot's own environment alone);
* ``GET /uploads`` in pages of 500;
* ``GET /items?nested=true&version=current`` and ``version=published`` in pages of 30.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from datocms_app.cma import Client, jsonapi
from datocms_app.exceptions import CMAError

__all__ = ["ProjectSource", "read_project"]

UPLOADS_PER_PAGE = 500
RECORDS_PER_PAGE = 30
Progress = Callable[[str], None]


@dataclass
class ProjectSource:
    """Everything read from the CMA, in the simple shape."""

    site: dict[str, Any]
    item_types: list[dict[str, Any]]
    fields: list[dict[str, Any]]
    environments: list[str]
    environment: str
    uploads: list[dict[str, Any]] = field(default_factory=list)
    #: Latest versions, by record id.
    current: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: Published versions, by record id.
    published: dict[str, dict[str, Any]] = field(default_factory=dict)


def read_project(client: Client, progress: Progress) -> ProjectSource:
    """Read the project behind ``client`` (its environment)."""
    progress("Reading the site, its models and fields...")
    document = client.call("GET", "/site", params={"include": "item_types,item_types.fields"})
    site = jsonapi.deserialize(document)
    included = document.get("included") if isinstance(document, Mapping) else None
    entities = [jsonapi.deserialize_entity(e) for e in included or [] if isinstance(e, Mapping)]
    environments, primary = _environments(client)
    environment = client.environment or primary
    if environment not in environments:
        environments.append(environment)
    source = ProjectSource(
        site=site,
        item_types=[e for e in entities if e.get("type") == "item_type"],
        fields=[e for e in entities if e.get("type") == "field"],
        environments=environments,
        environment=environment,
    )
    source.uploads = _uploads(client, progress)
    for version, found in (("current", source.current), ("published", source.published)):
        for page in client.items.list_pages(
            per_page=RECORDS_PER_PAGE, nested=True, version=version
        ):
            for record in page.records:
                found[str(record["id"])] = record
            progress(f"Reading {version} records: {len(found)}/{page.total_count}")
    return source


def _environments(client: Client) -> tuple[list[str], str]:
    """The project's environments, the primary first, and the primary's name."""
    try:
        listed = jsonapi.deserialize(client.call("GET", "/environments"))
    except CMAError as exc:
        if exc.status not in (404, 401, 403):
            raise
        return [], "main"
    primary = next((str(e["id"]) for e in listed if (e.get("meta") or {}).get("primary")), "main")
    others = sorted(str(e["id"]) for e in listed if str(e["id"]) != primary)
    return [primary, *others], primary


def _uploads(client: Client, progress: Progress) -> list[dict[str, Any]]:
    uploads: list[dict[str, Any]] = []
    while True:
        page = client.uploads.list({"page": {"limit": UPLOADS_PER_PAGE, "offset": len(uploads)}})
        uploads.extend(page)
        progress(f"Reading uploads: {len(uploads)}")
        if len(page) < UPLOADS_PER_PAGE:
            return uploads
