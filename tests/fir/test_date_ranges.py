"""An FIR's report and occurrence times: not before 1947, not in the future; the database holds the fixed bounds."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from fir.models import Arrest, Fir
from stations.models import DiaryEntry
from tests.fir.factories import fir_data, register
from tests.fir.test_views import _form

pytestmark = pytest.mark.django_db

PLUS5 = dt.timezone(dt.timedelta(hours=5))


def _future() -> str:
    return (timezone.localtime() + dt.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")


IMPLAUSIBLE = [
    ("0001-01-01T00:00", "cannot be before"),
    ("0001-01-01T00:00:00+05:00", "cannot be before"),
    ("1900-06-01T10:00", "cannot be before"),
    (None, "cannot be in the future"),
]
IDS = ["year_1", "year_1_plus_5", "year_1900", "future"]


@pytest.mark.parametrize("field", ["reported_at", "occurred_from", "occurred_to"])
@pytest.mark.parametrize(("value", "text"), IMPLAUSIBLE, ids=IDS)
def test_the_form_refuses_an_implausible_time_naming_the_field_and_saves_nothing(
    client_a, station_a, field, value, text
):
    response = client_a.post(reverse("fir:register", args=[station_a.code]), _form(**{field: value or _future()}))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert text in " ".join(errors[field])
    label = str(response.context["form"].fields[field].label)
    assert errors[field][0].startswith(label[0].upper() + label[1:])
    assert not Fir.objects.exists() and not DiaryEntry.objects.exists()


@pytest.mark.parametrize(
    "value",
    [dt.datetime(1, 1, 1, 0, 0), dt.datetime(1, 1, 1, 0, 0, tzinfo=PLUS5), dt.datetime(1900, 6, 1, tzinfo=PLUS5)],
    ids=["year_1_naive", "year_1_plus_5", "year_1900"],
)
def test_a_service_call_is_refused_too(station_a, officer_a, value):
    from fir.services import fir_register

    with pytest.raises(ValidationError) as exc:
        fir_register(station=station_a, acting_user=officer_a, data=fir_data(reported_at=value, occurred_from=value))
    assert set(exc.value.message_dict) == {"reported_at", "occurred_from"}
    assert "cannot be before" in exc.value.message_dict["reported_at"][0]
    assert not Fir.objects.exists()


@pytest.mark.parametrize(
    ("changes", "constraint"),
    [
        ({"occurred_from": dt.datetime(1, 1, 1, tzinfo=PLUS5)}, "fir_fir_occurred_from_range"),
        ({"occurred_from": dt.datetime(1946, 12, 31, tzinfo=PLUS5)}, "fir_fir_occurred_from_range"),
        ({"reported_at": dt.datetime(2200, 1, 2, tzinfo=PLUS5)}, "fir_fir_reported_at_range"),
    ],
    ids=["occurred_year_1", "occurred_1946", "reported_2200"],
)
def test_the_database_refuses_an_fir_outside_the_fixed_bounds(station_a, officer_a, changes, constraint):
    fir = register(station_a, officer_a)
    fir.pk, fir.number, fir.submission_key = None, fir.number + 1, uuid.uuid4()
    for name, value in changes.items():
        setattr(fir, name, value)
    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        fir.save(force_insert=True)


def test_an_arrest_in_year_1_is_refused_by_the_form_and_the_database(client_a, station_a, officer_a):
    fir = register(station_a, officer_a)
    accused = fir.accused.get()
    response = client_a.post(
        reverse("fir:arrest", args=[fir.pk]),
        {"accused": accused.pk, "arrested_at": "0001-01-01T00:00:00+05:00", "place": "Chowk"},
        follow=True,
    )
    assert "Arrested at cannot be before" in response.content.decode()
    assert not Arrest.objects.exists()
    with pytest.raises(IntegrityError, match="fir_arrest_arrested_at_range"), transaction.atomic():
        Arrest.objects.create(
            fir=fir, accused=accused, arrested_at=dt.datetime(1, 1, 1, tzinfo=PLUS5), place="x", arrested_by=officer_a
        )


def test_list_pdf_diary_and_dashboard_stay_readable_after_refused_year_1_firs(client_a, station_a, officer_a):
    url = reverse("fir:register", args=[station_a.code])
    client_a.post(url, _form(reported_at="0001-01-01T00:00", occurred_from="0001-01-01T00:00"))
    fir = register(station_a, officer_a)
    assert Fir.objects.count() == 1
    for page in (
        reverse("fir:list"),
        reverse("fir:detail", args=[fir.pk]),
        reverse("fir:copy", args=[fir.pk, "en"]),
        reverse("stations:register_list", args=[station_a.code, "ii"]),
        reverse("stations:dashboard", args=[station_a.code]),
    ):
        assert client_a.get(page).status_code == 200, page
