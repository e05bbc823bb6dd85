"""The Django view serving the embedded emulator's upload URLs (``emulator/assets/...``).

Mounted by ``datocms_app.urls``; the embedded emulator's ``ASSETS_BASE`` points here. It
answers 404 when an API token is configured (DatoCMS then serves the assets itself) and
imports the emulator only when called, so the URLconf loads without the emulator extra.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from datocms_app.conf import get_settings

__all__ = ["emulator_asset"]


@require_safe
def emulator_asset(request: HttpRequest, upload_id: str, filename: str) -> HttpResponse:
    """An upload of the embedded emulator, transformed by the imgix parameters it carries."""
    if get_settings().API_TOKEN:
        raise Http404("The emulator is not in use: DATOCMS['API_TOKEN'] is set.")
    from datocms_app.emulator.embedded import get_emulator

    status, headers, body = get_emulator().asset(
        upload_id,
        filename,
        request.META.get("QUERY_STRING", ""),
        accept=request.headers.get("Accept", ""),
        if_none_match=request.headers.get("If-None-Match", ""),
    )
    response = HttpResponse(b"" if request.method == "HEAD" else body, status=status)
    for name, value in headers:
        response[name] = value
    return response
