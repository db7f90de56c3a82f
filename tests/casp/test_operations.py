"""Liveness, readiness, /metrics, request ids and JSON log lines (docs/deployment.md, "Probes and metrics")."""

import io
import json
import logging
import time

import pytest
from django.test import Client, override_settings

from casp.observability import JsonFormatter, RequestContextFilter, request_id_var, user_id_var
from tests.workers import redis_db_url, worker_start, worker_stop

pytestmark = pytest.mark.django_db

METRICS = (
    "casp_http_requests_total",
    "casp_http_request_duration_seconds_bucket",
    "casp_celery_queue_length",
    "casp_celery_task_failures",
    "casp_alerts_raised_total",
    "casp_checkins_pending",
    "casp_matching_lag_seconds",
)


def test_livez_answers_without_touching_anything(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/livez")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_readyz_checks_database_migrations_and_broker(client):
    body = client.get("/readyz").json()
    assert body["database"] == "ok" and body["migrations"] == "ok" and body["status"] == "ok"


def test_readyz_is_unavailable_while_a_migration_is_not_applied(client, monkeypatch):
    from django.db import connection

    from casp import probes

    monkeypatch.setattr(probes, "_migrated", False)
    with connection.cursor() as cursor:  # forget the last Hotel Eye migration (rolled back after the test)
        cursor.execute(
            "DELETE FROM django_migrations WHERE id = (SELECT max(id) FROM django_migrations WHERE app = 'hoteleye')"
        )
    response = client.get("/readyz")
    assert response.status_code == 503 and response.json()["migrations"] == "pending"


@override_settings(CELERY_TASK_ALWAYS_EAGER=False, REDIS_URL="redis://127.0.0.1:1/0")
def test_readyz_is_unavailable_without_the_broker(client):
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["broker"] == "unavailable" and response.json()["status"] == "unavailable"


@pytest.mark.redis
def test_metrics_exposes_each_named_metric(client, settings):
    from casp.observability import task_failure_count

    settings.REDIS_URL = redis_db_url(11)
    task_failure_count(sender=type("Task", (), {"name": "hoteleye.tasks.checkin_match"})())
    client.get("/livez")
    response = client.get("/metrics")
    assert response.status_code == 200
    text = response.content.decode()
    for name in METRICS:
        assert f"\n{name}" in text, name
    assert 'casp_celery_queue_length{queue="matching"} 0.0' in text
    assert 'casp_celery_task_failures_total{task="hoteleye.tasks.checkin_match"} 1.0' in text


def test_metrics_are_refused_to_other_addresses_unless_they_hold_the_token(settings):
    outsider = Client(REMOTE_ADDR="10.1.2.3")
    assert outsider.get("/metrics").status_code == 403
    settings.METRICS_TOKEN = "a-long-scrape-token"
    assert outsider.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 403
    assert outsider.get("/metrics", HTTP_AUTHORIZATION="Bearer a-long-scrape-token").status_code == 200
    assert Client().get("/metrics").status_code == 403  # with a token, the loopback needs it too


def test_an_incoming_request_id_is_kept_a_bad_one_replaced_and_a_missing_one_generated(client):
    assert client.get("/livez", HTTP_X_REQUEST_ID="abc-123").headers["X-Request-ID"] == "abc-123"
    replaced = client.get("/livez", HTTP_X_REQUEST_ID="bad id <script>").headers["X-Request-ID"]
    generated = client.get("/livez").headers["X-Request-ID"]
    assert replaced != "bad id <script>" and len(replaced) == 32
    assert len(generated) == 32 and generated != replaced


@pytest.fixture
def json_log():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestContextFilter())
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    yield stream
    logger.removeHandler(handler)


def test_a_request_logs_json_lines_with_its_request_id_and_user(client, officer_a, json_log):
    client.force_login(officer_a)
    response = client.get("/no-such-page", HTTP_X_REQUEST_ID="req-42")
    assert response.status_code == 404
    lines = [json.loads(line) for line in json_log.getvalue().splitlines()]
    assert lines, "django.request logged nothing"
    line = lines[-1]
    assert set(line) >= {"time", "level", "logger", "message", "request_id", "user_id"}
    assert line["request_id"] == "req-42" and line["user_id"] == officer_a.pk
    assert line["level"] == "WARNING" and line["logger"] == "django.request" and "/no-such-page" in line["message"]


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_task_logs_the_request_id_that_queued_it(tmp_path):
    from casp.tasks import notify_send_task
    from tests.hoteleye.conftest import celery_broker

    url = redis_db_url(11)
    log = tmp_path / "worker.log"
    worker = worker_start(url, log, extra_env={"LOG_FORMAT": "json"})
    try:
        id_token, user_token = request_id_var.set("req-from-the-web"), user_id_var.set(7)
        try:
            with celery_broker(url):
                notify_send_task.apply_async(kwargs={"to": "03001234567", "subject": "Test", "body": "Queued"})
        finally:
            request_id_var.reset(id_token)
            user_id_var.reset(user_token)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and "notify sms to 03001234567" not in log.read_text():
            time.sleep(0.2)
    finally:
        worker_stop(worker)
    lines = [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]
    sent = [line for line in lines if "notify sms to 03001234567" in line["message"]]
    assert sent, log.read_text()[-2000:]
    assert sent[0]["request_id"] == "req-from-the-web" and sent[0]["user_id"] == 7
