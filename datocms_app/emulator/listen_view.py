"""The Django views of the embedded emulator's Real-time Updates API.

Mounted by ``datocms_app.emulator.urls`` at ``listen`` (registrations: the CDA's request,
``POST``ed, answered ``{"url": ".../listen/channels/<id>"}``) and ``listen/channels/<id>``
(the Server-Sent Events channel), where ``DATOCMS["EMULATOR"]["LISTEN_BASE"]`` points. They
hand the request to the embedded emulator (``Emulator.handle``: the same checks, answers and
CORS headers as the standalone server) and answer 404 when an API token is configured
(DatoCMS's own API is in use). The emulator is imported only when called, so the URLconf
loads without the emulator extra.

A channel is a ``StreamingHttpResponse`` whose generator blocks its thread between events:
WSGI servers that give each connection a thread (``runserver``, the test live server,
gunicorn's ``gthread`` workers) serve it; it ends when the client leaves (a keep-alive
comment finds the socket closed) or the embedded emulator is reset. Under ASGI Django would
read the whole stream before sending anything, so channels answer 501 there. Channels live
in one process: with several worker processes, a registration and its connection may reach
different ones (and each has its own embedded emulator): serve live updates from one.
"""

from __future__ import annotations

from django.core.handlers.asgi import ASGIRequest
from django.http import Http404, HttpRequest, JsonResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.views.decorators.csrf import csrf_exempt

from datocms_app.conf import get_settings
from datocms_app.emulator.views import django_response

__all__ = ["emulator_listen", "emulator_listen_channel"]


@csrf_exempt  # authenticated by the emulator's bearer token, as the CDA is
def emulator_listen(request: HttpRequest) -> HttpResponseBase:
    """Register a Real-time Updates channel with the embedded emulator."""
    from datocms_app.emulator.listen import LISTEN_PATH

    return _answer(request, LISTEN_PATH)


def emulator_listen_channel(request: HttpRequest, channel_id: str) -> HttpResponseBase:
    """Stream a channel of the embedded emulator's Real-time Updates API."""
    from datocms_app.emulator.listen import LISTEN_PATH

    return _answer(request, f"{LISTEN_PATH}/channels/{channel_id}")


def _answer(request: HttpRequest, path: str) -> HttpResponseBase:
    if get_settings().API_TOKEN:
        raise Http404("The emulator is not in use: DATOCMS['API_TOKEN'] is set.")
    from datocms_app.emulator.embedded import get_emulator
    from datocms_app.emulator.server import EmulatorRequest

    if isinstance(request, ASGIRequest) and request.method == "GET":
        return JsonResponse(
            {
                "error": "not_implemented",
                "message": "The embedded emulator streams its channels under WSGI servers "
                "(runserver, gunicorn with threads); under ASGI, run `manage.py "
                "datocms_emulator` and point clients at its /listen.",
            },
            status=501,
        )
    headers = {name.lower(): value for name, value in request.headers.items()}
    headers["host"] = request.get_host()
    answer = get_emulator().handle(
        EmulatorRequest(
            method=request.method or "GET",
            path=path,
            query_string=request.META.get("QUERY_STRING", ""),
            headers=headers,
            body=request.body,
            url_root=f"{request.scheme or 'http'}://{request.get_host()}",
        )
    )
    if answer.stream is None:
        return django_response(request, answer.status, answer.headers, answer.body)
    response = StreamingHttpResponse(answer.stream, status=answer.status)
    for name, value in answer.headers:
        response[name] = value
    return response
