"""The Django view serving the embedded emulator's Content Management API (development only).

Mounted at ``cma/`` (``datocms_app.emulator.urls``): with the URLs at ``datocms/emulator/``,
``buildClient({apiToken: "emulator", baseUrl: "http://127.0.0.1:8000/datocms/emulator/cma"})``
(or ``datocms_app.cma.Client(base_url=...)``) writes the content a ``runserver`` serves, its
webhooks included. Like the content-change endpoint, it exists only while ``DEBUG`` is True
and no API token is configured (404 otherwise), and every request needs one of
``DATOCMS["EMULATOR"]["TOKENS"]`` (the upload targets excepted: their URL is their
credential). In-process code (tests) can skip Django: ``EmulatorTransport()`` with the base
URL ``http://emulator.invalid/cma`` reaches the same CMA. Imports the emulator only when
called.
"""

from __future__ import annotations

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt

from datocms_app.emulator.change_view import outside_development

__all__ = ["emulator_cma"]


@csrf_exempt
def emulator_cma(request: HttpRequest, rest: str = "") -> HttpResponse:
    """Answer one CMA request (``<emulator>/cma/<rest>``) with the embedded emulator."""
    refusal = outside_development("Content Management API requests")
    if refusal is not None:
        return refusal
    from datocms_app.emulator.embedded import get_emulator
    from datocms_app.emulator.exceptions import SimulatedFault
    from datocms_app.emulator.http_messages import EmulatorRequest

    try:
        body = request.body
    except RequestDataTooBig:
        return HttpResponse(
            "The body is larger than DATA_UPLOAD_MAX_MEMORY_SIZE: raise that setting, or use "
            "the standalone emulator (manage.py datocms_emulator) for large uploads.\n",
            status=413,
            content_type="text/plain; charset=utf-8",
        )
    mount = request.path[: len(request.path) - len(rest)].rstrip("/").removesuffix("/cma")
    emulator_request = EmulatorRequest(
        method=request.method or "GET",
        path=f"/cma/{rest}",
        query_string=request.META.get("QUERY_STRING", ""),
        headers={name.lower(): value for name, value in request.headers.items()},
        body=body,
        url_root=request.build_absolute_uri(mount or "/").rstrip("/"),
    )
    try:
        answer = get_emulator().handle(emulator_request)
    except SimulatedFault:
        return HttpResponse(status=503)
    response = HttpResponse(answer.body, status=answer.status)
    for name, value in answer.headers:
        response[name] = value
    return response
