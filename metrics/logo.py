"""A client's logo: checked to really be a PNG or JPEG, scaled down to fit 512 px, made small for the banner.

The same stored image goes on the client banner and on the board pack's title slide.
"""

from __future__ import annotations

import base64
import io
import math
from dataclasses import dataclass
from functools import lru_cache

from PIL import ExifTags, Image, ImageOps, UnidentifiedImageError

from metrics.refusal import Refused

MAX_LOGO_BYTES = 1024 * 1024  # 1 MB, as uploaded
MAX_LOGO_SIDE = 512  # pixels, as stored
MAX_LOGO_PIXELS = 40_000_000  # a small file can still unpack into a huge image: refuse before decoding it
BANNER_HEIGHT = 56  # pixels: twice the banner's display height, sharp on high-density screens
LOGO_FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg", "MPO": "image/jpeg"}  # MPO: a phone's multi-frame JPEG
JPEG_MODES = {"L", "RGB", "CMYK"}


class LogoRefused(Refused):
    """The file is not a logo we can use; the message says why."""


@dataclass(frozen=True)
class Logo:
    """A stored logo: the image file's bytes and its media type (image/png or image/jpeg)."""

    data: bytes
    mime: str


def prepared_logo(data: bytes, file_name: str = "the logo") -> Logo:
    """The file as a logo: refused unless a real PNG or JPEG of at most 1 MB; scaled down to fit 512 × 512."""
    if not data:
        raise LogoRefused(f"{file_name} is empty")
    if len(data) > MAX_LOGO_BYTES:
        megabytes = math.ceil(len(data) / MAX_LOGO_BYTES * 10) / 10
        raise LogoRefused(f"{file_name} is {megabytes:.1f} MB; a logo may be at most 1 MB")
    image = _decoded(data, file_name)
    image_format = "PNG" if image.format == "PNG" else "JPEG"
    if max(image.size) <= MAX_LOGO_SIDE and image.format == image_format and not _turned(image):
        return Logo(data, LOGO_FORMATS[image_format])  # already small and upright: keep the file as it came
    upright = ImageOps.exif_transpose(image)
    return Logo(_encoded(upright, image_format, (MAX_LOGO_SIDE, MAX_LOGO_SIDE)), LOGO_FORMATS[image_format])


def _decoded(data: bytes, file_name: str) -> Image.Image:
    """The image, fully decoded; a file that only looks like an image (or a broken one) is refused."""
    try:
        image = Image.open(io.BytesIO(data))
        if image.format not in LOGO_FORMATS:
            raise LogoRefused(f"{file_name} is in {image.format} format; the logo must be a PNG or a JPEG")
        width, height = image.size
        if width * height > MAX_LOGO_PIXELS:
            raise LogoRefused(f"{file_name} is {width:,} × {height:,} pixels, far too large for a logo")
        image.load()
    except LogoRefused:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise LogoRefused(f"{file_name} is not a readable PNG or JPEG image") from None
    return image


def _turned(image: Image.Image) -> bool:
    """Whether the file asks to be shown rotated or flipped (a camera's orientation tag)."""
    return image.getexif().get(ExifTags.Base.Orientation, 1) != 1


def _encoded(image: Image.Image, image_format: str, box: tuple[int, int]) -> bytes:
    """The image scaled down to fit ``box`` (width, height), in its own format."""
    scaled = image.copy()
    scaled.thumbnail(box, Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    if image_format == "JPEG":
        scaled = scaled if scaled.mode in JPEG_MODES else scaled.convert("RGB")
        scaled.save(buffer, format="JPEG", quality=90)
    else:
        scaled.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def pixel_size(logo: Logo) -> tuple[int, int]:
    """Width and height of the stored logo, in pixels."""
    with Image.open(io.BytesIO(logo.data)) as image:
        return image.size


@lru_cache(maxsize=32)
def banner_image(logo: Logo) -> str:
    """A small copy of the logo as a data: address for the banner, so pages do not carry the full image."""
    with Image.open(io.BytesIO(logo.data)) as image:
        image.load()
        small = _encoded(image, image.format or "PNG", (BANNER_HEIGHT * 6, BANNER_HEIGHT))
    return f"data:{logo.mime};base64,{base64.b64encode(small).decode('ascii')}"
