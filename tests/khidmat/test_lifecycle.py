"""A character certificate's whole life on the real database: token, counter, CRO check, both stations'
verifications, the in-charge's decision, the certificate and its QR page; and the other kinds of service."""

from __future__ import annotations

import pytest
from django.urls import reverse
from pypdf import PdfReader

from casp.models import AuditEvent
from khidmat.models import Application, Certificate, CroCheckStatus, Outcome, Status, Token
from khidmat.services import token_call_next, token_take, verification_complete
from tests.khidmat.conftest import form_body, service

pytestmark = pytest.mark.django_db


def _pdf_text(content: bytes) -> str:
    import io

    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_character_certificate_from_token_to_verified_qr(
    clerk_client,
    clerk,
    incharge,
    centre,
    station_a,
    station_b,
    officer_a,
    officer_b,
    client,
    django_capture_on_commit_callbacks,
):
    svc = service("character-certificate")
    token = token_take(centre=centre, service=svc)
    assert token.number == 1
    assert token_call_next(centre=centre, counter_number=1, acting_user=clerk) == token
    url = reverse("khidmat:new", args=[centre.code, svc.code]) + f"?token={token.pk}"
    with django_capture_on_commit_callbacks(execute=True):
        response = clerk_client.post(
            url, form_body(svc, station_present=station_a, station_permanent=station_b, token=str(token.pk))
        )
    assert response.status_code == 302, response.context["form"].errors
    a = Application.objects.get()
    assert a.token == token and a.status == Status.CHECKS and a.fee == 500 and a.receipt_number.startswith("R-KHM-A-")
    token.refresh_from_db()
    assert token.finished_at is not None
    # No CRO record: the check is clear. One task per station.
    assert a.cro_check.status == CroCheckStatus.CLEAR
    tasks = {t.station_id: t for t in a.verifications.all()}
    assert set(tasks) == {station_a.pk, station_b.pk}
    # Receipt, in English and Urdu.
    receipt = clerk_client.get(reverse("khidmat:pdf", args=[a.pk, "receipt", "en"]))
    assert a.tracking_number in _pdf_text(receipt.content)
    assert clerk_client.get(reverse("khidmat:pdf", args=[a.pk, "receipt", "ur"])).status_code == 200
    verification_complete(task=tasks[station_a.pk], acting_user=officer_a, outcome=Outcome.NO_RECORD)
    a.refresh_from_db()
    assert a.status == Status.CHECKS
    verification_complete(task=tasks[station_b.pk], acting_user=officer_b, outcome=Outcome.NO_RECORD)
    a.refresh_from_db()
    assert a.status == Status.DECISION
    clerk_client.force_login(incharge)
    response = clerk_client.post(reverse("khidmat:decide", args=[a.pk]), {"decision": "issue", "reason": ""})
    a.refresh_from_db()
    assert a.status == Status.ISSUED
    cert = Certificate.objects.get(application=a)
    assert cert.serial == f"KHM-A-{cert.issued_at.year}-000001" and cert.valid_until is not None
    text = _pdf_text(clerk_client.get(reverse("khidmat:pdf", args=[a.pk, "document", "en"])).content)
    assert cert.serial in text and "Ali Raza" in text
    assert clerk_client.get(reverse("khidmat:pdf", args=[a.pk, "document", "ur"])).status_code == 200
    # The citizen tracks it, downloads it, and the QR page says valid.
    client.logout()
    response = client.post(reverse("khidmat:track"), {"tracking_number": a.tracking_number, "phone": "03001234567"})
    assert response.status_code == 302
    page = client.get(reverse("khidmat:status")).content.decode()
    assert "Issued" in page
    assert client.get(reverse("khidmat:status_pdf", args=["document", "ur"])).status_code == 200
    verify = client.get(reverse("khidmat:verify", args=[cert.verify_key])).content.decode()
    assert cert.serial in verify and "Valid" in verify and a.applicant_cnic not in verify
    actions = set(AuditEvent.objects.filter(target_id=str(a.pk)).values_list("action", flat=True))
    assert {"khidmat.application_received", "khidmat.cro_checked", "khidmat.application_issued"} <= actions


def test_loss_report_is_issued_at_once(clerk_client, centre, station_a):
    svc = service("loss-report")
    body = {
        "applicant_cnic": "35202-1234567-1", "applicant_name": "Ali Raza", "applicant_phone": "03001234567",
        "details": "Wallet with CNIC lost in Jinnah Super", "documents": [str(d.pk) for d in svc.documents.all()],
        "fee": "0",
    }  # fmt: skip
    response = clerk_client.post(reverse("khidmat:new", args=[centre.code, svc.code]), body)
    assert response.status_code == 302
    a = Application.objects.get()
    assert a.status == Status.ISSUED and a.certificate.serial.startswith("KHM-A-")
    assert "Wallet" in _pdf_text(clerk_client.get(reverse("khidmat:pdf", args=[a.pk, "document", "en"])).content)


