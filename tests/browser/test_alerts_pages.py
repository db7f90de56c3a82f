"""The shared alert inbox, a vehicle alert's page and the vehicle look-up, in English and Urdu, desktop and phone."""

import pytest

from alerts.vehicles import vehicle_check
from fir.vehicles import stolen_vehicle_add
from tests.alerts.conftest import VEHICLE
from tests.fir.factories import register

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
VIEWS = [("en", 1366), ("en", 390), ("ur", 1366), ("ur", 390)]


@pytest.fixture
def stolen(station_a, colleague_a):
    from fir.catalogue import sections_seed
    from fir.models import Section

    sections_seed(Section)
    fir = register(station_a, colleague_a, sections="381-A PPC", facts="Car stolen.")
    stolen_vehicle_add(fir=fir, acting_user=colleague_a, data=VEHICLE)
    return fir


@pytest.mark.parametrize(("lang", "width"), VIEWS)
def test_vehicle_check_inbox_and_alert_pages(signed_in_page, live_server, stolen, lang, width):
    page = signed_in_page
    page.set_viewport_size({"width": width, "height": 900})
    page.context.add_cookies([{"name": "django_language", "value": lang, "url": live_server.url}])
    page.goto(f"{live_server.url}/alerts/vehicles/check/")
    page.fill("#id_chassis", "nze141 9876543")
    page.click("#vehicle-check-form button[type=submit]")
    page.wait_for_selector("#vehicle-check-result .alert-danger")
    result = page.inner_text("#vehicle-check-result")
    assert f"{stolen.number}/{stolen.year}" in result
    # The FIR number reads left to right inside Urdu text.
    assert page.evaluate("document.querySelector('#vehicle-check-result bdi').dir") == "ltr"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.goto(f"{live_server.url}/alerts/?source=vehicle_check")
    rows = page.locator("#alert-rows tr[data-source=vehicle_check]")
    assert rows.count() == 1
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    rows.first.locator("a").click()
    page.wait_for_selector("#alert-record")
    assert f"{stolen.number}/{stolen.year}" in page.inner_text("#alert-record")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_counter_check_answer_is_neutral(db, officer_a, stolen):
    result = vehicle_check(acting_user=officer_a, channel="khidmat", registration="ICT 5678")
    assert result.counter_answer == "The vehicle's verification has been referred to the police."
