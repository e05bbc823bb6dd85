"""URLs of the emulator app: the embedded emulator's files and its content-change endpoint.

Mount them where ``DATOCMS["EMULATOR"]["ASSETS_BASE"]`` and ``VIDEO_BASE`` point; their
defaults expect ``path("datocms/emulator/", include("datocms_app.emulator.urls"))``:

- ``assets/<upload id>/<filename>``: uploads, rendered with their imgix parameters;
- ``video/<playback id>...``: HLS playlists and segments, MP4 renditions, thumbnails;
- ``listen`` and ``listen/channels/<id>``: the Real-time Updates API (where ``LISTEN_BASE``
  points), so that live updates work offline (``listen_view``);
- ``_emulator/changes``: content changes (``DEBUG`` only, token required), so that
  ``manage.py datocms_emulator_change --url http://127.0.0.1:8000/datocms/emulator/`` edits
  the content a ``runserver`` serves;
- ``cma/...``: the Content Management API (``DEBUG`` only, token required), for DatoCMS's
  clients and ``datocms_app.cma`` with ``baseUrl`` ``http://127.0.0.1:8000/datocms/emulator/cma``.
"""

from django.urls import URLPattern, URLResolver, path

from datocms_app.emulator.change_view import emulator_changes
from datocms_app.emulator.cma_view import emulator_cma
from datocms_app.emulator.listen_view import emulator_listen, emulator_listen_channel
from datocms_app.emulator.views import emulator_asset, emulator_video

app_name = "datocms_emulator"

urlpatterns: list[URLPattern | URLResolver] = [
    path("assets/<str:upload_id>/<str:filename>", emulator_asset, name="asset"),
    path("video/<path:rest>", emulator_video, name="video"),
    path("_emulator/changes", emulator_changes, name="changes"),
    path("cma", emulator_cma, name="cma-root"),
    path("cma/<path:rest>", emulator_cma, name="cma"),
    path("listen", emulator_listen, name="listen"),
    path("listen/channels/<str:channel_id>", emulator_listen_channel, name="listen-channel"),
]
