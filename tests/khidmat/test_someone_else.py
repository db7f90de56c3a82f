"""An application for someone else (a relative abroad): the authority letter, the relation and the person's own
name and CNIC are all needed; the checks and the document are about the person, not the applicant."""

from __future__ import annotations

import os

import pytest
from django.urls import reverse

from khidmat.models import Application, Certificate, Counter, Outcome
from khidmat.services import application_decide, cro_check_review, verification_complete
from tests.khidmat.conftest import form_body, pdf_upload, service

pytestmark = pytest.mark.django_db

PERSON = {"for_someone_else": "on", "relation": "Brother", "subject_name": "Kamran Raza",
          "subject_father_name": "Raza Khan", "subject_cnic": "35202-7654321-3"}  # fmt: skip


def _post(client, centre, station, **overrides):
    svc = service("character-certificate")
    body = form_body(svc, station_present=station, station_permanent=station, **{**PERSON, **overrides})
    return client.post(reverse("khidmat:new", args=[centre.code, svc.code]), body)


@pytest.mark.parametrize(
    "overrides,field,text",
    [
        ({}, "authority_letter", "Upload the authority letter"),
        ({"relation": ""}, "relation", "Enter your relation to the person"),
        ({"subject_name": ""}, "subject_name", "Enter the name of the person you apply for"),
        ({"subject_cnic": ""}, "subject_cnic", "Enter the CNIC of the person you apply for"),
        ({"subject_cnic": "35202-1234567-1"}, "subject_cnic", "This is the applicant's own CNIC"),
    ],
)
def test_someone_elses_application_without_what_it_needs_is_refused(
    clerk_client, centre, station_a, settings, overrides, field, text
):
    if field != "authority_letter":
        overrides["authority_letter"] = pdf_upload("letter.pdf")
    response = _post(clerk_client, centre, station_a, **overrides)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert text in " ".join(errors.get(field, [])), errors
    assert Application.objects.count() == 0
    assert not Counter.objects.filter(kind="receipt").exclude(last=0).exists()
    media = settings.MEDIA_ROOT
    assert not os.path.exists(media) or [f for _r, _d, names in os.walk(media) for f in names] == []


def test_relative_applies_for_a_person_abroad_and_the_certificate_is_in_the_persons_name(
    clerk_client, centre, station_a, officer_a, incharge, cro_officer, django_capture_on_commit_callbacks
):
    from tests.factories import cro_record

    # The person (not the applicant) has a CRO record under his CNIC: the check is of the person.
    cro_record(name="Kamran Raza", cnic="35202-7654321-3")
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(clerk_client, centre, station_a, authority_letter=pdf_upload("letter.pdf"))
    assert response.status_code == 302, response.context["form"].errors
    a = Application.objects.get()
    assert (a.applicant_name, a.applicant_cnic) == ("Ali Raza", "3520212345671")
    assert (a.subject_name, a.subject_cnic, a.relation) == ("Kamran Raza", "3520276543213", "Brother")
    assert a.for_someone_else and a.authority_letter.startswith("khidmat/letters/")
    assert a.cro_check.candidates.get().kind == "cnic"  # the person's CNIC was checked
    cro_check_review(check=a.cro_check, acting_user=cro_officer, is_record=False, note="Another man, CNIC reissued.")
    verification_complete(task=a.verifications.get(), acting_user=officer_a, outcome=Outcome.NO_RECORD)
    application_decide(application=a, acting_user=incharge, issue=True, reason="")
    assert Certificate.objects.get(application=a).holder_name == "Kamran Raza"
