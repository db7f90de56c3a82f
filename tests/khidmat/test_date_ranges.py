"""Khidmat's dates follow the kernel's rules (casp.dates): the form and the services refuse a value outside
its range with a message naming the field, nothing is saved, and the database refuses it too, by a named CHECK."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from casp.dates import OutOfRangeRows, bad_rows_repair
from khidmat.models import (
    Application,
    CentreStaff,
    Certificate,
    Counter,
    ServiceType,
    Status,
    Token,
    VerificationTask,
)
from khidmat.services import ApplicationData, application_validate, token_call_next, token_take
from tests.khidmat.conftest import form_body, service

pytestmark = pytest.mark.django_db

TOMORROW = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
# Just before the floor of the SYSTEM rule: 2000-01-01 00:00 in Pakistan Standard Time.
BEFORE_2000 = dt.datetime(1999, 12, 31, 18, 0, tzinfo=dt.UTC)
MIGRATION = importlib.import_module("khidmat.migrations.0003_date_ranges")


def _post(client, centre, svc, body):
    return client.post(reverse("khidmat:new", args=[centre.code, svc.code]), body)


def _nothing_saved():
    assert Application.objects.count() == 0
    assert not Counter.objects.filter(kind="receipt").exclude(last=0).exists()


@pytest.mark.parametrize(
    "dob,text",
    [
        ("0001-01-01", "Date of birth cannot be before \u206601-01-1900\u2069."),
        ("1899-12-31", "Date of birth cannot be before \u206601-01-1900\u2069."),
        (TOMORROW, "Date of birth cannot be in the future."),
    ],
    ids=["year_1", "1899", "tomorrow"],
)
def test_a_date_of_birth_out_of_range_is_refused_on_the_form_naming_the_field(
    clerk_client, centre, station_a, dob, text
):
    svc = service("character-certificate")
    body = form_body(svc, station_present=station_a, station_permanent=station_a, subject_dob=dob)
    response = _post(clerk_client, centre, svc, body)
    assert response.status_code == 200
    assert response.context["form"].errors["subject_dob"] == [text]
    _nothing_saved()


def test_the_first_of_1900_and_today_are_accepted(clerk_client, centre, station_a):
    svc = service("character-certificate")
    for dob in ("1900-01-01", timezone.localdate().isoformat()):
        body = form_body(svc, station_present=station_a, station_permanent=station_a, subject_dob=dob)
        assert _post(clerk_client, centre, svc, body).status_code == 302
    assert [a.subject_dob.isoformat() for a in Application.objects.order_by("id")] == [
        "1900-01-01",
        timezone.localdate().isoformat(),
    ]


@pytest.mark.parametrize(
    "value,text",
    [
        ("0001-01-01T10:00", "Time of the incident cannot be before \u206601-01-1947\u2069."),
        ((timezone.localtime() + dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"), "cannot be in the future"),
    ],
    ids=["year_1", "future"],
)
def test_the_time_of_an_incident_reported_at_the_centre_is_an_offence_time(
    clerk_client, centre, station_a, value, text
):
    svc = service("crime-report")
    body = {
        "applicant_cnic": "35202-1234568-2", "applicant_name": "Sana Bibi", "applicant_phone": "03001234567",
        "present_address": "House 9", "present_station": str(station_a.pk), "incident_place": "Bazaar",
        "incident_at": value, "details": "Harassed on the way home.",
        "documents": [str(d.pk) for d in svc.documents.all() if d.is_required], "fee": "0",
    }  # fmt: skip
    response = _post(clerk_client, centre, svc, body)
    assert response.status_code == 200
    assert text in " ".join(response.context["form"].errors["incident_at"])
    _nothing_saved()


@pytest.mark.parametrize(
    "name,value,text",
    [
        ("subject_dob", dt.date(1, 1, 1), "Date of birth cannot be before"),
        ("subject_dob", timezone.localdate() + dt.timedelta(days=1), "Date of birth cannot be in the future"),
        ("incident_at", dt.datetime(1900, 1, 1, tzinfo=dt.UTC), "Time of the incident cannot be before"),
    ],
)
def test_the_service_refuses_out_of_range_dates_from_any_caller(name, value, text):
    svc = service("character-certificate" if name == "subject_dob" else "crime-report")
    data = ApplicationData(
        service=svc, applicant_cnic="3520212345671", applicant_name="Ali", applicant_phone="03001234567",
        fee=svc.fee, documents=[d for d in svc.documents.all() if d.is_required], subject_name="Ali",
        **{name: value},
    )  # fmt: skip
    with pytest.raises(ValidationError) as exc:
        application_validate(data=data)
    assert any(text in m for m in exc.value.message_dict[name]), exc.value.message_dict


def test_a_payment_time_outside_its_range_is_refused_and_nothing_saved(clerk_client, centre, station_a, settings):
    settings.KHIDMAT_PAYMENT_RECORDER = "tests.khidmat.test_date_ranges.BrokenClockRecorder"
    svc = service("loss-report")
    body = {
        "applicant_cnic": "35202-1234567-1", "applicant_name": "Ali Raza", "applicant_phone": "03001234567",
        "details": "Wallet lost", "documents": [str(d.pk) for d in svc.documents.all()], "fee": "0",
    }  # fmt: skip
    response = _post(clerk_client, centre, svc, body)
    assert response.status_code == 200
    assert "Paid at cannot be before" in " ".join(response.context["form"].non_field_errors())
    assert Application.objects.count() == 0


class BrokenClockRecorder:
    """A payment gateway whose clock is wrong (for the test above)."""

    def record(self, *, centre, amount):
        from khidmat.payments import Payment

        return Payment(receipt_number="R-BROKEN-1", paid_at=dt.datetime(1970, 1, 1, tzinfo=dt.UTC))


def test_an_absurd_validity_in_the_catalogue_is_refused_by_the_database():
    with pytest.raises(IntegrityError, match="khidmat_servicetype_validity_days_range"), transaction.atomic():
        ServiceType.objects.filter(code="character-certificate").update(validity_days=20_000)


def test_the_dashboard_refuses_a_day_out_of_range_naming_the_field(clerk_client, centre):
    url = reverse("khidmat:dashboard", args=[centre.code])
    response = clerk_client.get(url, {"day": "0001-01-01"})
    assert response.status_code == 200 and response.context["day"] == timezone.localdate()
    shown = [str(m) for m in response.context["messages"]]
    assert shown == ["Day cannot be before \u206601-01-1900\u2069."]
    response = clerk_client.get(url, {"day": "yesterday"})
    assert [str(m) for m in response.context["messages"]] == ["Day: enter a date as YYYY-MM-DD."]
    assert clerk_client.get(url, {"day": "2026-01-05"}).context["day"] == dt.date(2026, 1, 5)


# --- the database ------------------------------------------------------------------------------------------------


@pytest.fixture
def issued(clerk_client, clerk, centre):
    """A loss report issued at the counter: an application, its token and its certificate."""
    svc = service("loss-report")
    token = token_take(centre=centre, service=svc)
    token_call_next(centre=centre, counter_number=1, acting_user=clerk)
    body = {
        "applicant_cnic": "35202-1234567-1", "applicant_name": "Ali Raza", "applicant_phone": "03001234567",
        "details": "Wallet lost", "documents": [str(d.pk) for d in svc.documents.all()], "fee": "0",
    }  # fmt: skip
    url = reverse("khidmat:new", args=[centre.code, svc.code]) + f"?token={token.pk}"
    assert clerk_client.post(url, body).status_code == 302
    application = Application.objects.get()
    assert application.status == Status.ISSUED
    return application


@pytest.mark.parametrize(
    "model,column,value",
    [
        (Application, "subject_dob", dt.date(1, 1, 1)),
        (Application, "subject_dob", dt.date(1899, 12, 31)),
        (Application, "promised_on", dt.date(2200, 1, 1)),
        (Application, "decided_at", dt.datetime(2200, 1, 1, tzinfo=dt.UTC)),
        (Token, "day", dt.date(1, 1, 1)),
        (Token, "finished_at", dt.datetime(2200, 1, 1, tzinfo=dt.UTC)),
        (Certificate, "valid_until", dt.date(2200, 1, 1)),
        (Certificate, "revoked_at", dt.datetime(2200, 1, 1, tzinfo=dt.UTC)),
        (CentreStaff, "starts_on", dt.date(1, 1, 1)),
    ],
)
def test_a_direct_write_outside_the_range_is_refused_naming_the_constraint(issued, model, column, value):
    constraint = f"{model._meta.db_table}_{column}_range"
    extra = {"revoke_reason": "test", "revoked_by": issued.created_by} if column == "revoked_at" else {}
    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        model.objects.update(**{column: value}, **extra)


def test_a_time_before_2000_is_refused_by_the_database(issued):
    with pytest.raises(IntegrityError, match="khidmat_token_issued_at_range"), transaction.atomic():
        Token.objects.update(issued_at=BEFORE_2000, called_at=None, finished_at=None)


def test_pairs_stay_in_order_in_the_database(issued):
    with pytest.raises(IntegrityError, match="khidmat_token_finished_after_called"), transaction.atomic():
        Token.objects.update(finished_at=issued.token.called_at - dt.timedelta(minutes=1))
    with pytest.raises(IntegrityError, match="khidmat_application_decided_after_created"), transaction.atomic():
        Application.objects.update(decided_at=issued.created_at - dt.timedelta(minutes=1))
    with pytest.raises(IntegrityError, match="khidmat_application_paid_before_received"), transaction.atomic():
        Application.objects.update(paid_at=issued.created_at + dt.timedelta(hours=1))


def test_an_escalation_is_not_before_the_deadline(clerk_client, centre, station_a):
    svc = service("character-certificate")
    body = form_body(svc, station_present=station_a, station_permanent=station_a)
    assert _post(clerk_client, centre, svc, body).status_code == 302
    task = VerificationTask.objects.get()
    with pytest.raises(IntegrityError, match="khidmat_verificationtask_escalated_after_due"), transaction.atomic():
        VerificationTask.objects.update(escalated_at=task.due_at - dt.timedelta(hours=1))


# --- the data migration on rows stored before the constraints -----------------------------------------------------


def _without(table: str, *constraints: str) -> None:
    """Drop constraints inside the test's transaction (rolled back after the test) to store an old, bad row."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no deferred foreign-key checks pending on the table
        for name in constraints:
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {name}")  # noqa: S608


