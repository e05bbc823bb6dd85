"""What an upload's file is: size, dimensions, format, MIME type, MD5, kind.

The CDA's ``FileField`` (``files``), its ``allUploads`` filters (``upload_filters``), the
CMA's upload resource and the webhooks' payloads (``entities``) all read an upload's facts
here, so they agree. Images are analysed by ``images`` (cached per file); a video's size is
read from its MP4; anything else has its format from its extension. MD5s are cached per
file and modification time. Reading only; never writes.
"""

from __future__ import annotations

import functools
import hashlib
import mimetypes
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from datocms_app.emulator.project import Upload
from datocms_app.exceptions import DatoCMSError

__all__ = ["UPLOAD_TYPES", "UploadFacts", "image_facts", "upload_facts"]

#: The CDA's ``UploadType`` enum: what kind of file an upload is.
UPLOAD_TYPES = (
    "image", "audio", "video", "richtext", "presentation", "spreadsheet", "pdfdocument",
    "archive",
)  # fmt: skip
_KIND_OF_EXTENSION = {
    **dict.fromkeys(("doc", "docx", "rtf", "txt", "md", "odt", "pages"), "richtext"),
    **dict.fromkeys(("ppt", "pptx", "key", "odp"), "presentation"),
    **dict.fromkeys(("xls", "xlsx", "csv", "ods", "numbers"), "spreadsheet"),
    "pdf": "pdfdocument",
    **dict.fromkeys(("zip", "tar", "gz", "tgz", "rar", "7z", "bz2"), "archive"),
}


@dataclass(frozen=True, slots=True)
class UploadFacts:
    size: int
    #: Pixels, for images and videos; None for other files.
    width: int | None
    height: int | None
    format: str
    mime_type: str
    md5: str
    is_image: bool
    #: One of ``UPLOAD_TYPES``, or None when the file is none of them.
    kind: str | None
    blurhash: str | None
    #: Dominant colours, ``#rrggbb``, most frequent first (images only).
    colors: tuple[str, ...]


def image_facts(path: Path) -> Any | None:
    """The images module's analysis of ``path``, or None when it is not an image."""
    from datocms_app.emulator import images

    try:
        return images.analyze(path)
    except DatoCMSError:
        return None


def upload_facts(upload: Upload) -> UploadFacts:
    """The facts of ``upload``'s file (``FileNotFoundError`` if it is gone)."""
    stat = upload.path.stat()
    image = image_facts(upload.path)
    suffix = upload.path.suffix.lstrip(".").lower()
    guessed, _ = mimetypes.guess_type(upload.filename)
    width = height = None
    if image is not None:
        width, height = image.width, image.height
    elif upload.video is not None:
        width, height = upload.video.width, upload.video.height
    mime_type = str(image.mime_type) if image is not None else guessed or "application/octet-stream"
    if upload.video is not None:
        mime_type = "video/mp4"
    return UploadFacts(
        size=stat.st_size,
        width=width,
        height=height,
        format=str(image.format) if image is not None else suffix,
        mime_type=mime_type,
        md5=_md5(upload.path, stat.st_mtime_ns),
        is_image=image is not None,
        kind=_kind(image is not None, mime_type, suffix),
        blurhash=str(image.blurhash) if image is not None else None,
        colors=tuple(image.colors) if image is not None else (),
    )


def _kind(is_image: bool, mime_type: str, suffix: str) -> str | None:
    if is_image or mime_type.startswith("image/"):
        return "image"
    for kind in ("video", "audio"):
        if mime_type.startswith(f"{kind}/"):
            return kind
    return _KIND_OF_EXTENSION.get(suffix)


@functools.lru_cache(maxsize=1024)
def _md5(path: Path, mtime_ns: int) -> str:
    digest = hashlib.md5(usedforsecurity=False)
    with path.open("rb") as source:
        while chunk := source.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()
