"""Responsive images, imgix URLs and video for DatoCMS uploads.

- ``render_image(responsive_image, ...)``: the ``<picture>`` of react-datocms' ``<RSCImage>``
  (lazy loading, placeholder, no layout shift), ``{% datocms_image %}`` in templates.
- ``render_image_preload(responsive_image, ...)``: ``<link rel="preload">`` for an LCP image,
  ``{% datocms_image_preload %}``.
- ``imgix_url(url, **params)``: add imgix parameters to an asset URL,
  ``{% datocms_image_url %}``.
- ``render_video(video, ...)``: a ``<video>`` with HLS and MP4 sources, ``{% datocms_video %}``.
- ``ResponsiveImage`` and ``Video``: the pydantic models of the CDA objects.
"""

from datocms_app.images.imgix import imgix_url
from datocms_app.images.models import ResponsiveImage, Video, parse_image, parse_video
from datocms_app.images.picture import (
    DEFAULT_SRCSET_CANDIDATES,
    build_srcset,
    render_image,
    render_image_preload,
)
from datocms_app.images.video import render_video

__all__ = [
    "DEFAULT_SRCSET_CANDIDATES",
    "ResponsiveImage",
    "Video",
    "build_srcset",
    "imgix_url",
    "parse_image",
    "parse_video",
    "render_image",
    "render_image_preload",
    "render_video",
]
