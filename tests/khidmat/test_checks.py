"""The CRO check with real photos, the verification deadline and escalation, QR verification and revocation,
jurisdiction, and tokens under concurrency."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from casp.models import AuditEvent
from khidmat.models import Application, Certificate, CroCheckStatus, Outcome, Status, Token, VerificationTask
from khidmat.services import (
    application_decide,
    certificate_revoke,
    cro_check_review,
    token_take,
    verification_complete,
    verifications_sweep_overdue,
)
from tests.concurrency import run_concurrently
from tests.factories import FACES
from tests.khidmat.conftest import apply_character_certificate, jpeg

pytestmark = pytest.mark.django_db


_apply = apply_character_certificate


def _cro_record_with_photo(filename, **kw):
    from cro import services as cro_services
    from tests.factories import cro_record

    record = cro_record(**kw)
    with open(FACES / filename, "rb") as fh:
        cro_services.photo_add(record=record, acting_user=None, upload=fh)
    return record


@pytest.mark.slow
def test_face_hit_goes_to_cro_review_and_a_confirmed_record_is_refused(
    clerk_client, centre, station_a, incharge, cro_officer, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        record = _cro_record_with_photo("obama.jpg", name="Barack Obama", cnic="61101-1111111-1")
    # Another photo of the same man, under another name and CNIC: a face candidate.
    a = _apply(clerk_client, centre, station_a, station_a, django_capture_on_commit_callbacks,
               photo=jpeg(FACES / "obama2.jpg"))  # fmt: skip
    assert a.cro_check.status == CroCheckStatus.REVIEW
    candidate = a.cro_check.candidates.get()
    assert candidate.record == record and candidate.kind == "face" and candidate.distance is not None
    assert a.verifications.count() == 1  # same station for both addresses: one task
    client.force_login(cro_officer)
    page = client.get(reverse("khidmat:cro_review", args=[a.cro_check.pk])).content.decode()
    assert "Barack Obama" in page and "never an identification" in page
    response = client.post(
        reverse("khidmat:cro_review", args=[a.cro_check.pk]), {"is_record": "yes", "note": "Same face, same scar."}
    )
    assert response.status_code == 302
    a.cro_check.refresh_from_db()
    assert a.cro_check.status == CroCheckStatus.RECORD and a.cro_check.reviewed_by == cro_officer
    verification_complete(task=a.verifications.get(), acting_user=incharge, outcome=Outcome.NO_RECORD)
    a.refresh_from_db()
    assert a.status == Status.DECISION
    with pytest.raises(ValidationError, match="can only be refused"):
        application_decide(application=a, acting_user=incharge, issue=True, reason="")
    application_decide(application=a, acting_user=incharge, issue=False, reason="Record in the CRO.")
    a.refresh_from_db()
    assert a.status == Status.REFUSED and a.outcome == "Record in the CRO." and not Certificate.objects.exists()


@pytest.mark.slow
def test_no_hit_with_a_real_photo_is_clear_and_can_be_issued(
    clerk_client, centre, station_a, officer_a, incharge, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _cro_record_with_photo("obama.jpg", name="Barack Obama", cnic="61101-1111111-1")
    a = _apply(clerk_client, centre, station_a, station_a, django_capture_on_commit_callbacks,
               photo=jpeg(FACES / "biden.jpg"))  # fmt: skip
    assert a.cro_check.status == CroCheckStatus.CLEAR and a.cro_check.face_status == "ok"
    assert not a.cro_check.candidates.exists()
    verification_complete(task=a.verifications.get(), acting_user=officer_a, outcome=Outcome.NO_RECORD)
    application_decide(application=a, acting_user=incharge, issue=True, reason="")
    assert Application.objects.get(pk=a.pk).status == Status.ISSUED


def test_cnic_hit_goes_to_review_and_a_cleared_review_moves_on(
    clerk_client, centre, station_a, cro_officer, django_capture_on_commit_callbacks
):
    from tests.factories import cro_record

    cro_record(name="Someone Else", cnic="35202-1234567-1")
    a = _apply(clerk_client, centre, station_a, station_a, django_capture_on_commit_callbacks)
    assert a.cro_check.status == CroCheckStatus.REVIEW
    assert a.cro_check.candidates.get().kind == "cnic"
    with pytest.raises(ValidationError):
        cro_check_review(check=a.cro_check, acting_user=cro_officer, is_record=False, note="  ")
    cro_check_review(check=a.cro_check, acting_user=cro_officer, is_record=False, note="Different person, CNIC typo.")
    assert AuditEvent.objects.filter(action="khidmat.cro_reviewed", actor=cro_officer).exists()


def test_overdue_verification_escalates_to_the_district_officer_on_a_frozen_clock(
    clerk_client, centre, station_a, station_b, roles, django_capture_on_commit_callbacks, caplog
):
    from casp.roles import Role
    from tests.factories import posted_user

    dpo = posted_user(Role.DISTRICT_OFFICER, district=station_b.district, username="dpo_b", phone="03009999999")
    sent = timezone.now()
    with freeze_time(sent):
        a = _apply(clerk_client, centre, station_a, station_b, django_capture_on_commit_callbacks)
        task_b = a.verifications.get(station=station_b)
        assert task_b.due_at == sent + datetime.timedelta(days=3)
    with freeze_time(sent + datetime.timedelta(days=3, minutes=-1)):
        assert verifications_sweep_overdue() == 0
    later = sent + datetime.timedelta(days=3, minutes=1)
    with freeze_time(later), caplog.at_level("INFO", logger="casp.notify"):
        with django_capture_on_commit_callbacks(execute=True):
            assert verifications_sweep_overdue() == 2
        assert verifications_sweep_overdue() == 0  # idempotent
    task_b.refresh_from_db()
    assert task_b.is_overdue and task_b.escalated_at is not None
    assert "03009999999" in caplog.text and "Overdue Khidmat verifications" in caplog.text
    # The district officer sees it in the overdue box; the dashboard counts it by station.
    clerk_client.force_login(dpo)
    page = clerk_client.get(reverse("khidmat:verifications") + "?box=overdue").content.decode()
    assert a.subject_name in page
    assert AuditEvent.objects.filter(action="khidmat.verification_escalated", target_id=str(task_b.pk)).exists()


def test_certificate_qr_cannot_be_forged_and_revocation_shows_revoked(
    clerk_client, centre, station_a, officer_a, incharge, client, django_capture_on_commit_callbacks
):
    a = _apply(clerk_client, centre, station_a, station_a, django_capture_on_commit_callbacks)
    verification_complete(task=a.verifications.get(), acting_user=officer_a, outcome=Outcome.NO_RECORD)
    application_decide(application=a, acting_user=incharge, issue=True, reason="")
    cert = Certificate.objects.get()
    assert len(cert.verify_key) >= 32
    forged = cert.verify_key[:-1] + ("y" if cert.verify_key.endswith("x") else "x")  # always a different key
    assert client.get(reverse("khidmat:verify", args=[forged])).status_code == 404
    assert client.get(reverse("khidmat:verify", args=[cert.serial])).status_code == 404
    with pytest.raises(ValidationError):
        certificate_revoke(certificate=cert, acting_user=incharge, reason=" ")
    clerk_client.force_login(incharge)
    clerk_client.post(reverse("khidmat:revoke", args=[a.pk]), {"reason": "Issued on a forged affidavit."})
    cert.refresh_from_db()
    assert cert.is_revoked and cert.revoked_by == incharge
    page = client.get(reverse("khidmat:verify", args=[cert.verify_key])).content.decode()
    assert "Revoked" in page and "forged affidavit" not in page and "35202" not in page
    assert AuditEvent.objects.filter(action="khidmat.certificate_revoked", actor=incharge).exists()


def test_centre_staff_see_only_their_centre(
    clerk_client, clerk_b, centre, centre_b, station_a, django_capture_on_commit_callbacks
):
    a = _apply(clerk_client, centre, station_a, station_a, django_capture_on_commit_callbacks)
    clerk_client.force_login(clerk_b)
    assert clerk_client.get(reverse("khidmat:detail", args=[a.pk])).status_code == 404
    assert clerk_client.get(reverse("khidmat:counter", args=[centre.code])).status_code == 404
    assert clerk_client.get(reverse("khidmat:pdf", args=[a.pk, "receipt", "en"])).status_code == 404
    assert clerk_client.get(reverse("khidmat:counter", args=[centre_b.code])).status_code == 200


def test_a_station_sees_only_its_own_verification_tasks(
    clerk_client, centre, station_a, station_b, officer_a, officer_b, django_capture_on_commit_callbacks
):
    a = _apply(clerk_client, centre, station_a, station_b, django_capture_on_commit_callbacks)
    task_a = a.verifications.get(station=station_a)
    clerk_client.force_login(officer_b)
    assert clerk_client.get(reverse("khidmat:verification", args=[task_a.pk])).status_code == 404
    page = clerk_client.get(reverse("khidmat:verifications")).content.decode()
    assert page.count(reverse("khidmat:verification", args=[task_a.pk])) == 0
    clerk_client.force_login(officer_a)
    response = clerk_client.post(
        reverse("khidmat:verification", args=[task_a.pk]), {"outcome": "record_found", "reference": ""}
    )
    assert "Give the reference" in response.content.decode()
    task_a.refresh_from_db()
    assert task_a.outcome == Outcome.PENDING
    # The station dashboard shows the task through the AppConfig hook.
    dash = clerk_client.get(reverse("stations:dashboard", args=[station_a.code])).content.decode()
    assert "Khidmat verifications" in dash


def _walk_in_service():
    """A service row of its own: transactional tests flush the catalogue the migration seeded."""
    from khidmat.models import ServiceType

    return ServiceType.objects.get_or_create(code="walk-in", defaults={"name": "Walk-in", "output": "report"})[0]


@pytest.mark.django_db(transaction=True)
def test_twenty_counters_taking_tokens_at_once_get_1_to_20(district_a):
    from khidmat.models import KhidmatCentre

    centre = KhidmatCentre.objects.create(code="KHM-C", name="C", district=district_a, address="C", counters=20)
    svc = _walk_in_service()
    results, errors = run_concurrently(20, lambda: token_take(centre=centre, service=svc).number)
    assert errors == []
    assert sorted(results) == list(range(1, 21))
    assert Token.objects.filter(centre=centre).count() == 20


@pytest.mark.django_db(transaction=True)
def test_two_counters_calling_at_once_never_call_the_same_token(district_a, roles):
    from khidmat.models import KhidmatCentre
    from khidmat.services import token_call_next
    from tests.khidmat.conftest import centre_user

    centre = KhidmatCentre.objects.create(code="KHM-D", name="D", district=district_a, address="D", counters=8)
    user = centre_user(centre, username="caller")
    svc = _walk_in_service()
    for _ in range(8):
        token_take(centre=centre, service=svc)
    counters = iter(range(1, 9))
    results, errors = run_concurrently(
        8, lambda: token_call_next(centre=centre, counter_number=next(counters), acting_user=user).number
    )
    assert errors == [] and sorted(results) == list(range(1, 9))
    assert VerificationTask.objects.count() == 0


def test_applicant_photo_is_served_to_the_centre_and_the_reviewing_cro_officer_only_and_logged(
    clerk_client, clerk_b, centre, centre_b, station_a, cro_officer, django_capture_on_commit_callbacks
):
    a = _apply(clerk_client, centre, station_a, station_a, django_capture_on_commit_callbacks)
    url = reverse("khidmat:photo", args=[a.pk])
    response = clerk_client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content)[:2] == b"\xff\xd8"
    clerk_client.force_login(cro_officer)
    assert clerk_client.get(url).status_code == 200
    assert AuditEvent.objects.filter(action="khidmat.photo_viewed", actor=cro_officer, is_read=True).exists()
    clerk_client.force_login(clerk_b)
    assert clerk_client.get(url).status_code == 404


def test_only_the_centres_incharge_decides(
    clerk_client, clerk, centre, centre_b, station_a, officer_a, roles, django_capture_on_commit_callbacks
):
    from tests.khidmat.conftest import centre_user

    other_incharge = centre_user(centre_b, username="incharge_b", incharge=True)
    a = _apply(clerk_client, centre, station_a, station_a, django_capture_on_commit_callbacks)
    verification_complete(task=a.verifications.get(), acting_user=officer_a, outcome=Outcome.NO_RECORD)
    url = reverse("khidmat:decide", args=[a.pk])
    assert clerk_client.post(url, {"decision": "issue"}).status_code == 403  # counter clerk: not the in-charge
    clerk_client.force_login(other_incharge)
    assert clerk_client.post(url, {"decision": "issue"}).status_code == 404  # another centre's in-charge
    a.refresh_from_db()
    assert a.status == Status.DECISION


def test_a_decision_the_form_refuses_is_said_naming_the_field(
    clerk_client, centre, station_a, officer_a, incharge, django_capture_on_commit_callbacks
):
    """An invalid decision used to redirect in silence, as if nothing were wrong."""
    a = _apply(clerk_client, centre, station_a, station_a, django_capture_on_commit_callbacks)
    verification_complete(task=a.verifications.get(), acting_user=officer_a, outcome=Outcome.NO_RECORD)
    clerk_client.force_login(incharge)
    response = clerk_client.post(reverse("khidmat:decide", args=[a.pk]), {"decision": "maybe"}, follow=True)
    shown = [str(m) for m in response.context["messages"]]
    assert any(m.startswith("Decision: Select a valid choice.") for m in shown), shown
    a.refresh_from_db()
    assert a.status == Status.DECISION
