"""Deadlines by category, the periodic overdue sweep and escalation, on a frozen clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from freezegun import freeze_time

from casp.models import AuditEvent
from complaints.models import Category, Complaint, ComplaintEvent, Status
from complaints.services import complaint_assign, complaint_transition, complaints_sweep_overdue
from complaints.tasks import complaints_sweep_overdue_task
from tests.complaints.factories import category, filed

pytestmark = pytest.mark.django_db
START = "2027-02-01 06:00:00"  # after the fixtures' postings begin


@pytest.mark.parametrize(
    ("code", "reply_hours"),
    [
        ("illegal-detention", 24),
        ("misconduct-bribery", 24),
        ("fir-not-registered", 72),
        ("wrongful-arrest", 72),
        ("crime-report", 14 * 24),
        ("other", 14 * 24),
    ],
)
def test_deadlines_follow_the_category(station_a, code, reply_hours):
    with freeze_time(START):
        complaint = filed(station_a, category=category(code))
    assert complaint.contact_due_at - complaint.created_at == timedelta(hours=24)
    assert complaint.reply_due_at - complaint.created_at == timedelta(hours=reply_hours)


def test_deadlines_changed_in_the_admin_apply_to_new_complaints(admin_client, station_a):
    other = category("other")
    response = admin_client.post(
        f"/admin/complaints/category/{other.pk}/change/",
        {
            "code": "other",
            "name": "Other",
            "name_ur": "دیگر",
            "contact_hours": 12,
            "reply_hours": 48,
            "is_active": "on",
            "position": 7,
        },
    )
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="complaints.category.admin_changed", target_id=str(other.pk)).exists()
    with freeze_time(START):
        complaint = filed(station_a, category=Category.objects.get(pk=other.pk))
    assert complaint.contact_due_at - complaint.created_at == timedelta(hours=12)
    assert complaint.reply_due_at - complaint.created_at == timedelta(hours=48)


def test_sweep_flags_nothing_before_the_deadline(station_a):
    with freeze_time(START):
        filed(station_a, category=category("illegal-detention"))
    with freeze_time("2027-02-02 05:59:59"):
        assert complaints_sweep_overdue() == 0
    assert not Complaint.objects.filter(is_overdue=True).exists()


def test_missed_contact_deadline_makes_a_complaint_overdue_and_escalates_it(
    station_a, district_officer_a, outbox, django_capture_on_commit_callbacks
):
    with freeze_time(START):
        complaint = filed(station_a)  # contact within 24 h, reply within 14 days
    with freeze_time("2027-02-02 06:00:01"), django_capture_on_commit_callbacks(execute=True):
        assert complaints_sweep_overdue() == 1
    complaint.refresh_from_db()
    assert complaint.is_overdue is True
    assert complaint.escalated_at == datetime(2027, 2, 2, 6, 0, 1, tzinfo=UTC)
    event = ComplaintEvent.objects.get(complaint=complaint, kind="overdue")
    assert event.public_note == "" and "district officer" in event.internal_note
    assert AuditEvent.objects.filter(action="complaint.overdue", target_id=str(complaint.pk)).count() == 1
    assert [m.to for m in outbox] == [district_officer_a.phone]
    assert "1 complaints passed their deadline" in outbox[0].body


def test_contacted_complaint_is_overdue_only_after_the_reply_deadline(station_a, district_officer_a):
    dpo = district_officer_a
    with freeze_time(START):
        complaint = filed(station_a, category=category("fir-not-registered"))  # reply within 72 h
        complaint_assign(complaint=complaint, assignee=dpo, acting_user=dpo)
        complaint_transition(complaint=complaint, to_status=Status.CONTACTED, acting_user=dpo)
    with freeze_time("2027-02-03 06:00:00"):
        assert complaints_sweep_overdue() == 0
    with freeze_time("2027-02-04 06:00:00"):
        assert complaints_sweep_overdue() == 1


def test_the_station_complained_about_is_not_among_the_complaints_officers(station_a, colleague_a):
    with freeze_time(START):
        complaint = filed(station_a, category=category("misconduct-bribery"))
    from complaints.selectors import officers_for_complaint

    assert colleague_a not in officers_for_complaint(complaint)


def test_resolved_complaints_are_never_overdue(station_a, officer_a, colleague_a):
    with freeze_time(START):
        complaint = filed(station_a)
        complaint_assign(complaint=complaint, assignee=officer_a, acting_user=colleague_a)
        complaint_transition(complaint=complaint, to_status=Status.REJECTED, acting_user=officer_a, outcome="No case")
    with freeze_time("2027-03-01 06:00:00"):
        assert complaints_sweep_overdue() == 0


def test_sweep_is_idempotent(station_a):
    with freeze_time(START):
        filed(station_a)
    with freeze_time("2027-02-03 06:00:00"):
        assert complaints_sweep_overdue() == 1
        assert complaints_sweep_overdue() == 0
    assert ComplaintEvent.objects.filter(kind="overdue").count() == 1


def test_overdue_complaint_appears_first_in_the_district_officers_overdue_list(client, station_a, district_officer_a):
    with freeze_time(START):
        late = filed(station_a)
    with freeze_time("2027-02-05 06:00:00"):
        fresh = filed(station_a, phone="03002222222")
        complaints_sweep_overdue_task.delay()  # eager in tests, as the beat schedule would run it
        client.force_login(district_officer_a)
        overdue = [c.pk for c in client.get("/complaints/?box=overdue").context["page"]]
        inbox = [c.pk for c in client.get("/complaints/").context["page"]]
    assert overdue == [late.pk]
    assert inbox == [late.pk, fresh.pk]


def test_reopening_clears_the_overdue_flag_with_a_fresh_deadline(station_a, officer_a, colleague_a):
    from complaints.services import complaint_reopen

    with freeze_time(START):
        complaint = filed(station_a)
    with freeze_time("2027-02-03 06:00:00"):
        complaints_sweep_overdue()
        complaint_assign(complaint=complaint, assignee=officer_a, acting_user=colleague_a)
        complaint_transition(complaint=complaint, to_status=Status.CONTACTED, acting_user=officer_a)
        complaint_transition(complaint=complaint, to_status=Status.UNDER_ENQUIRY, acting_user=officer_a)
        complaint_transition(complaint=complaint, to_status=Status.RESOLVED, acting_user=officer_a, outcome="Done")
    with freeze_time("2027-02-10 06:00:00"):
        complaint_reopen(complaint=complaint, reason="Not done")
    complaint.refresh_from_db()
    assert complaint.is_overdue is False and complaint.escalated_at is None
    assert complaint.reply_due_at == datetime(2027, 2, 24, 6, 0, tzinfo=UTC)


def test_the_sweep_is_declared_in_the_one_beat_schedule():
    from casp.celery import app

    entries = {e["task"]: e for e in app.conf.beat_schedule.values()}
    assert "complaints.tasks.complaints_sweep_overdue" in entries
    assert complaints_sweep_overdue_task.name == "complaints.tasks.complaints_sweep_overdue"
