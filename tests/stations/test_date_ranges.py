"""Date and datetime columns of every register, the diary's hour received and postings: plausible ranges."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from stations.models import DiaryEntry, Posting, RegisterEntry
from stations.registers import BY_CODE
from stations.services import diary_record, register_entry_add, register_entry_correct

pytestmark = pytest.mark.django_db
XII = BY_CODE["xii"]


def _visit(day):
    return {"officer": "SP City", "visited_on": day}


def _lockup(**overrides):
    data = {"name": "Bashir", "in_at": (timezone.localtime() - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")}
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    ("register", "field", "value", "text"),
    [
        ("xxiii", "in_at", "0001-01-01T00:00", "cannot be before"),
        ("xxiii", "in_at", "0001-01-01T00:00:00+05:00", "cannot be before"),
        ("xxiii", "out_at", "1900-06-01T10:00", "cannot be before"),
        ("xii", "visited_on", "0001-01-01", "cannot be before"),
        ("xiii", "valid_until", "2150-01-01", "cannot be after"),
    ],
)
def test_the_shared_register_form_refuses_an_implausible_date_naming_the_column(
    client_a, station_a, register, field, value, text
):
    data = {"name": "Bashir", "officer": "SP City", "licence_number": "L-1", "visited_on": "2026-01-01"}
    data |= _lockup() if register == "xxiii" else {}
    data[field] = value
    response = client_a.post(reverse("stations:register_add", args=[station_a.code, register]), data)
    assert response.status_code == 200
    message = response.context["form"].errors[field][0]
    label = str(BY_CODE[register].columns[[c.name for c in BY_CODE[register].columns].index(field)].label)
    assert message.startswith(label[0].upper() + label[1:]) and text in message
    assert not RegisterEntry.objects.filter(register=register).exists()


def test_a_register_accepts_a_date_fixed_ahead(client_a, station_a):
    ahead = (timezone.localdate() + dt.timedelta(days=30)).isoformat()
    url = reverse("stations:register_add", args=[station_a.code, "xvi"])
    response = client_a.post(url, {"process": "summons", "name": "Bashir", "due_on": ahead})
    assert response.status_code == 302
    assert RegisterEntry.objects.get(register="xvi").data["due_on"] == ahead


def test_a_service_call_with_a_year_1_column_is_refused_too(station_a, officer_a):
    for value in (dt.date(1, 1, 1), "0001-01-01"):
        with pytest.raises(ValidationError) as exc:
            register_entry_add(
                station=station_a,
                acting_user=officer_a,
                register=BY_CODE["xii"],
                data={"officer": "SP", "visited_on": value},
            )
        assert "cannot be before" in exc.value.message_dict["visited_on"][0]
    entry = register_entry_add(
        station=station_a,
        acting_user=officer_a,
        register=BY_CODE["xii"],
        data={"officer": "SP", "visited_on": "2026-01-01"},
    )
    with pytest.raises(ValidationError) as exc:
        register_entry_correct(
            entry=entry,
            register=XII,
            acting_user=officer_a,
            data=_visit("1900-01-01"),
            reason="typo",
        )
    assert "visited_on" in exc.value.message_dict
    assert RegisterEntry.objects.get(pk=entry.pk).version == 1


@pytest.mark.parametrize(
    "value",
    ["0001-01-01T00:00", "0001-01-01T00:00:00+05:00", "1900-01-01T10:00"],
    ids=["year_1", "year_1_plus_5", "year_1900"],
)
def test_the_diary_refuses_an_hour_received_before_1947(client_a, station_a, officer_a, value):
    url = reverse("stations:register_add", args=[station_a.code, "ii"])
    response = client_a.post(url, {"kind": "general", "received_at": value, "text": "x"})
    assert "cannot be before" in response.context["form"].errors["received_at"][0]
    with pytest.raises(ValidationError) as exc:
        diary_record(
            station=station_a, acting_user=officer_a, kind="general", text="x", received_at=dt.datetime(1, 1, 1)
        )
    assert "received_at" in exc.value.message_dict
    assert not DiaryEntry.objects.exists()
    assert client_a.get(reverse("stations:register_list", args=[station_a.code, "ii"])).status_code == 200


@pytest.mark.parametrize(
    ("changes", "constraint"),
    [
        ({"received_at": "0001-01-01T00:00:00+05:00"}, "stations_registerentry_received_at_range"),
        ({"created_at": "1999-12-31T00:00:00+05:00"}, "stations_registerentry_created_at_range"),
    ],
)
def test_the_database_refuses_register_times_out_of_range(station_a, officer_a, changes, constraint):
    entry = diary_record(station=station_a, acting_user=officer_a, kind="general", text="x")
    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        RegisterEntry.objects.filter(pk=entry.pk).update(**changes)


def test_the_database_refuses_a_posting_before_1947(officer_a):
    posting = Posting.objects.filter(user=officer_a).first()
    with pytest.raises(IntegrityError, match="stations_posting_starts_on_range"), transaction.atomic():
        Posting.objects.filter(pk=posting.pk).update(starts_on=dt.date(1, 1, 1))


def test_search_filters_refuse_year_1_instead_of_failing(client_a, station_a):
    url = reverse("stations:register_list", args=[station_a.code, "ii"])
    for page in (url, reverse("fir:list")):
        response = client_a.get(page, {"date_from": "0001-01-01"})
        assert response.status_code == 200
        assert "cannot be before" in response.context["form"].errors["date_from"][0]
