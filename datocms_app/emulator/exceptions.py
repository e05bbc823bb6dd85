"""Every error the offline emulator (``datocms_app.emulator``) raises: its branch of the tree.

All of them subclass ``datocms_app.exceptions.DatoCMSError``, so ``except DatoCMSError``
catches the emulator's errors too; the core never raises (or imports) any of them.

::

    DatoCMSError                      (datocms_app.exceptions)
     └── EmulatorError                the offline emulator cannot do what was asked
          ├── ContentError            a content project (schema, records, uploads, site) is
          │                           invalid; the message names the file and the value
          ├── SimulatedFault          a fault pushed on ``emulator.faults`` (tests); the
          │    ├── SimulatedDisconnect    emulator's transports turn these into the httpx
          │    └── SimulatedTimeout       errors of a dropped connection / a read timeout
          ├── ContentChangeError      the emulator refused a create/update/publish/delete
          │    ├── UnknownModel           no model (item type) with that API key
          │    ├── RecordNotFound         no record with that id
          │    ├── InvalidFieldValue      unknown field, wrong value type, bad locale (.field,
          │    │                          .locale)
          │    ├── InvalidStatusChange    e.g. publishing an invalid version, deleting a linked
          │    │                          record
          │    ├── EmulatorUnreachable    no connection to a running emulator: nothing was sent
          │    └── TechnicalLimitReached  more than 500 blocks in a record, or blocks nested
          │                               deeper than 5 levels (.limit, .maximum)
          ├── CMARefused              the emulated Content Management API refuses a request
          │                           (.status, .code, .details: its api_error answer)
          ├── WebhookError            webhook delivery in the emulator
          │    └── WebhookDrainTimeout    ``drain()`` ran out of time with calls still waiting
          ├── InvalidParameter        a bad image or video parameter (.param; also ValueError,
          │                           via InvalidArgument); each one below is also one of these
          ├── ImageError              emulator.images cannot serve or describe an upload's image
          │    ├── InvalidImgixParams     a bad imgix parameter or value (an InvalidParameter)
          │    │    └── UnsupportedImgixParam  a real imgix parameter the emulator does not do
          │    ├── ImageNotFound          the upload's file is missing (also FileNotFoundError)
          │    └── NotAnImage             the file is not an image Pillow can decode
          └── VideoError              the emulator cannot describe or serve a video upload
               ├── InvalidVideoFile       an MP4 or HLS playlist it cannot read (what is wrong)
               └── InvalidThumbnailParams a bad Mux thumbnail parameter (an InvalidParameter)

Misconfiguration (``DATOCMS["EMULATOR"]``) raises the core's ``ConfigurationError``.
"""

from __future__ import annotations

from typing import Any

from datocms_app.exceptions import DatoCMSError, InvalidArgument

__all__ = [
    "CMARefused",
    "ContentChangeError",
    "ContentError",
    "EmulatorError",
    "EmulatorUnreachable",
    "ImageError",
    "ImageNotFound",
    "InvalidFieldValue",
    "InvalidImgixParams",
    "InvalidParameter",
    "InvalidStatusChange",
    "InvalidThumbnailParams",
    "InvalidVideoFile",
    "NotAnImage",
    "RecordNotFound",
    "SimulatedDisconnect",
    "SimulatedFault",
    "SimulatedTimeout",
    "TechnicalLimitReached",
    "UnknownModel",
    "UnsupportedImgixParam",
    "VideoError",
    "WebhookDrainTimeout",
    "WebhookError",
]


class EmulatorError(DatoCMSError):
    """The offline emulator cannot do what was asked (bad content, bad arguments)."""


class ContentError(EmulatorError, ValueError):
    """A content project is invalid. The message names the file, the value and the fix."""


class SimulatedFault(EmulatorError):
    """A fault pushed on ``emulator.faults``; the emulator's transports translate it."""


class SimulatedDisconnect(SimulatedFault):
    """The emulator drops the connection without answering (a dropped connection)."""


class SimulatedTimeout(SimulatedFault):
    """The emulator's simulated latency outlasted the client's read timeout."""


