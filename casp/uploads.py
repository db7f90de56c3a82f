"""Checks and normalisation for uploaded images and PDFs (CRO photos, guest photos, attachments).

Images must really be JPEG, PNG or WebP (decoded, not trusted by extension or
content type), at most 10 MB and 40 megapixels (decompression bombs are
refused before decoding). EXIF orientation is applied, then only the pixels
are copied into a new image and encoded: no EXIF, XMP, ICC profile, comment
(JPEG COM) or other APPn/PNG text segment of the upload survives. A thumbnail
is made. Files are stored under non-guessable names by the caller, outside
the static path.

PDFs must start with the PDF signature and carry no active content: a PDF
with JavaScript, a launch action, embedded files, rich media or an XFA form
is refused (``validate_pdf``), whether the keys are written plainly, with
``#xx`` name escapes or inside compressed object streams. An encrypted PDF is
refused too, because what it holds cannot be checked.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import re
import secrets
import zlib
from dataclasses import dataclass
from typing import IO

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, ImageCms, ImageFile, ImageOps, UnidentifiedImageError

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
    image = _pixels_only(ImageOps.exif_transpose(image), fmt)
    out = io.BytesIO()
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


def _pixels_only(image: Image.Image, fmt: str) -> Image.Image:
    """Return a new image holding only ``image``'s pixels: its ``info`` (comment, XMP, ICC, EXIF, text) is left behind.

    Pillow writes ``info["comment"]`` and ``info["xmp"]`` back when saving, so re-saving the decoded
    image is not enough; building a fresh image from the raw pixels is.
    """
    has_alpha = image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info)
    mode = "L" if image.mode == "L" else ("RGBA" if has_alpha and fmt != "JPEG" else "RGB")
    source = image.convert(mode) if image.mode != mode else image
    icc = image.info.get("icc_profile")
    if icc and mode != "L":
        # The profile is dropped with the rest; map its colours to sRGB first so the photo looks the same.
        with contextlib.suppress(Exception):
            source = ImageCms.profileToProfile(
                source, ImageCms.ImageCmsProfile(io.BytesIO(icc)), ImageCms.createProfile("sRGB"), outputMode=mode
            )
    return Image.frombytes(mode, source.size, source.tobytes())


# PDF name objects that carry or start active content. /OpenAction alone (e.g. "open at page 1") is harmless;
# an /OpenAction that runs JavaScript is caught by /JS or /JavaScript.
PDF_ACTIVE_KEYS = (
    b"/JavaScript",
    b"/JS",
    b"/Launch",
    b"/EmbeddedFile",
    b"/EmbeddedFiles",
    b"/RichMedia",
    b"/XFA",
    b"/Encrypt",
)
_PDF_NAME = re.compile(rb"/[^\s/\[\]<>(){}%]+")
_PDF_STREAM = re.compile(rb"(?<![A-Za-z])stream\r?\n")  # the keyword, not the end of "endstream"
MAX_PDF_INFLATED_BYTES = 64 * 1024 * 1024


def _pdf_names(data: bytes) -> set[bytes]:
    """Return the PDF name tokens in ``data``, with ``#xx`` escapes decoded (``/J#61vaScript`` is ``/JavaScript``)."""
    return {re.sub(rb"#([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]), n) for n in _PDF_NAME.findall(data)}


def _pdf_object_streams(data: bytes) -> tuple[list[bytes], bool]:
    """Return the inflated content of the PDF's object streams (/ObjStm), and whether all could be read.

    Only object streams can hide dictionaries (and so actions); a stream's own dictionary is always
    plain text, and image or page streams are never inflated. An object stream that is not
    FlateDecode, is damaged, or inflates past MAX_PDF_INFLATED_BYTES (a zip bomb) is "unreadable".
    """
    out, budget, readable, view = [], MAX_PDF_INFLATED_BYTES, True, memoryview(data)
    for match in _PDF_STREAM.finditer(data):
        head = data[max(0, match.start() - 4096) : match.start()]
        head = head[head.rfind(b"obj") :]
        if b"/ObjStm" not in _pdf_names(head):
            continue
        inflater = zlib.decompressobj()
        try:
            chunk = inflater.decompress(view[match.end() :], budget + 1)
        except zlib.error:
            readable = False
            continue
        budget -= len(chunk)
        if budget < 0 or not inflater.eof:
            return out, False
        out.append(chunk)
    return out, readable


def pdf_active_content(data: bytes) -> list[str]:
    """Return the active-content keys in the PDF bytes ``data`` (plain or in object streams).

    "unreadable" is among them when an object stream could not be inflated and so not checked.
    """
    names = _pdf_names(data)
    streams, readable = _pdf_object_streams(data)
    for chunk in streams:
        names |= _pdf_names(chunk)
    found = sorted(key.decode()[1:] for key in PDF_ACTIVE_KEYS if key in names)
    return found if readable else [*found, "unreadable"]


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
    found = pdf_active_content(upload.read())
    upload.seek(0)
    if "Encrypt" in found or "unreadable" in found:
        raise ValidationError(
            _(
                "This PDF is password-protected, encrypted or compressed in a way that cannot be checked; "
                "attach an unprotected copy or a scan."
            ),
            code="pdf_unchecked",
        )
    if found:
        raise ValidationError(
            _(
                "This PDF contains active content (%(keys)s) that could run on the reader's computer; "
                "print it to a new PDF or scan it, and attach that instead."
            ),
            code="pdf_active",
            params={"keys": ", ".join(found)},
        )


def safe_file_name(name: str, limit: int = 200) -> str:
    """Return the base name of an upload cut to ``limit`` characters, keeping its extension."""
    base = os.path.basename(str(name or "").replace("\\", "/")) or "file"
    if len(base) <= limit:
        return base
    stem, extension = os.path.splitext(base)
    if len(extension) > 16:  # not a real extension: just cut
        return base[:limit]
    return stem[: limit - len(extension)] + extension


def private_name(prefix: str, extension: str) -> str:
    """Return a storage path that cannot be guessed: ``prefix/ab/<43 random chars>.ext``."""
    token = secrets.token_urlsafe(32)
    return f"{prefix}/{token[:2]}/{token}.{extension}"
