"""Uploads (assets) of the emulated CMA, and the storage their files are PUT to.

Creating an upload takes the round trips DatoCMS's clients make:

1. ``POST /upload-requests`` (``filename``) answers an ``upload_request``: its ``id`` is the
   future upload's ``path`` and its ``url`` a ``PUT`` target on the emulator itself,
   ``<cma>/upload-storage/<key>/<filename>`` (``request_headers``: none needed);
2. ``PUT`` the file's bytes there — no token: the unguessable key is the credential, as in
   an S3 presigned URL. The file goes to the emulator's private temporary folder (never the
   content project), removed with the emulator;
3. ``POST /uploads`` with that ``path`` and the metadata (``author``, ``copyright``,
   ``notes``, ``tags``, per-locale ``default_field_metadata``) answers ``202`` and a job,
   whose result is the upload. It is checked at once (an unknown path, bad metadata:
   ``INVALID_FIELD``) and created when the job runs: then the CDA serves it
   (``allUploads``, ``upload``, its URL) and the ``upload``/``create`` webhook is sent.

``GET /uploads/:id`` and ``GET /uploads`` (``filter[ids]``, ``filter[query]``,
``filter[fields]`` — the CDA's upload filters in snake_case, ``md5`` included, which the JS
client's ``skipCreationIfAlreadyExists`` uses —, ``order_by``, ``locale``, ``page``) read
them.
"""

from __future__ import annotations

import re
import secrets
import shutil
import tempfile
import threading
import weakref
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import quote

from graphql import GraphQLError

from datocms_app.emulator.changes import ChangeResult, ContentEditor
from datocms_app.emulator.cma.errors import refused
from datocms_app.emulator.cma.exchange import Answer, CMARequest
from datocms_app.emulator.cma.filter_params import invalid_filter, typed_condition
from datocms_app.emulator.cma.items import refusal_of
from datocms_app.emulator.cma.params import client_id, known_attributes, resource
from datocms_app.emulator.cma.routing import Router
from datocms_app.emulator.entities import upload_entity
from datocms_app.emulator.exceptions import ContentChangeError
from datocms_app.emulator.project import Upload
from datocms_app.emulator.upload_filters import (
    UPLOAD_FILTERS,
    compile_upload_filter,
    sort_uploads,
)

__all__ = ["STORAGE_PATH", "UploadStorage", "register"]

#: Where the PUT targets of upload requests live, below the CMA.
STORAGE_PATH = "/upload-storage"
#: The largest file the storage takes, in bytes (DatoCMS's limit is 1 GB).
MAX_UPLOAD_BYTES = 64 * 1024 * 1024
UPLOAD_ATTRIBUTES = frozenset({"path", "copyright", "author", "notes",
                               "default_field_metadata", "tags"})  # fmt: skip
_MUX_KEYS = ("duration", "frame_rate", "mux_playback_id", "mux_mp4_highest_res")
_SNAKE_NAMES = {"mime_type": "mimeType", "smart_tags": "smartTags", "_created_at": "_createdAt",
                "_updated_at": "_updatedAt", "in_use": "inUse"}  # fmt: skip
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


class UploadStorage:
    """The files PUT to upload requests, in a private temporary folder."""

    def __init__(self) -> None:
        self.directory = Path(tempfile.mkdtemp(prefix="datocms-emulator-uploads-"))
        self._requests: dict[str, str] = {}
        self._lock = threading.Lock()
        self._finalizer = weakref.finalize(self, shutil.rmtree, self.directory, True)

    def request(self, filename: str) -> tuple[str, str]:
        """A new upload request for ``filename``: ``(key, safe file name)``."""
        name = _SAFE_NAME.sub("-", Path(filename.replace("\\", "/")).name).strip(".-") or "file"
        key = secrets.token_urlsafe(16)
        with self._lock:
            self._requests[key] = name
        return key, name

    def store(self, key: str, filename: str, content: bytes) -> None:
        with self._lock:
            expected = self._requests.get(key)
        if expected is None or expected != filename:
            raise refused(
                "NOT_FOUND", "No upload request has this URL: ask for one with POST "
                "/upload-requests.",
            )  # fmt: skip
        if len(content) > MAX_UPLOAD_BYTES:
            raise refused("INVALID_FIELD", f"Files are limited to {MAX_UPLOAD_BYTES} bytes.")
        folder = self.directory / key
        folder.mkdir(exist_ok=True)
        (folder / filename).write_bytes(content)

    def file_of(self, path: Any) -> Path | None:
        """The stored file of an upload request's ``path`` (``/<key>/<filename>``)."""
        if not isinstance(path, str):
            return None
        key, _, filename = path.strip("/").partition("/")
        with self._lock:
            if self._requests.get(key) != filename:
                return None
        candidate = self.directory / key / filename
        return candidate if candidate.is_file() else None

    def close(self) -> None:
        self._finalizer()


def register(router: Router) -> None:
    router.add("/upload-requests", POST=create_upload_request)
    router.add(f"{STORAGE_PATH}/:key/:filename", PUT=store_file, public=True)
    router.add("/uploads", POST=create_upload, GET=list_uploads)
    router.add("/uploads/:id", GET=find_upload)


