"""A scripted Content Management API for httpx.MockTransport, and the seeds' schema.

``FakeCMA`` answers each (method, path) with the responses queued for it, in order (the last
one repeats), and keeps every request. Answers are shaped as the seeds show them: JSON:API
resources, ``{"data": [api_error...]}`` errors, ``202`` jobs and ``job_result``s.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

import httpx

from datocms_app import __version__
from datocms_app.cma import AsyncClient, Client, ProjectSchema

TOKEN = "cma-secret-token-0123456789abcdef"
BASE = "https://site-api.datocms.com"
USER_AGENT = f"datocms-app/{__version__}"
JSON_API = {"content-type": "application/json; charset=utf-8"}

Answer = httpx.Response | Exception | Callable[[httpx.Request], httpx.Response]


class FakeCMA:
    def __init__(self) -> None:
        self.routes: dict[tuple[str, str], list[Answer]] = {}
        self.requests: list[httpx.Request] = []

    def on(self, method: str, path: str, *answers: Answer) -> FakeCMA:
        self.routes.setdefault((method, path), []).extend(answers)
        return self

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        key = (request.method, request.url.path)
        queue = self.routes.get(key)
        if not queue:
            raise AssertionError(f"unexpected request {request.method} {request.url}")
        answer = queue.pop(0) if len(queue) > 1 else queue[0]
        if isinstance(answer, Exception):
            raise answer
        if callable(answer) and not isinstance(answer, httpx.Response):
            return answer(request)
        return answer

    def bodies(self, method: str | None = None, path: str | None = None) -> list[Any]:
        return [
            json.loads(request.content) if request.content else None
            for request in self.requests
            if (method is None or request.method == method)
            and (path is None or request.url.path == path)
        ]

    def client(self, **options: Any) -> Client:
        options.setdefault("api_token", TOKEN)
        options.setdefault("backoff", 0.001)
        options.setdefault("poll_interval", 0.001)
        return Client(transport=httpx.MockTransport(self), **options)

    def async_client(self, **options: Any) -> AsyncClient:
        options.setdefault("api_token", TOKEN)
        options.setdefault("backoff", 0.001)
        options.setdefault("poll_interval", 0.001)
        return AsyncClient(transport=httpx.MockTransport(self), **options)


def sent_headers(request: httpx.Request) -> dict[str, str]:
    """The request's headers without those httpx adds by itself."""
    added_by_httpx = {"host", "accept-encoding", "connection", "content-length"}
    return {name: value for name, value in request.headers.items() if name not in added_by_httpx}


def answer(status: int, document: Any, **headers: str) -> httpx.Response:
    return httpx.Response(
        status, content=json.dumps(document).encode(), headers={**JSON_API, **headers}
    )


def item_document(
    item_id: str,
    item_type: str,
    attributes: Mapping[str, Any],
    *,
    version: str = "8045084",
    status: str = "published",
) -> dict[str, Any]:
    """A record as ``GET /items/:id`` answers it (seeds/002's example meta)."""
    return {
        "data": {
            "type": "item",
            "id": item_id,
            "attributes": dict(attributes),
            "relationships": {
                "item_type": {"data": {"type": "item_type", "id": item_type}},
                "creator": {"data": {"type": "access_token", "id": "322"}},
            },
            "meta": {
                "created_at": "2020-04-17T16:34:31.981+01:00",
                "updated_at": "2020-04-17T16:34:32.005+01:00",
                "published_at": "2020-04-17T16:34:32.004+01:00",
                "first_published_at": "2020-04-17T16:34:32.004+01:00",
                "publication_scheduled_at": None,
                "unpublishing_scheduled_at": None,
                "status": status,
                "is_valid": True,
                "current_version": version,
            },
        }
    }


def item(item_id: str, item_type: str, status_code: int = 200, **attributes: Any) -> httpx.Response:
    return answer(status_code, item_document(item_id, item_type, attributes))


def api_error(
    code: str, details: Mapping[str, Any] | None = None, *, transient: bool = False
) -> dict[str, Any]:
    attributes: dict[str, Any] = {
        "code": code,
        "doc_url": f"https://www.datocms.com/docs/content-management-api/errors#{code}",
        "details": dict(details or {}),
    }
    if transient:
        attributes["transient"] = True
    return {"id": "ce9dcb", "type": "api_error", "attributes": attributes}


def errors(status: int, *entities: dict[str, Any], **headers: str) -> httpx.Response:
    return answer(status, {"data": list(entities)}, **headers)


def job(job_id: str = "4235") -> httpx.Response:
    return answer(202, {"data": {"type": "job", "id": job_id}})


def job_result(status: int, payload: Any, job_id: str = "4235") -> httpx.Response:
    return answer(
        200,
        {
            "data": {
                "type": "job_result",
                "id": job_id,
                "attributes": {"status": status, "payload": payload},
            }
        },
    )


# -- the seeds' models -----------------------------------------------------------------------

LOCALES = ["en", "it", "fr"]


def _field(
    model: str, api_key: str, field_type: str, position: int, **extra: Any
) -> dict[str, Any]:
    return {
        "type": "field",
        "id": f"{model}-{api_key}",
        "attributes": {
            "label": api_key.replace("_", " ").capitalize(),
            "api_key": api_key,
            "field_type": field_type,
            "localized": extra.pop("localized", False),
            "validators": extra.pop("validators", {}),
            "position": position,
        },
        "relationships": {"item_type": {"data": {"type": "item_type", "id": model}}},
    }


def _blocks(*ids: str) -> dict[str, Any]:
    return {"item_types": list(ids)}


