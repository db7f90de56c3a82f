"""Checks and normalisation for uploaded images and PDFs (CRO photos, guest photos, attachments).

Images must really be JPEG, PNG or WebP (decoded, not trusted by extension or
content type), at most 10 MB and 40 megapixels (decompression bombs are
refused before decoding). EXIF orientation is applied and then all metadata
is dropped by re-encoding; a thumbnail is made. Files are stored under
non-guessable names by the caller, outside the static path.
"""

from __future__ import annotations

import hashlib
import io
import secrets
from dataclasses import dataclass
from typing import IO

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError

MAX_IMAGE_BYTES = 10 * 1024 * 1024
MAX_IMAGE_PIXELS = 40_000_000
THUMBNAIL_SIZE = (256, 256)
ALLOWED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
# Pillow's own bomb guard, as a second line behind the explicit check below.
Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS


@dataclass(frozen=True)
class ProcessedImage:
    content: bytes
    thumbnail: bytes
    extension: str
    width: int
    height: int
    sha256: str


def _size_of(upload: IO[bytes]) -> int:
    size = getattr(upload, "size", None)
    if size is None:
        pos = upload.tell()
        upload.seek(0, io.SEEK_END)
        size = upload.tell()
        upload.seek(pos)
    return int(size)


def process_image(upload: IO[bytes]) -> ProcessedImage:
    """Return the upload re-encoded without metadata, with a thumbnail; raise ValidationError if unfit."""
    size = _size_of(upload)
    if size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    if size > MAX_IMAGE_BYTES:
        raise ValidationError(
            _("The photo is %(size).1f MB; the limit is 10 MB."), code="too_large", params={"size": size / 1048576}
        )
    upload.seek(0)
    # WeasyPrint and face_recognition switch Pillow's process-wide LOAD_TRUNCATED_IMAGES on when
    # imported; a damaged upload must still be refused, whatever was imported before.
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        image = Image.open(upload)
    except (UnidentifiedImageError, OSError):
        raise ValidationError(_("This file is not a JPEG, PNG or WebP image."), code="not_image") from None
    except Image.DecompressionBombError:
        raise ValidationError(_("The image is too large in pixels; the limit is 40 megapixels."), code="bomb") from None
    if image.format not in ALLOWED_FORMATS:
        raise ValidationError(
            _("This file is a %(format)s image; only JPEG, PNG or WebP are accepted."),
            code="format",
            params={"format": image.format or "unknown"},
        )
    width, height = image.size
    if width * height > MAX_IMAGE_PIXELS:
        raise ValidationError(
            _("The image has %(mp).0f megapixels; the limit is 40 megapixels."),
            code="bomb",
            params={"mp": width * height / 1_000_000},
        )
    try:
        image.load()
    except (OSError, Image.DecompressionBombError, ValueError):
        raise ValidationError(_("The image is damaged or incomplete."), code="damaged") from None
    fmt = image.format
    image = ImageOps.exif_transpose(image)
    if fmt == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    out = io.BytesIO()
    # Saving without exif=/pnginfo= drops EXIF, GPS and comments.
    save_kwargs = {"JPEG": {"quality": 90}, "WEBP": {"quality": 90}, "PNG": {"optimize": False}}[fmt]
    image.save(out, format=fmt, **save_kwargs)
    content = out.getvalue()
    thumb = image.copy()
    thumb.thumbnail(THUMBNAIL_SIZE)
    if thumb.mode not in ("RGB", "L"):
        thumb = thumb.convert("RGB")
    thumb_out = io.BytesIO()
    thumb.save(thumb_out, format="JPEG", quality=80)
    return ProcessedImage(
        content=content,
        thumbnail=thumb_out.getvalue(),
        extension=ALLOWED_FORMATS[fmt],
        width=image.width,
        height=image.height,
        sha256=hashlib.sha256(content).hexdigest(),
    )


def validate_pdf(upload: IO[bytes], *, max_bytes: int = MAX_IMAGE_BYTES) -> None:
    """Raise ValidationError unless the upload starts like a PDF and is within ``max_bytes``."""
    size = _size_of(upload)
    if size > max_bytes:
        raise ValidationError(
            _("The file is %(size).1f MB; the limit is %(limit)d MB."),
            code="too_large",
            params={"size": size / 1048576, "limit": max_bytes // 1048576},
        )
    upload.seek(0)
    head = upload.read(5)
    upload.seek(0)
    if head != b"%PDF-":
        raise ValidationError(_("This file is not a PDF document."), code="not_pdf")


def private_name(prefix: str, extension: str) -> str:
    """Return a storage path that cannot be guessed: ``prefix/ab/<43 random chars>.ext``."""
    token = secrets.token_urlsafe(32)
    return f"{prefix}/{token[:2]}/{token}.{extension}"
