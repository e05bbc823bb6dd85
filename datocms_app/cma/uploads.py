"""Uploads (assets): from a local file or a URL, each protocol written once as a flow.

Creating an upload takes four round trips, as DatoCMS's JS client does them:

1. ``POST /upload-requests`` with the file name: DatoCMS answers a storage URL (an S3-like
   presigned URL), the upload's future ``path`` (the request's id) and ``request_headers``;
2. ``PUT`` the file's bytes to that URL with those headers, ``Content-Type`` and
   ``Content-Length`` — and *no* ``Authorization``: the URL is its own credential;
3. ``POST /uploads`` with the ``path`` and the metadata (``author``, ``copyright``,
   ``notes``, ``tags``, per-locale ``default_field_metadata``), which starts a job;
4. the job's result: the upload.

With ``skip_creation_if_already_exists`` an upload with the file's MD5 is returned instead
when there is one. ``create_from_url`` downloads the file (no CMA headers either) to a
temporary directory first, and removes it afterwards. ``client.uploads`` runs these flows;
each has the signature and docstring of its public method.
"""

from __future__ import annotations

import hashlib
import math
import mimetypes
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from datocms_app.cma import jsonapi
from datocms_app.cma.options import refuse_unknown
from datocms_app.cma.protocol import Blocking, Download, Effect, PutFile, exchange
from datocms_app.cma.types import Record
from datocms_app.exceptions import InvalidArgument
from datocms_app.flows import Flow

if TYPE_CHECKING:
    from datocms_app.cma.client import BaseClient

__all__ = ["UPLOAD_METADATA", "UploadCalls"]

#: What ``POST /uploads`` takes besides ``path``.
UPLOAD_METADATA = ("copyright", "author", "notes", "default_field_metadata", "tags")
UPLOAD_RELATIONSHIPS = {"upload_collection": "upload_collection"}
FIELD_METADATA = frozenset({"alt", "title", "focal_point", "custom_data"})


def check_metadata(metadata: Mapping[str, Any]) -> dict[str, Any]:
    """The metadata of a new upload, checked: ``default_field_metadata`` is per locale."""
    refuse_unknown(metadata, (*UPLOAD_METADATA, *UPLOAD_RELATIONSHIPS), "An upload")
    per_locale = metadata.get("default_field_metadata")
    if per_locale is not None and not (
        isinstance(per_locale, Mapping)
        and all(
            isinstance(locale, str)
            and isinstance(values, Mapping)
            and set(values) <= FIELD_METADATA
            for locale, values in per_locale.items()
        )
    ):
        raise InvalidArgument(
            "default_field_metadata is a dict per locale of alt, title, focal_point and "
            "custom_data, such as {'en': {'alt': 'Headphones', 'title': None}}; got "
            f"{per_locale!r}."
        )
    return dict(metadata)


def md5_of(path: Path) -> str:
    digest = hashlib.md5(usedforsecurity=False)
    with path.open("rb") as source:
        while chunk := source.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def filename_of(url: str) -> str:
    """The file name a URL ends with (``image.png``), or ``"upload"``."""
    return safe_name(unquote(urlsplit(url).path))


def safe_name(name: str) -> str:
    """A file name that stays in its directory (no separators, not ``..``)."""
    base = PurePosixPath(name.replace("\\", "/")).name
    return base if base not in ("", ".", "..") else "upload"


