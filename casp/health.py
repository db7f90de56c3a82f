"""When the background work last ran, for /healthz.

Beat sends ``casp.tasks.heartbeat`` to every queue (``casp.celery.QUEUES``);
a worker records the heartbeat of the queue it took it from. Production runs
one worker group per queue group, so one heartbeat would prove only the group
that consumes its queue: a dead matching worker would leave check-ins pending
while the heartbeat of the sweeps queue stayed fresh. Each periodic sweep
records its own run. The times are kept in the cache (Redis in production,
shared by every process). ``background_report`` gives each one's age and
whether it is past its limit in ``settings.HEALTH_MAX_AGES``; the worker
heartbeat's age is that of the stalest queue.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)

WORKER_HEARTBEAT = "worker_heartbeat"
HOTELEYE_SWEEP = "hoteleye_sweep"
REGISTRATIONS_SWEEP = "registrations_sweep"


def heartbeat_name(queue: str) -> str:
    """Return the name under which the worker heartbeat of ``queue`` is recorded."""
    return f"{WORKER_HEARTBEAT}:{queue}"


def _queues() -> tuple[str, ...]:
    from casp.celery import QUEUES

    return QUEUES


def worker_heartbeat_ages() -> dict[str, float | None]:
    """Return the age of each queue's last worker heartbeat (None: no worker took one from that queue)."""
    return {queue: age(heartbeat_name(queue)) for queue in _queues()}


def _key(name: str) -> str:
    return f"casp:health:{name}"


def mark(name: str) -> None:
    """Record that the background work ``name`` ran now."""
    cache.set(_key(name), time.time(), timeout=None)


def age(name: str) -> float | None:
    """Return the seconds since ``name`` last ran, or None if it never did (or the cache cannot answer)."""
    try:
        value = cache.get(_key(name))
    except Exception as exc:  # noqa: BLE001 - an unreachable cache means "unknown", which /healthz reports
        logger.warning("cannot read %s from the cache: %s", name, exc)
        return None
    return None if value is None else max(0.0, time.time() - float(value))


def background_report() -> tuple[dict[str, Any], list[str]]:
    """Return ``{name}_age_s`` for each watched job and the names that are late (or never ran)."""
    body: dict[str, Any] = {}
    late: list[str] = []
    for name, max_age in settings.HEALTH_MAX_AGES.items():
        if name == WORKER_HEARTBEAT:
            ages = worker_heartbeat_ages()
            late_queues = [q for q, seconds in ages.items() if seconds is None or seconds > max_age]
            seconds = None if None in ages.values() else max(ages.values(), default=None)
            body[f"{name}_queues_age_s"] = {q: None if a is None else round(a, 1) for q, a in ages.items()}
            body[f"{name}_late_queues"] = late_queues
        else:
            seconds = age(name)
        body[f"{name}_age_s"] = None if seconds is None else round(seconds, 1)
        body[f"{name}_max_age_s"] = max_age
        if seconds is None or seconds > max_age:
            late.append(name)
    return body, late
