"""A worker keeps its database connection between tasks for CONN_MAX_AGE seconds, as a web process does.

Celery's Django fix-up (5.5 and later) closes every connection before and after each task whatever
CONN_MAX_AGE says, so each task paid for a new connection and PostgreSQL backend (a Hotel Eye match took 46 ms
at the median in the worker, 30 ms without). casp.celery turns that off and tidies connections as Django's
request cycle does. Real worker
processes, Redis database 15.
"""

import time

import pytest
from django.conf import settings
from django.db import connection

from hoteleye.models import CheckIn, MatchStatus
from tests.hoteleye.conftest import celery_broker, make_checkin
from tests.workers import redis_db_url, worker_start, worker_stop

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]

APP_BACKENDS = (
    "SELECT pid FROM pg_stat_activity WHERE usename = %s AND datname = current_database() "
    "AND backend_type = 'client backend' ORDER BY pid"
)


def _worker_backends() -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(APP_BACKENDS, [settings.DATABASE_APP_ROLE])
        return [pid for (pid,) in cursor.fetchall()]


def _match_one(hotel, url: str, cnic: str) -> None:
    with celery_broker(url):
        checkin = make_checkin(hotel, name="Someone Else", cnic=cnic)
    deadline = time.monotonic() + 60
    while CheckIn.objects.get(pk=checkin.pk).match_status == MatchStatus.PENDING:
        assert time.monotonic() < deadline, "the worker did not match the check-in"
        time.sleep(0.05)
    time.sleep(0.3)  # the task's post-run tidying happens after its commit


@pytest.mark.parametrize(("max_age", "kept"), [("60", True), ("0", False)])
def test_a_worker_keeps_its_connection_between_tasks_only_as_long_as_conn_max_age(
    hotel_a, roles, tmp_path, max_age, kept
):
    url = redis_db_url(15)
    assert _worker_backends() == []  # the test process connects as the owner, never as the application role
    worker = worker_start(url, tmp_path / "worker.log", extra_env={"DB_CONN_MAX_AGE": max_age})
    try:
        _match_one(hotel_a, url, "35202-1111111-1")
        after_first = _worker_backends()
        _match_one(hotel_a, url, "35202-2222222-2")
        after_second = _worker_backends()
    finally:
        worker_stop(worker)
    log = (tmp_path / "worker.log").read_text()
    assert log.count("hoteleye.tasks.checkin_match") >= 2, log[-2000:]
    if kept:
        # One connection, opened by the first task and still the same backend after the second.
        assert len(after_first) == 1, after_first
        assert after_second == after_first
    else:
        assert after_first == [] and after_second == []
