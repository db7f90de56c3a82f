"""The public online form: a tenant registered with occupants, a tracking number, and each kind of bad input."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from registrations.models import RegisteredPerson, Registration
from tests.registrations.conftest import form_body

pytestmark = pytest.mark.django_db

URL = reverse("registrations:new", args=["tenant"])


def test_landlord_registers_a_tenant_with_an_occupant_and_gets_a_tracking_number(client, station_a):
    body = form_body(station_a, occupants=1, **{
        "occupant-0-passport_number": "ab 123 4567", "occupant-0-nationality": "Afghanistan",
        "occupant-0-name": "Gul Khan", "occupant-0-father_name": "Sher Khan", "occupant-0-date_of_birth": "1985-01-01",
    })  # fmt: skip
    response = client.post(URL, body)
    assert response.status_code == 302, response.content.decode()[:3000]
    registration = Registration.objects.get()
    assert registration.station == station_a and registration.kind == "tenant" and not registration.is_late
    tenant, occupant = registration.persons.all()
    assert (tenant.role, str(tenant.cnic)) == ("principal", "3520212345671")
    assert (occupant.role, occupant.passport_number, occupant.cnic) == ("occupant", "AB1234567", None)
    page = client.get(response["Location"])
    assert registration.tracking_number in page.content.decode()


def test_urdu_digits_in_the_cnic_are_accepted(client, station_a):
    assert client.post(URL, form_body(station_a, **{"person-cnic": "۳۵۲۰۲-۱۲۳۴۵۶۷-۱"})).status_code == 302
    assert str(RegisteredPerson.objects.get().cnic) == "3520212345671"


def test_a_tenancy_started_three_days_ago_is_flagged_late(client, station_a):
    start = (timezone.localdate() - dt.timedelta(days=3)).isoformat()
    client.post(URL, form_body(station_a, start_date=start))
    assert Registration.objects.get().is_late


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("person-cnic", "12345", "13 digits"),
        ("person-cnic", "", "passport number"),
        ("start_date", "1949-12-31", "01-01-1950"),
        ("start_date", "2999-01-01", "cannot be after"),
        ("registrant_cnic", "abc", "13 digits"),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_saves_nothing(client, station_a, field, value, message):
    response = client.post(URL, form_body(station_a, **{field: value}))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Registration.objects.exists() and not RegisteredPerson.objects.exists()


def test_a_start_date_more_than_a_month_ahead_is_refused(client, station_a):
    ahead = (timezone.localdate() + dt.timedelta(days=40)).isoformat()
    response = client.post(URL, form_body(station_a, start_date=ahead))
    assert response.status_code == 400 and "cannot be after" in response.content.decode()
    assert not Registration.objects.exists()


def test_a_malformed_passport_is_refused(client, station_a):
    body = form_body(station_a, **{"person-cnic": "", "person-passport_number": "A1!", "person-nationality": "Iran"})
    response = client.post(URL, body)
    assert response.status_code == 400 and "6 to 12 letters and digits" in response.content.decode()
    assert not Registration.objects.exists()


def test_a_broken_occupant_saves_neither_tenant_nor_occupants(client, station_a):
    body = form_body(station_a, occupants=1, **{"occupant-0-name": "Gul Khan", "occupant-0-cnic": "999"})
    assert client.post(URL, body).status_code == 400
    assert not Registration.objects.exists() and not RegisteredPerson.objects.exists()


def test_the_same_tenant_at_the_same_address_twice_is_refused_until_the_first_ends(client, station_a, officer_a):
    assert client.post(URL, form_body(station_a)).status_code == 302
    # The same address written differently (case, punctuation, Urdu digits) is the same address.
    again = client.post(URL, form_body(station_a, address="house ۱۲ street 4 g-9/1"))
    assert again.status_code == 400
    assert "already registered at this address" in again.content.decode()
    assert Registration.objects.count() == 1 and RegisteredPerson.objects.count() == 1
    from registrations.services import registration_end

    registration_end(registration=Registration.objects.get(), acting_user=officer_a)
    assert client.post(URL, form_body(station_a)).status_code == 302
    assert Registration.objects.count() == 2


def test_a_servant_needs_the_home_address_and_its_station(client, station_a, station_b):
    url = reverse("registrations:new", args=["servant"])
    response = client.post(url, form_body(station_a))
    assert response.status_code == 400 and not Registration.objects.exists()
    assert client.post(url, form_body(station_a, home_address="Chak 5", home_station=station_b.pk)).status_code == 302
    assert Registration.objects.get().home_station == station_b


def test_a_foreigner_with_an_expired_visa_is_registered_and_flagged(client, station_a, officer_a):
    url = reverse("registrations:new", args=["foreigner"])
    body = form_body(station_a, **{
        "person-passport_number": "P9876543", "person-nationality": "China", "person-visa_type": "Business",
        "person-visa_expiry": (timezone.localdate() - dt.timedelta(days=2)).isoformat(),
    })  # fmt: skip
    assert client.post(url, body).status_code == 302
    person = RegisteredPerson.objects.get()
    assert person.visa_expired and person.cnic is None
    client.force_login(officer_a)
    assert "visa expired" in client.get(reverse("registrations:detail", args=[person.registration_id])).content.decode()
    assert "visa expired" in client.get(reverse("registrations:list")).content.decode()


def test_a_foreigner_needs_a_visa(client, station_a):
    url = reverse("registrations:new", args=["foreigner"])
    body = form_body(station_a, **{"person-passport_number": "P9876543", "person-nationality": "China"})
    response = client.post(url, body)
    assert response.status_code == 400 and not Registration.objects.exists()


def test_the_honeypot_refuses_a_robot(client, station_a):
    response = client.post(URL, form_body(station_a, website="http://spam"))
    assert response.status_code == 400 and not Registration.objects.exists()


def test_too_many_posts_from_one_ip_are_limited(client, station_a, settings):
    settings.REGISTRATIONS_RATE_IP = "2/h"
    from django.core.cache import cache

    cache.clear()
    statuses = [client.post(URL, form_body(station_a, website="x")).status_code for _ in range(3)]
    assert statuses == [400, 400, 429]
    cache.clear()


def test_an_unknown_kind_is_404(client):
    assert client.get(reverse("registrations:new", args=["cousin"])).status_code == 404