def _run_repairs() -> None:
    from types import SimpleNamespace

    bad_rows_repair(MIGRATION.REPAIRS)(None, SimpleNamespace(connection=connection))


def test_the_migration_repairs_a_token_a_date_of_birth_and_a_revocation(issued):
    _without("khidmat_token", "khidmat_token_called_at_range", "khidmat_token_finished_at_range",
             "khidmat_token_called_after_issue")  # fmt: skip
    _without("khidmat_application", "khidmat_application_subject_dob_range")
    _without("khidmat_certificate", "khidmat_certificate_revoked_at_range", "khidmat_certificate_revocation_complete")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE khidmat_token SET called_at = '0001-01-01T00:00:00+05:00', finished_at = NULL")
        cursor.execute("UPDATE khidmat_application SET subject_dob = '0001-01-01'")
        cursor.execute(
            "UPDATE khidmat_certificate SET revoked_at = '0001-01-01T00:00:00+05:00', revoke_reason = 'x', "
            "revoked_by_id = %s",
            [issued.created_by_id],
        )
    _run_repairs()
    token = Token.objects.get()
    assert token.called_at == token.issued_at
    assert Application.objects.get().subject_dob is None
    certificate = Certificate.objects.get()
    assert certificate.revoked_at == certificate.issued_at  # still revoked, never valid again


def test_the_migration_refuses_a_validity_it_cannot_repair_naming_the_row(issued):
    _without("khidmat_certificate", "khidmat_certificate_valid_until_range")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE khidmat_certificate SET valid_until = '0001-01-01'")
    with pytest.raises(OutOfRangeRows) as exc:
        _run_repairs()
    certificate_id = Certificate.objects.values_list("id", flat=True).get()
    assert f"khidmat_certificate.valid_until outside 2000-01-01 .. 2200-01-01 in rows id {certificate_id}" in str(
        exc.value
    )


def test_the_message_reads_in_urdu_with_the_date_left_to_right():
    from django.utils import translation

    svc = service("character-certificate")
    data = ApplicationData(
        service=svc, applicant_cnic="3520212345671", applicant_name="Ali", applicant_phone="03001234567",
        fee=svc.fee, documents=[d for d in svc.documents.all() if d.is_required], subject_name="Ali",
        subject_dob=dt.date(1899, 12, 31),
    )  # fmt: skip
    with translation.override("ur"), pytest.raises(ValidationError) as exc:
        application_validate(data=data)
    message = exc.value.message_dict["subject_dob"][0]
    assert "\u206601-01-1900\u2069" in message and "cannot" not in message and not message.isascii()