#: Models of seeds 000-003: id -> (api_key, block?, all_locales_required, [(field, type, extra)]).
MODELS: dict[str, tuple[str, bool, bool, list[tuple[str, str, dict[str, Any]]]]] = {
    "book": (
        "book",
        False,
        False,
        [
            ("title", "string", {}),
            ("genre", "string", {}),
            ("synopsis", "text", {}),
            ("pages", "integer", {}),
        ],
    ),
    "product": (
        "product",
        False,
        False,
        [
            ("name", "string", {}),
            ("category", "string", {}),
            ("description", "text", {}),
            ("price", "integer", {}),
            ("weight", "float", {}),
            ("release_date", "date_time", {}),
            ("in_stock", "boolean", {}),
            ("warehouse_location", "lat_lon", {}),
            ("brand_color", "color", {}),
            ("specifications", "json", {}),
        ],
    ),
    "landing": (
        "landing_page",
        False,
        False,
        [
            ("title", "string", {}),
            (
                "sections",
                "rich_text",
                {"validators": {"rich_text_blocks": _blocks("hero", "testimonial")}},
            ),
        ],
    ),
    "hero": (
        "hero_block",
        True,
        False,
        [("headline", "string", {}), ("subtitle", "text", {}), ("background_image", "file", {})],
    ),
    "testimonial": (
        "testimonial_block",
        True,
        False,
        [("quote", "text", {}), ("author_name", "string", {})],
    ),
    "productpage": (
        "product_page",
        False,
        False,
        [
            ("title", "string", {}),
            ("price", "float", {}),
            (
                "hero_section",
                "single_block",
                {"validators": {"single_block_blocks": _blocks("herosection")}},
            ),
        ],
    ),
    "herosection": (
        "hero_section_block",
        True,
        False,
        [
            ("headline", "string", {}),
            ("description", "text", {}),
            ("button", "single_block", {"validators": {"single_block_blocks": _blocks("button")}}),
            ("background_image", "file", {}),
        ],
    ),
    "button": ("button_block", True, False, [("text", "string", {}), ("url", "string", {})]),
    "article": (
        "article",
        False,
        False,
        [
            ("title", "string", {}),
            (
                "content",
                "structured_text",
                {
                    "validators": {
                        "structured_text_blocks": _blocks("cta", "gallery"),
                        "structured_text_inline_blocks": _blocks("button"),
                        "structured_text_links": {"item_types": ["author"]},
                    }
                },
            ),
        ],
    ),
    "cta": (
        "cta_block",
        True,
        False,
        [
            ("title", "string", {}),
            ("description", "text", {}),
            ("button_text", "string", {}),
            ("button_url", "string", {}),
        ],
    ),
    "gallery": (
        "image_gallery_block",
        True,
        False,
        [("title", "string", {}), ("images", "gallery", {})],
    ),
    "portfolio": (
        "portfolio",
        False,
        False,
        [("title", "string", {}), ("featured_image", "file", {}), ("gallery", "gallery", {})],
    ),
    "author": (
        "author",
        False,
        False,
        [
            ("name", "string", {}),
            (
                "collaborators",
                "links",
                {"validators": {"items_item_type": {"item_types": ["author"]}}},
            ),
            ("mentor", "link", {"validators": {"item_item_type": {"item_types": ["author"]}}}),
        ],
    ),
    "pet": (
        "pet",
        False,
        False,
        [
            ("name", "string", {"localized": True}),
            ("description", "string", {"localized": True}),
            ("category", "string", {}),
        ],
    ),
    "strictpet": (
        "strict_pet",
        False,
        True,
        [
            ("name", "string", {"localized": True}),
            ("description", "string", {"localized": True}),
            ("category", "string", {}),
        ],
    ),
    "category": ("category", False, False, [("name", "string", {})]),
    "page": (
        "page",
        False,
        False,
        [
            ("title", "string", {"localized": True}),
            ("content", "text", {"localized": True}),
            ("votes_count", "integer", {}),
            (
                "content_blocks",
                "rich_text",
                {"localized": True, "validators": {"rich_text_blocks": _blocks("textblock")}},
            ),
            (
                "modular_content_field",
                "rich_text",
                {"validators": {"rich_text_blocks": _blocks("textblock", "wrapper")}},
            ),
            ("counter", "integer", {}),
        ],
    ),
    "textblock": (
        "text_block",
        True,
        False,
        [("title", "string", {}), ("text", "string", {}), ("subtext", "string", {})],
    ),
    "wrapper": (
        "wrapper_block",
        True,
        False,
        [
            (
                "nested_content",
                "rich_text",
                {"validators": {"rich_text_blocks": _blocks("textblock", "wrapper")}},
            )
        ],
    ),
}


def site_document(
    models: Mapping[str, Any] = MODELS, locales: list[str] = LOCALES
) -> dict[str, Any]:
    """``GET /site?include=item_types,item_types.fields`` for these models."""
    included: list[dict[str, Any]] = []
    for model_id, (api_key, block, all_locales, fields) in models.items():
        included.append(
            {
                "type": "item_type",
                "id": model_id,
                "attributes": {
                    "name": api_key.replace("_", " ").title(),
                    "api_key": api_key,
                    "modular_block": block,
                    "all_locales_required": all_locales,
                    "sortable": False,
                    "tree": api_key == "category",
                    "singleton": False,
                },
            }
        )
        for position, (name, field_type, extra) in enumerate(fields, start=1):
            included.append(_field(model_id, name, field_type, position, **dict(extra)))
    return {
        "data": {"type": "site", "id": "155", "attributes": {"name": "Seeds", "locales": locales}},
        "included": included,
    }


SEEDS_SCHEMA = ProjectSchema.from_site_document(site_document())
