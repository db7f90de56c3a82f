"""Issue 11, finding 1: Khidmat Markaz staff posted at a station see none of its hotel alerts or guest photos.

Only police roles with the station in jurisdiction read guests' identities and CRO records.
"""

import pytest
from django.urls import reverse

from casp.models import AuditEvent
from casp.roles import Role
from hoteleye.models import CheckIn
from hoteleye.services import token_rotate
from tests.factories import HotelFactory, posted_user
from tests.hoteleye.conftest import form_body, make_alert, make_checkin, png_upload

API = reverse("hoteleye_api:alert_list")


@pytest.fixture
def khidmat_a(station_a, roles):
    return posted_user(Role.KHIDMAT_STAFF, station=station_a, username="khidmat_a")


@pytest.fixture
def alert_a(hotel_a, station_a):
    return make_alert(station_a, make_checkin(hotel_a))


def test_khidmat_staff_session_reads_no_alerts(client, khidmat_a, alert_a):
    client.force_login(khidmat_a)
    body = client.get(API).json()
    assert body["count"] == 0 and body["results"] == []
    assert "Ali Raza" not in client.get(API).content.decode()


def test_khidmat_staff_token_reads_no_alerts(client, khidmat_a, alert_a):
    key = token_rotate(acting_user=None, user=khidmat_a)
    response = client.get(API, HTTP_AUTHORIZATION=f"Token {key}")
    assert response.json()["count"] == 0
    assert "Wanted Person" not in response.content.decode()


def test_khidmat_staff_gets_404_for_a_guest_photo_at_their_station(staff_client, client, khidmat_a, officer_a):
    assert staff_client.post(reverse("hoteleye:checkin_new"), form_body(photo=png_upload())).status_code == 302
    checkin = CheckIn.objects.get()
    for name in ("hoteleye:checkin_photo", "hoteleye:checkin_thumb"):
        client.force_login(khidmat_a)
        assert client.get(reverse(name, args=[checkin.pk])).status_code == 404
        client.force_login(officer_a)  # a police officer of the station still sees it
        assert client.get(reverse(name, args=[checkin.pk])).status_code == 200
    assert not AuditEvent.objects.filter(actor=khidmat_a).exists()


def test_a_police_posting_elsewhere_does_not_open_the_khidmat_station(client, station_a, station_b, roles, alert_a):
    """Jurisdiction comes from police postings only: a Khidmat posting at A plus a clerk's at B sees B, not A."""
    from stations.models import Posting

    user = posted_user(Role.STATION_CLERK, station=station_b, username="two_hats")
    Posting.objects.create(user=user, station=station_a, role=Role.KHIDMAT_STAFF)
    client.force_login(user)
    assert client.get(API).json()["count"] == 0
    make_alert(station_b, make_checkin(HotelFactory(station=station_b)))
    assert client.get(API).json()["count"] == 1
