"""The Celery application and the one beat schedule of CASP."""

from __future__ import annotations

import os
from typing import Any

from celery import Celery
from kombu import Exchange, Queue

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casp.settings")

app = Celery("casp")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# --- Queues ------------------------------------------------------------------------------------------------
# Each kind of work has a named queue so it can be scaled on hosts of its own (docs/scaling.md, "Queues and
# workers"). A worker started without -Q consumes every queue (the worker of `make run`); production runs one
# worker group per entry of WORKER_GROUPS (`celery -A casp worker -Q matching`). tests/casp/test_queues.py
# checks that every task is routed here.
QUEUES = ("matching", "notifications", "faces", "analytics", "sweeps")
WORKER_GROUPS = {
    "matching": ("matching",),
    "notifications": ("notifications",),
    "faces": ("faces",),
    "background": ("analytics", "sweeps"),
}
TASK_ROUTES = {
    # Hotel Eye check-ins and Khidmat applications checked against the CRO.
    "hoteleye.tasks.checkin_match": "matching",
    "hoteleye.tasks.checkins_match_batch": "matching",
    "khidmat.tasks.application_cro_check": "matching",
    "registrations.tasks.registration_match": "matching",
    # Messages to officers and citizens (SMS / e-mail gateways).
    "casp.tasks.notify_send": "notifications",
    "hoteleye.tasks.alert_notify_sho": "notifications",
    "alerts.tasks.alert_notify_sho": "notifications",
    "complaints.tasks.complaint_notify_filed": "notifications",
    "complaints.tasks.complaint_notify_citizen": "notifications",
    "complaints.tasks.complaints_notify_escalation": "notifications",
    "khidmat.tasks.application_notify": "notifications",
    "khidmat.tasks.verifications_notify_escalation": "notifications",
    # Face encoding of CRO photos (CPU-heavy).
    "cro.tasks.encode_photo": "faces",
    "analytics.tasks.*": "analytics",
    # Periodic housekeeping from the beat schedule below.
    "casp.tasks.heartbeat": "sweeps",  # beat sends one to every queue (options["queue"] below)
    "complaints.tasks.complaints_sweep_overdue": "sweeps",
    "hoteleye.tasks.sweep_unmatched": "sweeps",
    "registrations.tasks.sweep_unmatched": "sweeps",
    "khidmat.tasks.verifications_sweep_overdue": "sweeps",
    "khidmat.tasks.cro_checks_sweep_lost": "sweeps",
    "khidmat.tasks.sms_sweep_owed": "sweeps",
}
app.conf.task_queues = tuple(Queue(name, Exchange(name), routing_key=name) for name in QUEUES)
app.conf.task_default_queue = "sweeps"  # never used by a declared task: every one is routed above
app.conf.task_routes = {pattern: {"queue": queue} for pattern, queue in TASK_ROUTES.items()}

