"""Cross-app parts: the daily diary entry of a new complaint, and a complaint converted to an FIR."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from casp.models import AuditEvent
from complaints.models import Complaint, ComplaintEvent, Status
from fir.models import Fir
from stations.models import DiaryEntry
from tests.complaints.conftest import form_data
from tests.complaints.factories import category, filed

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def sections(db):
    from fir.catalogue import sections_seed
    from fir.models import Section

    sections_seed(Section)


def test_a_new_complaint_adds_a_daily_diary_entry_at_the_receiving_station(client, station_a):
    client.post("/complaints/new/", form_data(station_a))
    complaint = Complaint.objects.get()
    entry = DiaryEntry.objects.get(station=station_a, kind="complaint_received")
    assert entry.source_id == str(complaint.pk) and entry.source_type == "complaints.complaint"
    assert complaint.tracking_number in entry.data["text"]
    assert entry.received_at == complaint.created_at


def test_a_police_conduct_complaint_is_not_entered_in_the_diary_of_the_station_complained_about(station_a):
    filed(station_a, category=category("misconduct-bribery"))
    assert not DiaryEntry.objects.filter(station=station_a, kind="complaint_received").exists()


def _fir_form(**overrides) -> dict:
    data = {
        "submission_key": "6f1d7c3e-1d2a-4c4b-9d55-2a7f3e9d1b10",
        "reported_at": (timezone.localtime() - dt.timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M"),
        "occurred_from": (timezone.localtime() - dt.timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"),
        "place": "Blue Area market",
        "complainant_name": "Ayesha Khan",
        "sections": "379 PPC",
        "facts": "My motorcycle was stolen outside the market.",
        "accused-TOTAL_FORMS": "1",
        "accused-INITIAL_FORMS": "0",
        "accused-MIN_NUM_FORMS": "0",
        "accused-MAX_NUM_FORMS": "50",
        "accused-0-is_unknown": "on",
        "accused-0-description": "unknown thief",
    }
    data.update(overrides)
    return data


def test_register_fir_form_is_prefilled_from_the_complaint(client, station_a, colleague_a):
    complaint = filed(station_a)
    client.force_login(colleague_a)
    response = client.get(reverse("complaints:register_fir", args=[complaint.pk]))
    assert response.status_code == 200
    initial = response.context["form"].initial
    assert initial["complainant_name"] == "Ayesha Khan"
    assert initial["facts"] == complaint.description
    assert initial["place"] == complaint.incident_place
    assert initial["complainant_phone"] == "03001234567"


def test_complaint_converted_to_fir_links_the_fir_registered_through_the_fir_app(
    client, station_a, colleague_a, outbox, django_capture_on_commit_callbacks
):
    complaint = filed(station_a)
    client.force_login(colleague_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("complaints:register_fir", args=[complaint.pk]), _fir_form())
    fir = Fir.objects.get()
    assert response.status_code == 302 and response["Location"] == fir.get_absolute_url()
    complaint.refresh_from_db()
    assert complaint.status == Status.CONVERTED and complaint.fir == fir
    assert fir.station == station_a and fir.writing_officer == colleague_a
    event = ComplaintEvent.objects.get(complaint=complaint, kind="converted_to_fir")
    assert str(fir) in event.public_note and event.actor == colleague_a
    assert AuditEvent.objects.filter(action="complaint.converted_to_fir", target_id=str(complaint.pk)).exists()
    assert DiaryEntry.objects.filter(station=station_a, kind="fir_registered").exists()
    assert any(str(fir) in m.body for m in outbox)
    detail = client.get(reverse("complaints:detail", args=[complaint.pk])).content.decode()
    assert fir.get_absolute_url() in detail


def test_a_bad_fir_form_saves_neither_the_fir_nor_the_conversion(client, station_a, colleague_a):
    complaint = filed(station_a)
    client.force_login(colleague_a)
    response = client.post(reverse("complaints:register_fir", args=[complaint.pk]), _fir_form(sections="999 PPC"))
    assert response.status_code == 400
    assert Fir.objects.count() == 0
    complaint.refresh_from_db()
    assert complaint.status == Status.RECEIVED and complaint.fir is None


def test_a_converted_complaint_cannot_be_reopened_or_converted_again(client, station_a, colleague_a):
    from django.core.exceptions import ValidationError

    from complaints.services import complaint_reopen

    complaint = filed(station_a)
    client.force_login(colleague_a)
    client.post(reverse("complaints:register_fir", args=[complaint.pk]), _fir_form())
    complaint.refresh_from_db()
    with pytest.raises(ValidationError, match="became an FIR"):
        complaint_reopen(complaint=complaint, reason="again")
    response = client.post(reverse("complaints:register_fir", args=[complaint.pk]), _fir_form())
    assert response.status_code == 302 and Fir.objects.count() == 1


def test_officer_of_another_station_cannot_register_an_fir_from_the_complaint(client, station_a, officer_b):
    complaint = filed(station_a)
    client.force_login(officer_b)
    assert client.post(reverse("complaints:register_fir", args=[complaint.pk]), _fir_form()).status_code == 404
    assert Fir.objects.count() == 0


def test_district_officer_registers_the_fir_of_a_police_conduct_complaint(client, station_a, district_officer_a):
    complaint = filed(station_a, category=category("fir-not-registered"))
    client.force_login(district_officer_a)
    response = client.post(reverse("complaints:register_fir", args=[complaint.pk]), _fir_form())
    assert response.status_code == 302
    assert Complaint.objects.get(pk=complaint.pk).fir.station == station_a
