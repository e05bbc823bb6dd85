"""Reader letters: a form under each article whose submission creates a draft ``letter``.

``GET articles/<slug>/letter/`` shows the form, built from the ``letter`` model's validators
(``project.letter_form``); ``POST`` checks it, then creates the record through the Content
Management API (``datocms_app.cma``): with ``DATOCMS_CMA_API_TOKEN`` in DatoCMS, offline in
the embedded emulator (its CMA, through the same in-process transport as the CDA). The
``letter`` model has draft/published, so the letter is a draft: editors see it in DatoCMS,
visitors never do until one publishes it. Then the browser is sent to ``.../letter/sent/``
(303), so that reloading the thanks page sends nothing twice.

Every answer is HTML in the magazine's layout, never a traceback: an invalid form 400 with
the errors beside their fields; a refusal of the CMA that names a field (``INVALID_FIELD``
with ``details.field``) the same, on that field; any other refusal 502, and a CMA that
cannot be reached (or answers a transient error) or is not set up 503, on
``letter_error.html``, which gives the reader back what they wrote. The form is
CSRF-protected (``CsrfViewMiddleware``) and never cached.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from django import forms
from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext, gettext_noop
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from datocms_app import cma
from datocms_app.cma import ItemTypeSchema, ProjectSchema
from datocms_app.exceptions import CMAError, CMATransportError, ConfigurationError, InvalidPayload
from project.letter_form import letter_form_class
from project.views import LAYOUT, fetch_by_slug, page_context

logger = logging.getLogger("project")

LETTER_MODEL = "letter"
#: The labels of the ``letter`` model's fields (project/content/schema.json), named here so
#: that makemessages keeps their Italian translations: the form translates the schema's.
LABELS = (gettext_noop("Your name"), gettext_noop("Email"), gettext_noop("City"),
          gettext_noop("Your letter"))  # fmt: skip
ARTICLE_MODEL = "article"
LETTER_QUERY = (
    """
query Letter($locale: SiteLocale, $fallbackLocales: [SiteLocale!], $slug: String) {
  ...Layout
  article(locale: $locale, fallbackLocales: $fallbackLocales, filter: {slug: {eq: $slug}}) {
    id title slug
    _allSlugLocales { locale value }
  }
}
"""
    + LAYOUT
)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def letter(request: HttpRequest, slug: str) -> HttpResponse:
    data, article = fetch_by_slug(LETTER_QUERY, "article", slug)
    try:
        schema = cma.get_client().schema()
        model = _model(schema, LETTER_MODEL)
    except (ConfigurationError, CMAError) as exc:
        return _unavailable(request, data, article, exc, None)
    form_class = letter_form_class(model)
    if request.method != "POST":
        return _form_page(request, data, article, form_class(), status=200)
    form = form_class(request.POST)
    if not form.is_valid():
        return _form_page(request, data, article, form, status=400)
    payload = {key: value or None for key, value in form.cleaned_data.items()}
    payload[_article_field(schema, model)] = article["id"]
    try:
        cma.get_client().items.create({"item_type": {"type": "item_type", "id": model.id},
                                       **payload})  # fmt: skip
    except (CMAError, InvalidPayload) as exc:
        if _reason_of(exc) != "refused" or not _on_fields(form, exc):
            return _unavailable(request, data, article, exc, form)
        return _form_page(request, data, article, form, status=400)
    # 303 See Other: the thanks page is fetched with GET, a reload sends nothing again.
    return HttpResponseRedirect(reverse("letter-sent", args=[slug]), status=303)


@never_cache
def letter_sent(request: HttpRequest, slug: str) -> HttpResponse:
    data, article = fetch_by_slug(LETTER_QUERY, "article", slug)
    context = page_context(
        request, data, url_name="letter-sent", record=article, article=article,
        article_url=reverse("article", args=[article["slug"]]),
    )  # fmt: skip
    return render(request, "letter_sent.html", context)


def _form_page(
    request: HttpRequest,
    data: Mapping[str, Any],
    article: Mapping[str, Any],
    form: forms.Form,
    *,
    status: int,
) -> HttpResponse:
    context = page_context(request, data, url_name="letter", record=article, article=article,
                           form=form)  # fmt: skip
    return render(request, "letter.html", context, status=status)


def _unavailable(
    request: HttpRequest,
    data: Mapping[str, Any],
    article: Mapping[str, Any],
    exc: Exception,
    form: forms.Form | None,
) -> HttpResponse:
    """The error page: 502 for a refusal, 503 for a CMA that is unreachable (or answers that
    it is, for now) or not set up; it gives back what the reader wrote (``form``'s data)."""
    logger.error("A reader letter about %s could not be sent: %s", article["id"], exc)
    reason = _reason_of(exc)
    context = page_context(
        request, data, url_name="letter", record=article, article=article,
        reason=reason, code=getattr(exc, "code", None),
        problem=str(exc) if settings.DEBUG else None,
        written=[(form[name].label, value) for name, value in form.cleaned_data.items()
                 if value] if form is not None else [],
    )  # fmt: skip
    return render(request, "letter_error.html", context, status=502 if reason == "refused" else 503)


def _reason_of(exc: Exception) -> str:
    if isinstance(exc, ConfigurationError):
        return "unconfigured"
    if isinstance(exc, CMATransportError) or (
        isinstance(exc, CMAError) and any(error.transient for error in exc.errors)
    ):
        return "unreachable"
    return "refused"


def _model(schema: ProjectSchema, api_key: str) -> ItemTypeSchema:
    model = schema.by_api_key(api_key)
    if model is None:
        raise ConfigurationError(
            f"The project has no {api_key!r} model: add it (see project/content/schema.json) "
            "to take reader letters."
        )
    return model


def _article_field(schema: ProjectSchema, model: ItemTypeSchema) -> str:
    """The link field of the letter that points at articles."""
    article = _model(schema, ARTICLE_MODEL)
    for field in model.fields:
        allowed = field.allowed_item_types("item_item_type")
        if field.field_type == "link" and allowed is not None and article.id in allowed:
            return field.api_key
    raise ConfigurationError(f"The {model.api_key!r} model has no link field to articles.")


def _on_fields(form: forms.Form, exc: CMAError | InvalidPayload) -> bool:
    """Put each problem the CMA (or the client's schema check) names on its form field; False
    when one of them names no field of the form (the error page must say it)."""
    if isinstance(exc, InvalidPayload):
        named = [(p.path.removeprefix("$.").split(".")[0], p.message) for p in exc.problems]
    else:
        named = [
            (str(error.details.get("field")), _reason(error.code, error.details))
            for error in exc.errors
        ]
    if not named or any(field not in form.fields for field, _ in named):
        return False
    for field, message in named:
        form.add_error(field, message)
    return True


def _reason(code: str, details: Mapping[str, Any]) -> str:
    code = str(details.get("code") or code)
    if code == "VALIDATION_REQUIRED":
        return gettext("This field is required.")
    return gettext("DatoCMS did not accept this value (%(code)s).") % {"code": code}
