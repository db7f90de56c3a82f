"""The citizen's tracking page and follow-up: add information, feedback, reopen within 30 days."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.middleware.csrf import get_token  # noqa: F401  (documents why the token is stripped below)
from freezegun import freeze_time

from complaints.models import ComplaintEvent, Status
from complaints.services import complaint_assign, complaint_transition
from tests.complaints.factories import filed

pytestmark = pytest.mark.django_db
TRACK = "/complaints/track/"
STATUS = "/complaints/track/status/"


def _track(client, number, secret):
    return client.post(TRACK, {"tracking_number": number, "phone_or_cnic": secret})


def _without_token(response) -> str:
    import re

    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


@pytest.mark.parametrize("secret", ["0300-1234567", "+92 300 1234567", "35202-1234567-2", "3520212345672"])
def test_number_with_the_phone_or_cnic_used_shows_the_status(client, station_a, secret):
    complaint = filed(station_a)
    response = _track(client, complaint.tracking_number.lower().replace("-", " "), secret)
    assert response.status_code == 302 and response["Location"] == STATUS
    page = client.get(STATUS).content.decode()
    assert complaint.tracking_number in page
    assert "Received" in page
    assert str(station_a) in page


def test_wrong_pair_gets_exactly_the_answer_of_an_unknown_number(client, station_a):
    complaint = filed(station_a)
    other = filed(station_a, phone="03219876543", cnic="6110112345671", category=complaint.category)
    wrong_phone = _track(client, complaint.tracking_number, "0321-9876543")  # another complaint's phone
    wrong_cnic = _track(client, complaint.tracking_number, other.cnic)
    unknown = _track(client, "ZZZZ-ZZZZ-ZZZZ", "0300-1234567")
    garbage = _track(client, "1", "x")
    assert wrong_phone.status_code == wrong_cnic.status_code == unknown.status_code == garbage.status_code == 200
    expected = _without_token(unknown).replace("ZZZZ-ZZZZ-ZZZZ", "NUMBER").replace("0300-1234567", "SECRET")
    assert (
        _without_token(wrong_phone).replace(complaint.tracking_number, "NUMBER").replace("0321-9876543", "SECRET")
        == expected
    )
    assert "No complaint matches" in expected
    assert client.get(STATUS)["Location"] == TRACK  # nothing was unlocked


def test_public_timeline_shows_public_notes_and_never_internal_ones(client, station_a, colleague_a, officer_a):
    complaint = filed(station_a)
    complaint_assign(
        complaint=complaint,
        assignee=officer_a,
        acting_user=colleague_a,
        public_note="An officer will call you today.",
        internal_note="Complainant is the brother of the accused",
    )
    _track(client, complaint.tracking_number, "03001234567")
    page = client.get(STATUS).content.decode()
    assert "An officer will call you today." in page
    assert "brother of the accused" not in page
    assert officer_a.username not in page


def test_citizen_adds_information_while_open(client, station_a):
    complaint = filed(station_a)
    _track(client, complaint.tracking_number, "03001234567")
    response = client.post(STATUS + "info/", {"text": "The thief wore a red helmet."})
    assert response.status_code == 302
    event = ComplaintEvent.objects.get(complaint=complaint, kind="info_added")
    assert event.public_note == "The thief wore a red helmet." and event.actor is None


def _decided(station, officer, sho, status=Status.RESOLVED):
    complaint = filed(station)
    complaint_assign(complaint=complaint, assignee=officer, acting_user=sho)
    complaint_transition(complaint=complaint, to_status=Status.CONTACTED, acting_user=officer)
    complaint_transition(complaint=complaint, to_status=Status.UNDER_ENQUIRY, acting_user=officer)
    return complaint_transition(complaint=complaint, to_status=status, acting_user=officer, outcome="Bike recovered.")


def test_information_cannot_be_added_once_resolved(client, station_a, officer_a, colleague_a):
    complaint = _decided(station_a, officer_a, colleague_a)
    _track(client, complaint.tracking_number, "03001234567")
    response = client.post(STATUS + "info/", {"text": "more"})
    assert response.status_code == 400
    assert "only while the complaint is open" in response.content.decode()


def test_feedback_when_resolved(client, station_a, officer_a, colleague_a):
    complaint = _decided(station_a, officer_a, colleague_a)
    _track(client, complaint.tracking_number, "03001234567")
    page = client.get(STATUS).content.decode()
    assert "Bike recovered." in page
    response = client.post(STATUS + "feedback/", {"satisfied": "no", "comment": "Only half of it"})
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.feedback_satisfied is False and complaint.feedback_comment == "Only half of it"


def test_feedback_without_an_answer_names_the_field(client, station_a, officer_a, colleague_a):
    complaint = _decided(station_a, officer_a, colleague_a)
    _track(client, complaint.tracking_number, "03001234567")
    response = client.post(STATUS + "feedback/", {"comment": "?"})
    assert response.status_code == 400
    assert "satisfied" in response.context["feedback_form"].errors


def test_reopen_within_30_days_goes_back_to_under_enquiry_with_a_new_deadline(
    client, station_a, officer_a, colleague_a
):
    with freeze_time("2027-03-01 10:00:00"):
        complaint = _decided(station_a, officer_a, colleague_a)
    with freeze_time("2027-03-30 09:00:00"):
        _track(client, complaint.tracking_number, "03001234567")
        response = client.post(STATUS + "reopen/", {"reason": "The bike was not returned."})
        assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == Status.UNDER_ENQUIRY
    assert complaint.reopen_count == 1
    assert complaint.reply_due_at.isoformat().startswith("2027-04-13T09:00")
    assert ComplaintEvent.objects.filter(complaint=complaint, kind="reopened").exists()


def test_reopen_after_30_days_is_refused(client, station_a, officer_a, colleague_a):
    with freeze_time("2027-03-01 10:00:00"):
        complaint = _decided(station_a, officer_a, colleague_a)
    with freeze_time("2027-03-31 10:00:01"):
        _track(client, complaint.tracking_number, "03001234567")
        response = client.post(STATUS + "reopen/", {"reason": "Too late?"})
    assert response.status_code == 400
    assert "within 30 days" in response.content.decode()
    complaint.refresh_from_db()
    assert complaint.status == Status.RESOLVED


def test_reopen_is_refused_after_saying_satisfied(client, station_a, officer_a, colleague_a):
    complaint = _decided(station_a, officer_a, colleague_a)
    _track(client, complaint.tracking_number, "03001234567")
    client.post(STATUS + "feedback/", {"satisfied": "yes"})
    response = client.post(STATUS + "reopen/", {"reason": "changed my mind"})
    assert response.status_code == 400
    complaint.refresh_from_db()
    assert complaint.status == Status.RESOLVED


def test_follow_up_without_a_lookup_goes_to_the_tracking_form(client, station_a):
    filed(station_a)
    response = client.post(STATUS + "info/", {"text": "hello"})
    assert response["Location"] == TRACK
    assert ComplaintEvent.objects.filter(kind="info_added").count() == 0


def test_deadline_shown_is_the_reply_due_date(client, station_a):
    with freeze_time("2026-05-01 05:00:00"):  # 10:00 in Karachi
        complaint = filed(station_a)
    assert complaint.reply_due_at - complaint.created_at == timedelta(days=14)
    _track(client, complaint.tracking_number, "03001234567")
    assert "15-05-2026 10:00" in client.get(STATUS).content.decode()


def test_citizen_adds_a_photo_with_the_information(client, station_a):
    from tests.complaints.conftest import jpeg_upload

    complaint = filed(station_a)
    _track(client, complaint.tracking_number, "03001234567")
    response = client.post(STATUS + "info/", {"text": "A photo of the thief.", "attachments": [jpeg_upload()]})
    assert response.status_code == 302
    assert complaint.attachments.count() == 1


def test_added_files_may_not_take_a_complaint_past_five(client, station_a, private_media):
    from complaints.files import attachment_prepare
    from tests.complaints.conftest import jpeg_upload

    complaint = filed(station_a, files=[attachment_prepare(jpeg_upload(f"p{i}.jpg")) for i in range(4)])
    _track(client, complaint.tracking_number, "03001234567")
    files = [jpeg_upload("a.jpg"), jpeg_upload("b.jpg")]
    response = client.post(STATUS + "info/", {"text": "Two more photos.", "attachments": files})
    assert response.status_code == 400
    assert "1 more can be added" in response.content.decode()
    assert complaint.attachments.count() == 4
    assert len(list((private_media / "complaints").rglob("*.jpg"))) == 4
    assert not ComplaintEvent.objects.filter(complaint=complaint, kind="info_added").exists()


@pytest.mark.parametrize("to_status", [Status.RESOLVED, Status.REJECTED])
def test_public_note_given_with_a_decision_reaches_the_timeline_and_the_status_page(
    client, station_a, colleague_a, officer_a, to_status
):
    complaint = filed(station_a)
    complaint_assign(complaint=complaint, assignee=officer_a, acting_user=colleague_a)
    complaint_transition(complaint=complaint, to_status=Status.CONTACTED, acting_user=officer_a)
    complaint_transition(complaint=complaint, to_status=Status.UNDER_ENQUIRY, acting_user=officer_a)
    client.force_login(officer_a)
    response = client.post(
        f"/complaints/{complaint.pk}/status/",
        {
            "to_status": to_status,
            "outcome": "Phone recovered.",
            "public_note": "Collect it from the station on Monday.",
        },
    )
    assert response.status_code == 302
    event = ComplaintEvent.objects.get(complaint=complaint, kind=to_status)
    assert event.public_note == "Phone recovered.\n\nCollect it from the station on Monday."
    officer_page = client.get(f"/complaints/{complaint.pk}/").content.decode()
    assert "Collect it from the station on Monday." in officer_page
    client.logout()
    _track(client, complaint.tracking_number, "03001234567")
    page = client.get(STATUS).content.decode()
    assert "Phone recovered." in page and "Collect it from the station on Monday." in page
