"""Citizens and officers get each message once, even when the gateway fails and the task is retried."""

from __future__ import annotations

import pytest

from complaints.tasks import complaint_notify_filed, complaints_notify_escalation
from tests.complaints.factories import filed
from tests.factories import posted_user

pytestmark = pytest.mark.django_db


def test_a_failed_email_is_retried_without_sending_the_sms_twice(station_a, flaky_outbox):
    sent, fail_once = flaky_outbox
    complaint = filed(station_a, email="ayesha@example.com")
    sent.clear()
    fail_once.add("ayesha@example.com")
    complaint_notify_filed.delay(complaint_id=complaint.pk)
    assert sorted(m.to for m in sent) == ["03001234567", "ayesha@example.com"]
    assert not fail_once  # the email did fail once, and was sent on the retry


def test_escalation_retries_only_the_officer_whose_message_failed(station_a, flaky_outbox, roles):
    from casp.roles import Role

    sent, fail_once = flaky_outbox
    first = posted_user(Role.DISTRICT_OFFICER, district=station_a.district, username="dpo_one", phone="03000000001")
    posted_user(Role.DISTRICT_OFFICER, district=station_a.district, username="dpo_two", phone="03000000002")
    fail_once.add(first.phone)
    complaints_notify_escalation.delay(district_id=station_a.district_id, count=3)
    assert sorted(m.to for m in sent) == ["03000000001", "03000000002"]
