"""Celery tasks of the complaint system: notifications and the periodic overdue sweep."""

from __future__ import annotations

import logging

from celery import shared_task
from django.utils import translation
from django.utils.translation import gettext as _

from casp import health
from casp.notify import notify
from casp.roles import Role
from casp.tasks import notify_send_task

logger = logging.getLogger(__name__)

RETRY = {"max_retries": 5, "retry_backoff": True, "retry_backoff_max": 600}


@shared_task(bind=True, name="complaints.tasks.complaint_notify_filed", autoretry_for=(OSError,), **RETRY)
def complaint_notify_filed(self: object, *, complaint_id: int) -> bool:
    """Queue the citizen's tracking number by SMS (and email when given). Returns False if the row is gone."""
    from complaints.models import Complaint

    complaint = Complaint.objects.select_related("handling_station", "district").filter(pk=complaint_id).first()
    if complaint is None:
        return False
    with translation.override("en"):
        subject = _("Your complaint %(number)s") % {"number": complaint.tracking_number}
        body = _(
            "Your complaint has been received. Tracking number: %(number)s. Office: %(office)s. "
            "Track it with this number and your mobile number or CNIC."
        ) % {"number": complaint.tracking_number, "office": complaint.office_label}
    # One task per recipient: a failed email is retried without sending the SMS again.
    notify_send_task.delay(to=complaint.phone, subject=subject, body=body, channel="sms")
    if complaint.email:
        notify_send_task.delay(to=complaint.email, subject=subject, body=body, channel="email")
    return True


@shared_task(bind=True, name="complaints.tasks.complaint_notify_citizen", autoretry_for=(OSError,), **RETRY)
def complaint_notify_citizen(self: object, *, complaint_id: int, event_id: int) -> bool:
    """Tell the citizen about a step of their complaint: the public part only."""
    from complaints.models import ComplaintEvent

    event = ComplaintEvent.objects.select_related("complaint").filter(pk=event_id, complaint_id=complaint_id).first()
    if event is None:
        return False
    complaint = event.complaint
    with translation.override("en"):
        body = _("Complaint %(number)s: %(step)s.") % {
            "number": complaint.tracking_number,
            "step": event.get_kind_display(),
        }
        if event.public_note:
            body += " " + event.public_note
        subject = _("Your complaint %(number)s") % {"number": complaint.tracking_number}
    notify(to=complaint.phone, subject=subject, body=body, channel="sms")
    return True


@shared_task(bind=True, name="complaints.tasks.complaints_notify_escalation", autoretry_for=(OSError,), **RETRY)
def complaints_notify_escalation(self: object, *, district_id: int, count: int) -> int:
    """Tell the district officers of a district that ``count`` complaints became overdue. Returns messages queued."""
    from stations.models import District, Posting

    district = District.objects.filter(pk=district_id).first()
    if district is None:
        return 0
    postings = (
        Posting.objects.active()
        .filter(district=district, role=Role.DISTRICT_OFFICER, user__is_active=True)
        .select_related("user")
    )
    sent = 0
    with translation.override("en"):
        subject = _("Overdue complaints in %(district)s") % {"district": district.name}
        body = _("%(count)d complaints passed their deadline and were escalated to you. See the overdue list.") % {
            "count": count
        }
    for posting in postings:
        to = posting.user.phone or posting.user.email
        if to:  # one retried task per officer: a failure never resends to the others
            notify_send_task.delay(to=to, subject=subject, body=body, channel="email" if "@" in to else "sms")
            sent += 1
    return sent


@shared_task(bind=True, name="complaints.tasks.complaints_sweep_overdue", max_retries=3)
@health.sweep(health.COMPLAINTS_OVERDUE_SWEEP)
def complaints_sweep_overdue_task(self: object) -> int:
    """Periodic: flag and escalate complaints past their deadlines (declared in casp/celery.py)."""
    from complaints.services import complaints_sweep_overdue

    count = complaints_sweep_overdue()
    if count:
        logger.info("complaints overdue sweep: %d escalated", count)
    return count
