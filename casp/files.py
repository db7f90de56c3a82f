"""Serve private files (photos, fingerprints, attachments) after the view has checked permission."""

from __future__ import annotations

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404

CONTENT_TYPES = {
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "webp": "image/webp",
    "pdf": "application/pdf",
}


def private_file_response(name: str, *, download: bool = False) -> FileResponse:
    """Return the stored file ``name`` with the one set of headers every private file gets; Http404 if missing.

    Never cached by browsers or proxies, never content-sniffed, shown inline
    unless ``download`` (PDFs are always downloaded: a browser's PDF viewer
    runs scripts).
    """
    if not name:
        raise Http404("No file.")
    try:
        handle = default_storage.open(name, "rb")
    except FileNotFoundError:
        raise Http404("File missing.") from None
    extension = name.rsplit(".", 1)[-1].lower()
    response = FileResponse(handle, content_type=CONTENT_TYPES.get(extension, "application/octet-stream"))
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = "attachment" if download or extension == "pdf" else "inline"
    return response
