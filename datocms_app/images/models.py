"""Pydantic models of the CDA's ``responsiveImage`` and ``video`` objects.

Field names are snake_case in Python and accept the CDA's camelCase keys (``srcSet``,
``webpSrcSet``, ``bgColor``, ``aspectRatio``, ``streamingUrl``...), so a GraphQL result can be
passed as is. Unknown keys are ignored: a query may ask for more than the renderer uses.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from typing import Any

from django.utils.safestring import SafeString
from pydantic import BaseModel, ConfigDict, Field, PositiveInt, ValidationError, field_validator

from datocms_app.exceptions import InvalidResponsiveImage, InvalidVideo
from datocms_app.validation_errors import describe_validation_error

__all__ = ["ResponsiveImage", "Video", "parse_image", "parse_video"]

logger = logging.getLogger("datocms_app.images")

# A CSS colour that cannot break out of its declaration: "#e5e2dd", "rgb(1 2 3 / 50%)", "red".
_SAFE_CSS_COLOR = re.compile(
    r"#[0-9A-Fa-f]{3,8}|[A-Za-z]{3,30}|[A-Za-z]{3,5}\([0-9A-Za-z.,%/+ -]{1,80}\)"
)

IMAGE_QUERY_HINT = (
    "Ask the CDA for at least `responsiveImage { src width height }` "
    "(better: `src srcSet width height alt title base64 sizes`)."
)
VIDEO_QUERY_HINT = (
    "Ask the CDA for `video { streamingUrl mp4Url thumbnailUrl width height }` "
    "(aliases mp4High/mp4Medium/mp4Low for several MP4 renditions)."
)


class ResponsiveImage(BaseModel):
    """A ``responsiveImage`` object: ``src`` and ``width`` required, everything else optional.

    Rendering it in a template (``{{ image }}``) gives the default ``render_image`` markup.
    """

    model_config = ConfigDict(frozen=True, populate_by_name=True, extra="ignore")

    src: str = Field(min_length=1)
    width: PositiveInt
    height: PositiveInt | None = None
    aspect_ratio: float | None = Field(default=None, alias="aspectRatio", gt=0)
    src_set: str | None = Field(default=None, alias="srcSet")
    webp_src_set: str | None = Field(default=None, alias="webpSrcSet")
    sizes: str | None = None
    base64: str | None = None
    bg_color: str | None = Field(default=None, alias="bgColor")
    alt: str | None = None
    title: str | None = None

    @field_validator("bg_color")
    @classmethod
    def _drop_unsafe_color(cls, value: str | None) -> str | None:
        # The colour goes into a style attribute: anything that is not plainly a colour
        # ("red;background:url(...)") is dropped rather than trusted.
        if value is None or _SAFE_CSS_COLOR.fullmatch(value):
            return value
        logger.warning("responsiveImage.bgColor %r is not a CSS colour; ignored", value[:80])
        return None

    def __html__(self) -> SafeString:
        from datocms_app.images.picture import render_image

        return render_image(self)

    def __str__(self) -> str:
        return self.__html__()


class Video(BaseModel):
    """A CDA ``video`` object (a Mux-encoded upload's streaming and MP4 URLs)."""

    model_config = ConfigDict(frozen=True, populate_by_name=True, extra="ignore")

    streaming_url: str | None = Field(default=None, alias="streamingUrl")
    mp4_url: str | None = Field(default=None, alias="mp4Url")
    mp4_high: str | None = Field(default=None, alias="mp4High")
    mp4_medium: str | None = Field(default=None, alias="mp4Medium")
    mp4_low: str | None = Field(default=None, alias="mp4Low")
    thumbnail_url: str | None = Field(default=None, alias="thumbnailUrl")
    width: PositiveInt | None = None
    height: PositiveInt | None = None
    duration: float | None = Field(default=None, ge=0)
    mux_playback_id: str | None = Field(default=None, alias="muxPlaybackId")

    @property
    def mp4_urls(self) -> list[str]:
        """The MP4 renditions in preference order, without duplicates or blanks."""
        urls: list[str] = []
        for url in (self.mp4_url, self.mp4_high, self.mp4_medium, self.mp4_low):
            if url and url not in urls:
                urls.append(url)
        return urls


def parse_image(data: Any) -> ResponsiveImage:
    """``data`` (a mapping in the CDA shape, or a ``ResponsiveImage``) as a ``ResponsiveImage``.

    Raises ``InvalidResponsiveImage`` saying what is missing and how to query it.
    """
    if isinstance(data, ResponsiveImage):
        return data
    if not isinstance(data, Mapping):
        raise InvalidResponsiveImage(
            f"Expected a responsiveImage object (a dict such as "
            f"{{'src': ..., 'width': ...}}), got {type(data).__name__}. "
            "Pass `upload.responsiveImage`, not the upload or its URL."
        )
    try:
        return ResponsiveImage.model_validate(data)
    except ValidationError as exc:
        raise InvalidResponsiveImage(
            f"Cannot render this responsiveImage: "
            f"{describe_validation_error(exc, root='responsiveImage')}. {IMAGE_QUERY_HINT}"
        ) from None


def parse_video(data: Any) -> Video:
    """``data`` (a CDA ``video`` mapping, or a ``Video``) as a ``Video`` with a playable URL."""
    if isinstance(data, Video):
        video = data
    elif isinstance(data, Mapping):
        try:
            video = Video.model_validate(data)
        except ValidationError as exc:
            raise InvalidVideo(
                f"Cannot render this video: {describe_validation_error(exc, root='video')}."
            ) from None
    else:
        raise InvalidVideo(
            f"Expected a video object (a dict such as {{'streamingUrl': ...}}), got "
            f"{type(data).__name__}. Pass `upload.video`, not the upload or its URL."
        )
    if not video.streaming_url and not video.mp4_urls:
        raise InvalidVideo(
            f"This video has neither streamingUrl nor an MP4 URL. {VIDEO_QUERY_HINT}"
        )
    return video
