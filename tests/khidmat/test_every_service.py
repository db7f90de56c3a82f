"""Every service of the catalogue through its whole life on the real database, through the counter form;
and the centre's dashboard, its CSV, the tracking page's limits and the list pages' query counts."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from khidmat.models import Application, Outcome, Output, ServiceType, Status
from khidmat.services import application_decide, verification_complete
from tests.khidmat.conftest import jpeg

pytestmark = pytest.mark.django_db

FINAL = {
    Output.CERTIFICATE: Status.ISSUED, Output.REGISTRATION: Status.ISSUED, Output.REPORT: Status.ISSUED,
    Output.FIR_COPY: Status.ISSUED, Output.FORWARDED: Status.FORWARDED, Output.COMPLAINT: Status.REFERRED,
}  # fmt: skip


def _body(svc, station, fir=None):
    body = {
        "applicant_cnic": "35202-1234567-1", "applicant_name": "Muhammad Aslam", "applicant_phone": "03001234567",
        "subject_name": "Muhammad Aslam", "subject_father_name": "Abdul Ghani", "subject_dob": "1985-02-03",
        "present_address": "House 1", "present_station": str(station.pk), "permanent_address": "Village 2",
        "permanent_station": str(station.pk), "vehicle_number": "LEB-0001", "details": "Details of the matter.",
        "incident_place": "Bazaar", "incident_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "documents": [str(d.pk) for d in svc.documents.all() if d.is_required], "fee": str(svc.fee), "photo": jpeg(),
    }  # fmt: skip
    if svc.registration_kind:
        body.update(
            reg_registrant_name="Landlord Khan", reg_registrant_cnic="35202-7654321-3",
            reg_registrant_phone="03007654321", reg_start_date=timezone.localdate().isoformat(),
            reg_address=f"Shop 4, Blue Area ({svc.code})", reg_station=str(station.pk),
            reg_passport_number="AB1234567", reg_nationality="China", reg_visa_type="Work",
            reg_visa_expiry=(timezone.localdate() + datetime.timedelta(days=300)).isoformat(),
        )  # fmt: skip
    if fir is not None:
        body.update(fir_station=str(fir.station_id), fir_number=str(fir.number), fir_year=str(fir.year))
    return body


def test_every_service_of_the_catalogue_reaches_its_outcome(
    clerk_client, centre, station_a, officer_a, incharge, django_capture_on_commit_callbacks
):
    from fir.services import fir_register
    from tests.fir.factories import fir_data

    fir = fir_register(station=station_a, acting_user=officer_a, data=fir_data())
    services = list(ServiceType.objects.prefetch_related("documents"))
    assert len(services) == 17
    for svc in services:
        with django_capture_on_commit_callbacks(execute=True):
            response = clerk_client.post(
                reverse("khidmat:new", args=[centre.code, svc.code]), _body(svc, station_a, fir)
            )
        assert response.status_code == 302, (svc.code, response.context["form"].errors)
        a = Application.objects.get(service=svc)
        if svc.is_checked:
            for task in a.verifications.all():
                verification_complete(task=task, acting_user=officer_a, outcome=Outcome.NO_RECORD)
            a.refresh_from_db()
            assert a.status == Status.DECISION, svc.code
            application_decide(application=a, acting_user=incharge, issue=True, reason="")
            a.refresh_from_db()
        assert a.status == FINAL[svc.output], svc.code
        if svc.issues_document:
            pdf = clerk_client.get(reverse("khidmat:pdf", args=[a.pk, "document", "ur"]))
            assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf", svc.code
    assert Application.objects.count() == 17


def test_dashboard_and_the_days_fee_csv(clerk_client, centre, station_a, django_capture_on_commit_callbacks):
    from khidmat.services import token_call_next, token_take

    for code in ("character-certificate", "character-certificate", "loss-report"):
        svc = ServiceType.objects.get(code=code)
        with django_capture_on_commit_callbacks(execute=True):
            clerk_client.post(reverse("khidmat:new", args=[centre.code, svc.code]), _body(svc, station_a))
    svc = ServiceType.objects.get(code="loss-report")
    token_take(centre=centre, service=svc)
    token_take(centre=centre, service=svc)
    token_call_next(centre=centre, counter_number=1, acting_user=Application.objects.first().created_by)
    page = clerk_client.get(reverse("khidmat:dashboard", args=[centre.code]))
    d = page.context["d"]
    assert d.waiting == 1 and d.avg_wait is not None
    fees = {row["service__code"]: (row["count"], row["total"]) for row in d.fees}
    assert fees == {"character-certificate": (2, 1000), "loss-report": (1, 0)}
    response = clerk_client.get(reverse("khidmat:fees_csv", args=[centre.code]))
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["receipt", "paid_at", "service", "tracking_number", "fee"]
    assert sum(int(r[4]) for r in rows[1:4]) == 1000
    assert ["character-certificate", "2", "1000"] in rows


def _loss_report(centre, clerk):
    """A loss report filed at the counter for applicant phone 0300-1234567."""
    from khidmat.services import ApplicationData, application_create

    svc = ServiceType.objects.get(code="loss-report")
    return application_create(
        centre=centre, acting_user=clerk,
        data=ApplicationData(service=svc, applicant_cnic="3520212345671", applicant_name="A",
                             applicant_phone="03001234567", fee=0, documents=list(svc.documents.all()), details="x"),
    )  # fmt: skip


def test_wrong_phone_answers_like_an_unknown_number_and_lookups_are_rate_limited(client, settings, centre, clerk):
    a = _loss_report(centre, clerk)
    settings.KHIDMAT_RATE_TRACK_IP = "2/h"
    wrong = client.post(reverse("khidmat:track"), {"tracking_number": a.tracking_number, "phone": "03007654321"})
    unknown = client.post(reverse("khidmat:track"), {"tracking_number": "ABCD-EFGH-JKMN", "phone": "03001234567"})
    assert wrong.status_code == unknown.status_code == 200
    assert wrong.context["form"].non_field_errors() == unknown.context["form"].non_field_errors()
    limited = client.post(reverse("khidmat:track"), {"tracking_number": a.tracking_number, "phone": "03001234567"})
    assert limited.status_code == 429


def test_list_pages_take_a_fixed_number_of_queries(
    clerk_client, centre, station_a, officer_a, django_capture_on_commit_callbacks
):
    svc = ServiceType.objects.get(code="character-certificate")

    def counts():
        with CaptureQueriesContext(connection) as apps_q:
            assert clerk_client.get(reverse("khidmat:list", args=[centre.code])).status_code == 200
        with CaptureQueriesContext(connection) as dash_q:
            clerk_client.get(reverse("khidmat:dashboard", args=[centre.code]))
        clerk_client.force_login(officer_a)
        with CaptureQueriesContext(connection) as tasks_q:
            clerk_client.get(reverse("khidmat:verifications"))
        return len(apps_q), len(dash_q), len(tasks_q)

    clerk = centre.staff.get().user
    with django_capture_on_commit_callbacks(execute=True):
        clerk_client.post(reverse("khidmat:new", args=[centre.code, svc.code]), _body(svc, station_a))
    first = counts()
    clerk_client.force_login(clerk)
    for _ in range(4):
        with django_capture_on_commit_callbacks(execute=True):
            clerk_client.post(reverse("khidmat:new", args=[centre.code, svc.code]), _body(svc, station_a))
    assert counts() == first


@pytest.mark.parametrize("digits", ["۰۱۲۳۴۵۶۷۸۹", "٠١٢٣٤٥٦٧٨٩"], ids=["urdu", "arabic-indic"])
def test_tracking_with_urdu_digits_finds_the_application(client, centre, clerk, digits):
    a = _loss_report(centre, clerk)
    script = str.maketrans("0123456789", digits)
    response = client.post(
        reverse("khidmat:track"),
        {"tracking_number": a.tracking_number.lower().translate(script), "phone": "0300-1234567".translate(script)},
    )
    assert response.status_code == 302 and response["Location"] == reverse("khidmat:status")
