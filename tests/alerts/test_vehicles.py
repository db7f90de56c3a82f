"""Stolen vehicles: recorded on a theft FIR, found by any number, alert the FIR's station; recovery ends it."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from alerts.models import Alert, CheckChannel, VehicleCheck
from alerts.vehicles import vehicle_check
from casp.models import AuditEvent
from fir.models import Section, StolenVehicle
from fir.vehicles import CHASSIS, ENGINE, REGISTRATION, number_key, stolen_vehicle_add, stolen_vehicle_recover
from stations.models import DiaryEntry
from tests.alerts.conftest import VEHICLE
from tests.fir.factories import register


def test_registration_numbers_written_differently_are_one_number():
    assert {number_key(REGISTRATION, v) for v in ("ICT-5678", "ict 5678", "ICT5678", "ICT-۵۶۷۸")} == {"ICT5678"}


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        (REGISTRATION, "- - -"),  # normalises to nothing
        (REGISTRATION, "ABCDEF"),  # no digit
        (REGISTRATION, "ICT#5678"),  # a character no number holds
        (CHASSIS, "AB1"),  # too short
        (CHASSIS, "X" * 30),  # too long
        (ENGINE, "1NZ_45*"),
    ],
)
def test_a_malformed_number_is_refused_naming_the_field(kind, value):
    with pytest.raises(ValidationError) as exc:
        number_key(kind, value)
    assert kind in exc.value.message_dict


def test_section_381a_is_in_the_catalogue():
    assert Section.objects.filter(law="PPC", number="381-A", title__icontains="motor vehicle").exists()


def test_a_vehicle_is_recorded_on_a_theft_fir(theft_fir, colleague_a):
    vehicle = stolen_vehicle_add(fir=theft_fir, acting_user=colleague_a, data=VEHICLE)
    assert (vehicle.registration_key, vehicle.chassis_key, vehicle.engine_key) == (
        "ICT5678",
        "NZE1419876543",
        "1NZ1234567",
    )
    assert AuditEvent.objects.filter(action="fir.vehicle_recorded", target_id=str(theft_fir.pk)).exists()


def test_a_vehicle_cannot_be_recorded_on_an_fir_without_a_theft_section(station_a, colleague_a):
    fir = register(station_a, colleague_a, sections="506 PPC", facts="Threats.")
    with pytest.raises(ValidationError) as exc:
        stolen_vehicle_add(fir=fir, acting_user=colleague_a, data=VEHICLE)
    assert "381-A" in str(exc.value) and not StolenVehicle.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [("registration_number", "---"), ("chassis_number", "AB"), ("engine_number", "1NZ*1"), ("year", 1850)],
)
def test_bad_vehicle_input_is_refused_and_nothing_is_saved(theft_fir, colleague_a, field, value):
    with pytest.raises(ValidationError) as exc:
        stolen_vehicle_add(fir=theft_fir, acting_user=colleague_a, data={**VEHICLE, field: value})
    assert field in exc.value.message_dict
    assert not StolenVehicle.objects.exists() and not AuditEvent.objects.filter(action="fir.vehicle_recorded").exists()


def test_a_vehicle_with_no_number_at_all_is_refused(theft_fir, colleague_a):
    data = {**VEHICLE, "registration_number": "", "chassis_number": "", "engine_number": ""}
    with pytest.raises(ValidationError) as exc:
        stolen_vehicle_add(fir=theft_fir, acting_user=colleague_a, data=data)
    assert "registration_number" in exc.value.message_dict and not StolenVehicle.objects.exists()


def test_a_stolen_vehicle_checked_by_its_chassis_number_alerts_the_fir_station(
    theft_fir, colleague_a, station_b, roles, django_capture_on_commit_callbacks
):
    from casp.roles import Role
    from tests.factories import posted_user

    stolen_vehicle_add(fir=theft_fir, acting_user=colleague_a, data=VEHICLE)
    elsewhere = posted_user(Role.STATION_CLERK, station=station_b, username="clerk_b")
    with django_capture_on_commit_callbacks(execute=True):
        result = vehicle_check(acting_user=elsewhere, station=station_b, chassis="nze141 9876543")
    assert result.police_answers == [
        f"Reported stolen in FIR {theft_fir.number}/{theft_fir.year} at {theft_fir.station}."
    ]
    alert = Alert.objects.get()
    assert alert.station == theft_fir.station and alert.fir == theft_fir and alert.cro_record is None
    assert alert.source_kind == "vehicle_check" and alert.source == result.check and alert.kind == "vehicle"
    assert alert.reasons == ["chassis number identical"]
    assert DiaryEntry.objects.filter(station=theft_fir.station, kind="alert").exists()


def test_a_recovered_vehicle_does_not_alert(theft_fir, colleague_a, officer_a):
    vehicle = stolen_vehicle_add(fir=theft_fir, acting_user=colleague_a, data=VEHICLE)
    stolen_vehicle_recover(vehicle=vehicle, acting_user=colleague_a, recovered_on=dt.date.today(), place="G-9 Markaz")
    result = vehicle_check(acting_user=officer_a, registration="ict 5678")
    assert result.stolen == [] and not Alert.objects.exists()
    assert VehicleCheck.objects.get().hits == []


def test_a_recovery_needs_a_place_and_a_plausible_date(theft_fir, colleague_a):
    vehicle = stolen_vehicle_add(fir=theft_fir, acting_user=colleague_a, data=VEHICLE)
    with pytest.raises(ValidationError) as exc:
        stolen_vehicle_recover(vehicle=vehicle, acting_user=colleague_a, recovered_on=dt.date(1900, 1, 1), place="")
    assert {"recovered_on", "place"} <= set(exc.value.message_dict)
    vehicle.refresh_from_db()
    assert vehicle.recovered_on is None


def test_the_counter_gets_a_neutral_answer(theft_fir, colleague_a, officer_a):
    stolen_vehicle_add(fir=theft_fir, acting_user=colleague_a, data=VEHICLE)
    result = vehicle_check(acting_user=officer_a, channel=CheckChannel.KHIDMAT, engine="1NZ-1234567")
    assert result.counter_answer == "The vehicle's verification has been referred to the police."
    assert "FIR" not in result.counter_answer and Alert.objects.count() == 1
    clean = vehicle_check(acting_user=officer_a, channel=CheckChannel.KHIDMAT, engine="2ZR-7654321")
    assert not clean.stolen and clean.counter_answer == result.counter_answer  # the same words either way


def test_a_check_with_no_usable_number_saves_nothing(officer_a):
    with pytest.raises(ValidationError):
        vehicle_check(acting_user=officer_a, registration="---")
    with pytest.raises(ValidationError):
        vehicle_check(acting_user=officer_a)
    assert not VehicleCheck.objects.exists()


def test_the_lookup_page_answers_police_and_alerts(client, theft_fir, colleague_a, officer_a):
    stolen_vehicle_add(fir=theft_fir, acting_user=colleague_a, data=VEHICLE)
    client.force_login(officer_a)
    url = reverse("alerts:vehicle_check")
    assert client.get(url).status_code == 200
    page = client.post(url, {"registration": "ICT ۵۶۷۸"}).content.decode()
    assert "Reported stolen in FIR" in page and Alert.objects.filter(fir=theft_fir).exists()
    bad = client.post(url, {"registration": "", "chassis": "", "engine": ""})
    assert bad.status_code == 400 and "Give the registration, chassis or engine number." in bad.content.decode()
    bad = client.post(url, {"chassis": "AB"})
    assert bad.status_code == 400 and "Chassis number must be" in bad.content.decode()


def test_the_fir_page_records_a_vehicle_and_its_recovery(client, theft_fir, colleague_a):
    client.force_login(colleague_a)
    data = {k: v for k, v in VEHICLE.items()}
    assert client.post(reverse("fir:vehicle_add", args=[theft_fir.pk]), data).status_code == 302
    vehicle = StolenVehicle.objects.get()
    page = client.get(reverse("fir:detail", args=[theft_fir.pk])).content.decode()
    assert 'id="stolen-vehicles"' in page and "ICT-5678" in page
    url = reverse("fir:vehicle_recovered", args=[theft_fir.pk, vehicle.pk])
    client.post(url, {"recovered_on": dt.date.today().isoformat(), "place": "Sector G-9"})
    vehicle.refresh_from_db()
    assert vehicle.recovered_on == dt.date.today() and not vehicle.is_stolen


def test_two_vehicles_of_one_fir_found_by_one_check_raise_one_alert(theft_fir, colleague_a, officer_a):
    stolen_vehicle_add(fir=theft_fir, acting_user=colleague_a, data=VEHICLE)
    other = {**VEHICLE, "registration_number": "LEA-1234", "chassis_number": "", "engine_number": ""}
    stolen_vehicle_add(fir=theft_fir, acting_user=colleague_a, data=other)
    result = vehicle_check(acting_user=officer_a, registration="LEA 1234", chassis="NZE141-9876543")
    assert len(result.stolen) == 2
    assert [a.fir_id for a in result.alerts] == [theft_fir.pk]
    assert Alert.objects.filter(source_id=result.check.pk, fir=theft_fir).count() == 1


def test_the_lookup_page_costs_the_same_queries_for_any_number(client, theft_fir, colleague_a, officer_a):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    stolen_vehicle_add(fir=theft_fir, acting_user=colleague_a, data=VEHICLE)
    client.force_login(officer_a)
    url = reverse("alerts:vehicle_check")
    counts = []
    for field, number in (("registration", "ICT-5678"), ("chassis", "NZE141 9876543"), ("engine", "1nz1234567")):
        with CaptureQueriesContext(connection) as queries:
            assert b"alert-danger" in client.post(url, {field: number}).content
        counts.append(len(queries))
        stolen = [q["sql"] for q in queries.captured_queries if 'FROM "fir_stolenvehicle"' in q["sql"]]
        assert len(stolen) == 1  # one look-up, stations and FIR joined in
    assert len(set(counts)) == 1
