"""Celery tasks of the alert pipeline: tell the SHO of a new alert."""

from __future__ import annotations

from celery import shared_task
from django.db import OperationalError


@shared_task(
    bind=True,
    name="alerts.tasks.alert_notify_sho",
    autoretry_for=(OperationalError,),
    max_retries=5,
    retry_backoff=True,
    retry_backoff_max=300,
    ignore_result=True,
)
def alert_notify_sho_task(self, *, alert_id: int) -> int:  # noqa: ANN001
    """Queue alert ``alert_id``'s message to its station's SHO(s), one retried task per recipient."""
    from alerts.services import alert_notify_sho

    return alert_notify_sho(alert_id=alert_id)
