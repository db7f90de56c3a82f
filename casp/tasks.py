from __future__ import annotations

from celery import shared_task
from django.core.cache import cache
from django.utils import timezone


@shared_task(name="casp.tasks.heartbeat", ignore_result=True)
def heartbeat() -> str:
    """Record that beat and a worker are alive; /healthz reports the time."""
    now = timezone.now().isoformat()
    cache.set("casp:worker-heartbeat", now, timeout=600)
    return now
