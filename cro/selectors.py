"""Reads of CRO records, scoped by role.

The CRO is national: a record belongs to no station, so jurisdiction here is
by role, not by posting. CRO officers, district officers (DPO/SDPO) and SHOs
may search and view every record (a wanted person crosses district lines);
other users see none, and a record or photo URL gives them 404. Only CRO
officers change records and read a record's access log.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

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


def _front_photos() -> Prefetch:
    return Prefetch("photos", queryset=RecordPhoto.objects.order_by("kind", "-uploaded_at"), to_attr="photo_list")


def records_by_ids_for_user(user: User, ids: list[int]) -> dict[int, CriminalRecord]:
    """Return {pk: record} of the records ``ids`` that ``user`` may see, each with ``photo_list`` (two queries)."""
    rows = (
        records_for_user(user).filter(pk__in=ids).select_related("wanted_by_station").prefetch_related(_front_photos())
    )
    return {r.pk: r for r in rows}


def records_latest_for_user(user: User) -> QuerySet[CriminalRecord]:
    """Return the records ``user`` may see, newest first, with station and ``photo_list`` loaded (lazy)."""
    return records_for_user(user).select_related("wanted_by_station").prefetch_related(_front_photos()).order_by("-id")


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


def record_with_cnic(cnic: str, *, exclude_pk: int | None = None) -> CriminalRecord | None:
    """Return the record (live or merged) holding ``cnic``, other than ``exclude_pk``, or None."""
    return CriminalRecord.objects.filter(cnic=cnic).exclude(pk=exclude_pk).first()


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


@dataclass(frozen=True)
class HistoryEvent:
    """One line of a record's criminal history timeline."""

    when: datetime.datetime
    kind: str  # "status", "fir", "arrest", "challan", "convicted", "acquitted"
    text: str
    url: str = ""


def _as_datetime(day: datetime.date | datetime.datetime) -> datetime.datetime:
    if isinstance(day, datetime.datetime):
        return day
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def record_history(*, record: CriminalRecord) -> list[HistoryEvent]:
    """Return the record's criminal history, newest first: FIRs naming it as accused (by CNIC, its
    merged duplicates' CNICs included), arrests, challans and court outcomes, and its own status dates.

    Four queries: merged CNICs, accused (with FIR and station), arrests, FIR status changes.
    """
    from fir.models import Accused, Arrest, FirStatus, StatusChange

    events = [HistoryEvent(_as_datetime(day), "status", str(label)) for _key, label, day in record.statuses if day]
    cnics = [c for c in [record.cnic, *record.merged_records.values_list("cnic", flat=True)] if c]
    if not cnics:
        return sorted(events, key=lambda e: e.when, reverse=True)
    accused = list(Accused.objects.filter(cnic__in=cnics).select_related("fir__station"))
    for person in accused:
        fir = person.fir
        text = _("Accused in %(fir)s") % {"fir": fir.label}
        events.append(HistoryEvent(fir.registered_at, "fir", text, fir.get_absolute_url()))
    arrests = Arrest.objects.filter(accused__in=[a.pk for a in accused]).select_related("fir__station")
    for arrest in arrests:
        text = _("Arrested in %(fir)s at %(place)s") % {"fir": arrest.fir.label, "place": arrest.place}
        events.append(HistoryEvent(arrest.arrested_at, "arrest", text, arrest.fir.get_absolute_url()))
    outcomes = {
        FirStatus.CHALLAN_SUBMITTED: ("challan", _("Challan submitted in %(fir)s")),
        FirStatus.CONVICTED: ("convicted", _("Convicted in %(fir)s")),
        FirStatus.ACQUITTED: ("acquitted", _("Acquitted in %(fir)s")),
    }
    changes = StatusChange.objects.filter(
        fir_id__in={a.fir_id for a in accused}, to_status__in=list(outcomes)
    ).select_related("fir__station")
    for change in changes:
        kind, template = outcomes[change.to_status]
        text = template % {"fir": change.fir.label}
        if change.challan_kind:
            text += f" ({change.get_challan_kind_display()})"
        events.append(HistoryEvent(change.changed_at, kind, text, change.fir.get_absolute_url()))
    return sorted(events, key=lambda e: e.when, reverse=True)
