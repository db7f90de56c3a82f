"""The registration page's stolen-vehicle rows: saved with the FIR, errors beside their field, input kept."""

from __future__ import annotations

import pytest
from django.urls import reverse

from casp.models import AuditEvent
from fir.models import Fir, StolenVehicle
from tests.fir.test_views import _form

pytestmark = pytest.mark.django_db


def _vehicles(*rows: dict, total: int | None = None) -> dict:
    data = {
        "vehicles-TOTAL_FORMS": str(total if total is not None else len(rows)),
        "vehicles-INITIAL_FORMS": "0",
        "vehicles-MIN_NUM_FORMS": "0",
        "vehicles-MAX_NUM_FORMS": "10",
    }
    for i, row in enumerate(rows):
        data.update({f"vehicles-{i}-{k}": v for k, v in row.items()})
    return data


CAR = {"kind": "car", "registration_number": "ict-5678", "make": "Suzuki", "model": "Mehran", "year": "2012"}


def test_clerk_registers_an_fir_with_a_stolen_vehicle(client_a, station_a, officer_a):
    url = reverse("fir:register", args=[station_a.code])
    page = client_a.get(url).content.decode()
    assert 'name="vehicles-0-registration_number"' in page and 'id="stolen-vehicles"' in page
    blank = {"kind": "", "registration_number": ""}
    response = client_a.post(url, _form(sections="381-A PPC", **_vehicles(blank, CAR)))
    fir = Fir.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("fir:detail", args=[fir.pk])
    vehicle = fir.stolen_vehicles.get()  # the blank row was skipped
    assert (vehicle.registration_key, vehicle.make, vehicle.year) == ("ICT5678", "Suzuki", 2012)
    assert AuditEvent.objects.filter(action="fir.vehicle_recorded", actor=officer_a).count() == 1
    detail = client_a.get(response["Location"]).content.decode()
    assert "ICT-5678" in detail and "Mehran" in detail


def test_empty_vehicle_rows_register_the_fir_without_a_vehicle(client_a, station_a):
    response = client_a.post(reverse("fir:register", args=[station_a.code]), _form(**_vehicles(total=2)))
    assert response.status_code == 302 and not StolenVehicle.objects.exists() and Fir.objects.count() == 1


@pytest.mark.parametrize(
    ("row", "field", "text"),
    [
        ({"kind": "car", "registration_number": "---"}, "registration_number", "no letters or digits"),
        ({"kind": "motorcycle", "make": "Honda"}, "registration_number", "Give the registration, chassis or engine"),
        ({"kind": "car", "chassis_number": "AB"}, "chassis_number", "5 to 25"),
        ({"kind": "car", "engine_number": "E*1234"}, "engine_number", "only letters, digits"),
        ({"kind": "car", "registration_number": "LEA-123", "year": "1850"}, "year", "1900"),
        ({"kind": "", "registration_number": "LEA-123"}, "kind", "Choose the kind of vehicle"),
    ],
    ids=["normalises_to_nothing", "no_number", "short_chassis", "bad_engine", "early_year", "no_kind"],
)
def test_a_bad_vehicle_row_shows_its_error_keeps_the_input_and_saves_nothing(client_a, station_a, row, field, text):
    response = client_a.post(
        reverse("fir:register", args=[station_a.code]),
        _form(sections="392 PPC", complainant_address="Gali 7, Mohalla Qasaban", **_vehicles(row)),
    )
    assert response.status_code == 200
    assert text in " ".join(response.context["vehicles"][0].errors[field])
    assert not Fir.objects.exists() and not StolenVehicle.objects.exists()
    page = response.content.decode()
    assert "Razia Bibi" in page and "Gali 7, Mohalla Qasaban" in page  # the clerk's other input is kept
    assert 'id="stolen-vehicles" data-theft-sections="379 PPC, 381-A PPC, 382 PPC, 392 PPC" open' in page
    for name, value in row.items():
        if value and name != "kind":
            assert f'value="{value}"' in page


def test_a_vehicle_on_an_fir_without_a_theft_section_is_refused_on_the_vehicle(client_a, station_a):
    response = client_a.post(
        reverse("fir:register", args=[station_a.code]),
        _form(sections="506 PPC", **_vehicles({"kind": "car", "registration_number": "LEA-123"})),
    )
    assert response.status_code == 200 and not Fir.objects.exists()
    assert "379, 381-A, 382 or 392 PPC" in " ".join(response.context["vehicles"][0].non_field_errors())


def test_another_vehicle_without_javascript_keeps_what_was_typed(client_a, station_a):
    url = reverse("fir:register", args=[station_a.code])
    response = client_a.post(url, _form(more_vehicles="1", **_vehicles(CAR)))
    assert response.status_code == 200 and not Fir.objects.exists()
    assert response.context["vehicles"].total_form_count() == 2
    page = response.content.decode()
    assert 'value="ict-5678"' in page and 'name="vehicles-1-registration_number"' in page and "Razia Bibi" in page


def test_clerk_of_other_station_cannot_register_a_vehicle_there(client, officer_b, station_a):
    client.force_login(officer_b)
    url = reverse("fir:register", args=[station_a.code])
    assert client.post(url, _form(sections="381-A PPC", **_vehicles(CAR))).status_code == 404
    assert not StolenVehicle.objects.exists()
