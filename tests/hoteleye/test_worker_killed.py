"""A worker killed (SIGKILL) with a matching task in hand loses nothing: the task runs again on a second
worker and its effect (one alert, one audit entry) happens exactly once. Redis database 11."""

import os
import signal
import time

import psycopg
import pytest
from django.db import connection
from django.utils import timezone

from alerts.models import Alert
from casp.models import AuditEvent
from hoteleye.models import CheckIn, MatchStatus
from tests.factories import cro_record
from tests.hoteleye.conftest import celery_broker, make_checkin
from tests.workers import redis_db_url, worker_start, worker_stop

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]

# Short enough for a test: the killed worker's unacknowledged task is handed out again after 3 s.
LOCK_WAITERS = "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()"
FAST_REDELIVERY = {"CELERY_VISIBILITY_TIMEOUT": "3", "CELERY_RESTORE_INTERVAL": "1"}


def _owner_connection() -> psycopg.Connection:
    db = connection.settings_dict
    return psycopg.connect(
        host=db["HOST"], port=db["PORT"], dbname=db["NAME"], user=db["USER"], password=db.get("PASSWORD") or None
    )


def _wait_for(predicate, seconds: float = 60) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def test_a_task_in_hand_of_a_killed_worker_runs_again_on_another_worker_exactly_once(hotel_a, roles, tmp_path):
    cro_record(name="Shakeel Ahmed", cnic="35202-1234567-1", is_wanted=True)
    url = redis_db_url(11)
    with celery_broker(url):  # the check-in's matching task goes to Redis: no worker runs yet
        checkin = make_checkin(hotel_a, name="Someone Else")
    # Hold the check-in's row lock: the first worker takes the task, finds the hits and then waits for the lock.
    blocker = _owner_connection()
    blocker.execute("SELECT 1 FROM hoteleye_checkin WHERE id = %s FOR UPDATE", [checkin.pk])
    first = worker_start(url, tmp_path / "first.log", extra_env=FAST_REDELIVERY)
    try:
        waiting = _wait_for(lambda: _owner_connection().execute(LOCK_WAITERS).fetchone()[0] > 0)
        assert waiting, (tmp_path / "first.log").read_text()[-2000:]
        assert "hoteleye.tasks.checkin_match" in (tmp_path / "first.log").read_text()
        os.kill(first.pid, signal.SIGKILL)
        first.wait(timeout=30)
    finally:
        worker_stop(first)
        blocker.rollback()
        blocker.close()
    assert CheckIn.objects.get(pk=checkin.pk).match_status == MatchStatus.PENDING  # the killed run wrote nothing

    second = worker_start(url, tmp_path / "second.log", extra_env=FAST_REDELIVERY)
    try:
        done = _wait_for(lambda: CheckIn.objects.get(pk=checkin.pk).match_status != MatchStatus.PENDING, 90)
        assert done, (tmp_path / "second.log").read_text()[-2000:]
        time.sleep(4)  # past another visibility timeout: a second delivery would have run by now
    finally:
        worker_stop(second)
    assert "hoteleye.tasks.checkin_match" in (tmp_path / "second.log").read_text()
    matched = CheckIn.objects.get(pk=checkin.pk)
    assert matched.match_status == MatchStatus.MATCHED and matched.match_attempts == 1
    assert Alert.objects.filter(source_type__model="checkin", source_id=checkin.pk).count() == 1
    assert AuditEvent.objects.filter(action="hoteleye.checkin_matched", target_id=str(checkin.pk)).count() == 1
    assert timezone.now() - matched.matched_at < timezone.timedelta(minutes=5)
