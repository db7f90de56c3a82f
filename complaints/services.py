"""Writes of the complaint system: filing, the workflow, citizen follow-up, the overdue sweep.

Every function changes rows, records the audit event and queues notifications
(after commit) in one transaction. Status changes lock the complaint row.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from casp import audit
from casp.cnic import CNIC
from casp.models import AuditEvent, User
from casp.storage import file_batch
from complaints.files import MAX_FILES, PreparedFile, attachment_write
from complaints.identifiers import tracking_number_new
from complaints.models import (
    DECIDED_STATUSES,
    OPEN_STATUSES,
    UNCONTACTED_STATUSES,
    Attachment,
    Category,
    Complaint,
    ComplaintEvent,
    EventKind,
    Status,
)
from complaints.selectors import officers_for_complaint
from fir.models import Fir
from fir.services import fir_register
from stations.diary import fact_make, named
from stations.models import DiaryKind, PoliceStation
from stations.services import diary_record

REOPEN_WINDOW = timedelta(days=30)
T = TypeVar("T")

# The workflow an officer drives (assignment and conversion to an FIR have their own services;
# reopening is the citizen's).
TRANSITIONS: dict[str, tuple[str, ...]] = {
    Status.RECEIVED: (Status.REJECTED,),
    Status.ASSIGNED: (Status.CONTACTED, Status.REJECTED),
    Status.CONTACTED: (Status.UNDER_ENQUIRY, Status.REJECTED),
    Status.UNDER_ENQUIRY: (Status.RESOLVED, Status.REJECTED),
    Status.RESOLVED: (Status.CLOSED,),
    Status.CONVERTED: (Status.CLOSED,),
    Status.REJECTED: (Status.CLOSED,),
    Status.CLOSED: (),
}


@dataclass(frozen=True)
class ComplaintData:
    name: str
    cnic: CNIC
    phone: str
    address: str
    station: PoliceStation
    category: Category
    incident_place: str
    incident_at: datetime
    description: str
    email: str = ""
    name_withheld: bool = False
    files: list[PreparedFile] = field(default_factory=list)
    womens_desk: bool = False


def complaint_route(*, category: Category, station: PoliceStation) -> PoliceStation | None:
    """Return the station that handles a complaint, or None for the district's supervising officer.

    Complaints about police conduct never go to the station complained about.
    """
    return None if category.is_police_conduct else station


def complaint_file(*, data: ComplaintData, request: HttpRequest | None = None) -> Complaint:
    """File a citizen's complaint: route it, set its deadlines, store attachments; notify after commit."""
    if len(data.files) > MAX_FILES:
        raise ValidationError({"attachments": _("Attach at most %(n)d files.") % {"n": MAX_FILES}})
    return _with_files(data.files, lambda paths: _complaint_create(data=data, paths=paths, request=request))


def _with_files(files: list[PreparedFile], save: Callable[[list[str]], T]) -> T:
    """Write the files, then run ``save(paths)``; delete the files again if it fails (nothing half-saved)."""
    with file_batch("attachments") as batch:
        return save([attachment_write(batch, f) for f in files])


def _attachments_create(complaint: Complaint, files: list[PreparedFile], paths: list[str], now: datetime) -> None:
    Attachment.objects.bulk_create(
        [
            Attachment(
                complaint=complaint,
                kind=f.kind,
                path=path,
                original_name=f.original_name,
                size=len(f.content),
                sha256=f.sha256,
                uploaded_at=now,
            )
            for f, path in zip(files, paths, strict=True)
        ]
    )


