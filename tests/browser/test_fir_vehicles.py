"""A clerk registers an FIR with its stolen vehicles in the browser and sees them on the FIR's page."""

import datetime as dt

import pytest
from django.utils import timezone

from fir.catalogue import sections_seed
from fir.models import Fir, Section

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(("lang", "width"), [("en", 1366), ("en", 390), ("ur", 1366), ("ur", 390)])
def test_clerk_registers_an_fir_with_two_stolen_vehicles(signed_in_page, live_server, station_a, lang, width):
    sections_seed(Section)
    page = signed_in_page
    page.set_viewport_size({"width": width, "height": 900})
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    if lang == "ur":
        with page.expect_navigation():
            page.select_option("#language-select", "ur")
    page.goto(f"{live_server.url}/fir/new/{station_a.code}/")
    assert page.get_attribute("html", "dir") == ("rtl" if lang == "ur" else "ltr")
    block = page.locator("#stolen-vehicles")
    assert block.get_attribute("open") is None  # closed until a vehicle-theft section is typed
    page.fill("#id_occurred_from", (timezone.localtime() - dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_place", "F-10 Markaz")
    page.fill("#id_complainant_name", "Razia Bibi")
    page.fill("#id_sections", "381-A PPC")
    page.fill("#id_facts", "میری گاڑی مارکیٹ سے چوری ہو گئی۔")
    assert block.get_attribute("open") is not None
    page.select_option("#id_vehicles-0-kind", "car")
    page.fill("#id_vehicles-0-registration_number", "ict 5678")
    page.fill("#id_vehicles-0-make", "Suzuki")
    page.fill("#id_vehicles-0-year", "2012")
    page.click("button[data-add-rows=vehicles]")
    assert page.url.endswith(f"/fir/new/{station_a.code}/")  # added in place, nothing submitted
    page.select_option("#id_vehicles-1-kind", "motorcycle")
    page.fill("#id_vehicles-1-engine_number", "CD70-445566")
    assert page.input_value("#id_vehicles-TOTAL_FORMS") == "2"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.click("#fir-register-submit")
    page.wait_for_url(f"{live_server.url}/fir/*/")
    fir = Fir.objects.get()
    assert sorted(fir.stolen_vehicles.values_list("registration_key", "engine_key")) == [
        ("", "CD70445566"),
        ("ICT5678", ""),
    ]
    section = page.inner_text("main")
    assert ("چوری شدہ گاڑیاں" if lang == "ur" else "Stolen vehicles") in section
    assert "ICT 5678" in section and "CD70-445566" in section and "Suzuki" in section
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert errors == []
