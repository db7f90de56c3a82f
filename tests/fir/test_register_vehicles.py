"""Stolen vehicles entered with the FIR: saved with it in one transaction, or nothing is saved."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from alerts.models import Alert
from alerts.vehicles import vehicle_check
from casp.models import AuditEvent
from casp.roles import Role
from fir.models import Accused, Fir, StolenVehicle
from fir.vehicles import stolen_vehicles_find
from stations.models import DiaryEntry
from tests.factories import posted_user
from tests.fir.factories import register

pytestmark = pytest.mark.django_db

CAR = {
    "kind": "car",
    "registration_number": "ict 5678",
    "chassis_number": "NZE141-9876543",
    "engine_number": "",
    "make": "Toyota",
    "model": "Corolla",
    "colour": "White",
    "year": 2015,
}
BIKE = {"kind": "motorcycle", "registration_number": "", "chassis_number": "", "engine_number": "CD70-445566"}
NEXT_YEAR = dt.date.today().year + 1


def test_the_fir_and_its_vehicles_are_saved_together_and_each_vehicle_is_audited(station_a, officer_a):
    fir = register(station_a, officer_a, sections="381-A PPC", vehicles=[CAR, BIKE])
    car, bike = fir.stolen_vehicles.order_by("id")
    assert (car.registration_number, car.registration_key, car.chassis_key) == ("ICT 5678", "ICT5678", "NZE1419876543")
    assert (car.make, car.year, car.recorded_by) == ("Toyota", 2015, officer_a)
    assert bike.kind == "motorcycle" and bike.engine_key == "CD70445566" and bike.registration_key == ""
    recorded = AuditEvent.objects.filter(action="fir.vehicle_recorded", target_id=str(fir.pk))
    assert sorted(e.data["vehicle"] for e in recorded) == [car.pk, bike.pk]
    assert AuditEvent.objects.filter(action="fir.registered", target_id=str(fir.pk)).exists()


def test_a_registered_vehicle_is_on_the_stolen_list_and_a_check_alerts_the_fir_station(
    station_a, station_b, officer_a, roles, django_capture_on_commit_callbacks
):
    fir = register(station_a, officer_a, sections="379 PPC", vehicles=[CAR])
    assert list(stolen_vehicles_find(registration="ICT-5678")) == list(fir.stolen_vehicles.all())
    elsewhere = posted_user(Role.STATION_CLERK, station=station_b, username="clerk_b")
    with django_capture_on_commit_callbacks(execute=True):
        vehicle_check(acting_user=elsewhere, station=station_b, chassis="nze141 9876543")
    assert Alert.objects.get().fir == fir and Alert.objects.get().station == station_a


def test_an_fir_without_vehicles_registers_as_before(station_a, officer_a):
    fir = register(station_a, officer_a, sections="381-A PPC", vehicles=[])
    assert not fir.stolen_vehicles.exists()


@pytest.mark.parametrize(
    ("vehicle", "field", "message"),
    [
        ({**CAR, "registration_number": "- - -", "chassis_number": ""}, "registration_number", "no letters or digits"),
        ({**CAR, "registration_number": "", "chassis_number": ""}, "registration_number", "Give the registration"),
        ({**CAR, "registration_number": "ICT#5678"}, "registration_number", "only letters, digits"),
        ({**CAR, "registration_number": "LEABCD"}, "registration_number", "2 to 12 letters and digits"),
        ({**CAR, "chassis_number": "AB1"}, "chassis_number", "5 to 25"),
        ({**CAR, "engine_number": "1NZ_45*"}, "engine_number", "only letters, digits"),
        ({**CAR, "year": 1850}, "year", "between 1900 and"),
        ({**CAR, "year": NEXT_YEAR + 1}, "year", "between 1900 and"),
        ({**CAR, "kind": ""}, "kind", "Choose the kind of vehicle"),
    ],
    ids=[
        "registration_normalises_to_nothing",
        "no_number_at_all",
        "registration_with_other_characters",
        "registration_without_a_digit",
        "chassis_too_short",
        "engine_with_other_characters",
        "year_too_early",
        "year_in_the_future",
        "no_kind",
    ],
)
def test_a_bad_vehicle_names_its_field_and_nothing_is_saved(station_a, officer_a, vehicle, field, message):
    with pytest.raises(ValidationError) as exc:
        register(station_a, officer_a, sections="381-A PPC", vehicles=[BIKE, vehicle])
    assert message in " ".join(exc.value.message_dict[f"vehicles-1-{field}"])
    assert not Fir.objects.exists() and not StolenVehicle.objects.exists() and not Accused.objects.exists()
    assert not DiaryEntry.objects.exists() and not AuditEvent.objects.filter(action__startswith="fir.").exists()
    assert register(station_a, officer_a).number == 1  # the refused registration gave no number away


def test_a_vehicle_under_sections_that_are_not_vehicle_theft_is_refused(station_a, officer_a):
    with pytest.raises(ValidationError) as exc:
        register(station_a, officer_a, sections="506 PPC", vehicles=[CAR])
    assert "379, 381-A, 382 or 392 PPC" in " ".join(exc.value.message_dict["vehicles-0-__all__"])
    assert not Fir.objects.exists() and not StolenVehicle.objects.exists()


def test_vehicle_errors_come_with_the_fir_errors_in_one_round(station_a, officer_a):
    with pytest.raises(ValidationError) as exc:
        register(station_a, officer_a, complainant_cnic="1234", sections="392 PPC", vehicles=[{**CAR, "year": 1850}])
    assert {"complainant_cnic", "vehicles-0-year"} <= set(exc.value.message_dict)