@transaction.atomic
def _complaint_create(*, data: ComplaintData, paths: list[str], request: HttpRequest | None) -> Complaint:
    from complaints.tasks import complaint_notify_filed

    now = timezone.now()
    complaint = Complaint(
        name=data.name,
        cnic=data.cnic,
        phone=data.phone,
        email=data.email,
        address=data.address,
        name_withheld=data.name_withheld,
        district_id=data.station.district_id,
        station=data.station,
        handling_station=complaint_route(category=data.category, station=data.station),
        category=data.category,
        incident_place=data.incident_place,
        incident_at=data.incident_at,
        description=data.description,
        womens_desk=data.womens_desk,
        created_at=now,
        status_changed_at=now,
        contact_due_at=now + timedelta(hours=data.category.contact_hours),
        reply_due_at=now + timedelta(hours=data.category.reply_hours),
    )
    # A collision among 2**60 numbers is vanishingly rare; retry rather than fail.
    for attempt in range(5):
        complaint.tracking_number = tracking_number_new()
        try:
            with transaction.atomic():
                complaint.save()
            break
        except IntegrityError:
            if attempt == 4 or Complaint.objects.filter(tracking_number=complaint.tracking_number).count() == 0:
                raise
    ComplaintEvent.objects.create(
        complaint=complaint, kind=EventKind.FILED, to_status=Status.RECEIVED, created_at=now, public_note=""
    )
    _attachments_create(complaint, data.files, paths, now)
    if complaint.handling_station_id is not None:
        # Police-conduct complaints are not entered in the diary of the station complained about.
        diary_record(
            station=complaint.handling_station,
            acting_user=None,
            kind=DiaryKind.COMPLAINT_RECEIVED,
            fact=fact_make(
                "complaints.received",
                number=complaint.tracking_number,
                category=named(data.category.name, data.category.name_ur),
                place=data.incident_place,
            ),
            received_at=now,
            source=complaint,
        )
    audit.record(
        actor=None,
        action="complaint.filed",
        target=complaint,
        station_id=complaint.station_id,
        request=request,
        data={"category": data.category.code, "handling_station": complaint.handling_station_id},
    )
    transaction.on_commit(lambda: complaint_notify_filed.delay(complaint_id=complaint.pk))
    return complaint


def _locked(complaint: Complaint) -> Complaint:
    return Complaint.objects.select_for_update().select_related("category").get(pk=complaint.pk)


def _event(
    complaint: Complaint,
    *,
    kind: str,
    actor: User | None,
    from_status: str = "",
    to_status: str = "",
    public_note: str = "",
    internal_note: str = "",
    at: datetime | None = None,
) -> ComplaintEvent:
    return ComplaintEvent.objects.create(
        complaint=complaint,
        kind=kind,
        actor=actor,
        from_status=from_status,
        to_status=to_status,
        public_note=public_note,
        internal_note=internal_note,
        created_at=at or timezone.now(),
    )


def _notify_citizen(complaint: Complaint, event: ComplaintEvent) -> None:
    from complaints.tasks import complaint_notify_citizen

    transaction.on_commit(lambda: complaint_notify_citizen.delay(complaint_id=complaint.pk, event_id=event.pk))


@transaction.atomic
def complaint_assign(
    *, complaint: Complaint, assignee: User, acting_user: User, public_note: str = "", internal_note: str = ""
) -> Complaint:
    """Assign (or reassign) an open complaint to an officer; a received complaint becomes assigned."""
    complaint = _locked(complaint)
    if complaint.status not in OPEN_STATUSES:
        raise ValidationError(_("Only an open complaint can be assigned."), code="not_open")
    if not officers_for_complaint(complaint).filter(pk=assignee.pk).exists():
        raise ValidationError(
            {"assignee": _("This officer is not posted where the complaint is handled.")}, code="assignee"
        )
    before = complaint.status
    complaint.assigned_to = assignee
    fields = ["assigned_to"]
    if complaint.status == Status.RECEIVED:
        complaint.status = Status.ASSIGNED
        complaint.status_changed_at = timezone.now()
        fields += ["status", "status_changed_at"]
    complaint.save(update_fields=fields)
    event = _event(
        complaint,
        kind=EventKind.ASSIGNED,
        actor=acting_user,
        from_status=before,
        to_status=complaint.status,
        public_note=public_note,
        internal_note=internal_note,
    )
    audit.record(
        actor=acting_user,
        action="complaint.assigned",
        target=complaint,
        station_id=complaint.station_id,
        data={"assignee": assignee.pk, "from": before, "to": complaint.status},
    )
    _notify_citizen(complaint, event)
    return complaint


