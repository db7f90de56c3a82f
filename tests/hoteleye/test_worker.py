"""A real Celery worker process, on the Redis at 127.0.0.1:6379 (database 12), matches a check-in end to end."""

import time

import pytest
from django.urls import reverse
from django.utils import timezone

from alerts.models import Alert
from hoteleye.models import CheckIn, MatchStatus
from hoteleye.services import token_rotate
from tests.factories import cro_record
from tests.hoteleye.conftest import celery_broker, guest_data
from tests.workers import redis_db_url, worker_start, worker_stop

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def redis_url():
    return redis_db_url(12)  # Hotel Eye's own database, emptied first


@pytest.fixture
def worker(redis_url, tmp_path):
    log = tmp_path / "worker.log"
    proc = worker_start(redis_url, log)
    yield log
    worker_stop(proc)


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
