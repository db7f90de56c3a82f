"""CRO dates: a date of birth from 1900 to today, status and fingerprint dates from 1947 to today."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from cro import services
from cro.models import CriminalRecord
from tests.factories import cro_record

pytestmark = pytest.mark.django_db


def _tomorrow() -> str:
    return (timezone.localdate() + dt.timedelta(days=1)).isoformat()


@pytest.mark.parametrize(
    ("field", "value", "text"),
    [
        ("date_of_birth", "0001-01-01", "cannot be before"),
        ("date_of_birth", "1899-12-31", "cannot be before"),
        ("date_of_birth", None, "cannot be in the future"),
        ("proclaimed_on", "1900-01-01", "cannot be before"),
        ("convicted_on", None, "cannot be in the future"),
    ],
)
def test_the_record_form_refuses_an_implausible_date_naming_the_field(cro_client, field, value, text):
    data = {"name": "Asif Ali", "gender": "male", field: value or _tomorrow()}
    if field == "proclaimed_on":
        data["is_proclaimed_offender"] = "on"
    response = cro_client.post(reverse("cro:create"), data)
    assert response.status_code == 200
    message = response.context["form"].errors[field][0]
    label = str(response.context["form"].fields[field].label)
    assert message.startswith(label[0].upper() + label[1:]) and text in message
    assert not CriminalRecord.objects.exists()


def test_a_service_call_is_refused_by_the_named_constraint(cro_officer):
    with pytest.raises(ValidationError) as exc:
        services.record_create(acting_user=cro_officer, data={"name": "X", "date_of_birth": dt.date(1, 1, 1)})
    assert "date_of_birth is outside its plausible range" in " ".join(exc.value.messages)
    assert not CriminalRecord.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "constraint"),
    [
        ("date_of_birth", dt.date(1899, 12, 31), "cro_criminalrecord_date_of_birth_range"),
        ("wanted_since", dt.date(1, 1, 1), "cro_criminalrecord_wanted_since_range"),
        ("released_on", dt.date(2200, 1, 1), "cro_criminalrecord_released_on_range"),
    ],
)
def test_the_database_refuses_dates_out_of_range(field, value, constraint):
    record = cro_record(name="Asif Ali")
    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        CriminalRecord.objects.filter(pk=record.pk).update(**{field: value})


def test_the_import_refuses_a_date_of_birth_before_1900_and_keeps_the_good_rows(tmp_path, cro_officer):
    path = tmp_path / "records.csv"
    path.write_text(
        "cnic,name,father_name,date_of_birth,gender,status,photo\n"
        ",Old Man,Father,1899-12-31,m,,\n"
        ",Year One,Father,0001-01-01,m,,\n"
        ",Good Man,Father,1980-01-01,m,,\n"
    )
    out = StringIO()
    call_command("cro_import", str(path), stdout=out, stderr=out)
    assert "date_of_birth: 1899-12-31 is outside 1900-01-01 to today" in out.getvalue()
    assert "date_of_birth: 0001-01-01 is outside 1900-01-01 to today" in out.getvalue()
    assert list(CriminalRecord.objects.values_list("name", flat=True)) == ["Good Man"]


def test_the_search_form_refuses_a_year_1_birth_date_and_the_list_stays_readable(cro_client):
    cro_record(name="Asif Ali")
    response = cro_client.get(reverse("cro:search"), {"q": "Asif", "date_of_birth": "0001-01-01"})
    assert response.status_code == 200
    assert "cannot be before" in response.content.decode()
