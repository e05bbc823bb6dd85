"""The Django view taking content changes for the embedded emulator (development only).

Mounted at ``_emulator/changes`` (``datocms_app.emulator.urls``), it speaks ``remote``'s
protocol, so ``manage.py datocms_emulator_change --url http://127.0.0.1:8000/datocms/emulator/
...`` changes the content a running ``runserver`` serves. It exists only while ``DEBUG`` is True
and no API token is configured (404 otherwise), and wants ``Authorization: Bearer <token>``
with one of ``DATOCMS["EMULATOR"]["TOKENS"]``. Its answer adds ``site``: this process's pid
and how many cache tags the change invalidated in its caches (``site_cache``). The emulator
is imported only when called, so the URLconf loads without the emulator extra.
"""

from __future__ import annotations

import hmac
import os

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from datocms_app.conf import get_settings
from datocms_app.emulator.conf import get_emulator_settings

__all__ = ["emulator_changes", "outside_development"]


def _answer(status: int, body: dict[str, object]) -> JsonResponse:
    response = JsonResponse(body, status=status)
    response.headers["Cache-Control"] = "no-store"
    return response


def _error(status: int, code: str, message: str) -> JsonResponse:
    from datocms_app.emulator.remote import error_body

    return _answer(status, error_body(code, message))


def outside_development(what: str) -> JsonResponse | None:
    """The 404 a development-only view answers when ``DEBUG`` is off or an API token is set
    (then the emulator is not the site's content); None when it may answer."""
    if get_settings().API_TOKEN or not settings.DEBUG:
        return _error(
            404,
            "NOT_FOUND",
            f"{what} of the embedded emulator are only accepted with DEBUG = True and no "
            "DATOCMS['API_TOKEN'].",
        )
    return None


@csrf_exempt
def emulator_changes(request: HttpRequest) -> JsonResponse:
    """Apply one content change to the embedded emulator (development only)."""
    refusal = outside_development("Content changes")
    if refusal is not None:
        return refusal
    if request.method != "POST":
        response = _error(405, "METHOD_NOT_ALLOWED", "Content changes are POST requests.")
        response.headers["Allow"] = "POST"
        return response
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    token = token.strip() if scheme.lower() == "bearer" else ""
    known = False
    for candidate in get_emulator_settings().TOKENS:
        known |= hmac.compare_digest(token.encode(), candidate.encode())
    if not token or not known:
        return _error(
            401,
            "INVALID_AUTHORIZATION_HEADER",
            "Send 'Authorization: Bearer <token>' with one of DATOCMS['EMULATOR']['TOKENS'].",
        )
    from datocms_app.emulator.embedded import get_emulator
    from datocms_app.emulator.remote import handle_change_request
    from datocms_app.emulator.site_cache import capture_site_invalidations

    emulator = get_emulator()
    with capture_site_invalidations() as invalidated:
        status, body = handle_change_request(
            emulator.changes, request.body, dispatcher=emulator.webhooks
        )
    if status == 200 and "tags" in body:
        # What this site did with the change: the command reports it (and which process).
        body["site"] = {
            "pid": os.getpid(),
            "invalidate_site": get_emulator_settings().INVALIDATE_SITE,
            "invalidated": len(invalidated.tags),
            "errors": invalidated.errors,
        }
    return _answer(status, body)
