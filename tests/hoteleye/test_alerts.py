import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from alerts.models import AlertStatus
from casp.models import AuditEvent
from hoteleye.services import token_rotate
from tests.hoteleye.conftest import make_alert, make_checkin

INBOX = reverse("hoteleye:alert_inbox")
POLL = reverse("hoteleye:alert_poll")
API = reverse("hoteleye_api:alert_list")


@pytest.fixture
def alert_a(hotel_a, station_a):
    return make_alert(station_a, make_checkin(hotel_a))


def test_inbox_lists_the_stations_alerts_and_other_station_sees_none(client, officer_a, officer_b, alert_a):
    client.force_login(officer_a)
    assert "Wanted Person" in client.get(INBOX).content.decode()
    client.force_login(officer_b)
    assert "Wanted Person" not in client.get(INBOX).content.decode()
    assert client.get(reverse("hoteleye:alert_detail", args=[alert_a.pk])).status_code == 404
    assert client.post(reverse("hoteleye:alert_acknowledge", args=[alert_a.pk])).status_code == 404


def test_poll_endpoint_answers_204_when_nothing_is_new_and_rows_when_an_alert_arrives(
    client, officer_a, hotel_a, station_a
):
    client.force_login(officer_a)
    empty = client.get(POLL, {"after": 0})
    assert empty.status_code == 204
    alert = make_alert(station_a, make_checkin(hotel_a))
    fresh = client.get(POLL, {"after": 0})
    assert fresh.status_code == 200 and fresh["X-Alerts-Latest"] == str(alert.pk) and fresh["X-Alerts-New"] == "1"
    assert "Wanted Person" in fresh.content.decode() and "alert-fresh" in fresh.content.decode()
    assert client.get(POLL, {"after": alert.pk}).status_code == 204


def test_poll_endpoint_is_cheap(client, officer_a, hotel_a, station_a):
    client.force_login(officer_a)
    make_alert(station_a, make_checkin(hotel_a))
    latest = client.get(POLL)["X-Alerts-Latest"]
    with CaptureQueriesContext(connection) as queries:
        assert client.get(POLL, {"after": latest}).status_code == 204
    # session, user, roles and one aggregate over the station's alerts
    assert len(queries) <= 4


def test_inbox_page_wires_htmx_polling_every_5_seconds_without_inline_script(client, officer_a):
    client.force_login(officer_a)
    page = client.get(INBOX).content.decode()
    assert 'hx-get="/hoteleye/alerts/poll/"' in page and 'hx-trigger="every 5s' in page
    assert "js/hoteleye.js" in page and "<script>" not in page


def test_officer_of_the_other_station_polls_nothing(client, officer_b, alert_a):
    client.force_login(officer_b)
    assert client.get(POLL, {"after": 0}).status_code == 204


def test_workflow_new_acknowledged_closed_is_audited(client, colleague_a, alert_a):
    client.force_login(colleague_a)
    detail = reverse("hoteleye:alert_detail", args=[alert_a.pk])
    page = client.get(detail).content.decode()
    assert "Wanted Person" in page and "CNIC identical" in page
    assert AuditEvent.objects.filter(action="hoteleye.alert_viewed", is_read=True).exists()
    client.post(reverse("hoteleye:alert_acknowledge", args=[alert_a.pk]), {"note": "Team sent"})
    alert_a.refresh_from_db()
    assert alert_a.status == AlertStatus.ACKNOWLEDGED and alert_a.acknowledged_by == colleague_a
    client.post(
        reverse("hoteleye:alert_close", args=[alert_a.pk]),
        {"outcome": "arrested", "note": "Arrested.", "confirm": "on"},
    )
    alert_a.refresh_from_db()
    assert alert_a.status == AlertStatus.CLOSED and alert_a.outcome == "arrested" and alert_a.close_note == "Arrested."
    actions = set(AuditEvent.objects.filter(target_id=str(alert_a.pk)).values_list("action", flat=True))
    assert {"hoteleye.alert_acknowledged", "hoteleye.alert_closed"} <= actions


def test_closing_a_new_alert_or_without_a_note_is_refused(client, colleague_a, alert_a):
    client.force_login(colleague_a)
    close = reverse("hoteleye:alert_close", args=[alert_a.pk])
    response = client.post(close, {"outcome": "false_match", "note": "x", "confirm": "on"}, follow=True)
    assert "Acknowledge the alert before closing it" in response.content.decode()
    client.post(reverse("hoteleye:alert_acknowledge", args=[alert_a.pk]), {})
    response = client.post(close, {"outcome": "false_match", "note": "", "confirm": "on"}, follow=True)
    assert "note" in response.content.decode() and "This field is required" in response.content.decode()
    response = client.post(close, {"outcome": "released", "note": "n", "confirm": "on"}, follow=True)
    assert "Select a valid choice" in response.content.decode()
    alert_a.refresh_from_db()
    assert alert_a.status == AlertStatus.ACKNOWLEDGED


