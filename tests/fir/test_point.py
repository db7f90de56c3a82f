"""The point of occurrence: optional, both halves or neither, inside Pakistan; refused by form, service and database."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from fir.models import Fir
from tests.fir.factories import register
from tests.fir.test_views import _form

pytestmark = pytest.mark.django_db

OUTSIDE = "map point outside Pakistan"


def test_a_point_is_stored_and_shown(client_a, station_a, officer_a):
    fir = register(station_a, officer_a, latitude="33.684400", longitude=73.0479)
    fir.refresh_from_db()
    assert (fir.latitude, fir.longitude) == (Decimal("33.684400"), Decimal("73.047900"))
    assert "33.684400, 73.047900" in client_a.get(fir.get_absolute_url()).content.decode()


def test_an_fir_without_a_point_is_registered(station_a, officer_a):
    fir = register(station_a, officer_a)
    assert fir.latitude is None and fir.longitude is None


@pytest.mark.parametrize(
    ("point", "field", "text"),
    [
        ({"latitude": "51.5", "longitude": "-0.12"}, "latitude", OUTSIDE),  # London
        ({"latitude": "73.04", "longitude": "33.68"}, "latitude", OUTSIDE),  # swapped
        ({"latitude": "33.68", "longitude": "80.1"}, "longitude", OUTSIDE),
        ({"latitude": "33.68", "longitude": None}, "longitude", "both the latitude and the longitude"),
        ({"latitude": "north", "longitude": "73"}, "latitude", "decimal degrees"),
    ],
    ids=["london", "swapped", "east_of_box", "half_a_point", "not_a_number"],
)
def test_service_refuses_a_bad_point_and_saves_nothing(station_a, officer_a, point, field, text):
    with pytest.raises(ValidationError) as exc:
        register(station_a, officer_a, **point)
    assert text in " ".join(exc.value.message_dict[field])
    assert not Fir.objects.exists()


@pytest.mark.parametrize(
    ("point", "field", "text"),
    [
        ({"latitude": "24.86", "longitude": "50.0"}, "longitude", OUTSIDE),
        ({"latitude": "", "longitude": "67.0"}, "latitude", "both the latitude and the longitude"),
    ],
    ids=["outside", "half"],
)
def test_form_shows_the_point_error_on_its_field(client_a, station_a, point, field, text):
    response = client_a.post(reverse("fir:register", args=[station_a.code]), _form(**point))
    assert response.status_code == 200
    assert text in " ".join(response.context["form"].errors[field])
    assert not Fir.objects.exists()


def test_form_takes_a_typed_point(client_a, station_a):
    response = client_a.post(
        reverse("fir:register", args=[station_a.code]), _form(latitude="24.8607", longitude="67.0011")
    )
    assert response.status_code == 302
    assert Fir.objects.get().latitude == Decimal("24.860700")


def test_register_page_has_the_two_inputs_and_the_map(client_a, station_a):
    html = client_a.get(reverse("fir:register", args=[station_a.code])).content.decode()
    assert 'name="latitude"' in html and 'name="longitude"' in html and 'type="number"' in html
    assert 'data-casp-map="point-map"' in html and "vendor/leaflet/leaflet.js" in html


def _insert_point(fir: Fir, lat: str | None, lon: str | None) -> None:
    """Write a copy of ``fir`` with the point straight into the table, past every Python check."""
    with connection.cursor() as cur:
        cur.execute(
            "INSERT INTO fir_fir (station_id, year, number, reported_at, occurred_from, place, distance_km, direction,"
            " complainant_name, complainant_father_name, complainant_address, complainant_phone, facts, weapons,"
            " property_involved, delay_reason, action_taken, writing_officer_id, writing_officer_name, registered_at,"
            " submission_key, status, challan_kind, status_changed_at, latitude, longitude)"
            " SELECT station_id, year, number + 1, reported_at, occurred_from, place, distance_km, direction,"
            " complainant_name, complainant_father_name, complainant_address, complainant_phone, facts, weapons,"
            " property_involved, delay_reason, action_taken, writing_officer_id, writing_officer_name, registered_at,"
            " gen_random_uuid(), status, challan_kind, status_changed_at, %s, %s FROM fir_fir WHERE id = %s",
            [lat, lon, fir.pk],
        )


@pytest.mark.parametrize(
    ("lat", "lon", "constraint"),
    [
        ("51.5", "-0.12", "fir_fir_point_in_pakistan"),
        ("33.6", "90.0", "fir_fir_point_in_pakistan"),
        ("33.6", None, "fir_fir_point_both_or_neither"),
    ],
)
def test_database_refuses_a_point_outside_pakistan_or_half_a_point(station_a, officer_a, lat, lon, constraint):
    fir = register(station_a, officer_a)
    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        _insert_point(fir, lat, lon)
    _insert_point(fir, "33.6", "73.0")  # the same write with a good point passes


def test_the_point_is_part_of_the_immutable_text(station_a, officer_a):
    """The registration trigger protects every column but the life cycle: a point is fixed at registration."""
    fir = register(station_a, officer_a)
    with pytest.raises(IntegrityError), transaction.atomic():
        Fir.objects.filter(pk=fir.pk).update(latitude=Decimal("33.6"), longitude=Decimal("73.0"))
