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
        (Role.SHO, ["Home", "Stations"], ["Audit log"]),
        (Role.DISTRICT_OFFICER, ["Home", "Stations"], ["Audit log"]),
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
