"""The officers' workflow: routing, assignment, status steps with notes, jurisdiction (404 outside it)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from casp.models import AuditEvent
from casp.roles import Role
from complaints.models import ComplaintEvent, Status
from complaints.services import complaint_assign, complaint_transition
from tests.complaints.conftest import form_data, jpeg_upload
from tests.complaints.factories import category, filed
from tests.factories import posted_user

pytestmark = pytest.mark.django_db


def test_complaint_filed_through_the_public_form_reaches_the_station_inbox(client, station_a, officer_a, officer_b):
    client.post("/complaints/new/", form_data(station_a))
    client.force_login(officer_a)
    assert "Blue Area" not in client.get("/complaints/").content.decode()  # the list shows numbers, not details
    page = client.get("/complaints/").context["page"]
    assert [c.station_id for c in page] == [station_a.pk]
    client.force_login(officer_b)
    assert list(client.get("/complaints/").context["page"]) == []


def test_police_conduct_complaint_skips_the_station_and_reaches_the_district_officer(
    client, station_a, officer_a, colleague_a, district_officer_a
):
    client.post("/complaints/new/", form_data(station_a, category=str(category("illegal-detention").pk)))
    client.force_login(colleague_a)  # SHO of the station complained about
    assert list(client.get("/complaints/").context["page"]) == []
    from complaints.models import Complaint

    complaint = Complaint.objects.get()
    assert client.get(reverse("complaints:detail", args=[complaint.pk])).status_code == 404
    client.force_login(district_officer_a)
    assert [c.pk for c in client.get("/complaints/").context["page"]] == [complaint.pk]
    assert client.get(reverse("complaints:detail", args=[complaint.pk])).status_code == 200


def test_officer_of_another_station_gets_404_for_the_complaint_and_its_files(client, station_a, officer_b):
    client.post("/complaints/new/", {**form_data(station_a), "attachments": [jpeg_upload()]})
    from complaints.models import Complaint

    complaint = Complaint.objects.get()
    attachment = complaint.attachments.get()
    client.force_login(officer_b)
    assert client.get(reverse("complaints:detail", args=[complaint.pk])).status_code == 404
    assert client.get(reverse("complaints:attachment", args=[complaint.pk, attachment.pk])).status_code == 404
    assert client.post(reverse("complaints:change_status", args=[complaint.pk]), {}).status_code == 404


def test_officer_downloads_an_attachment_and_the_view_is_audited(client, station_a, officer_a):
    client.post("/complaints/new/", {**form_data(station_a), "attachments": [jpeg_upload()]})
    from complaints.models import Complaint

    complaint = Complaint.objects.get()
    attachment = complaint.attachments.get()
    client.force_login(officer_a)
    response = client.get(reverse("complaints:attachment", args=[complaint.pk, attachment.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:3] == b"\xff\xd8\xff"
    assert AuditEvent.objects.filter(action="complaint.attachment_viewed", actor=officer_a, is_read=True).exists()


def test_citizen_without_an_officer_role_cannot_open_the_inbox(client, station_a, roles):
    from tests.factories import UserFactory

    client.force_login(UserFactory(username="someone"))
    assert client.get("/complaints/").status_code == 403


def test_full_sequence_records_who_when_and_public_and_internal_notes(
    client, station_a, officer_a, colleague_a, outbox, django_capture_on_commit_callbacks
):
    complaint = filed(station_a)
    client.force_login(colleague_a)
    url = reverse("complaints:detail", args=[complaint.pk])
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(url + "assign/", {"assignee": officer_a.pk, "internal_note": "Handle today"})
    assert r.status_code == 302
    client.force_login(officer_a)
    steps = [
        {"to_status": "contacted", "public_note": "We called you."},
        {"to_status": "under_enquiry", "internal_note": "Visited the market."},
        {"to_status": "resolved", "outcome": "Motorcycle recovered and returned."},
        {"to_status": "closed"},
    ]
    for step in steps:
        with django_capture_on_commit_callbacks(execute=True):
            r = client.post(url + "status/", step)
        assert r.status_code == 302, r.context and r.context["status_form"].errors
    complaint.refresh_from_db()
    assert complaint.status == Status.CLOSED
    assert complaint.contacted_at is not None and complaint.decided_at is not None
    events = list(ComplaintEvent.objects.filter(complaint=complaint).order_by("id"))
    assert [e.kind for e in events] == ["filed", "assigned", "contacted", "under_enquiry", "resolved", "closed"]
    assert [e.actor for e in events[1:]] == [colleague_a, officer_a, officer_a, officer_a, officer_a]
    assert events[1].internal_note == "Handle today" and events[1].public_note == ""
    assert events[4].public_note == "Motorcycle recovered and returned."
    assert AuditEvent.objects.filter(action="complaint.status_changed", target_id=str(complaint.pk)).count() == 4
    assert any("We called you." in m.body for m in outbox)
    assert not any("Visited the market" in m.body for m in outbox)


def test_a_step_out_of_order_is_refused_and_changes_nothing(client, station_a, officer_a):
    complaint = filed(station_a)
    client.force_login(officer_a)
    r = client.post(reverse("complaints:change_status", args=[complaint.pk]), {"to_status": "resolved"})
    assert r.status_code == 400
    assert "to_status" in r.context["status_form"].errors
    complaint.refresh_from_db()
    assert complaint.status == Status.RECEIVED
    with pytest.raises(ValidationError):
        complaint_transition(complaint=complaint, to_status=Status.RESOLVED, acting_user=officer_a, outcome="x")


def test_resolving_needs_an_outcome_and_rejecting_a_reason(station_a, officer_a, colleague_a):
    complaint = filed(station_a)
    complaint_assign(complaint=complaint, assignee=officer_a, acting_user=colleague_a)
    with pytest.raises(ValidationError) as exc:
        complaint_transition(complaint=complaint, to_status=Status.REJECTED, acting_user=officer_a)
    assert "reason" in str(exc.value)
    complaint_transition(complaint=complaint, to_status=Status.REJECTED, acting_user=officer_a, outcome="Civil matter")
    complaint.refresh_from_db()
    assert complaint.status == Status.REJECTED and complaint.outcome == "Civil matter"


def test_assignee_must_be_posted_where_the_complaint_is_handled(station_a, colleague_a, officer_b):
    complaint = filed(station_a)
    with pytest.raises(ValidationError):
        complaint_assign(complaint=complaint, assignee=officer_b, acting_user=colleague_a)
    complaint.refresh_from_db()
    assert complaint.assigned_to is None and complaint.status == Status.RECEIVED


def test_police_conduct_complaint_is_never_assigned_to_the_station_complained_about(
    station_a, district_a, colleague_a, district_officer_a, roles
):
    from tests.factories import PoliceStationFactory

    other_station = PoliceStationFactory(district=district_a)
    sdpo = posted_user(Role.INVESTIGATING_OFFICER, station=other_station, username="io_other")
    complaint = filed(station_a, category=category("misconduct-bribery"))
    from complaints.selectors import officers_for_complaint

    candidates = set(officers_for_complaint(complaint))
    assert district_officer_a in candidates and sdpo in candidates
    assert colleague_a not in candidates
    with pytest.raises(ValidationError):
        complaint_assign(complaint=complaint, assignee=colleague_a, acting_user=district_officer_a)
    complaint_assign(complaint=complaint, assignee=sdpo, acting_user=district_officer_a)


def test_officer_note_without_text_is_refused(client, station_a, officer_a):
    complaint = filed(station_a)
    client.force_login(officer_a)
    r = client.post(reverse("complaints:note", args=[complaint.pk]), {"public_note": " "})
    assert r.status_code == 400
    assert ComplaintEvent.objects.filter(complaint=complaint, kind="note").count() == 0


def test_the_database_refuses_to_change_or_delete_a_complaint_event(station_a):
    from django.db import IntegrityError, connection, transaction
    from django.db.models import ProtectedError

    complaint = filed(station_a)
    event = ComplaintEvent.objects.filter(complaint=complaint).first()
    for statement in (
        "UPDATE complaints_complaintevent SET public_note = 'rewritten' WHERE id = %s",
        "DELETE FROM complaints_complaintevent WHERE id = %s",
    ):
        with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(statement, [event.pk])
    with pytest.raises(ProtectedError):
        complaint.delete()  # a complaint keeps its history
    assert ComplaintEvent.objects.filter(pk=event.pk, public_note=event.public_note).exists()
