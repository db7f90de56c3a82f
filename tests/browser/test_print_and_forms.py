"""The register print view is a styled A4 page, and the Urdu check-in form shows errors without covering controls."""

from __future__ import annotations

import pytest

from stations.registers import BY_CODE
from stations.services import register_entry_add
from tests.conftest import PASSWORD
from tests.factories import HotelFactory, hotel_staff_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page, base, user, language):
    page.context.clear_cookies()
    page.context.add_cookies([{"name": "django_language", "value": language, "url": base}])
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()


@pytest.mark.parametrize("language", ["en", "ur"])
@pytest.mark.parametrize("width", [390, 1366])
def test_register_print_view_is_a_styled_page_that_prints_without_its_toolbar(
    page, live_server, station_a, officer_a, language, width
):
    entry = register_entry_add(
        station=station_a,
        register=BY_CODE["xi"],
        acting_user=officer_a,
        data={"name": "Muhammad Aslam Khan", "reason": "loitering near the bank at night " * 4},
    )
    page.set_viewport_size({"width": width, "height": 900})
    _sign_in(page, live_server.url, officer_a, language)
    page.goto(f"{live_server.url}/stations/{station_a.code}/registers/xi/{entry.pk}/?print=1")
    assert page.evaluate("getComputedStyle(document.querySelector('dl.row')).display") == "grid"
    assert page.locator(".print-header h1").is_visible()
    assert page.locator("[data-print]").is_visible()
    scroll, view = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll <= view
    page.emulate_media(media="print")
    assert not page.locator(".print-toolbar").is_visible()
    assert "Muhammad Aslam Khan" in page.inner_text("body")
    assert len(page.pdf(format="A4")) > 1000
    page.screenshot(path=f"/tmp/casp-print-{language}-{width}.png", full_page=True)


@pytest.fixture
def staff_a(station_a, roles):
    return hotel_staff_user(HotelFactory(station=station_a, code="HP", name="Print Inn"), username="print_staff")


@pytest.mark.parametrize("width", [390, 1366])
def test_urdu_check_in_errors_leave_the_gender_arrow_and_the_date_visible(page, live_server, staff_a, width):
    page.set_viewport_size({"width": width, "height": 900})
    _sign_in(page, live_server.url, staff_a, "ur")
    page.goto(f"{live_server.url}/hoteleye/guests/new/")
    page.click("#checkin-form button[type=submit]")
    page.wait_for_load_state()
    gender = page.locator("#id_gender")
    assert "is-invalid" in gender.get_attribute("class")
    # Only the select's own arrow is drawn: no error icon layered over it.
    assert page.evaluate("getComputedStyle(document.querySelector('#id_gender')).backgroundImage").count("url(") == 1
    for box in ("#id_date_of_birth", "#id_checked_in_at"):
        width_needed, width_given = page.evaluate(
            f"(() => {{ const e = document.querySelector('{box}'); return [e.scrollWidth, e.clientWidth]; }})()"
        )
        assert width_needed <= width_given, box
    page.screenshot(path=f"/tmp/casp-checkin-ur-{width}.png", full_page=True)