def test_licence_service_is_forwarded_to_the_licensing_authority(clerk_client, centre):
    svc = service("licence-renewal")
    body = {
        "applicant_cnic": "35202-1234567-1", "applicant_name": "Ali Raza", "applicant_phone": "03001234567",
        "documents": [str(d.pk) for d in svc.documents.all()], "fee": str(svc.fee),
    }  # fmt: skip
    assert clerk_client.post(reverse("khidmat:new", args=[centre.code, svc.code]), body).status_code == 302
    a = Application.objects.get()
    assert a.status == Status.FORWARDED and a.forwarded_reference == f"LOCAL-{a.tracking_number}"


@pytest.mark.parametrize("code,womens", [("crime-report", False), ("vaw-report", True)])
def test_crime_and_vaw_reports_become_complaints_linked_both_ways(clerk_client, centre, station_a, code, womens):
    svc = service(code)
    body = {
        "applicant_cnic": "35202-1234568-2", "applicant_name": "Sana Bibi", "applicant_phone": "03001234567",
        "present_address": "House 9", "present_station": str(station_a.pk), "incident_place": "Bazaar",
        "incident_at": "2026-01-05T10:00", "details": "Harassed on the way home.",
        "documents": [str(d.pk) for d in svc.documents.all() if d.is_required], "fee": "0",
    }  # fmt: skip
    response = clerk_client.post(reverse("khidmat:new", args=[centre.code, svc.code]), body)
    assert response.status_code == 302, response.context["form"].errors
    a = Application.objects.select_related("complaint").get()
    assert a.status == Status.REFERRED and a.complaint.handling_station == station_a
    assert a.complaint.womens_desk is womens and a.complaint.khidmat_application == a
    assert a.tracking_number in a.complaint.description


def test_womens_desk_complaint_is_kept_from_the_clerks_list_but_the_sho_sees_it(
    clerk_client, centre, station_a, officer_a, colleague_a
):
    from complaints.selectors import complaints_for_user

    svc = service("vaw-report")
    body = {
        "applicant_cnic": "35202-1234568-2", "applicant_name": "Sana Bibi", "applicant_phone": "03001234567",
        "present_address": "House 9", "present_station": str(station_a.pk), "incident_place": "Bazaar",
        "incident_at": "2026-01-05T10:00", "details": "Beaten at home.", "fee": "0",
    }  # fmt: skip
    assert clerk_client.post(reverse("khidmat:new", args=[centre.code, svc.code]), body).status_code == 302
    complaint = Application.objects.get().complaint
    assert not complaints_for_user(officer_a).filter(pk=complaint.pk).exists()
    assert complaints_for_user(colleague_a).filter(pk=complaint.pk).exists()


def test_fir_copy_for_the_complainant_is_the_fir_apps_own_pdf(clerk_client, centre, station_a, officer_a):
    from fir.services import fir_register
    from tests.fir.factories import fir_data

    fir = fir_register(station=station_a, acting_user=officer_a, data=fir_data())
    svc = service("fir-copy")
    body = {
        "applicant_cnic": "35202-1234567-1", "applicant_name": "Muhammad Aslam", "applicant_phone": "03001234567",
        "fir_station": str(station_a.pk), "fir_number": str(fir.number), "fir_year": str(fir.year),
        "documents": [str(d.pk) for d in svc.documents.all()], "fee": "0",
    }  # fmt: skip
    assert clerk_client.post(reverse("khidmat:new", args=[centre.code, svc.code]), body).status_code == 302
    a = Application.objects.get()
    assert a.status == Status.ISSUED and a.fir == fir
    text = _pdf_text(clerk_client.get(reverse("khidmat:pdf", args=[a.pk, "document", "en"])).content)
    assert "First Information Report" in text and "Muhammad Aslam" in text


def test_token_numbers_start_again_each_day(centre):
    import datetime

    from freezegun import freeze_time

    svc = service("loss-report")
    with freeze_time("2026-03-02 09:00:00+05:00"):
        assert [token_take(centre=centre, service=svc).number for _ in range(3)] == [1, 2, 3]
    with freeze_time("2026-03-03 09:00:00+05:00"):
        assert token_take(centre=centre, service=svc).number == 1
    assert Token.objects.filter(day=datetime.date(2026, 3, 3)).count() == 1
