"""Celery tasks of Hotel Eye: match a check-in or a batch of them against the CRO; sweep up unmatched check-ins."""

from __future__ import annotations

import logging
from datetime import timedelta

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone

from casp import health

logger = logging.getLogger("hoteleye.tasks")

# A check-in still unmatched this long after it was received has lost its task (broker down, worker crash).
SWEEP_AFTER = timedelta(minutes=2)
SWEEP_BATCH = 500
# Check-ins matched together by one batch task: one face search, one CNIC and one name query for all.
MATCH_BATCH = 50


@shared_task(bind=True, name="hoteleye.tasks.checkin_match", max_retries=5, ignore_result=True, acks_late=True)
def checkin_match_task(self, *, checkin_id: int) -> str:  # noqa: ANN001
    """Match check-in ``checkin_id`` (guest and companions) against the CRO; idempotent."""
    from hoteleye.matching import checkin_match

    try:
        return checkin_match(checkin_id=checkin_id)
    except OperationalError as exc:  # database restarting: try again shortly
        raise self.retry(exc=exc, countdown=min(60, 2**self.request.retries)) from exc


def checkin_match_queue(checkin_id: int) -> None:
    """Queue matching for a check-in; if the broker is down, log it and leave the check-in to the sweep."""
    try:
        checkin_match_task.apply_async(kwargs={"checkin_id": checkin_id}, retry=False)
    except Exception as exc:  # noqa: BLE001 - any broker failure: the saved check-in stays pending for the sweep
        logger.warning("could not queue matching of check-in %s (%s); the sweep will pick it up", checkin_id, exc)


@shared_task(bind=True, name="hoteleye.tasks.checkins_match_batch", max_retries=5, ignore_result=True, acks_late=True)
def checkins_match_batch_task(self, *, checkin_ids: list[int]) -> dict[int, str]:  # noqa: ANN001
    """Match several check-ins at once (the sweep, a CSV batch); idempotent, as ``checkin_match``."""
    from hoteleye.matching import checkins_match

    try:
        return checkins_match(checkin_ids=checkin_ids)
    except OperationalError as exc:  # database restarting: try again shortly
        raise self.retry(exc=exc, countdown=min(60, 2**self.request.retries)) from exc


def checkins_match_queue(checkin_ids: list[int]) -> int:
    """Queue the matching of many check-ins in batches of MATCH_BATCH; return how many batches were queued.

    If the broker is down, log it and leave the check-ins pending for the sweep.
    """
    queued = 0
    for start in range(0, len(checkin_ids), MATCH_BATCH):
        batch = checkin_ids[start : start + MATCH_BATCH]
        try:
            checkins_match_batch_task.apply_async(kwargs={"checkin_ids": batch}, retry=False)
        except Exception as exc:  # noqa: BLE001 - any broker failure: the check-ins stay pending for the sweep
            logger.warning(
                "could not queue matching of %d check-ins (%s); the sweep will pick them up", len(batch), exc
            )
            break
        queued += 1
    return queued


@shared_task(
    bind=True,
    name="hoteleye.tasks.alert_notify_sho",
    autoretry_for=(OperationalError,),
    max_retries=5,
    retry_backoff=True,
    retry_backoff_max=300,
    ignore_result=True,
)
def alert_notify_sho_task(self, *, alert_id: int) -> int:  # noqa: ANN001
    """Messages queued under this name before alerts moved to the alerts app: handled there."""
    from alerts.services import alert_notify_sho

    return alert_notify_sho(alert_id=alert_id)


@shared_task(name="hoteleye.tasks.sweep_unmatched", ignore_result=True)
@health.sweep(health.HOTELEYE_SWEEP)  # /healthz reports how long ago the sweep last ran
def sweep_unmatched_task(older_than_seconds: float | None = None) -> int:
    """Re-queue check-ins left unmatched for more than SWEEP_AFTER, in batches; return how many were found."""
    from hoteleye.models import CheckIn, MatchStatus

    age = SWEEP_AFTER if older_than_seconds is None else timedelta(seconds=older_than_seconds)
    cutoff = timezone.now() - age
    ids = list(
        CheckIn.objects.filter(match_status=MatchStatus.PENDING, received_at__lt=cutoff)
        .order_by("received_at")
        .values_list("id", flat=True)[:SWEEP_BATCH]
    )
    checkins_match_queue(ids)
    if ids:
        logger.info("sweep re-queued %d unmatched check-ins", len(ids))
    return len(ids)
