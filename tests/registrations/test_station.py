"""The station's registrations: its area only, search by CNIC, name and address (Urdu digits), ending audited."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casp.models import AuditEvent
from registrations.models import Registration
from tests.registrations.conftest import registration

pytestmark = pytest.mark.django_db

LIST = reverse("registrations:list")


def test_station_sees_its_tenants_and_servants_whose_home_is_in_its_area(client, officer_a, station_a, station_b):
    own = registration(station_a, name="Alpha Tenant")
    home = registration(station_b, kind="servant", cnic="4210112345671", name="Home Servant", home_station=station_a)
    other = registration(station_b, cnic="4210199999991", name="Bravo Tenant")
    client.force_login(officer_a)
    page = client.get(LIST).content.decode()
    assert own.tracking_number in page and home.tracking_number in page
    assert other.tracking_number not in page


def test_officer_of_another_station_gets_404(client, officer_b, station_a):
    own = registration(station_a)
    client.force_login(officer_b)
    assert client.get(reverse("registrations:detail", args=[own.pk])).status_code == 404
    assert client.post(reverse("registrations:end", args=[own.pk])).status_code == 404
    assert Registration.objects.get().ended_at is None


@pytest.mark.parametrize("q", ["35202-1234567-1", "۳۵۲۰۲۱۲۳۴۵۶۷۱", "ali raz", "street ۴", "G-9/1"])
def test_search_by_cnic_name_or_address_with_urdu_digits(client, officer_a, station_a, q):
    found = registration(station_a)
    not_found = registration(station_a, cnic="4210199999991", name="Bilal Other", address="Plot 7, F-6")
    client.force_login(officer_a)
    page = client.get(LIST, {"q": q}).content.decode()
    assert found.tracking_number in page and not_found.tracking_number not in page


def test_ending_a_registration_keeps_it_and_is_audited(client, officer_a, station_a):
    own = registration(station_a)
    client.force_login(officer_a)
    response = client.post(reverse("registrations:end", args=[own.pk]), {"note": "moved out"})
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.ended_at is not None and own.ended_by == officer_a
    assert AuditEvent.objects.filter(action="registrations.ended", actor=officer_a).exists()
    # Ending twice is refused, nothing changes.
    ended_at = own.ended_at
    client.post(reverse("registrations:end", args=[own.pk]))
    own.refresh_from_db()
    assert own.ended_at == ended_at
    assert own.tracking_number in client.get(LIST).content.decode()  # still listed


def test_viewing_a_registration_is_logged(client, officer_a, station_a):
    own = registration(station_a)
    client.force_login(officer_a)
    assert client.get(reverse("registrations:detail", args=[own.pk])).status_code == 200
    assert AuditEvent.objects.filter(action="registrations.viewed", actor=officer_a, is_read=True).exists()


def test_the_list_takes_a_fixed_number_of_queries(client, officer_a, station_a):
    client.force_login(officer_a)
    registration(station_a)
    with CaptureQueriesContext(connection) as one:
        client.get(LIST)
    for n in range(5):
        registration(station_a, cnic=f"42101123456{n}1")
    with CaptureQueriesContext(connection) as six:
        client.get(LIST)
    assert len(six) == len(one)


@pytest.mark.parametrize("lang", ["en", "ur"])
def test_list_and_detail_show_dates_day_month_year(client, officer_a, station_a, lang):
    """One date format across the application: the registrations pages once showed 2026-11-30."""
    own = registration(station_a)
    client.force_login(officer_a)
    client.cookies["django_language"] = lang
    day = own.start_date.strftime("%d-%m-%Y")
    for url in (LIST, reverse("registrations:detail", args=[own.pk])):
        page = client.get(url).content.decode()
        assert day in page and own.start_date.isoformat() not in page, url