@transaction.atomic
def complaint_transition(
    *,
    complaint: Complaint,
    to_status: str,
    acting_user: User,
    public_note: str = "",
    internal_note: str = "",
    outcome: str = "",
) -> Complaint:
    """Move a complaint one step along the workflow, recording who, when and the notes.

    Resolving needs an outcome and rejecting a reason (both shown to the citizen).
    """
    complaint = _locked(complaint)
    before = complaint.status
    if to_status not in TRANSITIONS.get(before, ()):
        raise ValidationError(
            {
                "to_status": _("A complaint that is %(from)s cannot become %(to)s.")
                % {"from": Status(before).label, "to": Status(to_status).label if to_status in Status else to_status}
            },
            code="transition",
        )
    if to_status in (Status.RESOLVED, Status.REJECTED) and not outcome.strip():
        message = (
            _("Write the outcome the complainant will be told.")
            if to_status == Status.RESOLVED
            else _("Write the reason for rejecting the complaint.")
        )
        raise ValidationError({"outcome": message}, code="outcome_required")
    now = timezone.now()
    complaint.status = to_status
    complaint.status_changed_at = now
    fields = ["status", "status_changed_at"]
    if to_status == Status.CONTACTED:
        complaint.contacted_at = now
        fields.append("contacted_at")
    if to_status in (Status.RESOLVED, Status.REJECTED):
        complaint.decided_at = now
        complaint.outcome = outcome.strip()
        fields += ["decided_at", "outcome"]
    complaint.save(update_fields=fields)
    event = _event(
        complaint,
        kind=to_status,
        actor=acting_user,
        from_status=before,
        to_status=to_status,
        public_note=_decision_note(to_status, outcome=outcome, public_note=public_note),
        internal_note=internal_note,
        at=now,
    )
    audit.record(
        actor=acting_user,
        action="complaint.status_changed",
        target=complaint,
        station_id=complaint.station_id,
        data={"from": before, "to": to_status},
    )
    _notify_citizen(complaint, event)
    return complaint


def _decision_note(to_status: str, *, outcome: str, public_note: str) -> str:
    """Return the citizen-facing text of a status event: a decision's outcome first, then any public note.

    Both are kept: an officer's public note typed beside "Resolved" must reach
    the timeline and the citizen's status page, not be replaced by the outcome.
    """
    parts = [outcome.strip()] if to_status in (Status.RESOLVED, Status.REJECTED) else []
    parts.append(public_note.strip())
    return "\n\n".join(p for p in parts if p)


@transaction.atomic
def complaint_note_add(
    *, complaint: Complaint, acting_user: User, public_note: str = "", internal_note: str = ""
) -> ComplaintEvent:
    """Add an officer's note without changing the status."""
    if not (public_note.strip() or internal_note.strip()):
        raise ValidationError({"public_note": _("Write a public or an internal note.")}, code="empty")
    complaint = _locked(complaint)
    event = _event(
        complaint,
        kind=EventKind.NOTE,
        actor=acting_user,
        public_note=public_note.strip(),
        internal_note=internal_note.strip(),
    )
    audit.record(actor=acting_user, action="complaint.note_added", target=complaint, station_id=complaint.station_id)
    if public_note.strip():
        _notify_citizen(complaint, event)
    return event


@transaction.atomic
def complaint_fir_register(
    *, complaint: Complaint, station: PoliceStation, acting_user: User, data: dict[str, Any]
) -> Fir:
    """Register an FIR from an open complaint through the FIR app and link it; the complaint is converted.

    ``data`` is what fir.services.fir_register takes (the FIR form's fields).
    The FIR, the complaint's new status, its timeline event and the audit
    events commit together or not at all.
    """
    complaint = _locked(complaint)
    if complaint.status not in OPEN_STATUSES:
        raise ValidationError(_("Only an open complaint can become an FIR."), code="not_open")
    fir = fir_register(station=station, acting_user=acting_user, data=data)
    now = timezone.now()
    before = complaint.status
    complaint.status = Status.CONVERTED
    complaint.status_changed_at = now
    complaint.decided_at = now
    complaint.fir = fir
    complaint.outcome = _("%(fir)s registered at %(station)s.") % {"fir": fir, "station": station}
    complaint.save(update_fields=["status", "status_changed_at", "decided_at", "fir", "outcome"])
    event = _event(
        complaint,
        kind=EventKind.CONVERTED,
        actor=acting_user,
        from_status=before,
        to_status=Status.CONVERTED,
        public_note=complaint.outcome,
        at=now,
    )
    audit.record(
        actor=acting_user,
        action="complaint.converted_to_fir",
        target=complaint,
        station_id=station.pk,
        data={"fir": fir.pk, "from": before},
    )
    _notify_citizen(complaint, event)
    return fir


