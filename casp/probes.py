"""Probes for an orchestrator and the Prometheus endpoint (docs/deployment.md, "Probes and metrics")."""

from __future__ import annotations

import hmac
import os
from functools import cache

from django.conf import settings
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import REGISTRY, CollectorRegistry, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

from casp.observability import CaspCollector
from casp.runtime import redis_answers

LOOPBACK = {"127.0.0.1", "::1"}


@never_cache
@require_GET
def livez(request: HttpRequest) -> JsonResponse:
    """The process answers (touches neither the database nor the broker)."""
    return JsonResponse({"status": "ok"})


_migrated = False  # once every migration this code knows is applied, it stays so for the process's life


def _migrations_pending() -> bool:
    global _migrated
    if not _migrated:
        executor = MigrationExecutor(connection)
        _migrated = not executor.migration_plan(executor.loader.graph.leaf_nodes())
    return not _migrated


@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    """Ready for traffic: the database answers, the broker answers (when workers are used), migrations applied."""
    body: dict[str, str] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        body["database"] = "ok"
        body["migrations"] = "pending" if _migrations_pending() else "ok"
    except Exception as exc:  # noqa: BLE001 - any failure to reach the database means "not ready"
        body["database"] = "unavailable"
        body["database_error"] = exc.__class__.__name__
    if settings.CELERY_TASK_ALWAYS_EAGER:
        body["broker"] = "in-process"
    else:
        body["broker"] = "ok" if redis_answers(settings.REDIS_URL) else "unavailable"
    ready = body["database"] == "ok" and body.get("migrations") == "ok" and body["broker"] != "unavailable"
    body["status"] = "ok" if ready else "unavailable"
    return JsonResponse(body, status=200 if ready else 503)


@cache
def _registry() -> CollectorRegistry:
    """This process's metrics, or every gunicorn worker's when PROMETHEUS_MULTIPROC_DIR is set."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = REGISTRY
    registry.register(CaspCollector())
    return registry


def _metrics_allowed(request: HttpRequest) -> bool:
    if settings.METRICS_TOKEN:
        given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        return hmac.compare_digest(given.encode(), settings.METRICS_TOKEN.encode())
    return request.META.get("REMOTE_ADDR") in LOOPBACK


@never_cache
@require_GET
def metrics(request: HttpRequest) -> HttpResponse:
    """Prometheus metrics: for the loopback only, or for whoever sends ``Authorization: Bearer <METRICS_TOKEN>``."""
    if not _metrics_allowed(request):
        return HttpResponse("Forbidden\n", status=403, content_type="text/plain")
    return HttpResponse(generate_latest(_registry()), content_type=CONTENT_TYPE_LATEST)
