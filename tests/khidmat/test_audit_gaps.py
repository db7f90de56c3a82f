"""Points of the issue the first tests left unchecked: a CRO candidate on name, father's name and date of birth;
the station's "address not verified"; the SMS with the tracking number; the refusal's reason on the citizen's
page; the dashboard's service time and overdue verifications by station."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from khidmat.models import Application, CroCheckStatus, Outcome, Status
from khidmat.services import (
    application_decide,
    cro_check_review,
    token_call_next,
    token_take,
    verification_complete,
    verifications_sweep_overdue,
)
from tests.khidmat.conftest import apply_character_certificate, form_body, service

pytestmark = pytest.mark.django_db


_apply = apply_character_certificate


def test_name_father_and_date_of_birth_hit_is_a_candidate_for_review_not_an_identification(
    clerk_client, centre, station_a, cro_officer, django_capture_on_commit_callbacks
):
    from tests.factories import cro_record

    # The same man under another CNIC; a namesake with another father and birthday is not a candidate.
    record = cro_record(name="Ali Raza", father_name="Raza Khan", date_of_birth=datetime.date(1990, 5, 1),
                        cnic="61101-2222222-2")  # fmt: skip
    cro_record(name="Ali Raza", father_name="Ghulam Nabi", date_of_birth=datetime.date(1971, 11, 9),
               cnic="61101-3333333-3")  # fmt: skip
    a = _apply(clerk_client, centre, station_a, station_a, django_capture_on_commit_callbacks)
    check = a.cro_check
    assert check.status == CroCheckStatus.REVIEW
    candidates = list(check.candidates.all())
    assert [(c.record_id, c.kind) for c in candidates] == [(record.pk, "name")]
    assert candidates[0].score >= 85 and candidates[0].reasons
    a.refresh_from_db()
    assert a.status == Status.CHECKS  # the candidate holds the application for the CRO officer
    clerk_client.force_login(cro_officer)
    assert a.tracking_number in clerk_client.get(reverse("khidmat:cro_reviews")).content.decode()
    cro_check_review(check=check, acting_user=cro_officer, is_record=False, note="Different photograph and CNIC.")
    check.refresh_from_db()
    assert check.status == CroCheckStatus.CLEARED


def test_address_not_verified_needs_a_note_and_is_shown_to_the_incharge(
    clerk_client, centre, station_a, officer_a, incharge, django_capture_on_commit_callbacks
):
    a = _apply(clerk_client, centre, station_a, station_a, django_capture_on_commit_callbacks)
    task = a.verifications.get()
    with pytest.raises(ValidationError, match="Say why the address could not be verified"):
        verification_complete(task=task, acting_user=officer_a, outcome=Outcome.NOT_VERIFIED, note=" ")
    task.refresh_from_db()
    assert task.outcome == Outcome.PENDING
    clerk_client.force_login(officer_a)
    response = clerk_client.post(
        reverse("khidmat:verification", args=[task.pk]),
        {"outcome": "not_verified", "note": "Nobody of this name lives at House 1."},
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.outcome == Outcome.NOT_VERIFIED and task.note == "Nobody of this name lives at House 1."
    a.refresh_from_db()
    assert a.status == Status.DECISION
    clerk_client.force_login(incharge)
    assert "Nobody of this name lives at House 1." in clerk_client.get(
        reverse("khidmat:detail", args=[a.pk])
    ).content.decode()  # fmt: skip


def test_tracking_number_and_decision_are_texted_to_the_applicant(
    clerk_client, centre, station_a, officer_a, incharge, client, caplog, django_capture_on_commit_callbacks
):
    with caplog.at_level("INFO", logger="casp.notify"):
        a = _apply(clerk_client, centre, station_a, station_a, django_capture_on_commit_callbacks)
    sms = [r.getMessage() for r in caplog.records if r.name == "casp.notify"]
    assert len(sms) == 1 and "to 03001234567" in sms[0] and a.tracking_number in sms[0]
    # The tracking number is shown to the clerk and printed on the receipt (tests/khidmat/test_lifecycle.py).
    page = clerk_client.get(reverse("khidmat:detail", args=[a.pk])).content.decode()
    assert a.tracking_number in page
    verification_complete(task=a.verifications.get(), acting_user=officer_a, outcome=Outcome.NO_RECORD)
    caplog.clear()
    with caplog.at_level("INFO", logger="casp.notify"), django_capture_on_commit_callbacks(execute=True):
        application_decide(application=a, acting_user=incharge, issue=False, reason="Affidavit not attested.")
    sms = [r.getMessage() for r in caplog.records if r.name == "casp.notify"]
    assert len(sms) == 1 and "Affidavit not attested." in sms[0] and a.tracking_number in sms[0]
    # The citizen sees the refusal's reason and no download.
    client.logout()  # the citizen (``client`` is ``clerk_client``'s client)
    client.post(reverse("khidmat:track"), {"tracking_number": a.tracking_number, "phone": "0300 1234567"})
    page = client.get(reverse("khidmat:status")).content.decode()
    assert "Refused" in page and "Affidavit not attested." in page and 'id="download-en"' not in page
    assert client.get(reverse("khidmat:status_pdf", args=["document", "en"])).status_code == 404


def test_status_page_says_what_is_still_missing_and_the_promised_date(
    clerk_client, centre, station_a, station_b, officer_a, client, django_capture_on_commit_callbacks
):
    from django.utils.formats import date_format

    a = _apply(clerk_client, centre, station_a, station_b, django_capture_on_commit_callbacks)
    client.logout()  # the citizen (``client`` is ``clerk_client``'s client)
    client.post(reverse("khidmat:track"), {"tracking_number": a.tracking_number, "phone": "03001234567"})
    page = client.get(reverse("khidmat:status")).content.decode()
    assert "Verification by 2 police stations" in page
    assert date_format(a.promised_on, "DATE_FORMAT") in page
    verification_complete(task=a.verifications.get(station=station_a), acting_user=officer_a,
                          outcome=Outcome.NO_RECORD)  # fmt: skip
    page = client.get(reverse("khidmat:status")).content.decode()
    assert "Verification by 1 police station" in page and "police stations" not in page


def test_dashboard_gives_service_time_and_overdue_verifications_by_station(
    clerk_client, clerk, centre, station_a, station_b, django_capture_on_commit_callbacks
):
    svc = service("loss-report")
    # Today (the clerk's posting starts today), 09:00 local.
    start = timezone.make_aware(datetime.datetime.combine(timezone.localdate(), datetime.time(9)))
    with freeze_time(start):
        token_take(centre=centre, service=svc)
        token_take(centre=centre, service=svc)
    with freeze_time(start + datetime.timedelta(minutes=10)):
        token_call_next(centre=centre, counter_number=1, acting_user=clerk)  # waited 10 min
    with freeze_time(start + datetime.timedelta(minutes=16)):
        token_call_next(centre=centre, counter_number=1, acting_user=clerk)  # the first served 6 min; waited 16
    with freeze_time(start + datetime.timedelta(minutes=20)):
        token_call_next(centre=centre, counter_number=1, acting_user=clerk)  # the second served 4 min
        _apply(clerk_client, centre, station_a, station_b, django_capture_on_commit_callbacks)
        _apply(clerk_client, centre, station_b, station_b, django_capture_on_commit_callbacks)
    with freeze_time(start + datetime.timedelta(days=4)):
        assert verifications_sweep_overdue() == 3
    with freeze_time(start + datetime.timedelta(minutes=30)):
        d = clerk_client.get(reverse("khidmat:dashboard", args=[centre.code])).context["d"]
    assert d.waiting == 0
    assert d.avg_wait == datetime.timedelta(minutes=13)
    assert d.avg_service == datetime.timedelta(minutes=5)
    assert [(row["station__code"], row["n"]) for row in d.overdue_by_station] == [
        (station_b.code, 2), (station_a.code, 1),
    ]  # fmt: skip
    assert dict((s, n) for s, _label, n in d.by_status)[Status.CHECKS] == 2


def _pdf_text(content: bytes) -> str:
    import io

    from pypdf import PdfReader

    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_the_certificates_qr_code_and_printed_link_open_its_verification_page(
    clerk_client, centre, station_a, officer_a, incharge, client, django_capture_on_commit_callbacks
):
    import re
    from urllib.parse import urlsplit

    import segno

    from khidmat.models import Certificate
    from khidmat.pdf import certificate_html

    a = _apply(clerk_client, centre, station_a, station_a, django_capture_on_commit_callbacks)
    verification_complete(task=a.verifications.get(), acting_user=officer_a, outcome=Outcome.NO_RECORD)
    application_decide(application=a, acting_user=incharge, issue=True, reason="")
    cert = Certificate.objects.get()
    client.logout()  # the citizen (``client`` is ``clerk_client``'s client)
    client.post(reverse("khidmat:track"), {"tracking_number": a.tracking_number, "phone": "03001234567"})
    for lang in ("en", "ur"):
        response = client.get(reverse("khidmat:status_pdf", args=["document", lang]))
        text = _pdf_text(response.content)
        assert cert.serial in text, lang
        if lang == "en":
            assert "nothing adverse was found" in text.replace("\n", " ")
        # The link printed under the QR code is absolute and opens the public page, which says valid.
        url = re.search(r"https?://\S+/khidmat/verify/\S+/", text.replace("\n", "")).group(0)
        assert urlsplit(url).path == reverse("khidmat:verify", args=[cert.verify_key]), lang
        page = client.get(urlsplit(url).path)
        assert page.status_code == 200 and 'id="verdict">Valid<' in page.content.decode()
        # The QR code drawn on the certificate encodes exactly that link.
        request = response.wsgi_request
        html = certificate_html(cert, lang=lang, request=request)
        assert segno.make(url, error="m").svg_data_uri(scale=3) in html, lang


def test_a_vehicle_certificate_speaks_of_the_stolen_list_not_of_addresses(
    clerk_client, centre, station_a, incharge, django_capture_on_commit_callbacks
):
    from khidmat.pdf import certificate_html

    svc = service("vehicle-verification")
    body = {
        "applicant_cnic": "35202-1234567-1", "applicant_name": "Ali Raza", "applicant_phone": "03001234567",
        "vehicle_number": "LEB-1234", "details": "Suzuki Mehran, white",
        "documents": [str(d.pk) for d in svc.documents.all() if d.is_required], "fee": str(svc.fee),
    }  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        response = clerk_client.post(reverse("khidmat:new", args=[centre.code, svc.code]), body)
    assert response.status_code == 302, response.context["form"].errors
    a = Application.objects.get()
    application_decide(application=a, acting_user=incharge, issue=True, reason="")
    html = certificate_html(Application.objects.get().certificate, lang="en")
    assert "not on the list of stolen and snatched vehicles" in html
    assert "stations of the person's addresses were checked" not in html


def test_the_receipt_gives_the_tracking_number_fee_documents_and_promised_date_in_both_languages(
    clerk_client, centre, station_a, django_capture_on_commit_callbacks
):
    from django.utils import translation
    from django.utils.formats import date_format

    a = _apply(clerk_client, centre, station_a, station_a, django_capture_on_commit_callbacks)
    # (Nastaliq's text comes out of the PDF respelled, so the Urdu documents' names are not compared.)
    for lang, documents in (("en", ("Copy of CNIC", "Affidavit")), ("ur", ())):
        text = _pdf_text(clerk_client.get(reverse("khidmat:pdf", args=[a.pk, "receipt", lang])).content)
        with translation.override(lang):
            promised = date_format(a.promised_on, "DATE_FORMAT").strip("\u2066\u2069")
        flat = text.replace("\n", " ")
        assert a.tracking_number in flat and a.receipt_number in flat and "Rs 500" in flat, lang
        assert promised in flat, (lang, promised)
        assert "http://testserver/khidmat/track/" in flat.replace(" ", ""), lang  # where to track it, in full
        assert all(d in flat for d in documents), (lang, flat)


def test_an_application_whose_checks_are_not_in_cannot_be_decided(
    clerk_client, centre, station_a, station_b, officer_a, incharge, django_capture_on_commit_callbacks
):
    a = _apply(clerk_client, centre, station_a, station_b, django_capture_on_commit_callbacks)
    verification_complete(task=a.verifications.get(station=station_a), acting_user=officer_a,
                          outcome=Outcome.NO_RECORD)  # fmt: skip
    for issue, reason in ((True, ""), (False, "Impatient.")):
        with pytest.raises(ValidationError, match="Only an application whose checks are complete"):
            application_decide(application=a, acting_user=incharge, issue=issue, reason=reason)
    clerk_client.force_login(incharge)
    response = clerk_client.post(reverse("khidmat:decide", args=[a.pk]), {"decision": "issue", "reason": ""})
    assert response.status_code == 302
    a.refresh_from_db()
    assert a.status == Status.CHECKS and a.decided_at is None and not hasattr(a, "certificate")


class _BankRecorder:
    """A payment recorder of another kind (e.g. a bank's): named in the setting, used by the counter."""

    def record(self, *, centre, amount):
        from django.utils import timezone as tz

        from khidmat.payments import Payment

        return Payment(receipt_number=f"BANK-{centre.code}-{amount}", paid_at=tz.now())


def test_the_fee_is_recorded_through_the_payment_recorder_named_in_the_settings(
    clerk_client, centre, station_a, settings, django_capture_on_commit_callbacks
):
    from khidmat.models import Counter

    a = _apply(clerk_client, centre, station_a, station_a, django_capture_on_commit_callbacks)
    year = a.paid_at.year
    assert a.receipt_number == f"R-{centre.code}-{year}-000001"  # the shipped cash recorder: per centre per year
    assert Counter.objects.get(centre=centre, kind="receipt", period=str(year)).last == 1
    settings.KHIDMAT_PAYMENT_RECORDER = f"{__name__}._BankRecorder"
    b = _apply(clerk_client, centre, station_a, station_a, django_capture_on_commit_callbacks)
    assert b.receipt_number == f"BANK-{centre.code}-500"


def test_with_the_broker_down_the_application_is_taken_and_the_sweep_runs_its_cro_check(
    clerk_client, centre, station_a, django_capture_on_commit_callbacks
):
    from khidmat.tasks import cro_checks_sweep_lost_task
    from tests.hoteleye.conftest import celery_broker

    svc = service("character-certificate")
    body = form_body(svc, station_present=station_a, station_permanent=station_a)
    with celery_broker("redis://127.0.0.1:1/0"), django_capture_on_commit_callbacks(execute=True):
        response = clerk_client.post(reverse("khidmat:new", args=[centre.code, svc.code]), body)
    # The counter is not told of the broker: the application is taken once (a second filing would charge twice).
    assert response.status_code == 302
    a = Application.objects.get()
    assert a.status == Status.CHECKS and not hasattr(a, "cro_check")
    assert cro_checks_sweep_lost_task() == 0  # too recent: its task may still be on the way
    five = datetime.timedelta(minutes=5)
    Application.objects.filter(pk=a.pk).update(created_at=a.created_at - five, paid_at=a.paid_at - five)
    assert cro_checks_sweep_lost_task() == 1
    a = Application.objects.get()
    assert a.cro_check.status == CroCheckStatus.CLEAR
    assert cro_checks_sweep_lost_task() == 0


def test_the_verification_page_says_expired_after_the_validity_and_shows_only_the_five_facts(
    clerk_client, centre, station_a, officer_a, incharge, client, django_capture_on_commit_callbacks
):
    import re

    from khidmat.models import Certificate

    a = _apply(clerk_client, centre, station_a, station_a, django_capture_on_commit_callbacks)
    verification_complete(task=a.verifications.get(), acting_user=officer_a, outcome=Outcome.NO_RECORD)
    application_decide(application=a, acting_user=incharge, issue=True, reason="")
    cert = Certificate.objects.get()
    assert cert.valid_until == timezone.localdate(cert.issued_at) + datetime.timedelta(days=180)
    client.logout()
    url = reverse("khidmat:verify", args=[cert.verify_key])
    page = client.get(url).content.decode()
    facts = dict(re.findall(r'<dt class="col-5">([^<]+)</dt><dd class="col-7">(.*?)</dd>', page))
    assert list(facts) == ["Serial number", "Name", "Issued on", "Valid until"]
    assert cert.serial in facts["Serial number"] and facts["Name"] == "Ali Raza"
    for private in (a.tracking_number, "Raza Khan", "35202", "1990", "House 1", "Centre Alpha"):
        assert private not in page, private
    with freeze_time(timezone.make_aware(datetime.datetime.combine(cert.valid_until, datetime.time(23)))):
        assert 'id="verdict">Valid<' in client.get(url).content.decode()
    with freeze_time(cert.valid_until + datetime.timedelta(days=1)):
        assert 'id="verdict">Expired<' in client.get(url).content.decode()
