"""Each bad input of the issue is refused with a clear message naming the field, and nothing is half-saved:
no application, no receipt number used, no file left in storage, the token untouched."""

from __future__ import annotations

import datetime
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from khidmat.models import Application, Counter, Token, TokenStatus
from khidmat.services import token_call_next, token_take
from tests.khidmat.conftest import form_body, pdf_upload, service

pytestmark = pytest.mark.django_db


def _post(client, centre, svc, body, url_suffix=""):
    return client.post(reverse("khidmat:new", args=[centre.code, svc.code]) + url_suffix, body)


def _nothing_saved(settings):
    assert Application.objects.count() == 0
    assert not Counter.objects.filter(kind="receipt").exclude(last=0).exists()
    media = settings.MEDIA_ROOT
    files = [f for _root, _dirs, names in os.walk(media) for f in names] if os.path.exists(media) else []
    assert files == []


def _refused(response, field, text):
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors, errors
    assert text in " ".join(errors[field]), errors[field]


@pytest.mark.parametrize(
    "value,text",
    [
        ("35202-123456-1", "A CNIC has 13 digits; 12 were entered"),
        ("۳۵۲۰۲-۱۲۳۴۵۶۷", "A CNIC has 13 digits; 12 were entered"),
        ("85202-1234567-1", "begins with a province digit from 1 to 7"),
        ("ABCDE-1234567-1", "Write the CNIC as 13 digits"),
    ],
)
def test_malformed_cnic_is_refused(clerk_client, centre, station_a, settings, value, text):
    svc = service("character-certificate")
    body = form_body(svc, station_present=station_a, station_permanent=station_a, applicant_cnic=value)
    _refused(_post(clerk_client, centre, svc, body), "applicant_cnic", text)
    _nothing_saved(settings)


def test_cnic_and_phone_in_urdu_digits_are_read_as_digits(clerk_client, centre, station_a):
    svc = service("character-certificate")
    body = form_body(
        svc, station_present=station_a, station_permanent=station_a,
        applicant_cnic="۳۵۲۰۲-۱۲۳۴۵۶۷-۱", applicant_phone="۰۳۰۰۱۲۳۴۵۶۷",
    )  # fmt: skip
    assert _post(clerk_client, centre, svc, body).status_code == 302
    a = Application.objects.get()
    assert a.applicant_cnic == "3520212345671" and a.applicant_phone == "03001234567"


@pytest.mark.parametrize("value", ["0300-12345", "۰۳۰۰۱۲۳", "04212345678", "phone"])
def test_malformed_phone_is_refused(clerk_client, centre, station_a, settings, value):
    svc = service("character-certificate")
    body = form_body(svc, station_present=station_a, station_permanent=station_a, applicant_phone=value)
    _refused(_post(clerk_client, centre, svc, body), "applicant_phone", "11 digits starting with 03")
    _nothing_saved(settings)


@pytest.mark.parametrize(
    "dob,text",
    [
        ("1899-12-31", "Date of birth cannot be before"),
        ((timezone.localdate() + datetime.timedelta(days=1)).isoformat(), "Date of birth cannot be in the future"),
    ],
)
def test_date_of_birth_outside_1900_to_today_is_refused(clerk_client, centre, station_a, settings, dob, text):
    svc = service("character-certificate")
    body = form_body(svc, station_present=station_a, station_permanent=station_a, subject_dob=dob)
    _refused(_post(clerk_client, centre, svc, body), "subject_dob", text)
    _nothing_saved(settings)


def test_date_of_birth_out_of_range_is_refused_by_the_database_too(clerk, centre, station_a):
    from khidmat.models import ServiceType

    with pytest.raises(IntegrityError, match="khidmat_application_subject_dob_range"), transaction.atomic():
        Application.objects.create(
            tracking_number="X", centre=centre, service=ServiceType.objects.first(), applicant_cnic="3520212345671",
            applicant_name="A", applicant_phone="03001234567", subject_name="A", subject_cnic="3520212345671",
            subject_dob=datetime.date(1899, 1, 1), fee=0, receipt_number="R", paid_at=timezone.now(),
            created_by=clerk, promised_on=timezone.localdate(),
        )  # fmt: skip


def test_missing_required_document_is_refused(clerk_client, centre, station_a, settings):
    svc = service("character-certificate")
    affidavit = svc.documents.get(code="affidavit")
    body = form_body(svc, station_present=station_a, station_permanent=station_a)
    body["documents"] = [d for d in body["documents"] if d != str(affidavit.pk)]
    _refused(_post(clerk_client, centre, svc, body), "documents", "required documents are missing: Affidavit")
    _nothing_saved(settings)