# -- content changes and webhooks (emulator.changes, emulator.webhooks) ----------------------


class ContentChangeError(EmulatorError):
    """The emulator refused a content change; the message says what to send instead.

    ``code`` is the CMA-like error code the standalone emulator answers with.
    """

    code = "INVALID_CHANGE"


class UnknownModel(ContentChangeError):
    """No model (item type) has that API key or id."""

    code = "UNKNOWN_MODEL"


class RecordNotFound(ContentChangeError):
    """No record has that id."""

    code = "NOT_FOUND"


class InvalidFieldValue(ContentChangeError, ValueError):
    """A field is not in the model, or its value does not fit the field's type or locales."""

    code = "INVALID_FIELD"

    def __init__(self, message: str, *, field: str | None = None, locale: str | None = None):
        super().__init__(message)
        self.field = field
        self.locale = locale


class InvalidStatusChange(ContentChangeError):
    """The record cannot go to that status: an invalid version cannot be published, a model
    without draft/published cannot unpublish, a record other records link to cannot go."""

    code = "INVALID_STATUS_CHANGE"


class EmulatorUnreachable(ContentChangeError):
    """No connection could be made to a running emulator: the change was not sent, so it
    changed nothing (``RemoteEditor``; the change command then tries elsewhere)."""

    code = "EMULATOR_UNREACHABLE"


class TechnicalLimitReached(ContentChangeError):
    """A record would hold more blocks, or blocks nested deeper, than DatoCMS allows
    (Content Management API > Technical Limits: 500 blocks, 5 levels)."""

    code = "TECHNICAL_LIMIT_REACHED"

    def __init__(self, message: str, *, limit: str, maximum: int) -> None:
        super().__init__(message)
        self.limit = limit
        self.maximum = maximum


class CMARefused(EmulatorError):
    """The emulated Content Management API refuses a request.

    ``status`` is the HTTP status, ``code`` the CMA's error code (``INVALID_FIELD``,
    ``STALE_ITEM_VERSION``...), ``details`` the ``details`` object of its ``api_error``
    (always with a ``message``); the message is that ``message``.
    """

    def __init__(self, status: int, code: str, message: str, /, **details: Any) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.details: dict[str, Any] = {**details, "message": message}
        #: Every ``(code, details)`` of the answer: this one, then ``also()``'s.
        self.entries: list[tuple[str, dict[str, Any]]] = [(code, self.details)]

    def also(self, others: list[CMARefused]) -> CMARefused:
        """This refusal, answered together with ``others`` (one ``api_error`` each)."""
        for other in others:
            self.entries.extend(other.entries)
        return self


class WebhookError(EmulatorError):
    """Something went wrong delivering the emulator's webhooks."""


class WebhookDrainTimeout(WebhookError):
    """``drain()`` ran out of time while calls were still pending or rescheduled."""


# -- images and videos (emulator.images, emulator.videos) -----------------------------------


class InvalidParameter(EmulatorError, InvalidArgument):
    """An image or video parameter is unknown or has a bad value; ``param`` names it."""

    def __init__(self, message: str, *, param: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.param = param


class ImageError(EmulatorError):
    """The emulator cannot serve or describe an upload's image (``emulator.images``)."""


class InvalidImgixParams(ImageError, InvalidParameter):
    """An imgix parameter is unknown or has a bad value; ``param`` names it (imgix spelling)."""


class UnsupportedImgixParam(InvalidImgixParams):
    """A real imgix parameter (or value) that the emulator does not implement."""


class ImageNotFound(ImageError, FileNotFoundError):
    """The upload's file does not exist (any more)."""


class NotAnImage(ImageError):
    """The file exists but Pillow cannot decode it as an image (PDF, SVG, video, ...)."""


class VideoError(EmulatorError):
    """The emulator cannot describe or serve a video upload (``emulator.videos``)."""


class InvalidVideoFile(VideoError):
    """An MP4 or an HLS playlist the emulator cannot read; the message says what is wrong."""


class InvalidThumbnailParams(VideoError, InvalidParameter):
    """A Mux thumbnail parameter is unknown or has a bad value; ``param`` names it."""