def _entity(request: CMARequest, upload: Upload) -> dict[str, Any]:
    entity = upload_entity(upload, url_base=request.assets_base())
    for key in _MUX_KEYS:
        entity["attributes"].setdefault(key, None)
    return entity


# -- storage ----------------------------------------------------------------------------------


def create_upload_request(request: CMARequest) -> Answer:
    data = resource(request.body, "upload_request")
    assert data is not None
    filename = (data.get("attributes") or {}).get("filename") or "file"
    if not isinstance(filename, str):
        raise refused("INVALID_FIELD", "filename must be a string.", field="filename",
                      code="VALIDATION_INVALID")  # fmt: skip
    key, name = request.cma.storage.request(filename)
    return Answer(
        201,
        {
            "data": {
                "id": f"/{key}/{name}",
                "type": "upload_request",
                "attributes": {
                    "url": f"{request.cma_url}{STORAGE_PATH}/{key}/{quote(name)}",
                    "request_headers": {},
                },
            }
        },
    )


def store_file(request: CMARequest) -> Answer:
    request.cma.storage.store(request.value("key"), request.value("filename"), request.http.body)
    return Answer(200)


# -- uploads ----------------------------------------------------------------------------------


def create_upload(request: CMARequest) -> Answer:
    """Checked now, created by a job (as on DatoCMS)."""
    data = resource(request.body, "upload")
    assert data is not None
    attributes = known_attributes(data, UPLOAD_ATTRIBUTES, "upload")
    upload_id = client_id(data, "upload")
    file = request.cma.storage.file_of(attributes.get("path"))
    if file is None:
        raise refused(
            "INVALID_FIELD",
            f"path {attributes.get('path')!r} is not the id of an upload request whose file "
            "was PUT to its url: POST /upload-requests, PUT the file, then create the upload.",
            field="path",
            code="VALIDATION_INVALID",
        )

    def created(editor: ContentEditor) -> ChangeResult:
        try:
            return editor.create_upload(
                file,
                id=upload_id,
                default_field_metadata=attributes.get("default_field_metadata"),
                author=attributes.get("author"),
                copyright=attributes.get("copyright"),
                notes=attributes.get("notes"),
                tags=attributes.get("tags") or (),
            )
        except ContentChangeError as exc:
            raise refusal_of(exc) from exc

    created(request.editor.dry_run())

    def create() -> Answer:
        result = created(request.editor)
        assert result.upload is not None
        return Answer(201, {"data": _entity(request, result.upload)})

    return Answer(202, {"data": {"type": "job", "id": request.cma.jobs.submit(create)}})


def find_upload(request: CMARequest) -> Answer:
    upload = request.state.uploads.get(request.value("id"))
    if upload is None:
        raise refused("NOT_FOUND", f"No upload with id {request.value('id')!r}.")
    return Answer(200, {"data": _entity(request, upload)})


def list_uploads(request: CMARequest) -> Answer:
    params = request.params
    params.unknown({"filter", "page", "order_by", "locale"})
    state = request.state
    locale = params.locale(state.site.locales)
    limit = params.number("page", "limit", default=30, minimum=0, maximum=500)
    offset = params.number("page", "offset", default=0, minimum=0, maximum=10**9)
    uploads = list(state.uploads.values())
    ids = params.text("filter", "ids")
    if ids is not None:
        wanted = {one.strip() for one in ids.split(",")}
        uploads = [upload for upload in uploads if upload.id in wanted]
    spec = _cda_filter(params.mapping("filter", "fields"))
    query = (params.text("filter", "query") or "").casefold().split()
    try:
        predicate = compile_upload_filter(spec, locale)
        uploads = [u for u in uploads if predicate(u) and _found(u, query, locale)]
        order = [s.strip() for s in (params.text("order_by") or "").split(",") if s.strip()]
        ordered = sort_uploads(uploads, [_cda_order(spec) for spec in order] or None, locale)
    except GraphQLError as exc:
        raise invalid_filter(exc.message) from exc
    page = ordered[offset : offset + limit]
    return Answer(
        200, {"data": [_entity(request, u) for u in page], "meta": {"total_count": len(ordered)}}
    )


def _cda_filter(spec: Mapping[str, Any]) -> dict[str, Any]:
    translated: dict[str, Any] = {}
    for name, condition in spec.items():
        if name.upper() in ("AND", "OR"):
            parts = condition if isinstance(condition, list) else list(condition.values())
            translated[name.upper()] = [_cda_filter(part) for part in parts]
            continue
        cda_name = _SNAKE_NAMES.get(name, name)
        kind = UPLOAD_FILTERS.get(cda_name, ("string", ()))[0]
        translated[cda_name] = typed_condition(kind, condition, name)
    return translated


def _cda_order(spec: str) -> str:
    name, _, direction = spec.rpartition("_")
    return f"{_SNAKE_NAMES.get(name, name)}_{direction}"


def _found(upload: Upload, words: list[str], locale: str) -> bool:
    if not words:
        return True
    texts = [upload.filename, upload.author or "", upload.copyright or "", upload.notes or "",
             *upload.tags, str(upload.metadata(locale, "alt") or ""),
             str(upload.metadata(locale, "title") or "")]  # fmt: skip
    text = " ".join(texts).casefold()
    return all(word in text for word in words)
