"""Reads of CRO records, scoped by role.

The CRO is national: a record belongs to no station, so jurisdiction here is
by role, not by posting. CRO officers, district officers (DPO/SDPO) and SHOs
may search and view every record (a wanted person crosses district lines);
other users see none, and a record or photo URL gives them 404. Only CRO
officers change records and read a record's access log.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from casp.models import AuditEvent, User
from casp.roles import Role, has_role
from cro.models import CriminalRecord, FingerprintCard, RecordPhoto

VIEW_ROLES = (Role.CRO_OFFICER, Role.DISTRICT_OFFICER, Role.SHO)
EDIT_ROLES = (Role.CRO_OFFICER,)
RECORD_TARGET = CriminalRecord._meta.label_lower


def can_view_records(user: User) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or has_role(user, Role.SYSTEM_ADMIN, *VIEW_ROLES)))


def can_edit_records(user: User) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or has_role(user, Role.SYSTEM_ADMIN, *EDIT_ROLES)))


def records_for_user(user: User) -> QuerySet[CriminalRecord]:
    """Return the records ``user`` may see (all live records for the CRO roles, none for anyone else)."""
    if not can_view_records(user):
        return CriminalRecord.objects.none()
    return CriminalRecord.objects.filter(merged_into__isnull=True)


def record_get_for_user(user: User, *, pk: int) -> CriminalRecord:
    """Return record ``pk`` (a merged duplicate included) if ``user`` may see it, else raise Http404."""
    if not can_view_records(user):
        raise Http404("No such record.")
    record = (
        CriminalRecord.objects.select_related("wanted_by_station__district", "merged_into", "created_by")
        .filter(pk=pk)
        .first()
    )
    if record is None:
        raise Http404("No such record.")
    return record


def photo_get_for_user(user: User, *, pk: int) -> RecordPhoto:
    """Return photo ``pk`` if ``user`` may see its record, else raise Http404 (never 403)."""
    if not can_view_records(user):
        raise Http404("No such photo.")
    photo = RecordPhoto.objects.select_related("record").filter(pk=pk).first()
    if photo is None:
        raise Http404("No such photo.")
    return photo


def fingerprint_get_for_user(user: User, *, pk: int) -> FingerprintCard:
    """Return fingerprint card ``pk`` if ``user`` may see its record, else raise Http404."""
    if not can_view_records(user):
        raise Http404("No such fingerprint card.")
    card = FingerprintCard.objects.select_related("record").filter(pk=pk).first()
    if card is None:
        raise Http404("No such fingerprint card.")
    return card


def record_access_log(user: User, *, record: CriminalRecord, limit: int = 200) -> list[AuditEvent]:
    """Return the latest audit events (views, photo fetches, changes) of ``record``; empty unless a CRO officer."""
    if not can_edit_records(user):
        return []
    ids = [str(record.pk), *(str(pk) for pk in record.merged_records.values_list("pk", flat=True))]
    return list(
        AuditEvent.objects.filter(target_type=RECORD_TARGET, target_id__in=ids)
        .select_related("actor")
        .order_by("-created_at", "-id")[:limit]
    )


def search_log_for_user(user: User) -> QuerySet[AuditEvent]:
    """Return the CRO searches (with their terms), newest first; none unless a CRO officer."""
    if not can_edit_records(user):
        return AuditEvent.objects.none()
    return (
        AuditEvent.objects.filter(action__startswith="cro.search", is_read=True)
        .select_related("actor")
        .order_by("-created_at", "-id")
    )
