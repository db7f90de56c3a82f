"""District officers get each overdue-verification message once, even when the gateway fails and is retried."""

from __future__ import annotations

import pytest

from casp.roles import Role
from khidmat.tasks import verifications_notify_escalation
from tests.factories import posted_user

pytestmark = pytest.mark.django_db


def test_escalation_retries_only_the_officer_whose_message_failed(station_a, flaky_outbox, roles):
    sent, fail_once = flaky_outbox
    for n in (1, 2):
        posted_user(Role.DISTRICT_OFFICER, district=station_a.district, username=f"dpo_{n}", phone=f"0300000000{n}")
    fail_once.update({"03000000001", "03000000002"})  # each officer's first attempt times out
    assert verifications_notify_escalation.delay(district_id=station_a.district_id, count=2).get() == 2
    assert sorted(m.to for m in sent) == ["03000000001", "03000000002"]  # once each, never twice
    assert not fail_once


def test_an_inactive_officer_is_not_told(station_a, flaky_outbox, roles):
    sent, _fail_once = flaky_outbox
    posted_user(Role.DISTRICT_OFFICER, district=station_a.district, username="dpo_on", phone="03000000001")
    gone = posted_user(Role.DISTRICT_OFFICER, district=station_a.district, username="dpo_off", phone="03000000002")
    gone.is_active = False
    gone.save()
    verifications_notify_escalation.delay(district_id=station_a.district_id, count=1)
    assert [m.to for m in sent] == ["03000000001"]
