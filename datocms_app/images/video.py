"""``render_video``: a plain ``<video>`` for a DatoCMS (Mux) video, without a player script.

The HLS ``streamingUrl`` comes first (played natively by Safari and recent Chrome), then the
MP4 renditions as fallbacks; ``thumbnailUrl`` is the poster; ``width``/``height`` and an
``aspect-ratio`` reserve the space so nothing shifts; ``preload="none"`` keeps the page from
downloading video nobody plays. The markup lives in the overridable template
``datocms/video.html``. This module must never add a third-party script or iframe.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from datocms_app.content_problems import report_content_problem
from datocms_app.exceptions import InvalidArgument, InvalidVideo
from datocms_app.images.models import Video, parse_video

__all__ = ["VIDEO_TEMPLATE", "render_video"]

logger = logging.getLogger("datocms_app.images")

VIDEO_TEMPLATE = "datocms/video.html"
_PRELOAD_VALUES = ("none", "metadata", "auto")


def render_video(
    data: Video | Mapping[str, Any] | None,
    *,
    controls: bool = True,
    autoplay: bool = False,
    muted: bool = False,
    loop: bool = False,
    preload: str = "none",
    video_class: str | None = None,
    alt: str | None = None,
    template_name: str = VIDEO_TEMPLATE,
) -> SafeString:
    """The ``<video>`` for a CDA ``video`` object (``upload.video``).

    ``alt`` (say ``upload.alt``) becomes the ``aria-label``. ``autoplay`` implies ``muted``,
    since browsers refuse to autoplay sound. ``None`` renders nothing; a video without any
    playable URL raises ``InvalidVideo`` under ``DEBUG``, otherwise logs and renders ``""``.
    """
    if data is None:
        return SafeString("")
    if preload not in _PRELOAD_VALUES:
        raise InvalidArgument(
            f"preload must be one of {', '.join(_PRELOAD_VALUES)}, got {preload!r}."
        )
    for option, value in (("video_class", video_class), ("alt", alt)):
        if value is not None and not isinstance(value, str):
            raise InvalidArgument(f"{option} must be a string or None, got {value!r}.")
    try:
        video = parse_video(data)
    except InvalidVideo as exc:
        report_content_problem(exc, logger)
        return SafeString("")
    if video.width and video.height:
        style = (
            f"aspect-ratio:{video.width} / {video.height};width:100%;"
            f"max-width:{video.width}px;height:auto"
        )
    else:
        style = "width:100%;height:auto"
    context = {
        "video": video,
        "video_class": video_class,
        "style": style,
        "label": alt,
        "preload": preload,
        "controls": bool(controls),
        "autoplay": bool(autoplay),
        "muted": bool(muted or autoplay),
        "loop": bool(loop),
    }
    return SafeString(render_to_string(template_name, context).strip())
