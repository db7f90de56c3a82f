"""Writing private files through Django's storage API, refusing cleanly when the store does not answer.

Every upload (CRO photos and fingerprint cards, complaint attachments, Hotel Eye guest photos, Khidmat
scans and photos) is written here, to the filesystem under MEDIA_ROOT or to S3-compatible object storage
(``STORAGE_URL``, casp/storage_config.py). A store that is down or refuses the write raises
``StorageUnavailable``, a ValidationError naming the field, before the caller writes its database row;
files already written for the same upload are deleted again, so nothing is half-saved.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _

from casp.uploads import private_name

logger = logging.getLogger(__name__)


def storage_errors() -> tuple[type[BaseException], ...]:
    """The exceptions that mean "the store failed" (not "the file is bad"): I/O errors and boto3's errors."""
    try:
        from botocore.exceptions import BotoCoreError, ClientError
    except ImportError:  # pragma: no cover - botocore is in requirements.txt
        return (OSError,)
    return (OSError, BotoCoreError, ClientError)


class StorageUnavailable(ValidationError):
    """The file store did not take the file; nothing was saved."""


def unavailable_error(field: str | None) -> StorageUnavailable:
    message = _(
        "The file could not be stored because the file store is not answering; nothing was saved. "
        "Try again in a few minutes, and tell the system administrator if it keeps happening."
    )
    return StorageUnavailable({field: [message]} if field else message, code="storage_unavailable")


class FileBatch:
    """The files written for one upload: ``write`` each, and all are deleted if the upload fails."""

    def __init__(self, field: str | None) -> None:
        self.field = field
        self.names: list[str] = []

    def write(self, prefix: str, extension: str, content: bytes) -> str:
        """Store ``content`` under a random private name below ``prefix``; return the name."""
        try:
            name = default_storage.save(private_name(prefix, extension), ContentFile(content))
        except storage_errors() as exc:
            logger.error("file store refused a write under %s: %s", prefix, exc)
            raise unavailable_error(self.field) from exc
        self.names.append(name)
        return name


@contextmanager
def file_batch(field: str | None = None) -> Iterator[FileBatch]:
    """Yield a FileBatch; if the block raises (store down, database error), delete what it wrote."""
    batch = FileBatch(field)
    try:
        yield batch
    except BaseException:
        discard(batch.names)
        raise


def discard(names: Iterable[str]) -> None:
    """Delete stored files whose database rows were not saved; a store that is down only logs (orphans)."""
    for name in names:
        try:
            default_storage.delete(name)
        except storage_errors() as exc:
            logger.warning("could not delete orphaned file %s: %s", name, exc)
