"""Shared helpers: a migrated benchmark database and timing."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

from django.conf import settings
from django.db import connection


def ensure_bench_database() -> None:
    """Create the benchmark database if needed and migrate it."""
    import psycopg
    from django.core.management import call_command
    from psycopg import sql

    db = settings.DATABASES["default"]
    params = {"host": db["HOST"], "port": db["PORT"] or 5432, "user": db["USER"], "password": db["PASSWORD"] or None}
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db["NAME"]]).fetchone():
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(db["NAME"])))
    call_command("migrate", verbosity=0)


def timings_ms(fn: Callable[[], object], repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        out.append((time.perf_counter() - started) * 1000)
    return out


def p50(values: list[float]) -> float:
    return statistics.median(values)


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def alert_ids_past_diary() -> None:
    """Set the alerts' id sequence past every alert a diary entry names.

    Re-seeding the CRO truncates it with RESTART IDENTITY CASCADE, which empties the alerts and restarts their
    ids, while the daily diary (append-only) keeps naming the old ones; the application never reuses an alert
    id (alerts cannot be deleted), and a new alert's diary entry would collide with an old one's.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('alerts_alert', 'id'), greatest("
            "(SELECT coalesce(max(id), 0) FROM alerts_alert), "
            "(SELECT coalesce(max(source_id::bigint), 0) FROM stations_registerentry "
            "WHERE source_type = 'alerts.alert' AND source_id ~ '^[0-9]+$'), 1))"
        )
