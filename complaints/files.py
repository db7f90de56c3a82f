"""Attachments: check each upload is what its name says (casp.uploads), store it privately."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from typing import IO

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from casp.storage import FileBatch
from casp.uploads import process_image, safe_file_name, validate_pdf

MAX_FILES = 5
MAX_FILE_BYTES = 5 * 1024 * 1024
IMAGE_EXTENSIONS = {".jpg", ".jpeg", ".png", ".webp"}
PDF_EXTENSIONS = {".pdf"}
STORAGE_PREFIX = "complaints"


@dataclass(frozen=True)
class PreparedFile:
    kind: str  # "image" or "pdf"
    content: bytes
    extension: str
    original_name: str
    sha256: str


def attachment_prepare(upload: IO[bytes]) -> PreparedFile:
    """Return the checked content of one upload; raise ValidationError naming the file otherwise.

    Images are decoded and re-encoded without metadata (casp.uploads.process_image);
    PDFs must start with the PDF signature and hold no active content. A name's extension must match
    what the file really is: a ``.pdf`` that is not a PDF, or a ``.jpg`` that
    is not an image, is refused.
    """
    name = safe_file_name(getattr(upload, "name", "") or "file")
    extension = os.path.splitext(name)[1].lower()
    size = getattr(upload, "size", None) or 0
    try:
        if size > MAX_FILE_BYTES:
            raise ValidationError(
                _("The file is %(size).1f MB; the limit is %(limit)d MB per file.")
                % {"size": size / 1048576, "limit": MAX_FILE_BYTES // 1048576},
                code="too_large",
            )
        if extension in IMAGE_EXTENSIONS:
            image = process_image(upload)
            return PreparedFile("image", image.content, image.extension, name, image.sha256)
        if extension in PDF_EXTENSIONS:
            validate_pdf(upload, max_bytes=MAX_FILE_BYTES)
            upload.seek(0)
            content = upload.read()
            return PreparedFile("pdf", content, "pdf", name, hashlib.sha256(content).hexdigest())
        raise ValidationError(_("Only JPEG, PNG or WebP images and PDF documents can be attached."), code="type")
    except ValidationError as exc:
        raise ValidationError(
            _("%(name)s: %(problem)s") % {"name": name, "problem": " ".join(exc.messages)}, code=exc.code
        ) from None


def attachment_write(files: FileBatch, prepared: PreparedFile, prefix: str = STORAGE_PREFIX) -> str:
    """Write the content under a random private name below ``prefix`` and return the storage path."""
    return files.write(prefix, prepared.extension, prepared.content)
