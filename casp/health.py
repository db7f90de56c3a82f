"""When the background work last ran, for /healthz.

A Celery worker records a heartbeat each time it runs the beat-scheduled
``casp.tasks.heartbeat`` task, and each periodic sweep records its own run;
the times are kept in the cache (Redis in production, shared by every
process). ``background_report`` gives each one's age and whether it is past
its limit in ``settings.HEALTH_MAX_AGES``.
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
        seconds = age(name)
        body[f"{name}_age_s"] = None if seconds is None else round(seconds, 1)
        body[f"{name}_max_age_s"] = max_age
        if seconds is None or seconds > max_age:
            late.append(name)
    return body, late
