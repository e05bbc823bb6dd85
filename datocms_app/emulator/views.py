"""The Django views serving the embedded emulator's upload and video URLs.

Mounted by ``datocms_app.emulator.urls``: ``assets/<id>/<file>`` (``ASSETS_BASE`` points
here) and ``video/<playback id>...`` (``VIDEO_BASE``: HLS playlists and segments,
MP4 renditions, thumbnails). They answer 404 when an API token is configured (DatoCMS then
serves the assets itself) and import the emulator only when called, so the URLconf loads
without the emulator extra. Range, If-Range and If-None-Match reach the emulator, whose
answers (200, 206, 304, 400, 404, 416) are passed on as they are.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from datocms_app.conf import get_settings

__all__ = ["django_response", "emulator_asset", "emulator_video"]


@require_safe
def emulator_asset(request: HttpRequest, upload_id: str, filename: str) -> HttpResponse:
    """An upload of the embedded emulator, transformed by the imgix parameters it carries."""
    if get_settings().API_TOKEN:
        raise Http404("The emulator is not in use: DATOCMS['API_TOKEN'] is set.")
    from datocms_app.emulator.embedded import get_emulator
    from datocms_app.emulator.server import file_conditions

    status, headers, body = get_emulator().asset(
        upload_id,
        filename,
        request.META.get("QUERY_STRING", ""),
        accept=request.headers.get("Accept", ""),
        **file_conditions(request.headers),
    )
    return django_response(request, status, headers, body)


@require_safe
def emulator_video(request: HttpRequest, rest: str) -> HttpResponse:
    """A video of the embedded emulator: its HLS playlist and segments, MP4, thumbnails."""
    if get_settings().API_TOKEN:
        raise Http404("The emulator is not in use: DATOCMS['API_TOKEN'] is set.")
    from datocms_app.emulator.embedded import get_emulator
    from datocms_app.emulator.server import file_conditions

    status, headers, body = get_emulator().video(
        rest, request.META.get("QUERY_STRING", ""), **file_conditions(request.headers)
    )
    return django_response(request, status, headers, body)


def django_response(
    request: HttpRequest, status: int, headers: list[tuple[str, str]], body: bytes
) -> HttpResponse:
    """An answer of the emulator as a Django response (without its body for HEAD)."""
    response = HttpResponse(b"" if request.method == "HEAD" else body, status=status)
    for name, value in headers:
        response[name] = value
    return response