# Every periodic task of every app is declared here and nowhere else.
# Tasks are named by string so this kernel module imports no app. Each periodic task records its runs
# (casp.health.sweep) and /healthz reports it late past HEALTH_MAX_AGES, which settings derive from the
# intervals below; tests/casp/test_health.py fails for an entry added here that nothing watches.
BEAT_SCHEDULE: dict[str, dict[str, Any]] = {
    # One heartbeat per queue: a worker running it proves that queue is consumed; /healthz turns unhealthy
    # when any queue's heartbeat is late (HEALTH_MAX_AGES). Unconsumed heartbeats expire, so a worker
    # coming back does not run a backlog of them.
    **{
        f"casp-heartbeat-{queue}": {
            "task": "casp.tasks.heartbeat",
            "schedule": 30.0,
            "kwargs": {"queue": queue},
            "options": {"queue": queue, "expires": 60},
        }
        for queue in QUEUES
    },
    "complaints-sweep-overdue": {"task": "complaints.tasks.complaints_sweep_overdue", "schedule": 300.0},
    # Re-queue hotel check-ins whose matching task was lost (broker down, worker crash).
    "hoteleye-sweep-unmatched": {"task": "hoteleye.tasks.sweep_unmatched", "schedule": 60.0},
    # Recompute the analytics' daily aggregates of recent and changed days; freeze finished weeks.
    "analytics-refresh-aggregates": {"task": "analytics.tasks.aggregates_refresh_task", "schedule": 600.0},
    "registrations-sweep-unmatched": {"task": "registrations.tasks.sweep_unmatched", "schedule": 60.0},
    "khidmat-sweep-overdue": {"task": "khidmat.tasks.verifications_sweep_overdue", "schedule": 900.0},
    # Re-queue Khidmat CRO checks whose task was lost (broker down, worker crash).
    "khidmat-sweep-lost-cro-checks": {"task": "khidmat.tasks.cro_checks_sweep_lost", "schedule": 60.0},
    # Re-queue the applicant SMS (tracking number, decision) whose task was lost (broker down, worker crash).
    "khidmat-sweep-owed-sms": {"task": "khidmat.tasks.sms_sweep_owed", "schedule": 60.0},
}
app.conf.beat_schedule = BEAT_SCHEDULE


def _observability_connect() -> None:
    from celery import signals

    from casp import observability

    signals.before_task_publish.connect(observability.task_headers_add, weak=False)
    signals.task_prerun.connect(observability.task_context_enter, weak=False)
    signals.task_postrun.connect(observability.task_context_exit, weak=False)
    signals.task_failure.connect(observability.task_failure_count, weak=False)


_observability_connect()

# --- Database connections in workers ------------------------------------------------------------------------
# Celery's Django fix-up (5.5 and later) closes every database connection before and after each task, whatever
# CONN_MAX_AGE says: a worker then opened a new connection (and its PostgreSQL backend) for every task; a Hotel
# Eye match took 46 ms at the median in the worker, 30 ms once the connection was kept. Its closing is turned off
# here (it closes only once in 2 x this many tasks) and, in its place, each task starts and ends the way
# Django's request cycle does:
# close_old_connections() keeps a connection for CONN_MAX_AGE seconds, and closes at once one that broke or
# was left in a failed transaction. CONN_HEALTH_CHECKS re-checks a kept connection before its first use
# (a restarted PgBouncer or primary). With CONN_MAX_AGE = 0 (the embedded default) every task still closes.
app.conf.CELERY_DB_REUSE_MAX = 10**9


def _task_connections_tidy(**kwargs: object) -> None:
    from django.db import close_old_connections

    if getattr(getattr(kwargs.get("task"), "request", None), "is_eager", False):
        return  # run inline (tests, CELERY_TASK_ALWAYS_EAGER): the caller's connection and transaction
    close_old_connections()


def _startup_objects_freeze(**kwargs: object) -> None:
    from casp.runtime import startup_objects_freeze

    startup_objects_freeze()


def _worker_signals_connect() -> None:
    from celery import signals

    signals.task_prerun.connect(_task_connections_tidy, weak=False)
    signals.task_postrun.connect(_task_connections_tidy, weak=False)
    # Once loaded, a worker's start-up objects are frozen out of the garbage collector's full collections
    # (casp.runtime.startup_objects_freeze): in the process that runs tasks, the solo/threads pool's
    # main process (worker_ready) or each prefork child (worker_process_init).
    signals.worker_ready.connect(_startup_objects_freeze, weak=False)
    signals.worker_process_init.connect(_startup_objects_freeze, weak=False)


_worker_signals_connect()


@app.on_after_configure.connect
def _require_broker(sender: Celery, **kwargs: object) -> None:
    from django.conf import settings

    if getattr(settings, "REQUIRE_BROKER", False):
        from casp.runtime import require_broker

        require_broker(settings.CELERY_BROKER_URL)
