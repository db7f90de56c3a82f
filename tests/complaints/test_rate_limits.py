"""Abuse protection: rate limits per IP and per mobile number (django-ratelimit on the cache)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from django.conf import settings as django_settings

from complaints.models import Complaint
from tests.complaints.conftest import form_data
from tests.complaints.factories import category

pytestmark = pytest.mark.django_db
URL = "/complaints/new/"


def test_a_flood_from_one_ip_is_stopped_and_nothing_more_is_saved(client, settings, station_a, outbox):
    settings.COMPLAINTS_RATE_FILE_IP = "3/h"
    codes = [
        client.post(URL, form_data(station_a, phone=f"0300000000{i}"), REMOTE_ADDR="203.0.113.5").status_code
        for i in range(6)
    ]
    assert codes == [302, 302, 302, 429, 429, 429]
    assert Complaint.objects.count() == 3
    assert "Too many requests" in client.post(URL, form_data(station_a), REMOTE_ADDR="203.0.113.5").content.decode()
    # Another address is not affected.
    assert client.post(URL, form_data(station_a, phone="03009999999"), REMOTE_ADDR="198.51.100.9").status_code == 302


def test_one_mobile_number_is_limited_across_addresses(client, settings, station_a):
    settings.COMPLAINTS_RATE_FILE_PHONE = "2/d"
    codes = []
    for i, code in enumerate(["crime-report", "other", "faulty-investigation"]):
        data = form_data(station_a, category=str(category(code).pk), phone="+92 300 7654321")
        codes.append(client.post(URL, data, REMOTE_ADDR=f"198.51.100.{i + 1}").status_code)
    assert codes == [302, 302, 429]
    assert Complaint.objects.count() == 2


def test_invalid_posts_with_someones_number_do_not_silence_that_number(client, settings, station_a):
    settings.COMPLAINTS_RATE_FILE_PHONE = "2/d"
    victim = "0300-7654321"
    for i in range(6):  # each refused by the form (no description): nothing is filed
        response = client.post(URL, form_data(station_a, phone=victim, description=""), REMOTE_ADDR=f"198.51.100.{i}")
        assert response.status_code == 400
    assert Complaint.objects.count() == 0
    response = client.post(URL, form_data(station_a, phone=victim), REMOTE_ADDR="192.0.2.10")
    assert response.status_code == 302
    assert Complaint.objects.get().phone == "03007654321"


def test_the_same_number_in_urdu_digits_shares_the_allowance(client, settings, station_a):
    settings.COMPLAINTS_RATE_FILE_PHONE = "1/d"
    assert client.post(URL, form_data(station_a), REMOTE_ADDR="198.51.100.1").status_code == 302
    urdu = "۰۳۰۰-۱۲۳۴۵۶۷"
    data = form_data(station_a, phone=urdu, category=str(category("other").pk))
    assert client.post(URL, data, REMOTE_ADDR="198.51.100.2").status_code == 429
    assert Complaint.objects.count() == 1


def test_adding_information_is_limited_per_complaint_and_per_ip(client, settings, station_a):
    from complaints.models import ComplaintEvent, EventKind
    from tests.complaints.factories import filed

    settings.COMPLAINTS_RATE_INFO_COMPLAINT = "3/d"
    settings.COMPLAINTS_RATE_INFO_IP = "100/h"
    complaint = filed(station_a)
    track = {"tracking_number": complaint.tracking_number, "phone_or_cnic": "03001234567"}
    assert client.post("/complaints/track/", track).status_code == 302
    codes = [
        client.post("/complaints/track/status/info/", {"text": f"More {i}"}, REMOTE_ADDR=f"198.51.100.{i}").status_code
        for i in range(5)
    ]
    assert codes == [302, 302, 302, 429, 429]
    assert ComplaintEvent.objects.filter(complaint=complaint, kind=EventKind.INFO_ADDED).count() == 3

    settings.COMPLAINTS_RATE_INFO_COMPLAINT = "100/d"
    settings.COMPLAINTS_RATE_INFO_IP = "2/h"
    other = filed(station_a, phone="03009999999")
    assert (
        client.post(
            "/complaints/track/", {**track, "tracking_number": other.tracking_number, "phone_or_cnic": "03009999999"}
        ).status_code
        == 302
    )
    codes = [
        client.post("/complaints/track/status/info/", {"text": "x" * 20}, REMOTE_ADDR="203.0.113.50").status_code
        for _ in range(3)
    ]
    assert codes == [302, 302, 429]


def test_tracking_lookups_are_limited_per_ip(client, settings, station_a):
    settings.COMPLAINTS_RATE_TRACK_IP = "3/h"
    data = {"tracking_number": "AAAA-BBBB-CCCC", "phone_or_cnic": "03001234567"}
    codes = [client.post("/complaints/track/", data, REMOTE_ADDR="203.0.113.8").status_code for _ in range(5)]
    assert codes == [200, 200, 200, 429, 429]


CHECK = """
import json, django
django.setup()
from django.test import RequestFactory
from django_ratelimit.core import get_usage
from complaints.throttle import _ip_key, rate
out = {}
for ip in ("203.0.113.77", "203.0.113.78"):
    request = RequestFactory().post("/complaints/new/", REMOTE_ADDR=ip)
    usage = get_usage(request, group="complaints.file.ip", key=_ip_key, rate=rate("file_ip"), method="POST")
    out[ip] = [usage["count"], usage["should_limit"]]
print(json.dumps(out))
"""


@pytest.mark.redis
def test_the_ip_limit_lives_in_redis_and_holds_for_another_process(client, settings, station_a):
    from django.core.cache import caches

    from tests.complaints import redis_settings

    settings.CACHES = redis_settings.CACHES
    settings.COMPLAINTS_RATE_FILE_IP = redis_settings.COMPLAINTS_RATE_FILE_IP
    caches["default"].clear()  # DB 11 is this suite's own
    try:
        codes = [
            client.post(URL, form_data(station_a, phone=f"0300000001{i}"), REMOTE_ADDR="203.0.113.77").status_code
            for i in range(3)
        ]
        assert codes == [302, 302, 429]
        # A separate Python process (another web worker) reads the same counters from Redis.
        result = subprocess.run(
            [sys.executable, "-c", CHECK],
            env={**__import__("os").environ, "DJANGO_SETTINGS_MODULE": "tests.complaints.redis_settings"},
            capture_output=True,
            text=True,
            timeout=120,
            cwd=django_settings.BASE_DIR,
        )
        assert result.returncode == 0, result.stderr
        usage = json.loads(result.stdout.strip().splitlines()[-1])
        assert usage["203.0.113.77"] == [3, True]
        assert usage["203.0.113.78"] == [0, False]
    finally:
        caches["default"].clear()
