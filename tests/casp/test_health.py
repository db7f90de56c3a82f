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
    """Tasks go to workers (production), watched for a day, with no heartbeat and no sweep recorded."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    cache.clear()
    cache.set("casp:health:watch_started", time.time() - 86_400, timeout=None)
    yield
    cache.clear()


@pytest.fixture
def fresh_cache(settings):
    """Tasks go to workers, and the cache is empty: a new deployment, or Redis flushed or replaced."""
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


def _sweeps_ran(*, but=()):
    """Record that every watched periodic task (HEALTH_MAX_AGES) ran just now, except those named in ``but``."""
    for name in health.sweeps_watched():
        if name not in but:
            health.mark(name)


def test_healthz_is_unhealthy_when_no_worker_ever_ran_the_heartbeat(client, db, with_workers):
    _sweeps_ran()
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["tasks"] == "workers" and body["status"] == "unhealthy"
    assert body["worker_heartbeat_age_s"] is None and body["late"] == ["worker_heartbeat"]


def test_healthz_reports_heartbeat_and_sweep_ages_and_is_ok_while_both_are_recent(client, db, with_workers):
    _sweeps_ran()
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


def test_on_a_fresh_cache_jobs_not_run_yet_are_starting_until_their_own_limit_has_passed(client, db, fresh_cache):
    """After a fresh Redis every record of a run is gone: /healthz must not answer 503 for the quarter of an
    hour until the slowest sweep first runs, yet a job that never runs must still turn late at its limit."""
    response = client.get("/healthz")
    body = response.json()
    assert response.status_code == 200 and body["status"] == "ok", body
    assert body["late"] == [] and sorted(body["starting"]) == sorted(settings.HEALTH_MAX_AGES)
    assert body["watched_for_s"] < 5 and body["worker_heartbeat_late_queues"] == []
    # Watched for longer than the heartbeat's limit but less than any sweep's: only the heartbeat is due.
    heartbeat_limit = settings.HEALTH_MAX_AGES["worker_heartbeat"]
    assert heartbeat_limit + 5 < min(v for k, v in settings.HEALTH_MAX_AGES.items() if k != "worker_heartbeat")
    _mark_ago("watch_started", heartbeat_limit + 5)
    response = client.get("/healthz")
    body = response.json()
    assert response.status_code == 503 and body["late"] == ["worker_heartbeat"], body
    assert "worker_heartbeat" not in body["starting"] and health.HOTELEYE_SWEEP in body["starting"]
    _mark_ago(health.WORKER_HEARTBEAT, 5)
    _sweeps_ran(but=[health.HOTELEYE_SWEEP])
    body = client.get("/healthz").json()
    assert body["status"] == "ok" and body["starting"] == [health.HOTELEYE_SWEEP], body
    _mark_ago("watch_started", settings.HEALTH_MAX_AGES[health.HOTELEYE_SWEEP] + 5)
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["late"] == [health.HOTELEYE_SWEEP]


def test_a_job_past_its_limit_is_late_however_recently_watching_began(client, db, fresh_cache):
    _mark_ago(health.WORKER_HEARTBEAT, 5)
    _sweeps_ran()
    _mark_ago(health.HOTELEYE_SWEEP, settings.HEALTH_MAX_AGES[health.HOTELEYE_SWEEP] + 5)
    response = client.get("/healthz")
    body = response.json()
    assert body["watched_for_s"] < 5
    assert response.status_code == 503 and body["late"] == [health.HOTELEYE_SWEEP] and body["starting"] == []


def test_the_first_of_many_processes_to_watch_sets_when_watching_began(db, fresh_cache):
    first = health.watch_age()
    _mark_ago("watch_started", 60)  # as if another process had begun watching a minute ago
    assert first < 5 and 59 <= health.watch_age() < 70


def test_when_the_cache_cannot_answer_a_job_never_seen_is_late_not_starting(client, db, fresh_cache, monkeypatch):
    def unreachable(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(cache, "add", unreachable)
    monkeypatch.setattr(cache, "get", unreachable)
    response = client.get("/healthz")
    body = response.json()
    assert response.status_code == 503 and body["watched_for_s"] is None and body["starting"] == []
    assert sorted(body["late"]) == sorted(settings.HEALTH_MAX_AGES)


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
    _sweeps_ran(but=[health.REGISTRATIONS_SWEEP])
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


# Periodic tasks of the beat schedule that /healthz need not watch, each with the reason. Empty: every one
# today either re-queues work a station waits for (check-ins, registrations, CRO checks, SMS), escalates what
# is overdue, or keeps the dashboards' figures current. Add a task here only with a reason it may silently stop.
NOT_WATCHED: dict[str, str] = {}

# Each watched periodic task: its name in /healthz and the task beat sends.
SWEEPS = [
    (health.HOTELEYE_SWEEP, "hoteleye.tasks.sweep_unmatched"),
    (health.REGISTRATIONS_SWEEP, "registrations.tasks.sweep_unmatched"),
    (health.KHIDMAT_CRO_CHECKS_SWEEP, "khidmat.tasks.cro_checks_sweep_lost"),
    (health.KHIDMAT_SMS_SWEEP, "khidmat.tasks.sms_sweep_owed"),
    (health.KHIDMAT_OVERDUE_SWEEP, "khidmat.tasks.verifications_sweep_overdue"),
    (health.COMPLAINTS_OVERDUE_SWEEP, "complaints.tasks.complaints_sweep_overdue"),
    (health.ANALYTICS_REFRESH, "analytics.tasks.aggregates_refresh_task"),
]


def _tasks():
    from casp.celery import app

    app.loader.import_default_modules()  # autodiscovery: every app's tasks module
    return app.tasks


def test_every_periodic_task_of_the_beat_schedule_is_watched_by_healthz_or_listed_as_not_needing_it():
    """A sweep added to the beat schedule later cannot be forgotten: it records its runs or is listed above."""
    from casp.celery import BEAT_SCHEDULE, app

    assert app.conf.beat_schedule is BEAT_SCHEDULE
    tasks = _tasks()
    unwatched, too_tight, watched = {}, {}, set()
    for entry_name, entry in BEAT_SCHEDULE.items():
        if entry["task"] == "casp.tasks.heartbeat" or entry["task"] in NOT_WATCHED:
            continue  # the heartbeat is watched per queue (test above)
        name = getattr(tasks[entry["task"]].run, "health_sweep", None)
        if name is None or name not in settings.HEALTH_MAX_AGES:
            unwatched[entry_name] = (entry["task"], name)
            continue
        watched.add(name)
        # Late only after at least two intervals: one run beat sent late is no alarm.
        if not entry["schedule"] * 2 < settings.HEALTH_MAX_AGES[name]:
            too_tight[name] = (entry["schedule"], settings.HEALTH_MAX_AGES[name])
    assert not unwatched, f"beat tasks without @health.sweep and a HEALTH_MAX_AGES entry: {unwatched}"
    assert not too_tight, too_tight
    # No limit is kept for a name nothing records (it would answer 503 for ever).
    assert sorted(watched) == sorted(health.sweeps_watched())
    assert sorted(name for name, _ in SWEEPS) == sorted(watched)
    assert {task for _, task in SWEEPS} | set(NOT_WATCHED) | {"casp.tasks.heartbeat"} == {
        entry["task"] for entry in BEAT_SCHEDULE.values()
    }


def test_the_limits_are_three_beat_intervals_and_never_under_health_sweep_max_age():
    from casp.celery import BEAT_SCHEDULE

    every = {entry["task"]: entry["schedule"] for entry in BEAT_SCHEDULE.values()}
    for name, task in SWEEPS:
        assert settings.HEALTH_MAX_AGES[name] == max(settings.HEALTH_SWEEP_MAX_AGE, 3 * every[task]), name
    assert settings.HEALTH_MAX_AGES[health.HOTELEYE_SWEEP] == settings.HEALTH_SWEEP_MAX_AGE  # every 60 s
    assert settings.HEALTH_MAX_AGES[health.KHIDMAT_OVERDUE_SWEEP] == 2700  # every 15 minutes


def test_a_sweep_keeps_its_signature_so_celery_still_refuses_wrong_arguments():
    from khidmat.tasks import sms_sweep_owed_task

    with pytest.raises(TypeError):
        sms_sweep_owed_task.s(bogus=1).apply_async()
    assert sms_sweep_owed_task.run.health_sweep == health.KHIDMAT_SMS_SWEEP


@pytest.mark.parametrize(("name", "task_name"), SWEEPS)
def test_healthz_names_each_periodic_task_that_never_ran_or_is_late_until_the_task_runs(
    client, db, with_workers, name, task_name
):
    _mark_ago(health.WORKER_HEARTBEAT, 5)
    _sweeps_ran(but=[name])
    response = client.get("/healthz")
    body = response.json()
    assert response.status_code == 503 and body["status"] == "unhealthy", body
    assert body["late"] == [name] and body[f"{name}_age_s"] is None
    assert body[f"{name}_max_age_s"] == settings.HEALTH_MAX_AGES[name]
    _mark_ago(name, settings.HEALTH_MAX_AGES[name] + 5)
    response = client.get("/healthz")
    body = response.json()
    assert response.status_code == 503 and body["late"] == [name], body
    assert body[f"{name}_age_s"] > settings.HEALTH_MAX_AGES[name]
    _tasks()[task_name]()  # the task body, as a worker runs it from beat
    response = client.get("/healthz")
    body = response.json()
    assert response.status_code == 200 and body["late"] == [], body
    assert body[f"{name}_age_s"] < 5


def test_a_sweep_that_fails_records_no_run(db, with_workers, monkeypatch):
    """A sweep raising every time must turn late like a dead one, not look healthy."""
    from khidmat import services
    from khidmat.tasks import sms_sweep_owed_task

    def broken(**kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(services, "applications_sms_owed", broken)
    with pytest.raises(RuntimeError):
        sms_sweep_owed_task()
    assert health.age(health.KHIDMAT_SMS_SWEEP) is None
