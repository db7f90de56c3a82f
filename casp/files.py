"""Serve private files (photos, fingerprints, attachments) after the view has checked permission.

The file is read from the configured storage (the filesystem, or S3-compatible object storage with a
private ACL: casp/storage_config.py) and streamed by the application; the bucket is never exposed.
"""

from __future__ import annotations

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse
from django.utils.translation import gettext as _

from casp.storage import storage_errors

CONTENT_TYPES = {
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "webp": "image/webp",
    "pdf": "application/pdf",
}


def private_file_response(name: str, *, download: bool = False) -> FileResponse | HttpResponse:
    """Return the stored file ``name`` with the one set of headers every private file gets; Http404 if missing.

    Never cached by browsers or proxies, never content-sniffed, shown inline
    unless ``download`` (PDFs are always downloaded: a browser's PDF viewer
    runs scripts). A file store that does not answer gives a 503 that says so.
    """
    if not name:
        raise Http404("No file.")
    try:
        handle = default_storage.open(name, "rb")
    except FileNotFoundError:
        raise Http404("File missing.") from None
    except storage_errors():
        response = HttpResponse(
            _("The file store is not answering; try again in a few minutes."),
            status=503,
            content_type="text/plain; charset=utf-8",
        )
        response["Retry-After"] = "60"
        response["Cache-Control"] = "no-store"
        return response
    extension = name.rsplit(".", 1)[-1].lower()
    response = FileResponse(handle, content_type=CONTENT_TYPES.get(extension, "application/octet-stream"))
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = "attachment" if download or extension == "pdf" else "inline"
    return response
