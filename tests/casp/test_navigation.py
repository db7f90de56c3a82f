import pytest
from django.urls import reverse

from casp.roles import Role
from tests.factories import posted_user


def _nav_labels(client):
    response = client.get(reverse("home"))
    return [str(item["label"]) for item in response.context["nav_items"]]


@pytest.mark.parametrize(
    ("role", "expected", "absent"),
    [
        (Role.STATION_CLERK, ["Home", "Stations"], ["Audit log"]),
        (Role.SHO, ["Home", "Stations", "Audit log"], []),
        (Role.DISTRICT_OFFICER, ["Home", "Stations", "Audit log"], []),
        (Role.SYSTEM_ADMIN, ["Home", "Stations", "Audit log"], []),
    ],
)
def test_each_role_sees_its_navigation(client, station_a, roles, role, expected, absent):
    user = posted_user(role, station=station_a, username=f"nav-{role.value}")
    if role == Role.SYSTEM_ADMIN:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    client.force_login(user)
    labels = _nav_labels(client)
    for label in expected:
        assert label in labels
    for label in absent:
        assert label not in labels


def test_hotel_staff_do_not_see_station_pages_in_navigation(client, roles):
    user = posted_user(Role.HOTEL_STAFF, username="hotel-nav")
    client.force_login(user)
    labels = _nav_labels(client)
    assert "Audit log" not in labels
    assert "Stations" not in labels


def test_hotel_staff_land_on_their_hotel_and_never_see_stations(client, hotel_staff_client_setup):
    client.force_login(hotel_staff_client_setup)
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("hoteleye:occupancy")
    page = client.get(response["Location"])
    labels = [str(item["label"]) for item in page.context["nav_items"]]
    assert "Guests" in labels
    assert "Stations" not in labels
    assert "No station is in your jurisdiction" not in page.content.decode()


def test_hotel_staff_without_a_hotel_are_told_to_ask_the_station_not_the_district(client, roles):
    client.force_login(posted_user(Role.HOTEL_STAFF, username="hotel-unbound"))
    body = client.get(reverse("home")).content.decode()
    assert "not linked to an active hotel" in body
    assert "Ask your district office" not in body


def test_officers_still_land_on_their_postings(client, officer_a):
    client.force_login(officer_a)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert "Alpha" in response.content.decode()


@pytest.fixture
def hotel_staff_client_setup(station_a, roles):
    from tests.factories import HotelFactory, hotel_staff_user

    return hotel_staff_user(HotelFactory(station=station_a, code="HNAV", name="Nav Inn"), username="hotel-home")
