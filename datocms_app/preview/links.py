"""The Preview Links API of DatoCMS's Web Previews plugin: ``POST /datocms/preview-links/``.

In DatoCMS, the plugin's frontend setting *Preview Links API endpoint* is
``https://<site>/datocms/preview-links/?token=<PREVIEW_SECRET>``. For the record an editor
has open, the plugin ``POST``s (``Content-Type: application/json``, from the plugin's iframe,
so cross-origin)::

    {"item": {"id", "type": "item", "attributes": {...}, "relationships": {...},
              "meta": {"status": "draft" | "updated" | "published" | null, ...}},
     "itemType": {"id", "type": "item_type", "attributes": {"api_key": "article", ...}},
     "locale": "en", "environmentId": "main", "currentUser": {...}, "siteId": "123"}

``item`` and ``itemType`` are Content Management API entities. The record's URL comes from
the site's ``RECORD_URL_RESOLVER`` (the one structured-text links use), given the record
normalised to the shape of a CDA record (``cma_record_view``) and the locale. The answer, as
in DatoCMS's starters::

    {"previewLinks": [
        {"label": "Draft version",
         "url": "https://<site>/datocms/draft-mode/enable/?redirect=%2Farticles%2Fx%2F&token=..."},
        {"label": "Published version",
         "url": "https://<site>/datocms/draft-mode/disable/?redirect=%2Farticles%2Fx%2F"}]}

The draft link (through the enable route) is there unless the record is ``published``; the
published link (through the disable route, so that an editor in draft mode sees what
visitors see) unless it is ``draft`` (never published). A record without a page gets no
links. With ``LIVE_UPDATES = "off"`` the draft link asks the plugin to reload it after each
save (``reloadPreviewOnRecordUpdate``). Links are absolute: ``PREVIEW_BASE_URL`` when set (a
site behind a proxy that rewrites the host), else the request's scheme and host.

Answers: 200 as above; 400 for a body that is not the plugin's, saying what is wrong; 401
for a wrong or missing token; 403 when no ``PREVIEW_SECRET`` is set; 405 for other methods;
413 for a body over ``MAX_BODY_BYTES``. Every answer carries CORS headers, and ``OPTIONS``
answers the preflight: ``Access-Control-Allow-Origin: *``, as DatoCMS's starters send. The
endpoint takes no cookies and is authenticated by the secret in its URL, so no origin gains
anything by calling it, and the plugin runs from DatoCMS's plugin CDN, or from wherever a
project hosts a private build of it. A preflight asking for private-network access (Chrome,
for a site on ``localhost``) is granted it.

This module must never answer 2xx to a request without the right token, nor put the secret
anywhere but the draft link returned to the plugin that sent it.
"""

from __future__ import annotations

import json
import re
from typing import Any, Final, Literal
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from datocms_app.conf import DatoCMSSettings, get_settings
from datocms_app.exceptions import ConfigurationError, PreviewPayloadError
from datocms_app.json_answers import json_answer, json_refusal, method_not_allowed, read_body
from datocms_app.preview.signing import secret_matches
from datocms_app.structured_text.records import resolve_record_url
from datocms_app.validation_errors import describe_validation_error

__all__ = [
    "DRAFT_LABEL",
    "MAX_BODY_BYTES",
    "PUBLISHED_LABEL",
    "PreviewLinksRequest",
    "build_preview_links",
    "cma_record_view",
    "parse_preview_links_request",
    "preview_links_view",
]

#: The labels DatoCMS's Next.js starter kit gives its two links.
DRAFT_LABEL: Final = "Draft version"
PUBLISHED_LABEL: Final = "Published version"
#: Larger bodies are refused with 413 (a record with long structured text is far smaller).
MAX_BODY_BYTES: Final = 2 * 1024 * 1024
#: How long a browser may reuse the preflight's answer (seconds).
PREFLIGHT_MAX_AGE: Final = 86_400
# A locale code as DatoCMS writes them: "en", "it", "pt-BR", "zh-Hant-TW".
_LOCALE: Final = re.compile(r"[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*\Z")
# The request-header names a preflight may ask for (RFC 9110 tokens, comma-separated).
_HEADER_LIST: Final = re.compile(
    r"[!#$%&'*+.^_`|~0-9A-Za-z-]+(?:\s*,\s*[!#$%&'*+.^_`|~0-9A-Za-z-]+)*"
)


