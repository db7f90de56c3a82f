"""The Celery application and the one beat schedule of CASP."""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casp.settings")

app = Celery("casp")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Every periodic task of every app is declared here and nowhere else.
# Tasks are named by string so this kernel module imports no app.
app.conf.beat_schedule = {
    # A worker running it proves workers are alive; /healthz turns unhealthy when it is late (HEALTH_MAX_AGES).
    # Unconsumed heartbeats expire, so a worker coming back does not run a backlog of them.
    "casp-heartbeat": {"task": "casp.tasks.heartbeat", "schedule": 30.0, "options": {"expires": 60}},
    "complaints-sweep-overdue": {"task": "complaints.tasks.complaints_sweep_overdue", "schedule": 300.0},
    # Re-queue hotel check-ins whose matching task was lost (broker down, worker crash).
    "hoteleye-sweep-unmatched": {"task": "hoteleye.tasks.sweep_unmatched", "schedule": 60.0},
    "registrations-sweep-unmatched": {"task": "registrations.tasks.sweep_unmatched", "schedule": 60.0},
    "khidmat-sweep-overdue": {"task": "khidmat.tasks.verifications_sweep_overdue", "schedule": 900.0},
}


@app.on_after_configure.connect
def _require_broker(sender: Celery, **kwargs: object) -> None:
    from django.conf import settings

    if getattr(settings, "REQUIRE_BROKER", False):
        from casp.runtime import require_broker

        require_broker(settings.CELERY_BROKER_URL)
