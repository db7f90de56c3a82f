"""Celery tasks of the analytics app (scheduled in casp/celery.py)."""

from __future__ import annotations

from celery import shared_task

from analytics.services import aggregates_refresh_changed, snapshots_catch_up
from casp import health


@shared_task(bind=True, max_retries=3, default_retry_delay=60)
@health.sweep(health.ANALYTICS_REFRESH)  # stale dashboards would otherwise go unnoticed
def aggregates_refresh_task(self) -> list[str]:  # noqa: ANN001
    """Recompute the recent and the changed days, then freeze any finished week not yet frozen."""
    try:
        done = aggregates_refresh_changed()
        snapshots_catch_up()
    except Exception as exc:  # a lock or connection problem: try again later
        raise self.retry(exc=exc) from exc
    return done
