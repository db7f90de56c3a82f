"""Station and district inboxes: boxes, filters, counts per status, overdue first, a fixed number of queries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from freezegun import freeze_time

from complaints.models import Complaint, Status
from complaints.services import complaint_assign, complaint_transition
from tests.complaints.factories import category, filed

pytestmark = pytest.mark.django_db


def _numbers(response) -> list[str]:
    return [c.tracking_number for c in response.context["page"]]


def test_overdue_complaints_come_first(client, station_a, officer_a):
    on_time = filed(station_a)
    late = filed(station_a, phone="03002222222")
    Complaint.objects.filter(pk=late.pk).update(is_overdue=True, reply_due_at=timezone.now() + timedelta(days=20))
    client.force_login(officer_a)
    assert _numbers(client.get("/complaints/")) == [late.tracking_number, on_time.tracking_number]


def test_boxes_mine_overdue_and_resolved(client, station_a, officer_a, colleague_a):
    mine = filed(station_a)
    other = filed(station_a, phone="03002222222")
    done = filed(station_a, phone="03003333333")
    late = filed(station_a, phone="03004444444")
    complaint_assign(complaint=mine, assignee=officer_a, acting_user=colleague_a)
    complaint_assign(complaint=done, assignee=colleague_a, acting_user=colleague_a)
    complaint_transition(complaint=done, to_status=Status.REJECTED, acting_user=colleague_a, outcome="Duplicate")
    Complaint.objects.filter(pk=late.pk).update(is_overdue=True)
    client.force_login(officer_a)
    assert set(_numbers(client.get("/complaints/"))) == {
        mine.tracking_number,
        other.tracking_number,
        late.tracking_number,
    }
    assert _numbers(client.get("/complaints/?box=mine")) == [mine.tracking_number]
    assert _numbers(client.get("/complaints/?box=overdue")) == [late.tracking_number]
    assert _numbers(client.get("/complaints/?box=resolved")) == [done.tracking_number]


def test_filters_by_category_status_and_date(client, station_a, officer_a):
    theft = filed(station_a)
    with freeze_time(timezone.now() - timedelta(days=10)):
        other = filed(station_a, phone="03002222222", category=category("other"))
    client.force_login(officer_a)
    assert _numbers(client.get(f"/complaints/?category={category('other').pk}")) == [other.tracking_number]
    assert _numbers(client.get("/complaints/?status=assigned")) == []
    assert _numbers(client.get("/complaints/?status=received&category=")) != []
    today = timezone.localdate().isoformat()
    assert _numbers(client.get(f"/complaints/?filed_from={today}")) == [theft.tracking_number]
    earlier = (timezone.localdate() - timedelta(days=5)).isoformat()
    assert _numbers(client.get(f"/complaints/?filed_to={earlier}")) == [other.tracking_number]


def test_counts_per_status(client, station_a, officer_a, colleague_a):
    a = filed(station_a)
    filed(station_a, phone="03002222222")
    complaint_assign(complaint=a, assignee=officer_a, acting_user=colleague_a)
    client.force_login(officer_a)
    counts = dict(client.get("/complaints/").context["counts"])
    assert counts[Status.RECEIVED.label] == 1
    assert counts[Status.ASSIGNED.label] == 1
    assert counts[Status.RESOLVED.label] == 0


def test_district_officer_sees_the_district_office_box_and_every_station_of_the_district(
    client, station_a, station_b, district_officer_a
):
    station_complaint = filed(station_a)
    conduct = filed(station_a, phone="03002222222", category=category("wrongful-arrest"))
    filed(station_b, phone="03003333333")
    client.force_login(district_officer_a)
    assert set(_numbers(client.get("/complaints/"))) == {station_complaint.tracking_number, conduct.tracking_number}
    assert _numbers(client.get("/complaints/?district_office=on")) == [conduct.tracking_number]


def test_inbox_query_count_does_not_grow_with_rows(client, station_a, officer_a, colleague_a):
    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/complaints/?box=inbox").status_code == 200
        return len(ctx.captured_queries)

    client.force_login(officer_a)
    for i in range(2):
        c = filed(station_a, phone=f"0300000000{i}")
        complaint_assign(complaint=c, assignee=officer_a, acting_user=colleague_a)
    few = count()
    for i in range(2, 12):
        c = filed(station_a, phone=f"030000000{i:02d}", category=category("other"))
        complaint_assign(complaint=c, assignee=officer_a, acting_user=colleague_a)
    assert count() == few
    assert len(client.get("/complaints/").context["page"]) == 12


def test_district_overdue_list_query_count_does_not_grow_with_rows(client, station_a, district_officer_a):
    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/complaints/?box=overdue").status_code == 200
        return len(ctx.captured_queries)

    client.force_login(district_officer_a)
    for i in range(2):
        filed(station_a, phone=f"0300000000{i}", category=category("illegal-detention"))
    Complaint.objects.update(is_overdue=True)
    few = count()
    for i in range(2, 12):
        filed(station_a, phone=f"030000000{i:02d}")
    Complaint.objects.update(is_overdue=True)
    assert count() == few
    assert len(client.get("/complaints/?box=overdue").context["page"]) == 12
