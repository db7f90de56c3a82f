import pytest

from tests.factories import HotelFactory
from tests.hoteleye.conftest import make_alert, make_checkin

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_new_alert_appears_in_the_open_inbox_within_10_seconds_without_reload(signed_in_page, live_server, station_a):
    page = signed_in_page
    errors = []
    page.on("response", lambda r: errors.append(r.url) if r.status >= 400 and "favicon" not in r.url else None)
    page.on("console", lambda m: errors.append(m.text) if "Content Security Policy" in m.text else None)
    page.goto(f"{live_server.url}/hoteleye/alerts/")
    assert page.locator("#alert-new-count").inner_text() == "0"
    page.evaluate("window.__casp_marker = 1")  # disappears if the page reloads
    alert = make_alert(station_a, make_checkin(HotelFactory(station=station_a)), record_name="Polled Person")
    page.wait_for_selector(f"tr[data-alert-id='{alert.pk}']", timeout=10_000)
    assert "Polled Person" in page.inner_text("#alert-rows")
    assert page.locator("#alert-new-count").inner_text() == "1"
    assert page.evaluate("window.__casp_marker") == 1
    assert errors == []
