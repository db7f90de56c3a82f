"""Register column kinds are real types: dates not in the future, FIR references that exist, ordered time pairs."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from fir.catalogue import sections_seed
from fir.models import Section
from stations.columns import column_display, fir_reference_parse
from stations.models import RegisterEntry
from stations.registers import BY_CODE
from stations.services import register_entry_add, register_entry_correct
from tests.fir.factories import register as fir_register_for

pytestmark = pytest.mark.django_db
MALKHANA, LOCKUP, ARMS, MISSING = BY_CODE["xix"], BY_CODE["xxiii"], BY_CODE["xiii"], BY_CODE["xviii"]


@pytest.fixture
def fir_a(station_a, officer_a):
    sections_seed(Section)
    return fir_register_for(station_a, officer_a)


def _errors(register, station, user, data):
    with pytest.raises(ValidationError) as exc:
        register_entry_add(station=station, register=register, acting_user=user, data=data)
    assert not RegisterEntry.objects.filter(register=register.code).exists()
    return exc.value.message_dict


def test_malkhana_deposit_dated_next_year_is_refused(station_a, officer_a):
    next_year = timezone.localdate() + dt.timedelta(days=365)
    errors = _errors(MALKHANA, station_a, officer_a, {"property": "Pistol", "deposited_on": next_year})
    assert errors == {"deposited_on": ["“deposited on” cannot be in the future."]}


def test_a_date_still_to_come_is_allowed_where_the_column_says_so(station_a, officer_a):
    valid_until = timezone.localdate() + dt.timedelta(days=400)
    entry = register_entry_add(
        station=station_a,
        register=ARMS,
        acting_user=officer_a,
        data={"name": "Aslam", "licence_number": "PB-1", "valid_until": valid_until.isoformat()},
    )
    assert entry.data["valid_until"] == valid_until.isoformat()


def test_a_date_that_is_not_a_date_is_refused(station_a, officer_a):
    errors = _errors(MALKHANA, station_a, officer_a, {"property": "Pistol", "deposited_on": "yesterday"})
    assert errors == {"deposited_on": ["Enter “deposited on” as a date."]}


@pytest.mark.parametrize(
    ("reference", "message"),
    [
        ("abc", "Enter the FIR as number/year, e.g. 12/2026."),
        ("0/2026", "Enter the FIR as number/year, e.g. 12/2026."),
        ("999/2026", "There is no FIR 999/2026 at this station."),
    ],
)
def test_fir_reference_must_be_an_fir_of_the_station(station_a, officer_a, fir_a, reference, message):
    data = {"fir_reference": reference, "property": "Pistol", "deposited_on": timezone.localdate()}
    assert _errors(MALKHANA, station_a, officer_a, data) == {"fir_reference": [message]}


def test_fir_of_another_station_is_not_found_here(station_a, station_b, officer_a, officer_b, fir_a):
    fir_register_for(station_b, officer_b)
    second_of_b = fir_register_for(station_b, officer_b)  # station A has no FIR of this number
    data = {
        "fir_reference": f"{second_of_b.number}/{second_of_b.year}",
        "property": "Pistol",
        "deposited_on": timezone.localdate(),
    }
    errors = _errors(MALKHANA, station_a, officer_a, data)
    assert errors == {"fir_reference": [f"There is no FIR {second_of_b.number}/{second_of_b.year} at this station."]}


def test_an_existing_fir_is_accepted_and_stored_as_number_slash_year(station_a, officer_a, fir_a):
    data = {
        "fir_reference": f"FIR No. {fir_a.number} / {fir_a.year}",
        "property": "Pistol",
        "deposited_on": timezone.localdate(),
    }
    entry = register_entry_add(station=station_a, register=MALKHANA, acting_user=officer_a, data=data)
    assert entry.data["fir_reference"] == f"{fir_a.number}/{fir_a.year}"


def test_lockup_taken_out_before_placed_in_is_refused(station_a, officer_a):
    now = timezone.localtime().replace(second=0, microsecond=0)
    data = {"name": "Kaloo", "in_at": now - dt.timedelta(hours=1), "out_at": now - dt.timedelta(hours=3)}
    assert _errors(LOCKUP, station_a, officer_a, data) == {
        "out_at": ["“taken out at” cannot be before “placed in lock-up at”."]
    }


def test_missing_person_traced_before_missing_is_refused(station_a, officer_a):
    today = timezone.localdate()
    data = {"name": "Bilal", "missing_since": today, "traced_on": today - dt.timedelta(days=2)}
    assert list(_errors(MISSING, station_a, officer_a, data)) == ["traced_on"]


def test_a_correction_is_checked_like_a_new_entry(station_a, officer_a):
    now = timezone.localtime().replace(second=0, microsecond=0)
    entry = register_entry_add(
        station=station_a, register=LOCKUP, acting_user=officer_a, data={"name": "Kaloo", "in_at": now}
    )
    with pytest.raises(ValidationError) as exc:
        register_entry_correct(
            entry=entry,
            register=LOCKUP,
            acting_user=officer_a,
            data={"name": "Kaloo", "in_at": now, "out_at": now - dt.timedelta(minutes=30)},
            reason="exit time",
        )
    assert "out_at" in exc.value.message_dict
    entry.refresh_from_db()
    assert entry.version == 1


def test_the_form_shows_every_bad_column_at_once_and_saves_nothing(client_a, station_a, fir_a):
    url = reverse("stations:register_add", args=[station_a.code, "xix"])
    page = client_a.get(url).content.decode()
    assert f'max="{timezone.localdate().isoformat()}"' in page  # the date picker stops at today
    next_year = (timezone.localdate() + dt.timedelta(days=365)).isoformat()
    response = client_a.post(url, {"fir_reference": "abc", "property": "Pistol", "deposited_on": next_year})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["fir_reference"] == ["Enter the FIR as number/year, e.g. 12/2026."]
    assert errors["deposited_on"] == ["“deposited on” cannot be in the future."]
    assert not RegisterEntry.objects.exclude(register="ii").exists()
    lockup = reverse("stations:register_add", args=[station_a.code, "xxiii"])
    response = client_a.post(lockup, {"name": "Kaloo", "in_at": "2026-01-10T10:00", "out_at": "2026-01-10T09:00"})
    assert response.context["form"].errors["out_at"] == ["“taken out at” cannot be before “placed in lock-up at”."]
    assert not RegisterEntry.objects.exclude(register="ii").exists()


def test_the_list_and_entry_show_dates_formatted_in_karachi_time(client_a, station_a, officer_a):
    placed = timezone.make_aware(dt.datetime(2026, 1, 10, 17, 30))
    entry = register_entry_add(
        station=station_a, register=LOCKUP, acting_user=officer_a, data={"name": "Kaloo", "in_at": placed}
    )
    assert entry.data["in_at"] == "2026-01-10T17:30:00+05:00"
    page = client_a.get(reverse("stations:register_list", args=[station_a.code, "xxiii"])).content.decode()
    assert "<bdi>10-01-2026 17:30</bdi>" in page and "2026-01-10T17:30" not in page
    detail = client_a.get(reverse("stations:register_entry", args=[station_a.code, "xxiii", entry.pk]))
    assert "10-01-2026 17:30" in detail.content.decode()
    correct = client_a.get(reverse("stations:register_entry_correct", args=[station_a.code, "xxiii", entry.pk]))
    assert 'value="2026-01-10T17:30"' in correct.content.decode()  # the picker can show the stored time


def test_display_keeps_an_old_unparsable_value_and_formats_utc_in_karachi():
    in_at = LOCKUP.columns[4]
    assert in_at.name == "in_at"
    assert column_display(in_at, "2026-11-30T12:30:00+00:00") == "30-11-2026 17:30"
    assert column_display(in_at, "yesterday evening") == "yesterday evening"
    assert column_display(MALKHANA.columns[3], "2026-11-30") == "30-11-2026"


@pytest.mark.parametrize(
    ("text", "parsed"),
    [("12/2026", (12, 2026)), (" FIR No. 7 / 2025 ", (7, 2025)), ("abc", None), ("12-2026", None), ("", None)],
)
def test_fir_reference_parse(text, parsed):
    assert fir_reference_parse(text) == parsed
