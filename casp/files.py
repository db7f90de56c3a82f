"""Serve private files (photos, fingerprints, attachments) after the view has checked permission.

The file is read from the configured storage (the filesystem, or S3-compatible object storage with a
private ACL: casp/storage_config.py) and streamed by the application; the bucket is never exposed. With
object storage and ``serve=redirect`` the view answers instead with a redirect to a signed URL that
expires within a minute (``signed_url_seconds``), issued only after the view's permission check.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import models
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext as _

from casp import audit
from casp.storage import storage_errors
from casp.storage_config import SERVE_REDIRECT

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
    extension = name.rsplit(".", 1)[-1].lower()
    content_type = CONTENT_TYPES.get(extension, "application/octet-stream")
    disposition = "attachment" if download or extension == "pdf" else "inline"
    if settings.PRIVATE_FILE_SERVING == SERVE_REDIRECT:
        return _signed_redirect(name, content_type, disposition)
    try:
        handle = default_storage.open(name, "rb")
    except FileNotFoundError:
        raise Http404("File missing.") from None
    except storage_errors():
        return _store_down()
    response = FileResponse(handle, content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = disposition
    return response


def private_file_read(
    request: HttpRequest,
    name: str,
    *,
    action: str,
    target: models.Model,
    data: dict[str, Any] | None = None,
    download: bool = False,
) -> FileResponse | HttpResponse:
    """Serve ``name`` as ``private_file_response`` does and record the read, only if the file was served.

    A file missing from the store (404) or a store that does not answer (503) shows nothing, so it
    writes no read event; a streamed file (200) or a signed redirect to it (302) does.
    """
    response = private_file_response(name, download=download)
    if response.status_code < 400:
        audit.record_read(actor=request.user, action=action, target=target, request=request, data=data)
    return response


def _signed_redirect(name: str, content_type: str, disposition: str) -> HttpResponse:
    """Answer 302 to a signed URL of object ``name`` that expires after ``signed_url_seconds``.

    The signature covers the response headers the store must send (type, disposition, no caching),
    so the browser gets the same headers as from a streamed file; the redirect itself is never cached.
    """
    try:
        if not default_storage.exists(name):
            raise Http404("File missing.")
        url = default_storage.url(
            name,
            parameters={
                "ResponseContentType": content_type,
                "ResponseContentDisposition": disposition,
                "ResponseCacheControl": "private, no-store",
            },
        )
    except storage_errors():
        return _store_down()
    response = HttpResponseRedirect(url)
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response


def _store_down() -> HttpResponse:
    response = HttpResponse(
        _("The file store is not answering; try again in a few minutes."),
        status=503,
        content_type="text/plain; charset=utf-8",
    )
    response["Retry-After"] = "60"
    response["Cache-Control"] = "no-store"
    return response
