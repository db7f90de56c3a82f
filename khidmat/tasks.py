"""Celery tasks of the Khidmat Markaz: the CRO check, notifications, the overdue verification sweep."""

from __future__ import annotations

import logging
from datetime import timedelta

from celery import shared_task
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from casp import health
from casp.roles import Role
from casp.tasks import notify_send_task

logger = logging.getLogger(__name__)

RETRY = {"max_retries": 5, "retry_backoff": True, "retry_backoff_max": 600}
# An application still without its CRO check this long after it was received has lost its task (broker down,
# worker crash): the sweep queues it again.
CRO_SWEEP_AFTER = timedelta(minutes=2)
CRO_SWEEP_BATCH = 500
# An applicant's SMS still owed this long after the change that owes it has lost its task: queued again.
SMS_SWEEP_AFTER = timedelta(minutes=2)
SMS_SWEEP_BATCH = 500


def task_queue(task: object, **kwargs: object) -> bool:
    """Queue ``task`` after the application's commit; if the broker is down, log it and return False.

    The application is saved by then: the counter must not see an error for it (the clerk would file it
    again and take the fee twice). A lost CRO check is queued again by ``cro_checks_sweep_lost_task``,
    a lost applicant SMS by ``sms_sweep_owed_task``.
    """
    try:
        task.apply_async(kwargs=kwargs, retry=False)  # type: ignore[attr-defined]
    except Exception as exc:  # noqa: BLE001 - any broker failure: the saved application waits for the sweep
        logger.warning("could not queue %s %s (%s)", task.name, kwargs, exc)  # type: ignore[attr-defined]
        return False
    return True


@shared_task(bind=True, name="khidmat.tasks.application_cro_check", max_retries=3, default_retry_delay=30)
def application_cro_check_task(self: object, *, application_id: int) -> str:
    """Run the CRO check of the application (idempotent: a second run finds the stored check)."""
    from khidmat.matching import application_cro_check

    check = application_cro_check(application_id=application_id)
    return check.status if check is not None else "missing"


@shared_task(bind=True, name="khidmat.tasks.application_notify", autoretry_for=(OSError,), **RETRY)
def application_notify_task(self: object, *, application_id: int) -> bool:
    """Text the applicant the tracking number and status of the application, if an SMS is still owed."""
    from khidmat.services import application_sms_send

    return application_sms_send(application_id=application_id)


@shared_task(bind=True, name="khidmat.tasks.verifications_notify_escalation", autoretry_for=(OSError,), **RETRY)
def verifications_notify_escalation(self: object, *, district_id: int, count: int) -> int:
    """Tell the district officers that ``count`` verification tasks of their stations are overdue."""
    from stations.models import District, Posting

    district = District.objects.filter(pk=district_id).first()
    if district is None:
        return 0
    postings = (
        Posting.objects.active()
        .filter(district=district, role=Role.DISTRICT_OFFICER, user__is_active=True)
        .select_related("user")
    )
    with translation.override("en"):
        subject = _("Overdue Khidmat verifications in %(district)s") % {"district": district.name}
        body = _("%(count)d police verifications passed their deadline and were escalated to you.") % {"count": count}
    sent = 0
    for posting in postings:
        to = posting.user.phone or posting.user.email
        if to:  # one retried task per officer: a failure never resends to the others
            notify_send_task.delay(to=to, subject=subject, body=body, channel="email" if "@" in to else "sms")
            sent += 1
    return sent


@shared_task(bind=True, name="khidmat.tasks.verifications_sweep_overdue", max_retries=3)
@health.sweep(health.KHIDMAT_OVERDUE_SWEEP)
def verifications_sweep_overdue_task(self: object) -> int:
    """Periodic: escalate overdue verification tasks (declared in casp/celery.py)."""
    from khidmat.services import verifications_sweep_overdue

    return verifications_sweep_overdue()


@shared_task(name="khidmat.tasks.cro_checks_sweep_lost", ignore_result=True)
@health.sweep(health.KHIDMAT_CRO_CHECKS_SWEEP)
def cro_checks_sweep_lost_task(older_than_seconds: float | None = None) -> int:
    """Periodic: queue again the CRO checks of applications waiting for one longer than CRO_SWEEP_AFTER."""
    from khidmat.models import Application, Status

    age = CRO_SWEEP_AFTER if older_than_seconds is None else timedelta(seconds=older_than_seconds)
    ids = list(
        Application.objects.filter(
            status=Status.CHECKS, service__needs_cro_check=True, cro_check__isnull=True,
            created_at__lt=timezone.now() - age,
        )
        .order_by("created_at")
        .values_list("id", flat=True)[:CRO_SWEEP_BATCH]
    )  # fmt: skip
    for application_id in ids:
        task_queue(application_cro_check_task, application_id=application_id)
    if ids:
        logger.info("khidmat sweep re-queued %d CRO checks", len(ids))
    return len(ids)


@shared_task(name="khidmat.tasks.sms_sweep_owed", ignore_result=True)
@health.sweep(health.KHIDMAT_SMS_SWEEP)
def sms_sweep_owed_task(older_than_seconds: float | None = None) -> int:
    """Periodic: queue again the applicant SMS of applications owing one longer than SMS_SWEEP_AFTER.

    Queuing twice is harmless: the SMS task sends only while the SMS is owed and clears it as it sends.
    """
    from khidmat.services import applications_sms_owed

    age = SMS_SWEEP_AFTER if older_than_seconds is None else timedelta(seconds=older_than_seconds)
    ids = applications_sms_owed(older_than=age, limit=SMS_SWEEP_BATCH)
    for application_id in ids:
        task_queue(application_notify_task, application_id=application_id)
    if ids:
        logger.info("khidmat sweep re-queued %d applicant SMS", len(ids))
    return len(ids)