def test_fee_that_does_not_match_the_catalogue_is_refused(clerk_client, centre, station_a, settings):
    svc = service("character-certificate")
    body = form_body(svc, station_present=station_a, station_permanent=station_a, fee="300")
    _refused(_post(clerk_client, centre, svc, body), "fee", "is Rs 500; Rs 300 was entered")
    _nothing_saved(settings)


@pytest.mark.parametrize(
    "field,upload,text",
    [
        ("photo", SimpleUploadedFile("face.jpg", b"this is not a picture", content_type="image/jpeg"), "not a JPEG"),
        ("photo", pdf_upload("face.pdf"), "must be a JPEG, PNG or WebP image"),
        ("scan", SimpleUploadedFile("cnic.pdf", b"GIF89a not a pdf", content_type="application/pdf"), "not a PDF"),
        ("scan", SimpleUploadedFile("cnic.exe", b"MZ\x90\x00", content_type="application/pdf"), "Only JPEG"),
    ],
)
def test_file_that_is_not_what_it_claims_is_refused(clerk_client, centre, station_a, settings, field, upload, text):
    svc = service("character-certificate")
    cnic_doc = svc.documents.get(code="cnic")
    body = form_body(svc, station_present=station_a, station_permanent=station_a)
    name = "photo" if field == "photo" else f"scan_{cnic_doc.pk}"
    body[name] = upload
    _refused(_post(clerk_client, centre, svc, body), name, text)
    _nothing_saved(settings)


def test_a_good_scan_is_stored_privately(clerk_client, centre, station_a):
    svc = service("character-certificate")
    cnic_doc = svc.documents.get(code="cnic")
    body = form_body(
        svc, station_present=station_a, station_permanent=station_a, **{f"scan_{cnic_doc.pk}": pdf_upload()}
    )
    assert _post(clerk_client, centre, svc, body).status_code == 302
    doc = Application.objects.get().documents.get(document=cnic_doc)
    assert doc.path.startswith("khidmat/documents/") and doc.original_name == "scan.pdf"


def test_token_used_twice_is_refused(clerk_client, clerk, centre, station_a, settings):
    svc = service("character-certificate")
    token = token_take(centre=centre, service=svc)
    token_call_next(centre=centre, counter_number=1, acting_user=clerk)
    body = form_body(svc, station_present=station_a, station_permanent=station_a, token=str(token.pk))
    assert _post(clerk_client, centre, svc, body, f"?token={token.pk}").status_code == 302
    body = form_body(svc, station_present=station_a, station_permanent=station_a, token=str(token.pk))
    response = _post(clerk_client, centre, svc, body, f"?token={token.pk}")
    assert response.status_code == 200
    assert "has already been used for an application" in response.content.decode()
    assert Application.objects.count() == 1
    assert Counter.objects.get(kind="receipt").last == 1


def test_fir_copy_for_a_cnic_that_is_not_the_complainants_is_refused(clerk_client, centre, station_a, officer_a):
    from fir.services import fir_register
    from tests.fir.factories import fir_data

    fir = fir_register(station=station_a, acting_user=officer_a, data=fir_data())
    svc = service("fir-copy")
    body = {
        "applicant_cnic": "35202-7654321-3", "applicant_name": "Bashir Ahmad", "applicant_phone": "03001234567",
        "fir_station": str(station_a.pk), "fir_number": str(fir.number), "fir_year": str(fir.year),
        "documents": [str(d.pk) for d in svc.documents.all()], "fee": "0",
    }  # fmt: skip
    _refused(_post(clerk_client, centre, svc, body), "applicant_cnic", "not the complainant's CNIC")
    body.update(applicant_cnic="35202-1234567-1", fir_number=str(fir.number + 5))
    _refused(_post(clerk_client, centre, svc, body), "fir_number", "No FIR has this number, station and year")
    assert Application.objects.count() == 0


def test_token_calling_an_unknown_counter_is_refused(clerk_client, centre):
    response = clerk_client.post(reverse("khidmat:token_call", args=[centre.code]), {"counter": "9"})
    assert "This centre has counters 1 to 3." in response.content.decode()
    assert not Token.objects.filter(status=TokenStatus.SERVING).exists()


def test_a_token_that_is_not_a_number_or_of_another_centre_is_a_404(clerk_client, centre, centre_b, clerk_b):
    svc = service("loss-report")
    url = reverse("khidmat:new", args=[centre.code, svc.code])
    assert clerk_client.get(url + "?token=abc").status_code == 404
    other = token_take(centre=centre_b, service=svc)
    assert clerk_client.get(url + f"?token={other.pk}").status_code == 404
