"""A landlord registers a tenant on the public form in the real browser, in Urdu on a phone and in English."""

import datetime as dt

import pytest
from django.utils import timezone

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(("lang", "width"), [("ur", 390), ("en", 1366)])
def test_landlord_registers_a_tenant(page, live_server, station_a, lang, width):
    from registrations.models import Registration

    page.set_viewport_size({"width": width, "height": 844})
    page.context.add_cookies([{"name": "django_language", "value": lang, "url": live_server.url}])
    page.goto(f"{live_server.url}/registrations/new/tenant/")
    assert page.locator("html").get_attribute("lang") == lang
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.fill("#id_registrant_name", "Naveed Akhtar")
    page.fill("#id_registrant_cnic", "61101-7654321-3")
    page.fill("#id_registrant_phone", "0300-1234567")
    page.fill("#id_address", "House 12, Street 4, G-9/1")
    page.select_option("#id_station", str(station_a.pk))
    page.fill("#id_start_date", (timezone.localdate() - dt.timedelta(days=1)).isoformat())
    page.fill("#id_person-cnic", "۳۵۲۰۲-۱۲۳۴۵۶۷-۱")  # typed with Urdu digits
    page.fill("#id_person-name", "Ali Raza")
    page.fill("#id_person-father_name", "Raza Khan")
    page.fill("#id_person-date_of_birth", "1990-05-01")
    assert page.locator(".honeypot").bounding_box()["width"] <= 1  # off-screen for people, there for robots
    with page.expect_navigation():
        page.click("button[type=submit]")
    registration = Registration.objects.get()
    assert registration.tracking_number in page.inner_text(".tracking-number")
    # The tracking number reads left to right inside Urdu text.
    assert page.eval_on_selector(".tracking-number .ltr", "e => getComputedStyle(e).direction") == "ltr"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_refused_start_date_is_shown_on_its_field_in_urdu(page, live_server, station_a):
    page.set_viewport_size({"width": 390, "height": 844})
    page.context.add_cookies([{"name": "django_language", "value": "ur", "url": live_server.url}])
    page.goto(f"{live_server.url}/registrations/new/tenant/")
    page.fill("#id_registrant_name", "Naveed Akhtar")
    page.fill("#id_registrant_cnic", "61101-7654321-3")
    page.fill("#id_registrant_phone", "03001234567")
    page.fill("#id_address", "House 12")
    page.select_option("#id_station", str(station_a.pk))
    page.fill("#id_start_date", "1949-12-31")
    page.fill("#id_person-cnic", "35202-1234567-1")
    page.fill("#id_person-name", "Ali Raza")
    page.fill("#id_person-father_name", "Raza Khan")
    page.fill("#id_person-date_of_birth", "1990-05-01")
    page.click("button[type=submit]")
    page.wait_for_selector(".alert-danger")
    assert "01-01-1950" in page.inner_text("#id_start_date ~ .invalid-feedback, #error_1_id_start_date")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
