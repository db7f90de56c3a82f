"""A real Celery worker process, on the Redis at 127.0.0.1:6379 (database 12), matches a check-in end to end."""

import os
import subprocess
import sys
import time
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from alerts.models import Alert
from hoteleye.models import CheckIn, MatchStatus
from hoteleye.services import token_rotate
from tests.factories import cro_record
from tests.hoteleye.conftest import celery_broker, guest_data

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]


def _database_url() -> str:
    """Return the test database's URL for the application role: the worker runs as it does in production."""
    db = connection.settings_dict
    user = quote(settings.DATABASE_APP_ROLE, safe="")
    password = f":{quote(settings.DATABASE_APP_PASSWORD, safe='')}" if settings.DATABASE_APP_PASSWORD else ""
    return f"postgresql://{user}{password}@{quote(db['HOST'], safe='')}:{db['PORT']}/{db['NAME']}"


@pytest.fixture
def redis_url():
    import redis

    url = settings.REDIS_URL.rsplit("/", 1)[0] + "/12"  # Hotel Eye's own database, emptied first
    redis.Redis.from_url(url).flushdb()
    return url


@pytest.fixture
def worker(redis_url, tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "casp.settings",
        "SECRET_KEY": "x" * 50,
        "DEBUG": "false",
        "REDIS_URL": redis_url,
        "DATABASE_URL": _database_url(),
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "STATIC_MANIFEST": "false",
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "NOTIFIER": "console",
    }
    log = tmp_path / "worker.log"
    proc = subprocess.Popen(
        [
            os.path.join(os.path.dirname(sys.executable), "celery"),
            "-A",
            "casp",
            "worker",
            "--pool=solo",
            "--loglevel=INFO",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        env=env,
        cwd=settings.BASE_DIR,
        stdout=open(log, "w"),
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 90
    while "ready." not in log.read_text() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.2)
    assert "ready." in log.read_text(), log.read_text()[-3000:]
    yield log
    proc.terminate()
    proc.wait(timeout=30)


@pytest.fixture
def broker(redis_url):
    with celery_broker(redis_url):
        yield


def test_a_real_worker_matches_an_api_check_in_and_the_alert_reaches_the_inbox(
    client, hotel_a, officer_a, roles, worker, broker
):
    record = cro_record(name="Shakeel Ahmed", cnic="35202-1234567-1", is_wanted=True)
    key = token_rotate(acting_user=None, hotel=hotel_a)
    response = client.post(
        reverse("hoteleye_api:checkin_create"),
        guest_data(checked_in_at=timezone.localtime().isoformat(timespec="minutes"), name="Someone Else"),
        HTTP_AUTHORIZATION=f"Token {key}",
    )
    assert response.status_code == 201
    checkin_id = response.json()["id"]
    deadline = time.monotonic() + 90
    while (
        time.monotonic() < deadline
        and not Alert.objects.filter(source_type__model="checkin", source_id=checkin_id).exists()
    ):
        time.sleep(0.2)
    assert Alert.objects.filter(
        source_type__model="checkin", source_id=checkin_id, cro_record_id=record.pk, kind="cnic"
    ).exists(), (
        CheckIn.objects.filter(pk=checkin_id).values("match_status", "match_attempts").first(),
        worker.read_text()[-600:],
    )
    assert CheckIn.objects.get(pk=checkin_id).match_status == MatchStatus.MATCHED
    assert "hoteleye.tasks.checkin_match" in worker.read_text()  # the worker process ran it, not this one
    client.force_login(officer_a)
    assert client.get(reverse("hoteleye:alert_poll"), {"after": 0}).status_code == 200