class _Entity(BaseModel):
    # The CMA's entities carry more than a preview needs; what is not checked is kept.
    model_config = ConfigDict(extra="allow")


class ItemMeta(_Entity):
    status: Literal["draft", "updated", "published"] | None


class Item(_Entity):
    id: str = Field(min_length=1)
    type: Literal["item"] = "item"
    attributes: dict[str, Any]
    relationships: dict[str, Any] = Field(default_factory=dict)
    meta: ItemMeta


class ItemTypeAttributes(_Entity):
    api_key: str = Field(pattern=r"^[a-z][a-z0-9_]*$")


class ItemType(_Entity):
    id: str = Field(min_length=1)
    type: Literal["item_type"] = "item_type"
    attributes: ItemTypeAttributes


class PreviewLinksRequest(_Entity):
    """The body the Web Previews plugin sends (only what a preview link needs is checked)."""

    item: Item
    itemType: ItemType
    locale: str = Field(min_length=1, max_length=35)
    environmentId: str | None = None
    currentUser: dict[str, Any] | None = None
    siteId: str | None = None

    @model_validator(mode="after")
    def _item_is_of_item_type(self) -> PreviewLinksRequest:
        linked = self.item.relationships.get("item_type")
        data = linked.get("data") if isinstance(linked, dict) else None
        linked_id = data.get("id") if isinstance(data, dict) else None
        if linked_id is not None and linked_id != self.itemType.id:
            raise ValueError(
                f"item.relationships.item_type is {linked_id!r} but itemType.id is "
                f"{self.itemType.id!r}: they must name the same model"
            )
        return self


def parse_preview_links_request(body: bytes) -> PreviewLinksRequest:
    """The plugin's body; ``PreviewPayloadError`` saying what is wrong with anything else."""
    try:
        data = json.loads(body)
    except (ValueError, RecursionError) as exc:
        raise PreviewPayloadError(
            "The body is not JSON: the Web Previews plugin sends the record as a JSON object."
        ) from exc
    if not isinstance(data, dict):
        raise PreviewPayloadError(
            f"The body must be a JSON object with item, itemType and locale, got "
            f"{type(data).__name__}."
        )
    try:
        return PreviewLinksRequest.model_validate(data)
    except ValidationError as exc:
        raise PreviewPayloadError(
            f"Not a Web Previews plugin body: {describe_validation_error(exc, root='body')}."
        ) from exc


def cma_record_view(item: Item, item_type_api_key: str, locale: str) -> dict[str, Any]:
    """The CMA record ``item`` in the shape of a CDA record, for ``RECORD_URL_RESOLVER``.

    ``__typename`` as the CDA names the model's records (``blog_post`` -> ``BlogPostRecord``),
    ``id``, ``_modelApiKey``, ``_status``, and every attribute under its API key and its
    GraphQL name (``cover_image`` and ``coverImage``), a localized value (an object keyed by
    locale codes) replaced by its value in ``locale`` (None when it has none). Links are the
    CMA's record ids.
    """
    view: dict[str, Any] = {
        "__typename": _pascal(item_type_api_key) + "Record",
        "id": item.id,
        "_modelApiKey": item_type_api_key,
        "_status": item.meta.status,
    }
    for name, value in item.attributes.items():
        if _is_localized(value):
            value = value.get(locale)
        view.setdefault(name, value)
        view.setdefault(_camel(name), value)
    return view


def _is_localized(value: Any) -> bool:
    return isinstance(value, dict) and bool(value) and all(_LOCALE.match(k) for k in value)


def _pascal(api_key: str) -> str:
    return "".join(word[:1].upper() + word[1:] for word in api_key.split("_"))


