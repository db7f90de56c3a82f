"""Request ids, JSON log lines and Prometheus metrics (docs/scaling.md, "Operations").

A request id (the incoming ``X-Request-ID`` when it is well formed, else a new one) is set by
``RequestIdMiddleware``, returned in the response header, put on every log line of the request and
carried in the headers of every Celery task the request queues, so the task's log lines carry it too.
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
import time
import uuid
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any

from django.core.signals import request_finished
from django.http import HttpRequest, HttpResponse
from prometheus_client import Counter, Histogram

REQUEST_ID_HEADER = "X-Request-ID"
TASK_HEADER = "casp_request_id"
_REQUEST_ID_RE = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")

request_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar("casp_request_id", default=None)
user_id_var: contextvars.ContextVar[int | None] = contextvars.ContextVar("casp_user_id", default=None)

HTTP_REQUESTS = Counter("casp_http_requests", "HTTP requests answered", ["method", "status"])
HTTP_LATENCY = Histogram(
    "casp_http_request_duration_seconds",
    "Time to answer an HTTP request",
    ["method"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 1.0, 2.0, 5.0, 10.0),
)


def request_id_from(value: str | None) -> str:
    """Return ``value`` if it is a usable request id (1-64 letters, digits, ``._:-``), else a new one."""
    if value and _REQUEST_ID_RE.match(value):
        return value
    return uuid.uuid4().hex


class RequestIdMiddleware:
    """Give each request an id (logged, returned in X-Request-ID, passed to tasks) and count it for /metrics."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.monotonic()
        # Kept until the response is closed (request_ids_clear): Django logs "Not Found" and errors after
        # the middleware has returned.
        request.request_id = request_id_from(request.headers.get(REQUEST_ID_HEADER))
        request_id_var.set(request.request_id)
        user_id_var.set(None)
        response = self.get_response(request)
        self.process_view(request)  # a page without a view (404) is logged after this: name its user too
        response[REQUEST_ID_HEADER] = request.request_id
        HTTP_REQUESTS.labels(request.method, str(response.status_code)).inc()
        HTTP_LATENCY.labels(request.method).observe(time.monotonic() - started)
        return response

    def process_view(self, request: HttpRequest, *args: object) -> None:
        # By now AuthenticationMiddleware has run: the rest of the request's log lines name the user.
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            user_id_var.set(user.pk)


def request_ids_clear(**kwargs: object) -> None:
    """request_finished: later log lines of this thread belong to no request."""
    request_id_var.set(None)
    user_id_var.set(None)


request_finished.connect(request_ids_clear, dispatch_uid="casp.request_ids_clear")


class RequestContextFilter(logging.Filter):
    """Put the current request id and user id on every log record."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        record.user_id = user_id_var.get()
        record.request_tag = f" [{record.request_id}]" if record.request_id else ""  # for the plain format
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request_id, user_id (and the exception)."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None),
            "user_id": getattr(record, "user_id", None),
        }
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


# --- Celery: the request id travels in the task's headers ---------------------------------------------------


def task_headers_add(headers: dict[str, Any] | None = None, **kwargs: object) -> None:
    """before_task_publish: stamp the queuing request's id (and user) on the task message."""
    if headers is not None and request_id_var.get() is not None:
        headers.setdefault(TASK_HEADER, request_id_var.get())
        headers.setdefault("casp_user_id", user_id_var.get())


_task_tokens: dict[str, tuple[contextvars.Token, contextvars.Token]] = {}


def task_context_enter(task_id: str | None = None, task: Any = None, **kwargs: object) -> None:
    """task_prerun: the task's log lines carry the request id that queued it (or the task id)."""
    request = getattr(task, "request", None)
    if request is None or getattr(request, "is_eager", False):
        return  # run in-process: the queuing request's ids are already current
    request_id = request.get(TASK_HEADER) or f"task-{task_id}"
    _task_tokens[str(task_id)] = (request_id_var.set(request_id), user_id_var.set(request.get("casp_user_id")))


def task_context_exit(task_id: str | None = None, **kwargs: object) -> None:
    tokens = _task_tokens.pop(str(task_id), None)
    if tokens is not None:
        request_id_var.reset(tokens[0])
        user_id_var.reset(tokens[1])


# --- Metrics read at scrape time -----------------------------------------------------------------------------

TASK_FAILURES_KEY = "casp:metrics:task_failures"


def task_failure_count(sender: Any = None, **kwargs: object) -> None:
    """task_failure: count the failure in Redis, where /metrics (a web process) reads every worker's count."""
    from django.conf import settings

    if getattr(getattr(sender, "request", None), "is_eager", False):
        return  # run in-process (no workers): the error reaches the caller, and there may be no Redis to count in
    try:
        import redis

        redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2).hincrby(
            TASK_FAILURES_KEY, getattr(sender, "name", "unknown"), 1
        )
    except Exception as exc:  # noqa: BLE001 - a metric must never fail the task's own error handling
        logging.getLogger(__name__).warning("cannot count a task failure: %s", exc)


class CaspCollector:
    """Celery queue lengths and task failures (from Redis), and each app's ``AppConfig.metrics()``."""

    def collect(self) -> Iterable[Any]:
        from django.apps import apps
        from django.conf import settings
        from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily

        from casp.celery import QUEUES

        queue_length = GaugeMetricFamily("casp_celery_queue_length", "Tasks waiting in each queue", labels=["queue"])
        failures = CounterMetricFamily("casp_celery_task_failures", "Tasks that failed, by task", labels=["task"])
        try:
            import redis

            client = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2)
            for queue in QUEUES:
                queue_length.add_metric([queue], client.llen(queue))
            for task, count in sorted(client.hgetall(TASK_FAILURES_KEY).items()):
                failures.add_metric([task.decode()], int(count))
        except Exception as exc:  # noqa: BLE001 - broker down: the queue metrics are absent, the rest is served
            logging.getLogger(__name__).warning("cannot read queue lengths: %s", exc)
        yield queue_length
        yield failures
        for config in apps.get_app_configs():
            if hasattr(config, "metrics"):
                try:
                    yield from config.metrics()
                except Exception as exc:  # noqa: BLE001 - database down: those metrics are absent, the rest served
                    logging.getLogger(__name__).warning("cannot read the %s metrics: %s", config.label, exc)