def test_the_close_form_offers_no_preselected_outcome(client, colleague_a, alert_a):
    client.force_login(colleague_a)
    client.post(reverse("hoteleye:alert_acknowledge", args=[alert_a.pk]), {})
    page = client.get(reverse("hoteleye:alert_detail", args=[alert_a.pk])).content.decode()
    assert '<option value="" selected>— choose the outcome —</option>' in page
    assert 'name="outcome"' in page and "required" in page.split('name="outcome"')[1].split(">")[0]
    assert 'name="confirm"' in page and "cannot be reopened" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"note": "Team went", "confirm": "on"},
            "Choose the outcome: arrested, verified not the person, or false match.",
        ),
        ({"outcome": "", "note": "Team went", "confirm": "on"}, "Choose the outcome"),
        (
            {"outcome": "arrested", "note": "Team went"},
            "Tick the box to confirm the outcome; a close cannot be undone.",
        ),
    ],
)
def test_closing_without_a_deliberate_outcome_is_refused_and_nothing_changes(
    client, colleague_a, alert_a, data, message
):
    client.force_login(colleague_a)
    client.post(reverse("hoteleye:alert_acknowledge", args=[alert_a.pk]), {})
    closes_before = AuditEvent.objects.filter(action="hoteleye.alert_closed").count()
    response = client.post(reverse("hoteleye:alert_close", args=[alert_a.pk]), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page and "Team went" in page  # the note typed is kept for the second try
    alert_a.refresh_from_db()
    assert alert_a.status == AlertStatus.ACKNOWLEDGED and alert_a.outcome == "" and alert_a.closed_at is None
    assert AuditEvent.objects.filter(action="hoteleye.alert_closed").count() == closes_before


def test_inbox_query_count_does_not_grow_with_rows(client, officer_a, hotel_a, station_a):
    client.force_login(officer_a)
    for i in range(2):
        make_alert(station_a, make_checkin(hotel_a, cnic=f"35202{i:07d}1"))
    with CaptureQueriesContext(connection) as few:
        client.get(INBOX)
    for i in range(2, 12):
        make_alert(station_a, make_checkin(hotel_a, cnic=f"35202{i:07d}1"))
    with CaptureQueriesContext(connection) as many:
        client.get(INBOX)
    assert len(many) == len(few)


def test_alerts_api_returns_the_issue_fields_scoped_by_session(client, officer_a, officer_b, alert_a):
    client.force_login(officer_a)
    body = client.get(API).json()
    assert body["count"] == 1
    item = body["results"][0]
    assert item["id"] == alert_a.pk and item["station"] == "PS-A" and item["kind"] == "cnic"
    assert item["score"] == 100.0 and item["status"] == "new" and item["created_at"]
    assert item["guest"] == {
        "name": "Ali Raza",
        "cnic": "35202-1234567-1",
        "passport_number": None,
        "hotel": "HA",
        "room": "101",
    }
    assert item["cro_record"] == {
        "id": alert_a.cro_record_id,
        "name": "Wanted Person",
        "cnic": None,
        "status": "Wanted",
    }
    client.force_login(officer_b)
    assert client.get(API).json() == {"count": 0, "page": 1, "pages": 1, "results": []}


def test_alerts_api_by_token(client, officer_a, officer_b, alert_a, hotel_a):
    key = token_rotate(acting_user=None, user=officer_a)
    assert client.get(API, HTTP_AUTHORIZATION=f"Token {key}").json()["count"] == 1
    key_b = token_rotate(acting_user=None, user=officer_b)
    assert client.get(API, HTTP_AUTHORIZATION=f"Token {key_b}").json()["count"] == 0
    assert client.get(API, HTTP_AUTHORIZATION="Token wrong").status_code == 401
    assert client.get(API).status_code == 401
    hotel_key = token_rotate(acting_user=None, hotel=hotel_a)
    assert client.get(API, HTTP_AUTHORIZATION=f"Token {hotel_key}").status_code == 403


def test_hotel_staff_session_sees_no_alerts(staff_client, alert_a):
    assert staff_client.get(API).json()["count"] == 0