class UploadCalls:
    """The flows of ``client.uploads``."""

    def __init__(self, client: BaseClient) -> None:
        self.client = client

    def find(self, upload: object, *, environment: str | None = None) -> Flow[Effect, Record]:
        """An upload by id (or an upload dict)."""
        path = f"/uploads/{jsonapi.to_id(upload, 'upload')}"
        found: Record = yield from self.client.simple_flow("GET", path, environment=environment)
        return found

    def list(
        self, params: Mapping[str, Any] | None = None, *, environment: str | None = None
    ) -> Flow[Effect, list[Record]]:
        """One page of uploads; ``params`` such as ``{"filter": {"fields": {"md5": {"eq":
        "..."}}}, "page": {"limit": 30}}``."""
        found: list[Record] = yield from self.client.simple_flow(
            "GET", "/uploads", params=params or {}, environment=environment
        )
        return found

    def create(
        self, path: str, metadata: Mapping[str, Any], environment: str | None
    ) -> Flow[Effect, Record]:
        """``POST /uploads`` for a file already PUT to ``path``; awaits the job."""
        body = jsonapi.serialize(
            {"path": path, **check_metadata(metadata)},
            type="upload",
            attributes=("path", *UPLOAD_METADATA),
            relationships=UPLOAD_RELATIONSHIPS,
        )
        found: Record = yield from self.client.simple_flow(
            "POST", "/uploads", body=body, environment=environment
        )
        return found

    def create_from_local_file(
        self,
        /,
        local_path: str | Path,
        *,
        filename: str | None = None,
        skip_creation_if_already_exists: bool = False,
        environment: str | None = None,
        **metadata: Any,
    ) -> Flow[Effect, Record]:
        """Upload a local file; ``metadata``: ``author``, ``copyright``, ``notes``, ``tags``,
        ``default_field_metadata`` (per locale), ``upload_collection``."""
        path = Path(local_path)
        if not path.is_file():
            raise InvalidArgument(f"No file at {str(local_path)!r} to upload.")
        check_metadata(metadata)
        if skip_creation_if_already_exists:
            checksum = yield Blocking(lambda: md5_of(path))
            params = {"filter": {"fields": {"md5": {"eq": checksum}}}, "page": {"limit": 1}}
            existing = yield from self.list(params, environment=environment)
            if existing:
                return existing[0]
        storage_path = yield from self.put_file(path, filename or path.name, environment)
        return (yield from self.create(storage_path, metadata, environment))

    def put_file(self, path: Path, filename: str, environment: str | None) -> Flow[Effect, str]:
        """Ask for an upload permission, PUT the file there; the upload's ``path``."""
        body = {"data": {"type": "upload_request", "attributes": {"filename": filename}}}
        answer = yield from self.client.call_flow(
            "POST", "/upload-requests", body=body, environment=environment
        )
        permission = jsonapi.deserialize(answer)
        url, storage_path = permission.get("url"), permission.get("id")
        if not isinstance(url, str) or not isinstance(storage_path, str):
            raise InvalidArgument(
                "POST /upload-requests did not answer an upload permission with an id and a "
                "url: is CMA_URL DatoCMS's Content Management API?"
            )
        extra = permission.get("request_headers")
        headers = {str(key): str(value) for key, value in (extra or {}).items()}
        headers["Content-Type"] = mimetypes.guess_type(filename)[0] or "application/octet-stream"
        headers["Content-Length"] = str(path.stat().st_size)
        put = PutFile(url=url, headers=headers, path=path)
        yield from exchange(put, self.client.policy, math.inf)
        return storage_path

    def create_from_url(
        self,
        /,
        url: str,
        *,
        filename: str | None = None,
        skip_creation_if_already_exists: bool = False,
        environment: str | None = None,
        **metadata: Any,
    ) -> Flow[Effect, Record]:
        """Download ``url``, then upload it as ``create_from_local_file`` does."""
        if not isinstance(url, str) or not url.startswith(("https://", "http://")):
            raise InvalidArgument(f"url must be an http(s) URL, got {url!r}.")
        check_metadata(metadata)
        name = filename or filename_of(url)
        directory = Path(tempfile.mkdtemp(prefix="datocms-upload-"))
        try:
            local = directory / safe_name(name)
            yield from exchange(Download(url=url, destination=local), self.client.policy, math.inf)
            return (
                yield from self.create_from_local_file(
                    local,
                    filename=name,
                    skip_creation_if_already_exists=skip_creation_if_already_exists,
                    environment=environment,
                    **metadata,
                )
            )
        finally:
            shutil.rmtree(directory, ignore_errors=True)
