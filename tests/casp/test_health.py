import json
import os
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.core.cache import cache

from casp import health


def test_healthz_reports_database_and_broker_as_json(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["database"] == "ok"
    assert body["broker"] in {"ok", "unavailable"}
    assert body["status"] == "ok"


def test_healthz_answers_503_when_the_database_is_down():
    # A real unreachable server (nothing listens on port 1), in a separate process.
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "casp.settings_test",
        "DATABASE_URL": "postgresql://nobody@127.0.0.1:1/casp",
    }
    script = (
        "import django, json; django.setup();"
        "from django.test import Client;"
        "r = Client().get('/healthz');"
        "print(json.dumps({'status': r.status_code, 'body': r.json()}))"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60, cwd=settings.BASE_DIR
    )
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["status"] == 503
    assert result["body"]["database"] == "unavailable"


@pytest.fixture
def with_workers(settings):
    """Tasks go to workers (production), with an empty cache: no heartbeat, no sweep yet."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    cache.clear()
    yield
    cache.clear()


def _mark_ago(name, seconds):
    """Record ``name`` as run ``seconds`` ago; the worker heartbeat on every queue."""
    from casp.celery import QUEUES

    names = [health.heartbeat_name(q) for q in QUEUES] if name == health.WORKER_HEARTBEAT else [name]
    for one in names:
        cache.set(f"casp:health:{one}", time.time() - seconds, timeout=None)


def _sweeps_ran():
    """Record that every watched sweep ran just now."""
    health.mark(health.HOTELEYE_SWEEP)
    health.mark(health.REGISTRATIONS_SWEEP)


def test_healthz_is_unhealthy_when_no_worker_ever_ran_the_heartbeat(client, db, with_workers):
    _sweeps_ran()
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["tasks"] == "workers" and body["status"] == "unhealthy"
    assert body["worker_heartbeat_age_s"] is None and body["late"] == ["worker_heartbeat"]


def test_healthz_reports_heartbeat_and_sweep_ages_and_is_ok_while_both_are_recent(client, db, with_workers):
    _mark_ago(health.WORKER_HEARTBEAT, 20)
    _mark_ago(health.HOTELEYE_SWEEP, 50)
    _mark_ago(health.REGISTRATIONS_SWEEP, 40)
    response = client.get("/healthz")
    body = response.json()
    assert response.status_code == 200, body
    assert body["status"] == "ok" and body["late"] == []
    assert 19 <= body["worker_heartbeat_age_s"] < 30
    assert 49 <= body["hoteleye_sweep_age_s"] < 60
    assert 39 <= body["registrations_sweep_age_s"] < 50
    assert body["worker_heartbeat_max_age_s"] == settings.HEALTH_MAX_AGES["worker_heartbeat"]


def test_healthz_turns_unhealthy_when_the_heartbeat_or_the_sweep_is_past_its_threshold(client, db, with_workers):
    _mark_ago(health.WORKER_HEARTBEAT, settings.HEALTH_MAX_AGES["worker_heartbeat"] + 5)
    _sweeps_ran()
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["late"] == ["worker_heartbeat"]
    _mark_ago(health.WORKER_HEARTBEAT, 0)
    _mark_ago(health.HOTELEYE_SWEEP, settings.HEALTH_MAX_AGES["hoteleye_sweep"] + 5)
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["late"] == ["hoteleye_sweep"]


def test_only_a_worker_running_the_heartbeat_records_it(db, with_workers):
    from casp.tasks import heartbeat

    heartbeat.apply(kwargs={"queue": "matching"})  # run in this process, as eager mode would: proves nothing
    assert health.worker_heartbeat_ages()["matching"] is None
    heartbeat(queue="matching")  # the task body as a worker runs it
    ages = health.worker_heartbeat_ages()
    assert ages["matching"] < 5 and ages["sweeps"] is None


def test_a_queue_no_worker_consumes_turns_healthz_unhealthy_naming_it(client, db, with_workers):
    """Worker groups consume their own queues: a dead matching group must show though the sweeps group beats."""
    from casp.celery import QUEUES

    for queue in QUEUES:
        if queue != "matching":
            _mark_ago(health.heartbeat_name(queue), 10)
    _sweeps_ran()
    response = client.get("/healthz")
    body = response.json()
    assert response.status_code == 503 and body["late"] == ["worker_heartbeat"], body
    assert body["worker_heartbeat_late_queues"] == ["matching"]
    assert body["worker_heartbeat_age_s"] is None and body["worker_heartbeat_queues_age_s"]["matching"] is None
    assert 9 <= body["worker_heartbeat_queues_age_s"]["sweeps"] < 20
    _mark_ago(health.heartbeat_name("matching"), settings.HEALTH_MAX_AGES["worker_heartbeat"] + 5)
    body = client.get("/healthz").json()
    assert body["worker_heartbeat_late_queues"] == ["matching"]
    assert body["worker_heartbeat_age_s"] > settings.HEALTH_MAX_AGES["worker_heartbeat"]
    _mark_ago(health.heartbeat_name("matching"), 1)
    assert client.get("/healthz").status_code == 200


def test_the_hotel_eye_sweep_records_its_run(db, with_workers):
    from hoteleye.tasks import sweep_unmatched_task

    sweep_unmatched_task()
    assert health.age(health.HOTELEYE_SWEEP) < 5


def test_healthz_names_the_registrations_sweep_when_it_never_ran_or_is_late(client, db, with_workers):
    """The registrations sweep re-queues lost matching like the Hotel Eye one; a dead one used to go unnoticed."""
    from registrations.tasks import sweep_unmatched_task

    _mark_ago(health.WORKER_HEARTBEAT, 5)
    health.mark(health.HOTELEYE_SWEEP)
    response = client.get("/healthz")
    body = response.json()
    assert response.status_code == 503 and body["status"] == "unhealthy", body
    assert body["late"] == ["registrations_sweep"] and body["registrations_sweep_age_s"] is None
    assert body["registrations_sweep_max_age_s"] == settings.HEALTH_MAX_AGES["registrations_sweep"]
    _mark_ago(health.REGISTRATIONS_SWEEP, settings.HEALTH_MAX_AGES["registrations_sweep"] + 5)
    body = client.get("/healthz").json()
    assert body["late"] == ["registrations_sweep"]
    assert body["registrations_sweep_age_s"] > settings.HEALTH_MAX_AGES["registrations_sweep"]
    sweep_unmatched_task()  # the task body, as a worker runs it from beat
    assert health.age(health.REGISTRATIONS_SWEEP) < 5
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json()["late"] == []


def test_beat_sends_the_heartbeat_more_often_than_healthz_tolerates():
    from casp.celery import QUEUES, app

    schedule = app.conf.beat_schedule
    beats = {entry["options"]["queue"]: entry for entry in schedule.values() if entry["task"] == "casp.tasks.heartbeat"}
    assert sorted(beats) == sorted(QUEUES)  # one heartbeat on every queue
    for queue, entry in beats.items():
        assert entry["kwargs"] == {"queue": queue}
        assert entry["schedule"] * 2 < settings.HEALTH_MAX_AGES["worker_heartbeat"]
    assert schedule["hoteleye-sweep-unmatched"]["schedule"] * 2 < settings.HEALTH_MAX_AGES["hoteleye_sweep"]
    registrations = schedule["registrations-sweep-unmatched"]
    assert registrations["task"] == "registrations.tasks.sweep_unmatched"
    assert registrations["schedule"] * 2 < settings.HEALTH_MAX_AGES["registrations_sweep"]
