import os
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.test import Client, override_settings

from casp import health
from casp.runtime import redis_answers, require_broker
from tests.workers import redis_db_url, worker_start, worker_stop


def test_no_broker_is_reported_and_production_refuses_to_start():
    dead = "redis://127.0.0.1:1/0"
    assert redis_answers(dead) is False
    with pytest.raises(ImproperlyConfigured, match="No Redis answers at REDIS_URL=redis://127.0.0.1:1/0"):
        require_broker(dead)


def test_wsgi_app_refuses_to_start_in_production_without_a_broker():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "casp.settings",
        "SECRET_KEY": "x" * 50,
        "DEBUG": "false",
        "REDIS_URL": "redis://127.0.0.1:1/0",
        "STATIC_MANIFEST": "false",
    }
    env.pop("REQUIRE_BROKER", None)
    result = subprocess.run(
        [sys.executable, "-c", "import casp.wsgi"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=settings.BASE_DIR,
    )
    assert result.returncode != 0
    assert "No Redis answers" in result.stderr


def _beat_heartbeats(url):
    """Send the heartbeats of the beat schedule (one per queue) to the broker at ``url``, as beat does."""
    from celery import Celery

    from casp.celery import app

    sender = Celery(broker=url, set_as_current=False)  # never the app that shared tasks resolve to
    sender.conf.task_routes = app.conf.task_routes
    sender.conf.task_queues = app.conf.task_queues
    for entry in app.conf.beat_schedule.values():
        if entry["task"] == "casp.tasks.heartbeat":
            sender.send_task(entry["task"], kwargs=entry["kwargs"], **entry["options"])


def _healthz(url):
    redis_cache = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}}
    with override_settings(CACHES=redis_cache, CELERY_TASK_ALWAYS_EAGER=False):
        # A deployment watched for an hour: a queue never heard from is late, not still starting.
        cache.set("casp:health:watch_started", time.time() - 3600, timeout=None)
        for name in health.sweeps_watched():  # every periodic task ran: only the heartbeats are in question
            health.mark(name)
        return Client().get("/healthz").json()


@pytest.mark.redis
@pytest.mark.django_db
def test_a_real_celery_worker_runs_the_beat_heartbeat_of_every_queue_through_redis(tmp_path):
    """Queue the beat's heartbeats on the Redis broker and let a real worker process (every queue) run them."""
    from django.core.cache.backends.redis import RedisCache

    from casp.celery import QUEUES

    url = redis_db_url(14)  # a database of its own, emptied first
    worker = worker_start(url, tmp_path / "worker.log")
    try:
        _beat_heartbeats(url)
        cache = RedisCache(url, {})
        keys = [f"casp:health:{health.heartbeat_name(q)}" for q in QUEUES]
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and len(cache.get_many(keys)) < len(keys):
            time.sleep(0.2)
        assert len(cache.get_many(keys)) == len(keys), (tmp_path / "worker.log").read_text()[-3000:]
        # /healthz, reading the same Redis, reports the worker's heartbeats as recent.
        body = _healthz(url)
        assert body["worker_heartbeat_age_s"] < 60 and "worker_heartbeat" not in body["late"], body
    finally:
        worker_stop(worker)


@pytest.mark.redis
@pytest.mark.django_db
def test_with_only_the_background_worker_group_running_healthz_names_the_queues_nobody_consumes(tmp_path):
    """The sweeps queue's heartbeat alone used to keep /healthz "ok" while no worker took check-ins to match."""
    from django.core.cache.backends.redis import RedisCache

    url = redis_db_url(14)
    worker = worker_start(url, tmp_path / "worker.log", queues=("analytics", "sweeps"))  # worker-background
    try:
        _beat_heartbeats(url)
        cache = RedisCache(url, {})
        keys = [f"casp:health:{health.heartbeat_name(q)}" for q in ("analytics", "sweeps")]
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and len(cache.get_many(keys)) < len(keys):
            time.sleep(0.2)
        assert len(cache.get_many(keys)) == len(keys), (tmp_path / "worker.log").read_text()[-3000:]
        body = _healthz(url)
        assert body["status"] == "unhealthy" and body["late"] == ["worker_heartbeat"], body
        assert body["worker_heartbeat_late_queues"] == ["matching", "notifications", "faces"], body
    finally:
        worker_stop(worker)