# --- The citizen's follow-up (no login: the caller has matched number and phone/CNIC) ---


def complaint_info_add(
    *, complaint: Complaint, text: str, files: list[PreparedFile] | None = None, request: HttpRequest | None = None
) -> ComplaintEvent:
    """Add the citizen's further information (and files, within five in all) to an open complaint."""
    files = files or []
    return _with_files(files, lambda paths: _info_create(complaint, text, files, paths, request))


@transaction.atomic
def _info_create(
    complaint: Complaint, text: str, files: list[PreparedFile], paths: list[str], request: HttpRequest | None
) -> ComplaintEvent:
    complaint = _locked(complaint)
    if complaint.status not in OPEN_STATUSES:
        raise ValidationError(_("Information can be added only while the complaint is open."), code="not_open")
    room = MAX_FILES - complaint.attachments.count()
    if len(files) > room:
        raise ValidationError(
            {
                "attachments": _("A complaint holds at most %(max)d files; %(room)d more can be added.")
                % {"max": MAX_FILES, "room": max(room, 0)}
            },
            code="too_many",
        )
    now = timezone.now()
    event = _event(complaint, kind=EventKind.INFO_ADDED, actor=None, public_note=text.strip(), at=now)
    _attachments_create(complaint, files, paths, now)
    audit.record(
        actor=None, action="complaint.info_added", target=complaint, request=request, data={"files": len(files)}
    )
    return event


@transaction.atomic
def complaint_feedback_give(
    *, complaint: Complaint, satisfied: bool, comment: str = "", request: HttpRequest | None = None
) -> Complaint:
    """Record the citizen's feedback on a decided complaint (once per decision)."""
    complaint = _locked(complaint)
    if complaint.status not in DECIDED_STATUSES:
        raise ValidationError(_("Feedback can be given once the complaint is resolved."), code="not_decided")
    if complaint.feedback_at is not None and complaint.decided_at and complaint.feedback_at >= complaint.decided_at:
        raise ValidationError(_("Feedback on this decision has already been given."), code="given")
    now = timezone.now()
    complaint.feedback_satisfied = satisfied
    complaint.feedback_comment = comment.strip()
    complaint.feedback_at = now
    complaint.save(update_fields=["feedback_satisfied", "feedback_comment", "feedback_at"])
    _event(
        complaint,
        kind=EventKind.FEEDBACK,
        actor=None,
        public_note=(_("Satisfied") if satisfied else _("Not satisfied")) + (f": {comment.strip()}" if comment else ""),
        at=now,
    )
    audit.record(
        actor=None, action="complaint.feedback", target=complaint, request=request, data={"satisfied": satisfied}
    )
    return complaint


