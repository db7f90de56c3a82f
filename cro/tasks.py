"""Celery tasks of the CRO: take ids, load, call a service."""

from __future__ import annotations

from celery import shared_task
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _

from cro.faces import encode_face
from cro.models import FaceStatus, RecordPhoto
from cro.services import photo_store_face


@shared_task(
    bind=True, name="cro.tasks.encode_photo", max_retries=3, default_retry_delay=30, retry_backoff=True,
    ignore_result=True,
)  # fmt: skip
def encode_photo_task(self, photo_id: int) -> str:  # noqa: ANN001
    """Encode the face in photo ``photo_id`` and store the result; idempotent (a rerun replaces it)."""
    photo = RecordPhoto.objects.filter(pk=photo_id).only("file").first()
    if photo is None:
        return "missing"
    try:
        with default_storage.open(photo.file, "rb") as fh:
            content = fh.read()
    except FileNotFoundError:
        photo_store_face(
            photo_id=photo_id, status=FaceStatus.ERROR, encoding=None, message=_("The photo file is missing.")
        )
        return FaceStatus.ERROR
    result = encode_face(content)
    photo_store_face(photo_id=photo_id, status=result.status, encoding=result.encoding, message=result.message)
    return result.status