def _camel(api_key: str) -> str:
    pascal = _pascal(api_key)
    return api_key[:1] + pascal[1:] if pascal else pascal


def build_preview_links(
    body: PreviewLinksRequest, *, base_url: str, conf: DatoCMSSettings
) -> list[dict[str, Any]]:
    """The preview links for the plugin's ``body`` (see the module docstring)."""
    record = cma_record_view(body.item, body.itemType.attributes.api_key, body.locale)
    url = resolve_record_url(record, locale=body.locale)
    if not url:
        return []
    if not url.startswith("/") or url.startswith("//"):
        return [{"label": PUBLISHED_LABEL, "url": url}]  # a page of another site
    status = body.item.meta.status
    links: list[dict[str, Any]] = []
    if status != "published":
        query = urlencode({"redirect": url, "token": conf.PREVIEW_SECRET})
        draft: dict[str, Any] = {
            "label": DRAFT_LABEL,
            "url": f"{base_url}{reverse('datocms:draft-mode-enable')}?{query}",
        }
        if conf.LIVE_UPDATES == "off":
            draft["reloadPreviewOnRecordUpdate"] = {"delayInMs": 100}
        links.append(draft)
    if status != "draft":
        query = urlencode({"redirect": url})
        links.append(
            {
                "label": PUBLISHED_LABEL,
                "url": f"{base_url}{reverse('datocms:draft-mode-disable')}?{query}",
            }
        )
    return links


def _with_cors(response: HttpResponse) -> HttpResponse:
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


def _preflight(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(status=204)
    response.headers["Access-Control-Allow-Methods"] = "POST, OPTIONS"
    asked = request.headers.get("Access-Control-Request-Headers", "").strip()
    # The plugin sends Content-Type, and whatever custom headers an editor configured.
    allowed = asked if _HEADER_LIST.fullmatch(asked) else "Content-Type"
    response.headers["Access-Control-Allow-Headers"] = allowed
    response.headers["Access-Control-Max-Age"] = str(PREFLIGHT_MAX_AGE)
    if request.headers.get("Access-Control-Request-Private-Network", "").lower() == "true":
        response.headers["Access-Control-Allow-Private-Network"] = "true"
    response.headers["Vary"] = (
        "Access-Control-Request-Headers, Access-Control-Request-Private-Network"
    )
    response.headers["Cache-Control"] = "no-store"
    return _with_cors(response)


def _answer(request: HttpRequest) -> JsonResponse:
    if request.method != "POST":
        return method_not_allowed(
            "POST, OPTIONS", "The Preview Links API takes the plugin's POST only."
        )
    conf = get_settings()
    if not conf.PREVIEW_SECRET:
        return json_refusal(
            403,
            "preview_off",
            "This site has no preview secret (DATOCMS['PREVIEW_SECRET']): previews are off.",
        )
    if not secret_matches(request.GET.get("token", ""), conf):
        return json_refusal(
            401,
            "invalid_token",
            "The token is missing or wrong: the plugin's Preview Links API endpoint must end "
            "with ?token= and this site's preview secret.",
        )
    body = read_body(request, MAX_BODY_BYTES)
    if isinstance(body, JsonResponse):
        return body
    try:
        parsed = parse_preview_links_request(body)
    except PreviewPayloadError as exc:
        return json_refusal(400, "invalid_body", str(exc))
    base_url = conf.PREVIEW_BASE_URL or f"{request.scheme}://{request.get_host()}"
    try:
        links = build_preview_links(parsed, base_url=base_url, conf=conf)
    except ConfigurationError as exc:
        return json_refusal(500, "record_url_resolver_failed", str(exc))
    return json_answer(200, {"previewLinks": links})


@csrf_exempt
def preview_links_view(request: HttpRequest) -> HttpResponse:
    """The Web Previews plugin's Preview Links API endpoint (see the module docstring)."""
    if request.method == "OPTIONS":
        return _preflight(request)
    return _with_cors(_answer(request))
