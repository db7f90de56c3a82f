"""When the background work last ran, for /healthz.

Beat sends ``casp.tasks.heartbeat`` to every queue (``casp.celery.QUEUES``);
a worker records the heartbeat of the queue it took it from. Production runs
one worker group per queue group, so one heartbeat would prove only the group
that consumes its queue: a dead matching worker would leave check-ins pending
while the heartbeat of the sweeps queue stayed fresh. Each periodic task of
the beat schedule records its own run when it finishes: its function is
decorated with ``sweep(name)``, and ``settings.HEALTH_MAX_AGES`` gives the
name its limit (tests/casp/test_health.py checks that every beat task is
watched so, or listed there with the reason it need not be). A sweep that
fails every run records nothing and turns late like a dead one. The times are
kept in the cache (Redis in production, shared by every process).
``background_report`` gives each one's age and whether it is past its limit;
the worker heartbeat's age is that of the stalest queue.

A job with no recorded run is late only once it has been watched longer than
its limit: the first report on an empty cache (a new deployment, a fresh or
flushed Redis) records when watching began, and until a job's own limit has
passed since then it is listed as ``starting``, not ``late``. Otherwise
/healthz answered 503 for up to 15 minutes after every fresh Redis, until
the slowest sweep first ran.
"""

from __future__ import annotations

import functools
import inspect
import logging
import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)

WORKER_HEARTBEAT = "worker_heartbeat"
# The periodic tasks of the beat schedule (casp/celery.py), by the name /healthz reports them under.
HOTELEYE_SWEEP = "hoteleye_sweep"
REGISTRATIONS_SWEEP = "registrations_sweep"
KHIDMAT_CRO_CHECKS_SWEEP = "khidmat_cro_checks_sweep"
KHIDMAT_SMS_SWEEP = "khidmat_sms_sweep"
KHIDMAT_OVERDUE_SWEEP = "khidmat_overdue_sweep"
COMPLAINTS_OVERDUE_SWEEP = "complaints_overdue_sweep"
ANALYTICS_REFRESH = "analytics_refresh"

F = TypeVar("F", bound=Callable[..., Any])


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


def sweep(name: str) -> Callable[[F], F]:
    """Return a decorator recording the run of the periodic task ``name`` each time its function returns.

    Put it under ``@shared_task``. The wrapper keeps the function's signature, so Celery still checks the
    arguments a task is sent with; ``health_sweep`` on it names what it records.
    """

    def decorate(function: F) -> F:
        @functools.wraps(function)
        def run(*args: Any, **kwargs: Any) -> Any:
            result = function(*args, **kwargs)
            mark(name)  # only a run that finished: one failing every time turns late in /healthz
            return result

        run.__signature__ = inspect.signature(function)  # type: ignore[attr-defined]
        run.health_sweep = name  # type: ignore[attr-defined]
        return run  # type: ignore[return-value]

    return decorate


_WATCH_STARTED = "watch_started"


def watch_age() -> float | None:
    """Return the seconds since the background work began to be watched on this cache; None if it cannot answer.

    The first call on an empty cache records now (``cache.add``: the first of many processes wins); the key
    goes with the recorded runs when the cache is flushed, so watching begins again with them.
    """
    try:
        cache.add(_key(_WATCH_STARTED), time.time(), timeout=None)
    except Exception as exc:  # noqa: BLE001 - an unreachable cache means "unknown", which /healthz reports
        logger.warning("cannot record the start of watching in the cache: %s", exc)
        return None
    return age(_WATCH_STARTED)


def sweeps_watched() -> list[str]:
    """Return the names of the periodic tasks /healthz watches (every entry of HEALTH_MAX_AGES but the heartbeat)."""
    return [name for name in settings.HEALTH_MAX_AGES if name != WORKER_HEARTBEAT]


def _late(seconds: float | None, max_age: float, *, due: bool) -> bool:
    """Whether a job last run ``seconds`` ago (None: never) is late; one never run is late only when ``due``."""
    return due if seconds is None else seconds > max_age


def background_report() -> tuple[dict[str, Any], list[str]]:
    """Return ``{name}_age_s`` for each watched job and the names that are late: past their limit, or never run
    though watched for longer than it. Those never run within it are listed under ``starting``."""
    body: dict[str, Any] = {}
    late: list[str] = []
    starting: list[str] = []
    watched = watch_age()
    body["watched_for_s"] = None if watched is None else round(watched, 1)
    for name, max_age in settings.HEALTH_MAX_AGES.items():
        due = watched is None or watched > max_age  # a job never run is late once watched longer than its limit
        if name == WORKER_HEARTBEAT:
            ages = worker_heartbeat_ages()
            late_queues = [q for q, seconds in ages.items() if _late(seconds, max_age, due=due)]
            seconds = None if None in ages.values() else max(ages.values(), default=None)
            body[f"{name}_queues_age_s"] = {q: None if a is None else round(a, 1) for q, a in ages.items()}
            body[f"{name}_late_queues"] = late_queues
            is_late = bool(late_queues)
        else:
            seconds = age(name)
            is_late = _late(seconds, max_age, due=due)
        body[f"{name}_age_s"] = None if seconds is None else round(seconds, 1)
        body[f"{name}_max_age_s"] = max_age
        if is_late:
            late.append(name)
        elif seconds is None:
            starting.append(name)  # not run yet, and not yet due either
    body["starting"] = starting
    return body, late
