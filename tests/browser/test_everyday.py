"""Pages changed for issue 12, in English at desktop width and in Urdu on a phone."""

import datetime as dt

import pytest
from django.utils import timezone

from alerts.models import AlertStatus
from hoteleye.services import alert_acknowledge
from stations.registers import BY_CODE
from stations.services import register_entry_add
from tests.factories import HotelFactory
from tests.hoteleye.conftest import make_alert, make_checkin

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
VIEWS = [("en", 1366), ("ur", 390)]


def _use(page, live_server, lang, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.context.add_cookies([{"name": "django_language", "value": lang, "url": live_server.url}])


@pytest.mark.parametrize(("lang", "width"), VIEWS)
def test_closing_an_alert_needs_a_chosen_outcome_and_a_confirmation(
    signed_in_page, live_server, station_a, officer_a, lang, width
):
    page = signed_in_page
    _use(page, live_server, lang, width)
    alert = make_alert(station_a, make_checkin(HotelFactory(station=station_a)))
    alert_acknowledge(alert=alert, acting_user=officer_a, note="")
    page.goto(f"{live_server.url}/hoteleye/alerts/{alert.pk}/")
    assert page.input_value("#id_outcome") == ""  # nothing chosen for the officer
    page.fill("#id_note", "Team visited the hotel")
    page.click("#alert-close-form button[type=submit]")
    # The browser itself refuses the form (both fields are required); the server refuses it too (unit tests).
    assert page.evaluate("document.getElementById('id_outcome').validity.valueMissing")
    assert page.evaluate("document.getElementById('id_confirm').validity.valueMissing")
    assert page.url.endswith(f"/hoteleye/alerts/{alert.pk}/")
    assert page.input_value("#id_note") == "Team visited the hotel"
    alert.refresh_from_db()
    assert alert.status == AlertStatus.ACKNOWLEDGED
    page.select_option("#id_outcome", "false_match")
    page.check("#id_confirm")
    page.click("#alert-close-form button[type=submit]")
    page.wait_for_load_state()
    alert.refresh_from_db()
    assert alert.status == AlertStatus.CLOSED and alert.outcome == "false_match"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize(("lang", "width"), VIEWS)
def test_register_list_shows_dates_formatted(signed_in_page, live_server, station_a, officer_a, lang, width):
    page = signed_in_page
    _use(page, live_server, lang, width)
    placed = timezone.make_aware(dt.datetime(2026, 1, 10, 17, 30))
    register_entry_add(
        station=station_a, register=BY_CODE["xxiii"], acting_user=officer_a, data={"name": "Kaloo", "in_at": placed}
    )
    page.goto(f"{live_server.url}/stations/{station_a.code}/registers/xxiii/")
    text = page.inner_text("#register-entries")
    assert "10-01-2026 17:30" in text and "T17:30" not in text
