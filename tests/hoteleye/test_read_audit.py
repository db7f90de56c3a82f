"""Issue 11, finding 5: reads of guests' identities and CRO records through the alerts API are audited."""

import pytest
from django.urls import reverse

from casp.models import AuditEvent
from hoteleye.services import token_rotate
from tests.hoteleye.conftest import make_alert, make_checkin

API = reverse("hoteleye_api:alert_list")


@pytest.fixture
def alert_a(hotel_a, station_a):
    return make_alert(station_a, make_checkin(hotel_a))


def test_alerts_api_read_by_session_is_audited_with_alerts_and_records(client, officer_a, alert_a):
    client.force_login(officer_a)
    client.get(API, {"status": "new"}, REMOTE_ADDR="10.1.2.3")
    event = AuditEvent.objects.get(action="hoteleye.alerts_listed")
    assert event.actor == officer_a and event.is_read and event.ip_address == "10.1.2.3"
    assert event.data == {
        "via": "session",
        "page": 1,
        "status": "new",
        "alerts": [alert_a.pk],
        "cro_records": [alert_a.cro_record_id],
    }


def test_alerts_api_read_by_token_is_audited_for_the_tokens_user(client, officer_a, alert_a):
    key = token_rotate(acting_user=None, user=officer_a)
    client.get(API, HTTP_AUTHORIZATION=f"Token {key}")
    event = AuditEvent.objects.get(action="hoteleye.alerts_listed")
    assert event.actor == officer_a and event.data["via"] == "token" and event.data["alerts"] == [alert_a.pk]


def test_refused_alerts_api_calls_write_no_read_event(client, alert_a):
    assert client.get(API).status_code == 401
    assert client.get(API, HTTP_AUTHORIZATION="Token wrong").status_code == 401
    assert not AuditEvent.objects.filter(action="hoteleye.alerts_listed").exists()