@transaction.atomic
def complaint_reopen(*, complaint: Complaint, reason: str, request: HttpRequest | None = None) -> Complaint:
    """Reopen a decided complaint at the citizen's request, within 30 days of the decision.

    It goes back to "under enquiry" with a fresh reply deadline for its category.
    """
    complaint = _locked(complaint)
    now = timezone.now()
    if complaint.fir_id is not None:
        raise ValidationError(
            _("This complaint became an FIR; the investigation of the FIR continues there."), code="converted"
        )
    if complaint.status not in DECIDED_STATUSES or complaint.decided_at is None:
        raise ValidationError(_("Only a resolved or rejected complaint can be reopened."), code="not_decided")
    if now - complaint.decided_at > REOPEN_WINDOW:
        raise ValidationError(
            _("A complaint can be reopened within 30 days of the decision; that time has passed."), code="too_late"
        )
    if complaint.feedback_satisfied is True and complaint.feedback_at and complaint.feedback_at >= complaint.decided_at:
        raise ValidationError(_("You said you were satisfied with this decision."), code="satisfied")
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the complaint should be reopened.")}, code="required")
    before = complaint.status
    complaint.status = Status.UNDER_ENQUIRY
    complaint.status_changed_at = now
    complaint.decided_at = None
    complaint.reopen_count += 1
    complaint.reply_due_at = now + timedelta(hours=complaint.category.reply_hours)
    complaint.contact_due_at = min(complaint.contact_due_at, complaint.reply_due_at)
    complaint.is_overdue = False
    complaint.escalated_at = None
    complaint.save(
        update_fields=[
            "status",
            "status_changed_at",
            "decided_at",
            "reopen_count",
            "reply_due_at",
            "contact_due_at",
            "is_overdue",
            "escalated_at",
        ]
    )
    _event(
        complaint,
        kind=EventKind.REOPENED,
        actor=None,
        from_status=before,
        to_status=Status.UNDER_ENQUIRY,
        public_note=reason.strip(),
        at=now,
    )
    audit.record(actor=None, action="complaint.reopened", target=complaint, request=request, data={"from": before})
    return complaint


# --- Deadlines ---


def complaints_due_filters(now: datetime) -> tuple[Q, Q]:
    """Return the conditions of complaints past their reply deadline, or uncontacted past the contact one.

    Kept as two conditions so each is answered by its own partial index
    (complaints_sweep_reply_idx, complaints_sweep_contact_idx).
    """
    return (
        Q(status__in=OPEN_STATUSES, is_overdue=False, reply_due_at__lte=now),
        Q(status__in=UNCONTACTED_STATUSES, is_overdue=False, contact_due_at__lte=now),
    )


@transaction.atomic
def complaints_sweep_overdue(*, now: datetime | None = None, batch_size: int = 5000) -> int:
    """Mark complaints past a deadline overdue, escalate them to the district officer; return how many.

    Idempotent: a flagged complaint is not picked again. Rows locked by a
    running workflow step are skipped and caught by the next sweep. District
    officers are notified once per district after commit.
    """
    from complaints.tasks import complaints_notify_escalation

    now = now or timezone.now()
    found: dict[int, tuple[int, int, int, str]] = {}
    for condition in complaints_due_filters(now):
        for row in (
            Complaint.objects.filter(condition)
            .select_for_update(skip_locked=True)
            .order_by()
            .values_list("pk", "district_id", "station_id", "tracking_number")
        ):
            found[row[0]] = row
    rows = list(found.values())
    by_district: dict[int, list[int]] = {}
    for start in range(0, len(rows), batch_size):
        chunk = rows[start : start + batch_size]
        ids = [r[0] for r in chunk]
        Complaint.objects.filter(pk__in=ids).update(is_overdue=True, escalated_at=now)
        ComplaintEvent.objects.bulk_create(
            [
                ComplaintEvent(
                    complaint_id=pk,
                    kind=EventKind.OVERDUE,
                    created_at=now,
                    internal_note=_("Escalated to the district officer by the overdue sweep."),
                )
                for pk in ids
            ]
        )
        AuditEvent.objects.bulk_create(
            [
                AuditEvent(
                    action="complaint.overdue",
                    target_type="complaints.complaint",
                    target_id=str(pk),
                    target_repr=str(_("Complaint %(number)s") % {"number": number})[:200],
                    station_id=station_id,
                    data={"escalated_at": now.isoformat()},
                )
                for pk, _district, station_id, number in chunk
            ]
        )
        for pk, district_id, _station, _number in chunk:
            by_district.setdefault(district_id, []).append(pk)
    for district_id, ids in by_district.items():
        count = len(ids)
        transaction.on_commit(lambda d=district_id, n=count: complaints_notify_escalation.delay(district_id=d, count=n))
    return len(rows)
