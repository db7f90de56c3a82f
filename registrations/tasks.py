"""Celery tasks of registrations: match a registration's people against the CRO; sweep up lost tasks."""

from __future__ import annotations

import logging
from datetime import timedelta

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone

from casp import health

logger = logging.getLogger("registrations.tasks")

# A registration still unmatched this long after it was received has lost its task (broker down, worker crash).
SWEEP_AFTER = timedelta(minutes=2)
SWEEP_BATCH = 500


@shared_task(bind=True, name="registrations.tasks.registration_match", max_retries=5, ignore_result=True)
def registration_match_task(self, *, registration_id: int) -> str:  # noqa: ANN001
    """Match registration ``registration_id`` (every person in it) against the CRO; idempotent."""
    from registrations.matching import registration_match

    try:
        return registration_match(registration_id=registration_id)
    except OperationalError as exc:  # database restarting: try again shortly
        raise self.retry(exc=exc, countdown=min(60, 2**self.request.retries)) from exc


def registration_match_queue(registration_id: int) -> None:
    """Queue matching of a registration; if the broker is down, log it and leave the registration to the sweep."""
    try:
        registration_match_task.apply_async(kwargs={"registration_id": registration_id}, retry=False)
    except Exception as exc:  # noqa: BLE001 - any broker failure: the saved registration stays pending
        logger.warning(
            "could not queue matching of registration %s (%s); the sweep will pick it up", registration_id, exc
        )


@shared_task(name="registrations.tasks.sweep_unmatched", ignore_result=True)
@health.sweep(health.REGISTRATIONS_SWEEP)  # /healthz reports how long ago the sweep last ran
def sweep_unmatched_task(older_than_seconds: float | None = None) -> int:
    """Re-queue registrations left unmatched for more than SWEEP_AFTER; return how many were queued."""
    from registrations.models import MatchStatus, Registration

    age = SWEEP_AFTER if older_than_seconds is None else timedelta(seconds=older_than_seconds)
    ids = list(
        Registration.objects.filter(match_status=MatchStatus.PENDING, received_at__lt=timezone.now() - age)
        .order_by("received_at")
        .values_list("id", flat=True)[:SWEEP_BATCH]
    )
    for registration_id in ids:
        registration_match_queue(registration_id)
    if ids:
        logger.info("sweep re-queued %d unmatched registrations", len(ids))
    return len(ids)
